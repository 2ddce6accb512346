#!/usr/bin/env bash
# 100,000 certificates on one node, in the folder store and in PostgreSQL: HTTPS ready after
# start(), heap per certificate, the first handshake for a name not served yet (median, p99), and a
# check pass with nothing due (at once, and a day later when every regular check comes round).
# The folder fixture is made once under bench/target/fixtures (one shared key, see ScaleFixtures);
# the PostgreSQL one in a throwaway cluster each run. COUNT (default 100000). Prints RESULT lines.
set -euo pipefail
cd "$(dirname "$0")/.."
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql; }
mvn -B -q -DskipTests package -pl bench -am
n=${COUNT:-100000}
java_bench() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp bench/target/autocert4j-bench.jar "$@"; }
[ -e "bench/target/fixtures/folder-$n" ] || java_bench dev.autocert4j.bench.FolderScale make "$n" bench/target/fixtures
echo "# folder store, $n certificates (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
java_bench dev.autocert4j.bench.FolderScale run "$n" bench/target/fixtures
echo "# PostgreSQL store, $n certificates (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
java_bench dev.autocert4j.bench.JdbcScale "$n"
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
