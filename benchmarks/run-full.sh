#!/usr/bin/env bash
# The measurement behind benchmarks/README.md (about 25 minutes on 2 cores): three forks, 3 × 1 s warm-up and
# 5 × 1 s measurement per benchmark, at 1 and 2 threads, with allocation profiling. Needs the local PostgreSQL
# for DataSourceBenchmark's postgresql rows (127.0.0.1:5432, user postgres, database test).
# Writes the JMH text and JSON results under benchmarks/target/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
for threads in 1 2; do
  java -jar benchmarks/target/benchmarks.jar 'HotPathBenchmark|DataSourceBenchmark' \
    -f 3 -wi 3 -w 1s -i 5 -r 1s -t "$threads" -prof gc \
    -rf json -rff "benchmarks/target/jmh-full-t$threads.json" | tee "benchmarks/target/jmh-full-t$threads.txt"
done
