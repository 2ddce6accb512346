#!/usr/bin/env bash
# Cluster propagation through the PostgreSQL store's change feed: node 1 saves a certificate every
# 700 ms, nodes 2 and 3 time its arrival; with the default poll interval (2 s) and a short one.
# Needs Debian's postgresql package (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql; }
mvn -B -q -DskipTests package -pl bench -am
echo "| poll interval | saves | p50 | p99 | max |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for poll in ${POLLS:-2000 200}; do
  out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
        dev.autocert4j.bench.Propagation "${SAVES:-100}" "$poll")
  value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
  echo "| $poll ms | $(value saves) | $(value p50_ms) ms | $(value p99_ms) ms | $(value max_ms) ms |"
done
