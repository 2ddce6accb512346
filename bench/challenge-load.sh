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

CHALLENGE_URL="http://127.0.0.1:$CHALLENGE_PORT/.well-known/acme-challenge/$TOKEN"
STATIC_URL="http://127.0.0.1:$STATIC_PORT/static"
LISTENER_URL="http://127.0.0.1:$LISTENER_PORT/.well-known/acme-challenge/$TOKEN"
for url in "$CHALLENGE_URL" "$STATIC_URL" "$LISTENER_URL"; do   # warm every handler up before measuring any
  wrk -t2 -c"$CONNECTIONS" -d3s "$url" >/dev/null
done
measure() { # url -> "requests/s p99"
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
}
declare -A rps p99
for round in 1 2; do                # alternate, so drift hits both alike
  for name in challenge static listener; do
    url_var="${name^^}_URL"
    read -r r p < <(measure "${!url_var}")
    rps[$name$round]=$r; p99[$name$round]=$p
  done
done
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on 127.0.0.1, two alternating rounds; JDK HttpServer with 4 worker threads"
echo "and sun.net.httpserver.nodelay=true"
echo
echo "| handler | requests/s (round 1 / 2) | p99 latency (round 1 / 2) |"
echo "| --- | ---: | ---: |"
echo "| Http01Responder on the JDK server, published token | ${rps[challenge1]} / ${rps[challenge2]} | ${p99[challenge1]} / ${p99[challenge2]} |"
echo "| same JDK server, static 200 of the same size | ${rps[static1]} / ${rps[static2]} | ${p99[static1]} / ${p99[static2]} |"
echo "| standalone Http01Listener (one request per connection) | ${rps[listener1]} / ${rps[listener2]} | ${p99[listener1]} / ${p99[listener2]} |"
python3 -c "print(f'ratio challenge/static: {(${rps[challenge1]}+${rps[challenge2]})/(${rps[static1]}+${rps[static2]}):.2f}')"
