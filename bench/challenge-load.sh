#!/usr/bin/env bash
# Load on the HTTP-01 endpoint: wrk against the JDK server answering a published token through
# Http01Responder, next to the same server answering a static 200 of the same size. Loopback only;
# each run is bounded (DURATION seconds, CONNECTIONS connections).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
CHALLENGE_PORT=${CHALLENGE_PORT:-18080}
STATIC_PORT=${STATIC_PORT:-18081}
LISTENER_PORT=${LISTENER_PORT:-18082}
TOKEN=evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA

command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get update -qq; $SUDO apt-get install -y -qq wrk; }
mvn -B -q -DskipTests package -pl bench -am

java -cp bench/target/autocert4j-bench.jar dev.autocert4j.bench.ChallengeEndpoint "$CHALLENGE_PORT" "$STATIC_PORT" "$TOKEN" "$LISTENER_PORT" > /tmp/challenge-endpoint.out 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q READY /tmp/challenge-endpoint.out && break; sleep 0.1; done

run() { # name url
  wrk -t2 -c"$CONNECTIONS" -d2s "$2" >/dev/null   # warm-up
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  local rps p99; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}'); p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "| $1 | $rps | $p99 |"
}
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on 127.0.0.1; JDK HttpServer with 4 worker threads and sun.net.httpserver.nodelay=true"
echo
echo "| handler | requests/s | p99 latency |"
echo "| --- | ---: | ---: |"
run "Http01Responder, published token" "http://127.0.0.1:$CHALLENGE_PORT/.well-known/acme-challenge/$TOKEN"
run "static 200, same body size" "http://127.0.0.1:$STATIC_PORT/static"
run "standalone Http01Listener (one request per connection)" "http://127.0.0.1:$LISTENER_PORT/.well-known/acme-challenge/$TOKEN"
