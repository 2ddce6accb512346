#!/usr/bin/env bash
# Kills a JVM with SIGKILL while it saves into a PKCS#12 store, ROUNDS times (default 200), and
# checks after each kill that the store loads a whole certificate: key matching certificate,
# metadata matching both. CI runs the same test with 20 rounds.
#
#   bench/store-crash.sh            200 rounds
#   ROUNDS=1000 bench/store-crash.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mvn -B -pl store-pkcs12 -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test='StoreCrashIT#aStoreKilledMidSaveAlwaysLoadsAWholeCertificate' \
  -Dcrash.rounds="$ROUNDS" > "$log" 2>&1
status=$?
grep -E "StoreCrashIT:|Tests run:.*StoreCrashIT|FAILURE|expected|Expecting" "$log"
[ "$status" -eq 0 ] || { echo "store-crash: FAILED (mvn exit $status); last lines:"; tail -40 "$log"; }
exit "$status"
