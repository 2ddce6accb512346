#!/usr/bin/env bash
# TLS handshakes per second through the SNI key manager with 1, 100 and 10,000 certificates, next
# to a static SSLContext holding one certificate, in one JMH run (in-memory SSLEngines, TLS 1.3).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
java -jar bench/target/autocert4j-bench.jar HandshakeBenchmark -rf text -rff bench/target/handshakes.txt "$@"
cat bench/target/handshakes.txt
