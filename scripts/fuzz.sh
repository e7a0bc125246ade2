#!/usr/bin/env bash
# `make fuzz`: builds every tests/fuzz/*_fuzz.cpp as a libFuzzer binary (clang, ASan + UBSan) in
# build-fuzz/ and runs each for a while, seeded by its corpus in tests/fuzz/corpus/<name>.
# Usage: scripts/fuzz.sh [build_dir] [seconds_per_target] [target names...]
# New inputs the fuzzer finds go to <build_dir>/corpus/<name> (copy the ones worth keeping into
# tests/fuzz/corpus/<name>, where CTest replays them). A crash, leak, timeout or property
# violation leaves its input in <build_dir>/crashes/<name>/ and makes the script fail; fix the
# cause and add the input to the corpus as its regression test.
set -euo pipefail
build_dir=${1:-build-fuzz}
seconds=${2:-60}
shift 2 || shift $# || true
cd "$(dirname "$0")/.."

if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DGW_FUZZ=ON >/dev/null
fi
cmake --build "$build_dir" --target gw_fuzzers

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    for source in tests/fuzz/*_fuzz.cpp; do
        name=$(basename "$source" _fuzz.cpp)
        targets+=("$name")
    done
fi

failed=()
for name in "${targets[@]}"; do
    work="$build_dir/corpus/$name"
    crashes="$build_dir/crashes/$name"
    mkdir -p "$work" "$crashes"
    log="$build_dir/fuzz-$name.log"
    echo "== fuzz_$name: ${seconds} s, seeded by tests/fuzz/corpus/$name =="
    if "$build_dir/tests/fuzz_$name" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
        echo "   ok: $runs runs, coverage $coverage edges, $(find "$work" -type f | wc -l) inputs in $work"
    else
        echo "   FAILED: see $log; the input is in $crashes/"
        grep -E 'ERROR|SUMMARY|deadly signal|Test unit written' "$log" | head -5 | sed 's/^/   /'
        failed+=("$name")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#targets[@]} of ${#targets[@]} targets ran clean"
