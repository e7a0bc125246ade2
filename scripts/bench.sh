#!/usr/bin/env bash
# `make bench`: runs every benchmark in bench/ (see bench/README.md for reading the output).
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."
cmake --build "$build_dir" --target money_bench >/dev/null
echo "== money_bench (parse, format, rounding) =="
"$build_dir/bench/money_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
