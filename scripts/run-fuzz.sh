#!/usr/bin/env bash
# Runs a libFuzzer binary for a bounded time, seeded with every small file under SEED_DIR.
# Usage: run-fuzz.sh FUZZER SECONDS SEED_DIR. Fails (non-zero) on any crash, leak or timeout;
# the reproducer is left in build-fuzz/artifacts/.
set -euo pipefail
fuzzer=$1 seconds=$2 seeds=$3
work=$(dirname "$fuzzer")/fuzz-work
mkdir -p "$work/corpus" "$work/artifacts"
find "$seeds" -type f -size -300k -exec cp -n {} "$work/corpus/" \;
"$fuzzer" "$work/corpus" -max_total_time="$seconds" -max_len=300000 -timeout=20 \
  -rss_limit_mb=2560 -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>&1 | tail -n 25
