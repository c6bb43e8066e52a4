#!/usr/bin/env bash
# Unpacks Debian's python3-torch (PyTorch 1.13) and the libraries it needs into a PRIVATE folder, for the
# Python peer of `metagan bench`. Never installs anything system-wide: a system-wide libtorch*.so is picked up
# by JavaCPP's first-run extraction and the JVM dies (see ENGINE.md). Uses apt-get download + dpkg -x only.
#
#   scripts/pytorch-peer.sh            # install (if missing) and check; prints the peer's root folder
#   scripts/pytorch-peer.sh --env      # print the environment the peer runs with (for a shell: eval "$(...)")
#
# Folder: ${METAGAN_PYTORCH_PEER:-~/.cache/metagan/pytorch-peer}. Exit 0 when `import torch` works, 1 otherwise
# (with one line saying why). Python: Debian's /usr/bin/python3 (the package targets python3.11).
set -euo pipefail
dir="${METAGAN_PYTORCH_PEER:-$HOME/.cache/metagan/pytorch-peer}"
root="$dir/root"
python=/usr/bin/python3
multiarch=usr/lib/x86_64-linux-gnu

peer_env() {
  echo "PYTHONPATH=$root/usr/lib/python3/dist-packages"
  # the BLAS that Debian's alternatives system would pick by default (OpenBLAS, pthread build)
  echo "LD_LIBRARY_PATH=$root/$multiarch/openblas-pthread:$root/$multiarch:$root/usr/lib:$root/lib/x86_64-linux-gnu:$root/usr/lib/python3/dist-packages/torch/lib"
}

check() {
  env $(peer_env) "$python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
}

if [ "${1:-}" = "--env" ]; then
  peer_env
  exit 0
fi

if [ -f "$dir/ready" ] && check >/dev/null 2>&1; then
  echo "$root"
  exit 0
fi

if [ ! -x "$python" ]; then
  echo "pytorch-peer: expected Debian's $python but found none; the Python peer needs it (apt-get install python3)" >&2
  exit 1
fi
pyver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [ "$pyver" != "3.11" ]; then
  echo "pytorch-peer: Debian's python3-torch 1.13 targets python3.11 but $python is $pyver; no peer on this machine" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "pytorch-peer: expected apt-get and dpkg (Debian) but found neither; no peer on this machine" >&2
  exit 1
fi

mkdir -p "$dir/debs" "$root"
cd "$dir/debs"
# Every package in python3-torch's dependency closure that is not installed on this machine. libtorch-test and
# fonts/data packages are not needed to import torch.
pkgs=()
while read -r p; do
  case "$p" in
    libtorch-test|fonts-*|ttf-*|xfonts-*|gdal-data|proj-data) continue ;;
  esac
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  case "$status" in
    *"install ok installed"*) ;;
    *) pkgs+=("$p") ;;
  esac
done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
           python3-torch 2>/dev/null | grep -v '^ ' | grep -v '^<' | sort -u)
if ! apt-cache show python3-torch >/dev/null 2>&1; then
  echo "pytorch-peer: apt knows no python3-torch (run apt-get update, or this is not Debian bookworm); no peer" >&2
  exit 1
fi
# only those not downloaded before (a previous run may have stopped half way)
todo=()
for p in "${pkgs[@]}"; do
  compgen -G "${p}_*.deb" >/dev/null || todo+=("$p")
done
echo "pytorch-peer: downloading ${#todo[@]} of ${#pkgs[@]} packages into $dir/debs (not installing them)" >&2
[ "${#todo[@]}" -eq 0 ] || apt-get download "${todo[@]}" >/dev/null 2>"$dir/download.log" || {
  echo "pytorch-peer: apt-get download failed (see $dir/download.log); no peer" >&2
  exit 1
}
for d in ./*.deb; do
  dpkg -x "$d" "$root"
done
if ! out="$(check 2>&1)"; then
  echo "pytorch-peer: unpacked into $root but 'import torch' fails: $(echo "$out" | tail -1)" >&2
  exit 1
fi
echo "$out" >&2
touch "$dir/ready"
echo "$root"
