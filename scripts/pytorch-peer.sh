#!/usr/bin/env bash
# The PyTorch peer of `metagan bench`, in a PRIVATE folder; never installs anything system-wide (a system-wide
# libtorch*.so is picked up by JavaCPP's first-run extraction and the JVM dies; see ENGINE.md).
#
# Which peer: PyTorch 2.13 (torch==2.13.0+cpu) in a venv of Python 3.11, installed OFFLINE from the wheel folders and
# package indexes on this machine's disk that pip's configuration names (`pip config list`: find-links, index-url,
# extra-index-url that are local paths or file:// URLs; no registry on the network is asked, so nothing waits on one).
# Where no local source holds that wheel, or there is no Python 3.11: Debian's python3-torch (PyTorch 1.13),
# downloaded with `apt-get download` and unpacked with `dpkg -x`.
#
#   scripts/pytorch-peer.sh            # install (if missing) and check; prints one line naming the peer
#   scripts/pytorch-peer.sh --env      # print the environment the peer runs with (KEY=VALUE lines; PEER_PYTHON is its python)
#
# METAGAN_PYTORCH_PEER_KIND=auto (default: 2.13, else 1.13) | venv (2.13 only) | debian (1.13 only).
# Folders: ${METAGAN_PYTORCH_PEER:-~/.cache/metagan/pytorch-peer} (Debian), ${METAGAN_PYTORCH_VENV:-~/.cache/metagan/pytorch-2.13-venv}.
# Exit 0 when `import torch` works, 1 otherwise (with one line on stderr saying why).
set -euo pipefail
kind="${METAGAN_PYTORCH_PEER_KIND:-auto}"
torch_pin='torch==2.13.0+cpu'
venv="${METAGAN_PYTORCH_VENV:-$HOME/.cache/metagan/pytorch-2.13-venv}"
dir="${METAGAN_PYTORCH_PEER:-$HOME/.cache/metagan/pytorch-peer}"
root="$dir/root"
debian_python=/usr/bin/python3
multiarch=usr/lib/x86_64-linux-gnu

case "$kind" in auto|venv|debian) ;; *)
  echo "pytorch-peer: expected METAGAN_PYTORCH_PEER_KIND auto, venv or debian but found '$kind'" >&2; exit 1 ;;
esac

# ---- PyTorch 2.13 in a venv, from local wheels only ----

venv_env() {
  echo "PEER_PYTHON=$venv/bin/python"
  echo "PEER_SOURCE=pip wheel $torch_pin in a venv, installed from local wheels"
}

venv_check() {
  "$venv/bin/python" -c 'import torch, numpy; assert torch.__version__ == "2.13.0+cpu", torch.__version__; print("torch", torch.__version__, "numpy", numpy.__version__)'
}

# A Python 3.11 that can make a venv: Debian's, then pyenv's, then any python3.11 on PATH.
python311() {
  for p in /usr/bin/python3.11 "$HOME"/.pyenv/versions/3.11*/bin/python3.11 "$(command -v python3.11 || true)"; do
    if [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import sys, venv, ensurepip; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# pip options naming only the local sources of pip's configuration (paths and file:// URLs).
local_sources() {
  local py="$1" key value v
  "$py" -m pip config list 2>/dev/null | while IFS='=' read -r key value; do
    value="${value#\'}"
    value="${value%\'}"
    for v in $value; do
      case "$v" in /*|file://*) ;; *) continue ;; esac
      case "$key" in
        *.find-links) echo "--find-links=$v" ;;
        *.index-url|*.extra-index-url) echo "--extra-index-url=$v" ;;
      esac
    done
  done | sort -u
}

install_venv() {
  local py
  if ! py="$(python311)"; then
    echo "pytorch-peer: no Python 3.11 that can make a venv (the torch 2.13 wheel here is for 3.11)" >&2
    return 1
  fi
  local sources
  sources="$(local_sources "$py")"
  if [ -z "$sources" ]; then
    echo "pytorch-peer: pip's configuration names no local wheel folder or index (pip config list); no $torch_pin offline" >&2
    return 1
  fi
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$py" -m venv "$venv" >&2
  # --no-index drops the configured (network) index; the local indexes come back as find-links-style file:// indexes
  # through --index-url/--extra-index-url below, and PIP_CONFIG_FILE=/dev/null keeps any other configured index out.
  local first rest=()
  first="$(echo "$sources" | grep -m1 -- '--extra-index-url=' | sed 's/--extra-index-url=/--index-url=/' || true)"
  while read -r s; do
    [ "--index-url=${s#--extra-index-url=}" = "$first" ] && continue
    rest+=("$s")
  done <<< "$sources"
  local index_opts=("$first")
  [ -n "$first" ] || index_opts=(--no-index)
  echo "pytorch-peer: installing $torch_pin into $venv from local sources only: ${index_opts[*]} ${rest[*]}" >&2
  if ! env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null "$venv/bin/pip" install --no-input \
      --disable-pip-version-check "${index_opts[@]}" "${rest[@]}" "$torch_pin" numpy >"$venv.install.log" 2>&1; then
    echo "pytorch-peer: pip found no $torch_pin (or its dependencies) in the local sources; see $venv.install.log" >&2
    return 1
  fi
  venv_check >&2
  touch "$venv/ready"
}

# ---- Debian's python3-torch 1.13, unpacked ----

debian_env() {
  echo "PEER_PYTHON=$debian_python"
  echo "PEER_SOURCE=Debian python3-torch, unpacked privately"
  echo "PYTHONPATH=$root/usr/lib/python3/dist-packages"
  # the BLAS that Debian's alternatives system would pick by default (OpenBLAS, pthread build)
  echo "LD_LIBRARY_PATH=$root/$multiarch/openblas-pthread:$root/$multiarch:$root/usr/lib:$root/lib/x86_64-linux-gnu:$root/usr/lib/python3/dist-packages/torch/lib"
}

debian_check() {
  env $(debian_env | grep -v '^PEER_') "$debian_python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
}

install_debian() {
  if [ ! -x "$debian_python" ]; then
    echo "pytorch-peer: expected Debian's $debian_python but found none; the Python peer needs it (apt-get install python3)" >&2
    return 1
  fi
  local pyver
  pyver="$("$debian_python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  if [ "$pyver" != "3.11" ]; then
    echo "pytorch-peer: Debian's python3-torch 1.13 targets python3.11 but $debian_python is $pyver; no peer on this machine" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    echo "pytorch-peer: expected apt-get and dpkg (Debian) but found neither; no peer on this machine" >&2
    return 1
  fi
  mkdir -p "$dir/debs" "$root"
  cd "$dir/debs"
  # Every package in python3-torch's dependency closure that is not installed on this machine. libtorch-test and
  # fonts/data packages are not needed to import torch.
  local pkgs=() p status
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
    return 1
  fi
  # only those not downloaded before (a previous run may have stopped half way)
  local todo=()
  for p in "${pkgs[@]}"; do
    compgen -G "${p}_*.deb" >/dev/null || todo+=("$p")
  done
  echo "pytorch-peer: downloading ${#todo[@]} of ${#pkgs[@]} packages into $dir/debs (not installing them)" >&2
  [ "${#todo[@]}" -eq 0 ] || apt-get download "${todo[@]}" >/dev/null 2>"$dir/download.log" || {
    echo "pytorch-peer: apt-get download failed (see $dir/download.log); no peer" >&2
    return 1
  }
  local d out
  for d in ./*.deb; do
    dpkg -x "$d" "$root"
  done
  if ! out="$(debian_check 2>&1)"; then
    echo "pytorch-peer: unpacked into $root but 'import torch' fails: $(echo "$out" | tail -1)" >&2
    return 1
  fi
  echo "$out" >&2
  touch "$dir/ready"
}

# ---- which peer ----

venv_ready() { [ -f "$venv/ready" ] && venv_check >/dev/null 2>&1; }
debian_ready() { [ -f "$dir/ready" ] && debian_check >/dev/null 2>&1; }

if [ "${1:-}" = "--env" ]; then
  if [ "$kind" != debian ] && venv_ready; then
    venv_env
  else
    debian_env
  fi
  exit 0
fi

# One installer at a time per machine user (several worktrees may run the bench at once).
mkdir -p "$HOME/.cache/metagan"
exec 9>"$HOME/.cache/metagan/pytorch-peer.lock"
flock 9

if [ "$kind" != debian ]; then
  if venv_ready || install_venv; then
    echo "$venv ($(venv_check))"
    exit 0
  fi
  if [ "$kind" = venv ]; then
    exit 1
  fi
  echo "pytorch-peer: falling back to Debian's python3-torch 1.13" >&2
fi
if debian_ready || install_debian; then
  echo "$root ($(debian_check))"
  exit 0
fi
exit 1
