#!/usr/bin/env bash
# Compares the memory estimate of `metagan train` (MemoryEstimate) with the peak resident memory of real runs
# (GNU time's "Maximum resident set size"), for each model at two batch sizes. The difference between the two
# batch sizes isolates what grows with the batch (activations and batch arrays), which the estimate must cover.
#   scripts/memory-calibration.sh [WORK_DIR]     (needs MNIST as `metagan train --dataset mnist` finds it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/metagan-memory}"
export OPENBLAS_NUM_THREADS=1
rm -rf "$work"; mkdir -p "$work"
printf "%-6s %-8s %6s %14s %14s\n" model loss batch estimate_MB peak_rss_MB
for spec in "mlp bce" "dcgan bce" "dcgan wgan-gp" "lstm bce"; do
  set -- $spec
  for batch in 64 1024; do
    out="$work/$1-$2-$batch"
    METAGAN_LOG_LEVEL=DEBUG /usr/bin/time -v "$here/metagan" train --dataset mnist --model "$1" --loss "$2" --batch "$batch" \
      --steps 3 --checkpoint-every 3 --sample-every 100000 --threads 1 --out "$out" >"$out.log" 2>&1
    est=$(grep -o "memory estimate: [0-9]* [MG]B" "$out.log" | grep -o "[0-9]* [MG]B" | head -1)
    rss=$(grep "Maximum resident set size" "$out.log" | grep -o "[0-9]*$")
    printf "%-6s %-8s %6s %14s %14s\n" "$1" "$2" "$batch" "$est" "$((rss / 1024))"
  done
done
