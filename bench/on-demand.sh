#!/usr/bin/env bash
# On-demand issuance against one local Pebble (instant validation): the first TLS handshake for
# each of COUNT new names (default 50), timed from the client (order, HTTP-01, PKCS#12, served to
# that handshake), median and p99; then STORM handshakes at once (default 50) for one more new
# name, and the orders Pebble counted for it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pebble >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq; $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pebble; }
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -DskipTests package -pl bench -am
COUNT=${COUNT:-50}
STORM=${STORM:-50}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
      dev.autocert4j.bench.OnDemand "$COUNT" "$STORM" "$WORK")
value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
echo "| first handshake for a new name, $COUNT names | median (ms) | p99 (ms) | max (ms) |"
echo "| --- | ---: | ---: | ---: |"
echo "| on-demand, local Pebble, HTTP-01, PKCS#12 | $(value first_handshake_median_ms) | $(value first_handshake_p99_ms) | $(value first_handshake_max_ms) |"
echo
echo "| handshakes at once for one new name | all served (ms) | distinct certificates | orders |"
echo "| ---: | ---: | ---: | ---: |"
echo "| $(value storm_handshakes) | $(value storm_all_served_ms) | $(value storm_distinct_certificates) | $(value storm_orders) |"
echo
echo "process CPU $(value cpu_s) s"
