#!/usr/bin/env bash
# JMH micro-benchmarks: key generation per key type, CSR, PKCS#12 save, load and metadata-only load.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
java -jar bench/target/autocert4j-bench.jar -rf text -rff bench/target/jmh.txt "${@:-CryptoBenchmark}"
