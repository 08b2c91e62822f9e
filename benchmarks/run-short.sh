#!/usr/bin/env bash
# The short mode of the hot-path and DataSource benchmarks (about 4 minutes on 2 cores): one fork, 2 × 1 s
# warm-up and 3 × 1 s measurement, at 1 and 2 threads, with allocation profiling. Writes JSON results under
# benchmarks/target/. DataSourceBenchmark's postgresql rows need the local PostgreSQL (they fail, and the
# rest goes on, without it).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
for threads in 1 2; do
  java -jar benchmarks/target/benchmarks.jar 'HotPathBenchmark|DataSourceBenchmark' \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -t "$threads" -prof gc \
    -rf json -rff "benchmarks/target/jmh-t$threads.json"
done
