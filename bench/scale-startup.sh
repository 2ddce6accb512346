#!/usr/bin/env bash
# A server restarting with many stored certificates (PKCS#12 store, JDK HTTPS server, SNI key
# manager): time from start() until HTTPS answers, the first handshake for a name not served yet
# (its key is decrypted then) and again, heap per certificate; stored certificates installed by
# metadata (lazy, the default of the Jetty, Netty and demo providers) and with every key loaded at
# start (eager). COUNTS (default "100 10000"); the fixtures are made once under bench/target/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
echo "| certificates | install | HTTPS ready (ms) | CPU at start (s) | cold-name handshake median / max (ms) | warm handshake median (ms) | heap KiB per certificate | peak RSS MiB |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in ${COUNTS:-100 10000}; do
  for mode in lazy eager; do
    out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar \
          dev.autocert4j.bench.ScaleStartup "$n" bench/target/fixtures "$mode")
    value() { echo "$out" | awk -v k="$1" '$1=="RESULT" && $2==k {print $3}'; }
    echo "| $n | $mode | $(value https_ready_ms) | $(value start_cpu_s) | $(value cold_handshake_median_ms) / $(value cold_handshake_max_ms) | $(value warm_handshake_median_ms) | $(value heap_kib_per_certificate) | $(( $(value peak_rss_kib) / 1024 )) |"
  done
done
