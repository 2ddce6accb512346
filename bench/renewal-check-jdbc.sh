#!/usr/bin/env bash
# The renewal check with nothing due on the PostgreSQL store (a throwaway cluster, HikariCP pool of
# 4), for 1, 1,000 and 10,000 certificates. Needs Debian's postgresql package (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql; }
mvn -B -q -DskipTests package -pl bench -am
echo "| certificates | start-up: manage all (ms) | one check pass (ms, median of 5) |"
echo "| ---: | ---: | ---: |"
for n in ${COUNTS:-1 1000 10000}; do
  out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
        dev.autocert4j.bench.JdbcRenewalCheck "$n")
  value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
  echo "| $n | $(value startup_manage_ms) | $(value check_pass_ms) |"
done
