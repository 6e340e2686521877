#!/usr/bin/env bash
# Builds the hashing core and hash_patterns.cc with emscripten, runs it under Node, and compares
# its output with the native build's. Usage: check-wasm.sh SOURCE_DIR NATIVE_BINARY WORK_DIR
set -euo pipefail
src=$1 native=$2 work=$3
mkdir -p "$work"
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
em++ -std=c++20 -O2 -ffp-contract=off -sSINGLE_FILE=1 -I"$src/src" \
  "$src/src/hashing/pdq.cc" "$src/src/hashing/hash256.cc" "$src/src/hashing/luminance_row.cc" \
  "$src/src/hashing/signals.cc" \
  "$src/src/base/status.cc" "$src/tests/wasm/hash_patterns.cc" -o "$work/hash_patterns.js"
"$native" > "$work/native.txt"
node --no-experimental-fetch "$work/hash_patterns.js" > "$work/wasm.txt"
diff "$work/native.txt" "$work/wasm.txt"
echo "wasm and native hashes and region signals agree ($(wc -l < "$work/native.txt") lines)"
