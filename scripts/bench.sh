#!/usr/bin/env bash
# `make bench`: runs every benchmark in bench/ (see bench/README.md for reading the output).
# Usage: scripts/bench.sh [build_dir] [ledger_hot_pool options, e.g. --quick; e2e_buy_bench gets --quick]
# Benchmarks gate nothing: the exit status is non-zero only when a benchmark fails to run.
set -euo pipefail
build_dir=${1:-build}
shift || true
cd "$(dirname "$0")/.."
cmake --build "$build_dir" --target money_bench ledger_hot_pool reconciliation_bench e2e_buy_bench \
    >/dev/null
echo "== money_bench (parse, format, rounding) =="
"$build_dir/bench/money_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
echo
echo "== ledger_hot_pool (reservations/s on one pool: batching vs per-request vs pgbench, ~2.5 min) =="
"$build_dir/bench/ledger_hot_pool" "$@"
echo
echo "== reconciliation_bench (100,000 trades and a 100,000-line statement; budget 30 s, ~15 s) =="
"$build_dir/bench/reconciliation_bench" 2>&1 | grep -v '^{'
echo
echo "== e2e_buy_bench (buys over HTTP: quote → buy → daraja-sim callback → settled, vs pgbench; read mix; ~3 min) =="
quick=()
for arg in "$@"; do
    [[ $arg == --quick ]] && quick=(--quick)
done
"$build_dir/bench/e2e_buy_bench" "${quick[@]}"
