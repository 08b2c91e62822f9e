#!/usr/bin/env bash
# The short mode of the hot-path and DataSource benchmarks (a few minutes on 2 cores): one fork, few
# iterations, at 1 and 2 threads, with allocation profiling. Writes JSON results under benchmarks/target/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
for threads in 1 2; do
  java -jar benchmarks/target/benchmarks.jar 'HotPathBenchmark|DataSourceBenchmark' \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -t "$threads" -prof gc \
    -rf json -rff "benchmarks/target/jmh-t$threads.json"
done
