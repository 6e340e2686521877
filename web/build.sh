#!/usr/bin/env bash
# Builds the survivor pages into web/dist (or $WEB_DIST): `npm ci` when node_modules is missing or stale, the
# hashing core compiled to WebAssembly with emscripten (web/wasm/out), the API's types generated from
# docs/openapi.yaml, then TypeScript (which checks the pages' API types against them) + Vite.
# Incremental: each step is skipped when its inputs are older than its outputs.
# Usage: [WEB_DIST=dir] web/build.sh   (from anywhere; needs node, npm and em++:
# scripts/install-deps.sh). WEB_DIST lets two build folders keep their own pages.
set -euo pipefail
web=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$web")
cd "$web"

# Dependencies, exactly as package-lock.json pins them. The stamp remembers the lock it came from,
# so this runs offline once node_modules is there.
stamp=node_modules/.package-lock.stamp
if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
  echo "web: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# The hashing core as an ES module + .wasm (served by takedown serve as application/wasm).
# -ffp-contract=off as in the native build: the float order is part of the PDQ contract.
# DYNAMIC_EXECUTION=0: no eval or new Function, so a CSP without 'unsafe-eval' suffices.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
sources=("$root/src/hashing/pdq.cc" "$root/src/hashing/hash256.cc"
         "$root/src/hashing/luminance_row.cc" "$root/src/hashing/signals.cc"
         "$root/src/base/status.cc" "$web/wasm/pdq_wasm.cc")
out=wasm/out/pdq.js
stale=0
[ -f "$out" ] || stale=1
for f in "${sources[@]}" "$root"/src/hashing/*.h "$root"/src/base/status.h "$0"; do
  [ "$f" -nt "$out" ] && stale=1
done
if [ $stale = 1 ]; then
  echo "web: em++ -> web/$out" >&2
  mkdir -p wasm/out
  em++ -std=c++20 -O2 -ffp-contract=off -fno-fast-math -I"$root/src" "${sources[@]}" \
    -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createPdqModule -sENVIRONMENT=web,worker \
    -sDYNAMIC_EXECUTION=0 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sFILESYSTEM=0 \
    -sEXPORTED_FUNCTIONS=_pdq_hash_rgba,_pdq_signals_rgba,_malloc,_free \
    -sEXPORTED_RUNTIME_METHODS=HEAPU8,HEAP32,UTF8ToString \
    -o "$out"
fi

# The API's types from docs/openapi.yaml (openapi-typescript): src/api-contract.ts checks that the
# pages' own API types fit them, in the type-check below.
types=src/generated/openapi.ts
if [ ! -f "$types" ] || [ "$root/docs/openapi.yaml" -nt "$types" ] || [ "$stamp" -nt "$types" ]; then
  echo "web: openapi-typescript -> web/$types" >&2
  mkdir -p src/generated
  npx --no-install openapi-typescript "$root/docs/openapi.yaml" -o "$types" --default-non-nullable false --silent
fi

# Pages: type-check, then bundle. Vite rewrites nothing outside the output folder.
dist=${WEB_DIST:-$web/dist}
echo "web: vite build -> $dist" >&2
npx --no-install tsc --noEmit -p .
npx --no-install vite build --logLevel warn --outDir "$dist" --emptyOutDir
