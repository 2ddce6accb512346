#!/usr/bin/env bash
# Builds the current commit twice, each time from a clean clone in its own folder, and compares the
# checksums of every jar (classes, sources, Javadoc, the demo's fat jar). Exit 0 when every jar is
# byte-identical; otherwise lists the jars that differ.
#
#   release/check-reproducible.sh [MAVEN-ARGUMENTS...]   # e.g. -o, or -Dmaven.repo.local=DIR
#
set -euo pipefail
cd "$(dirname "$0")/.."
maven_args=("$@")
commit=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {
  local name=$1
  git clone -q --no-hardlinks . "$work/$name"
  git -C "$work/$name" checkout -q "$commit"
  (cd "$work/$name" && mvn -B -q "${maven_args[@]}" package -DskipTests -Dmaven.install.skip=true >"$work/$name.log" 2>&1) \
    || { echo "build $name failed; see its log:"; tail -30 "$work/$name.log"; exit 1; }
  (cd "$work/$name" && find . -path '*/target/*.jar' -not -path '*/target/*/*' -print0 | sort -z | xargs -0 sha256sum) >"$work/$name.sums"
}

echo "Building $commit twice from clean clones..."
build first
build second
jars=$(wc -l <"$work/first.sums")
if diff -u "$work/first.sums" "$work/second.sums"; then
  echo "Reproducible: all $jars jars are byte-identical across two clean builds of $commit."
else
  echo "NOT reproducible: the jars above differ between two clean builds of $commit." >&2
  exit 1
fi
