#!/usr/bin/env bash
# Do GMAN's discriminators on parallel threads pay on this machine? (docs/MODES.md, "Players on parallel threads")
# GMAN-4 on Stacked MNIST (2,000 stacked images), batch 32, 60 steps, with the paper's discriminator and with the small
# one, each run three ways: one player worker with one intra-op thread, one worker with two threads, two workers with
# one thread each. Prints the load, then per run the process's CPU time (user + sys, JVM start and model building
# included), its wall time, the training's median ms per step and its last generator loss (the same with one or two
# workers at one thread: the player workers do not change the result). About 2-3 minutes on 2 idle cores. Usage:
#   METAGAN_DATA=/path/to/datasets scripts/players-threads.sh [OUT_DIR] [STEPS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out="${1:-$(mktemp -d /tmp/players-threads.XXXXXX)}"
steps="${2:-60}"
mkdir -p "$out"
./metagan --version >/dev/null 2>&1 || true # builds on first use, outside the timed runs
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average:$(uptime | sed 's/.*load average://')"
echo "GMAN-4 (softmax), stacked-mnist:n=2000, batch 32, $steps steps; CPU s = user + sys of the whole process"
printf '%-8s %-8s %-8s %8s %8s %14s  %s\n' regime workers threads "CPU s" "wall s" "median ms/step" "last g_loss"
for regime in paper-d small-d; do
  width=1.0
  [ "$regime" = small-d ] && width=0.25
  for setting in "1 1" "1 2" "2 1"; do
    read -r workers threads <<<"$setting"
    run="$out/$regime-w$workers-t$threads"
    rm -rf "$run"
    /usr/bin/time -f '%U %S %e' -o "$run.time" ./metagan train --dataset stacked-mnist:n=2000 --model dcgan --discriminators 4 \
      --gman-aggregate softmax --d-width "$width" --steps "$steps" --batch 32 --threads "$threads" --player-workers "$workers" \
      --log-every "$steps" --checkpoint-every "$steps" --sample-every "$steps" --out "$run" >"$run.log" 2>&1 \
      || { echo "failed: see $run.log" >&2; exit 1; }
    read -r user sys wall <"$run.time"
    median="$(sed -n 's/.*(median \([0-9.]*\) ms\/step.*/\1/p' "$run.log")"
    g_loss="$(tail -n 1 "$run/metrics.jsonl" | sed -n 's/.*"g_loss":\([^,]*\),.*/\1/p')"
    printf '%-8s %-8s %-8s %8.1f %8.1f %14s  %s\n' "$regime" "$workers" "$threads" "$(echo "$user + $sys" | bc)" "$wall" "$median" "$g_loss"
  done
done
echo "load average after:$(uptime | sed 's/.*load average://')"
