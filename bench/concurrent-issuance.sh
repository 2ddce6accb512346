#!/usr/bin/env bash
# Many names due at once: COUNT certificates (default 200) for distinct names from one local
# Pebble (instant validation, no nonce rejection), with concurrentIssuance 1, 2, 4, 8 and 16
# (LEVELS), each level with a fresh PKCS#12 folder and one account. Wall time from start() until
# every certificate is obtained, failures, accounts registered.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pebble >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq; $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pebble; }
mvn -B -q -DskipTests package -pl bench -am
COUNT=${COUNT:-200}
LEVELS=${LEVELS:-1,2,4,8,16}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
      dev.autocert4j.bench.ConcurrentIssuance "$COUNT" "$LEVELS" "$WORK")
value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
echo "| concurrentIssuance | $COUNT certificates (s) | per certificate (ms) | issued | failures | accounts |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for level in ${LEVELS//,/ }; do
  s=$(value "concurrency_${level}_s")
  echo "| $level | $s | $(python3 -c "print(round($s*1000/$COUNT, 1))") | $(value "concurrency_${level}_issued") | $(value "concurrency_${level}_failures") | $(value "concurrency_${level}_accounts") |"
done
echo
echo "process CPU $(value cpu_s) s, peak RSS $(( $(value peak_rss_kib) / 1024 )) MiB"
