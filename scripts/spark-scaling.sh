#!/usr/bin/env bash
# The Spark engine's scaling on this machine (docs/SPARK.md, "Scaling model"): per round, Reptile on the local engine
# with one worker, on a standalone Spark cluster of one worker and of two workers (one core each) started in the JVM;
# then the scaling model fitted to the measured terms, its predictions and a PNG. Usage:
#   METAGAN_DATA=/path/to/datasets scripts/spark-scaling.sh [--out DIR] [--rounds 3] [--iterations 5] [--meta-batch 8]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
spark_cp_file="$here/spark/target/classpath.txt"
if [ ! -f "$spark_cp_file" ] || [ -n "$(find "$here/src/main" "$here/spark/src/main" "$here/spark/pom.xml" -newer "$spark_cp_file" \
    -print -quit 2>/dev/null)" ]; then
  echo "spark-scaling: building the Spark module..." >&2
  mvn -q -B -DskipTests -pl product,spark compile dependency:build-classpath >&2
fi
# as ./metagan: one OpenBLAS thread, OpenMP waiters that sleep; the cluster talks over loopback; the workers launch
# executors with Spark's launcher, which wants a Spark home with a jars/ folder (empty: the classes come from the class path)
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_HOME="$here/spark/target/spark-home"
mkdir -p "$SPARK_HOME/jars"
exec java ${METAGAN_JAVA_OPTS:--Xmx3g} @"$here/spark/java-options" -cp "$here/spark/target/classes:$(cat "$spark_cp_file")" \
  org.metagan.spark.ScalingBench "$@"
