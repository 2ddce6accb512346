#!/usr/bin/env bash
# The renewal check with nothing due, for 1, 1,000 and 10,000 stored certificates (PKCS#12 store
# on disk). No network: renewal information is off and nothing is due. The fixture stores are made
# once under bench/target/fixtures (10,000 certificates take a few minutes to make).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
echo "| certificates | start-up: manage all (ms) | one check pass (ms) | heap KiB per certificate | peak RSS MiB |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for n in ${COUNTS:-1 1000 10000}; do
  out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
        dev.autocert4j.bench.RenewalCheck "$n" bench/target/fixtures)
  value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
  echo "| $n | $(value startup_manage_ms) | $(value check_pass_ms) | $(value heap_kib_per_certificate) | $(( $(value peak_rss_kib) / 1024 )) |"
done
