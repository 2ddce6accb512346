#!/usr/bin/env bash
# DNS-01 issuance benchmark: a local PowerDNS holds the zone bench.test and a local Pebble asks it;
# side by side, each certificate for fresh names:
#   autocert4j in one warm JVM (powerdns provider), one name per certificate;
#   the autocert4j demo CLI as a fresh process per certificate (--dns-provider powerdns), apex + wildcard;
#   lego's pdns provider as a fresh process per certificate, one name and apex + wildcard.
# Needs root (PowerDNS listens on port 53 of its own 127.x.y.z, as the CA asks authoritative servers).
#   bench/dns-issuance.sh            (COUNT=5 certificates per client and shape)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}

missing=()
command -v pebble >/dev/null || missing+=(pebble)
command -v lego >/dev/null || missing+=(lego)
command -v pdns_server >/dev/null || missing+=(pdns-server)
[ -f /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql ] || missing+=(pdns-backend-sqlite3)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

[ "${SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package -pl bench,examples -am   # SKIP_BUILD=1 when the jars are built
BENCH_JAR=bench/target/autocert4j-bench.jar
DEMO_JAR=examples/target/autocert4j-demo.jar

WORK=$(mktemp -d)
MAIN_PID=""
cleanup() { [ -n "$MAIN_PID" ] && kill "$MAIN_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

java -cp "$BENCH_JAR" dev.autocert4j.bench.DnsBenchMain "$WORK/env" >"$WORK/main.out" 2>&1 &
MAIN_PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/env" ] && break; sleep 0.1; done
[ -s "$WORK/env" ] || { cat "$WORK/main.out" >&2; exit 1; }
# shellcheck disable=SC1091
. "$WORK/env"
printf 'api-url=%s\napi-key-file=%s\n' "$PDNS_API_URL" "$PDNS_API_KEY_FILE" > "$WORK/pdns.properties"
echo "Pebble at $PEBBLE_DIRECTORY asking PowerDNS at $PDNS_DNS (API $PDNS_API_URL)"

RESULTS="$WORK/results.tsv"   # client, shape, wall s
: > "$RESULTS"
timed() { # client shape command… : one run under /usr/bin/time; a failure stops the benchmark
  local client=$1 shape=$2; shift 2
  if ! /usr/bin/time -f "%e" -o "$WORK/time" "$@" >"$WORK/last.out" 2>&1; then
    tail -5 "$WORK/last.out" >&2; exit 1
  fi
  echo -e "$client\t$shape\t$(tail -1 "$WORK/time")" >> "$RESULTS"
}
# the two clients as commands of their own, so /usr/bin/time times the whole process
cat > "$WORK/demo.sh" <<SCRIPT
#!/usr/bin/env bash
name=\$1; shift
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$PWD/$DEMO_JAR" --once --acme "$PEBBLE_DIRECTORY" \\
  --acme-trust "$PEBBLE_TRUST" --binding "http://\$name:80" --https-port 8443 --challenge dns-01 \\
  --dns-provider powerdns --dns-config "$WORK/pdns.properties" --dns-resolver "$PDNS_DNS" \\
  --email bench@bench.test --accept-tos --state "$WORK/demo" --bind-address 127.0.0.1 "\$@"
SCRIPT
cat > "$WORK/lego.sh" <<SCRIPT
#!/usr/bin/env bash
args=()
for domain in "\$@"; do args+=(-d "\$domain"); done
LEGO_CA_CERTIFICATES="$PEBBLE_TRUST" PDNS_API_URL="$PDNS_API_URL" PDNS_API_KEY="\$(cat "$PDNS_API_KEY_FILE")" \\
  exec lego --server "$PEBBLE_DIRECTORY" --accept-tos --email bench@bench.test --path "$WORK/lego" --key-type ec256 \\
  --dns pdns --dns.resolvers "$PDNS_DNS" --dns.disable-cp "\${args[@]}" run
SCRIPT
chmod +x "$WORK/demo.sh" "$WORK/lego.sh"

echo "  warm-ups (account registration, not counted)"
"$WORK/demo.sh" warmup.bench.test >/dev/null 2>&1
"$WORK/lego.sh" lego-warmup.bench.test >/dev/null 2>&1

echo "  autocert4j, one warm JVM, one name per certificate"
java -cp "$BENCH_JAR" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn dev.autocert4j.bench.WarmDnsIssuance \
  "$PEBBLE_DIRECTORY" "$PEBBLE_TRUST" "$PDNS_API_URL" "$PDNS_API_KEY_FILE" "$PDNS_DNS" "$COUNT" warm "$WORK/warm" \
  > "$WORK/warm.out"
grep '^RESULT cert_ms' "$WORK/warm.out" | while read -r _ _ ms; do
  echo -e "autocert4j (warm JVM)\tone name\t$(python3 -c "print($ms/1000)")" >> "$RESULTS"
done

for i in $(seq 1 "$COUNT"); do
  echo "  run $i: demo CLI and lego, apex + wildcard; demo CLI and lego, one name"
  timed "autocert4j CLI (cold JVM)" "apex + wildcard" "$WORK/demo.sh" "aw$i.bench.test" --extra-name "*.aw$i.bench.test"
  timed "lego pdns" "apex + wildcard" "$WORK/lego.sh" "law$i.bench.test" "*.law$i.bench.test"
  timed "autocert4j CLI (cold JVM)" "one name" "$WORK/demo.sh" "one$i.bench.test"
  timed "lego pdns" "one name" "$WORK/lego.sh" "lone$i.bench.test"
done

mkdir -p bench/results
OUT="bench/results/dns-issuance-$(date -u +%Y%m%dT%H%M%SZ).md"
python3 - "$RESULTS" <<'PY' | tee "$OUT"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    client, shape, wall = line.rstrip("\n").split("\t")
    rows.setdefault((shape, client), []).append(float(wall))
print("| shape | client | runs | min s | median s | max s |")
print("|---|---|---|---|---|---|")
for (shape, client), walls in sorted(rows.items()):
    print(f"| {shape} | {client} | {len(walls)} | {min(walls):.2f} | {statistics.median(walls):.2f} | {max(walls):.2f} |")
PY
echo "Written to $OUT"
