#!/usr/bin/env bash
# Issuance benchmark: certificates for distinct names from one local Pebble, side by side:
#   autocert4j in one warm JVM, the autocert4j demo CLI as a fresh process per certificate (plain
#   `java -jar`, and through examples/autocert4j-demo with its class-data-sharing archive),
#   lego and certbot (Debian packages) as fresh processes per certificate, answering HTTP-01 themselves.
# Runs once with Pebble rejecting no nonces and once rejecting 5 %. EC P-256 keys everywhere.
#   bench/issuance.sh            (COUNT=10 certificates per client, PORT=5002 for HTTP-01)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-10}
PORT=${PORT:-5002}

missing=()
command -v pebble >/dev/null || missing+=(pebble)
command -v lego >/dev/null || missing+=(lego)
command -v certbot >/dev/null || missing+=(certbot)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

mvn -B -q -DskipTests package -pl bench,examples -am
BENCH_JAR=bench/target/autocert4j-bench.jar
DEMO_JAR=examples/target/autocert4j-demo.jar

WORK=$(mktemp -d)
PEBBLE_PID=""
cleanup() { [ -n "$PEBBLE_PID" ] && kill "$PEBBLE_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

RESULTS="$WORK/results.tsv"   # client, nonce-reject %, wall s, cpu s, peak rss KiB, ok|failed
: > "$RESULTS"

timed() { # client reject command… : runs it under /usr/bin/time, appends a row; a failure is counted, not fatal
  local client=$1 reject=$2 outcome=ok; shift 2
  if ! /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >"$WORK/last.out" 2>&1; then
    outcome=failed
    echo "    $client failed: $(grep -m1 -iE 'error|exception' "$WORK/last.out" || tail -1 "$WORK/last.out")" >&2
  fi
  read -r wall user sys rss < <(tail -1 "$WORK/time")
  echo -e "$client\t$reject\t$wall\t$(python3 -c "print($user+$sys)")\t$rss\t$outcome" >> "$RESULTS"
}

for reject in 0 5; do
  rm -f "$WORK/env"
  java -cp "$BENCH_JAR" dev.autocert4j.bench.PebbleMain "$reject" "$PORT" "$WORK/env" >"$WORK/pebble.out" 2>&1 &
  PEBBLE_PID=$!
  for _ in $(seq 1 300); do [ -s "$WORK/env" ] && break; sleep 0.1; done
  [ -s "$WORK/env" ] || { cat "$WORK/pebble.out" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "$WORK/env"
  echo "Pebble at $PEBBLE_DIRECTORY, rejecting $reject % of nonces"

  echo "  autocert4j, one warm JVM"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" java -cp "$BENCH_JAR" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    dev.autocert4j.bench.WarmIssuance "$PEBBLE_DIRECTORY" "$PEBBLE_TRUST" "$PORT" "$COUNT" "warm$reject-" "$WORK/warm$reject" \
    > "$WORK/warm.out"
  read -r _ user sys rss < "$WORK/time"
  grep '^RESULT cert_ms' "$WORK/warm.out" | while read -r _ _ ms; do
    echo -e "autocert4j (warm JVM)\t$reject\t$(python3 -c "print($ms/1000)")\t\t\tok" >> "$RESULTS"
  done
  echo -e "autocert4j (warm JVM) process\t$reject\t\t$(python3 -c "print($user+$sys)")\t$rss\tok" >> "$RESULTS"

  echo "  autocert4j demo CLI, fresh JVM per certificate"
  for i in $(seq 1 "$COUNT"); do
    name="cli$reject-$i.bench.test"
    timed "autocert4j CLI (cold JVM)" "$reject" java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$DEMO_JAR" --once \
      --acme "$PEBBLE_DIRECTORY" --acme-trust "$PEBBLE_TRUST" --listen "http://$name:$PORT" --binding "http://$name:$PORT" \
      --https-port 8443 --email bench@bench.test --accept-tos --state "$WORK/cli$reject" --bind-address 127.0.0.1
  done

  echo "  autocert4j demo launcher (class archive recorded by its first run), fresh JVM per certificate"
  for i in $(seq 1 "$COUNT"); do
    name="launcher$reject-$i.bench.test"
    XDG_CACHE_HOME="$WORK/launcher-cache" JAVA_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      timed "autocert4j CLI (launcher)" "$reject" examples/autocert4j-demo --once \
      --acme "$PEBBLE_DIRECTORY" --acme-trust "$PEBBLE_TRUST" --listen "http://$name:$PORT" --binding "http://$name:$PORT" \
      --https-port 8443 --email bench@bench.test --accept-tos --state "$WORK/launcher$reject" --bind-address 127.0.0.1
  done

  echo "  lego"
  for i in $(seq 1 "$COUNT"); do
    LEGO_CA_CERTIFICATES="$PEBBLE_TRUST" timed lego "$reject" lego --server "$PEBBLE_DIRECTORY" --accept-tos \
      --email bench@bench.test --path "$WORK/lego$reject" --key-type ec256 --http --http.port "127.0.0.1:$PORT" \
      -d "lego$reject-$i.bench.test" run
  done

  echo "  certbot"
  for i in $(seq 1 "$COUNT"); do
    REQUESTS_CA_BUNDLE="$PEBBLE_TRUST" timed certbot "$reject" certbot certonly --standalone --non-interactive \
      --http-01-port "$PORT" --http-01-address 127.0.0.1 --server "$PEBBLE_DIRECTORY" --agree-tos -m bench@bench.test \
      --no-eff-email --key-type ecdsa --elliptic-curve secp256r1 --config-dir "$WORK/certbot$reject/config" \
      --work-dir "$WORK/certbot$reject/work" --logs-dir "$WORK/certbot$reject/logs" -d "certbot$reject-$i.bench.test"
  done

  kill "$PEBBLE_PID"; wait "$PEBBLE_PID" 2>/dev/null || true; PEBBLE_PID=""
done

mkdir -p bench/results
OUT="bench/results/issuance-$(date -u +%Y%m%dT%H%M%SZ).md"
python3 bench/summarize_issuance.py "$RESULTS" "$COUNT" | tee "$OUT"
echo "Written to $OUT"
