#!/usr/bin/env bash
# Runs the demo portal against a local Pebble ACME server: installs what is missing (Debian),
# builds the demo, starts Pebble, lets the portal obtain its certificate, and checks that the
# portal answers on HTTPS with it. Stops everything it started on exit (Ctrl-C).
#
#   examples/run-demo.sh          run until Ctrl-C
#   examples/run-demo.sh --check  exit after the HTTPS check (for scripts)
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_ONLY=false
[ "${1:-}" = "--check" ] && CHECK_ONLY=true

DOMAIN=portal.autocert4j.test
ACME_PORT=14000 MGMT_PORT=15000 DNS_PORT=8053 HTTP_PORT=5002 HTTPS_PORT=5443 ADMIN_PORT=8081

missing=()
for tool in pebble pebble-challtestsrv openssl curl java mvn; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=()
  for tool in "${missing[@]}"; do
    case "$tool" in
      pebble|pebble-challtestsrv) packages+=(pebble) ;;
      java) packages+=(openjdk-17-jdk-headless) ;;
      mvn) packages+=(maven) ;;
      *) packages+=("$tool") ;;
    esac
  done
  echo "Installing: ${packages[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(printf '%s\n' "${packages[@]}" | sort -u)
fi

for port in $ACME_PORT $MGMT_PORT $HTTP_PORT $HTTPS_PORT $ADMIN_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is already in use; stop whatever listens there and try again." >&2
    exit 1
  fi
done

echo "Building the demo (mvn package, tests skipped)…"
mvn -B -q -DskipTests package
JAR=examples/target/autocert4j-demo.jar

WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Pebble's own TLS listener needs a certificate; Debian's package ships none.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=autocert4j demo ACME server" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/pebble-key.pem" -out "$WORK/pebble-cert.pem" 2>/dev/null
cat > "$WORK/pebble.json" <<JSON
{"pebble":{"listenAddress":"127.0.0.1:$ACME_PORT","managementListenAddress":"127.0.0.1:$MGMT_PORT",
 "certificate":"$WORK/pebble-cert.pem","privateKey":"$WORK/pebble-key.pem",
 "httpPort":$HTTP_PORT,"tlsPort":5001,"ocspResponderURL":"","externalAccountBindingRequired":false}}
JSON

pebble-challtestsrv -dns01 127.0.0.1:$DNS_PORT -http01 "" -https01 "" -tlsalpn01 "" \
  -management 127.0.0.1:8055 -defaultIPv4 127.0.0.1 -defaultIPv6 "" >"$WORK/dns.log" 2>&1 &
pids+=($!)
PEBBLE_VA_NOSLEEP=1 pebble -config "$WORK/pebble.json" -dnsserver 127.0.0.1:$DNS_PORT >"$WORK/pebble.log" 2>&1 &
pids+=($!)

wait_for() { # url, what, extra curl args…
  local url=$1 what=$2; shift 2
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$what did not answer at $url" >&2
  return 1
}
wait_for "https://127.0.0.1:$ACME_PORT/dir" "Pebble" --cacert "$WORK/pebble-cert.pem" || { cat "$WORK/pebble.log" >&2; exit 1; }
curl -fsS --cacert "$WORK/pebble-cert.pem" "https://127.0.0.1:$MGMT_PORT/roots/0" > "$WORK/pebble-root.pem"

echo "Starting the portal; it asks Pebble for a certificate for $DOMAIN…"
java -jar "$JAR" run \
  --acme "https://127.0.0.1:$ACME_PORT/dir" --acme-trust "$WORK/pebble-cert.pem" --acme-name Pebble \
  --listen "http://$DOMAIN:$HTTP_PORT" --bind-address 127.0.0.1 \
  --binding "http://$DOMAIN:$HTTP_PORT" --https-port $HTTPS_PORT \
  --email admin@autocert4j.test --accept-tos \
  --state "$WORK/state" --admin-port $ADMIN_PORT &
pids+=($!)

HTTPS_URL="https://$DOMAIN:$HTTPS_PORT/"
wait_for "$HTTPS_URL" "The portal's HTTPS listener" \
  --cacert "$WORK/pebble-root.pem" --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1"
echo
echo "The portal answers on HTTPS with a certificate issued by Pebble (verified against Pebble's root):"
curl -sS -v --cacert "$WORK/pebble-root.pem" --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" "$HTTPS_URL" -o /dev/null 2>&1 \
  | grep -E "subject:|issuer:|expire date:|SSL certificate verify" | sed 's/^\*/ /'

# the admin page lets no one in without the token the portal wrote (0600) under its state folder
TOKEN_FILE="$WORK/state/admin.token"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/admin")
[ "$status" = 401 ] || { echo "The admin page answered $status without a login, not 401" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$WORK/admin-cookies" \
  --data-urlencode "token@$TOKEN_FILE" "http://127.0.0.1:$ADMIN_PORT/admin/login")
[ "$status" = 303 ] || { echo "Logging in to the admin page with the token in $TOKEN_FILE answered $status" >&2; exit 1; }
curl -fsS -o /dev/null -b "$WORK/admin-cookies" "http://127.0.0.1:$ADMIN_PORT/admin"
echo "The admin page refuses visitors without a login and lets the admin in with the token."
echo
echo "Open:"
echo "  the admin page     http://127.0.0.1:$ADMIN_PORT/admin  (log in with the token in $TOKEN_FILE)"
echo "  the portal         curl --cacert $WORK/pebble-root.pem --resolve $DOMAIN:$HTTPS_PORT:127.0.0.1 $HTTPS_URL"
if $CHECK_ONLY; then
  echo "Check passed; stopping."
  exit 0
fi
echo "Press Ctrl-C to stop the portal and Pebble."
wait
