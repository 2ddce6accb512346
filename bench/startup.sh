#!/usr/bin/env bash
# What autocert4j adds to a host's start with a stored valid certificate (no network call):
# time from JVM start to the HTTPS server started, and heap after GC; RUNS runs each, medians.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
mvn -B -q -DskipTests package -pl bench -am
JAR=bench/target/autocert4j-bench.jar
FIXTURES=bench/target/fixtures
java -cp "$JAR" dev.autocert4j.bench.StartupCost setup "$FIXTURES"
for mode in baseline autocert4j; do
  for _ in $(seq 1 "$RUNS"); do
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" dev.autocert4j.bench.StartupCost "$mode" "$FIXTURES" \
      | awk -v m="$mode" '$1=="RESULT" {print m, $2, $3}'
  done
done | python3 bench/summarize_startup.py
