#!/usr/bin/env bash
# The full crash-safety campaign (RELIABILITY.md): SIGKILLs real `./metagan <subcommand>` JVMs at random
# moments, resumes each with --resume, and compares the final checkpoint with an uninterrupted run bit for bit.
#
#   scripts/kill-resume.sh [WORK_DIR]                       # train: 20 random + 5 mid-write + 5 after-checkpoint kills
#   SUBCOMMAND=train ARGS="--model dcgan ..." scripts/kill-resume.sh /tmp/kr-dcgan
#
# Environment: SEED (1), RANDOM_KILLS (20), WRITE_KILLS (5), CHECKPOINT_KILLS (5), SUBCOMMAND (train), ARGS (below).
# Needs MNIST as `metagan train --dataset mnist` finds it (e.g. METAGAN_DATA). Exit code 0 = every check passed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/metagan-kill-resume}"
export OPENBLAS_NUM_THREADS=1
cd "$here"
./metagan --version >/dev/null   # builds the launcher's classes and classpath if needed
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
rm -rf "$work"
default_args="--dataset mnist --model mlp --steps 200 --batch 32 --checkpoint-every 10 --keep-checkpoints 3 --sample-every 100000 --log-every 5 --threads 1 --seed 3"
# shellcheck disable=SC2086
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.metagan.reliability.KillResumeHarness \
  "$work" "${SEED:-1}" "${RANDOM_KILLS:-20}" "${WRITE_KILLS:-5}" "${CHECKPOINT_KILLS:-5}" "$here/metagan" -- \
  "${SUBCOMMAND:-train}" ${ARGS:-$default_args}
