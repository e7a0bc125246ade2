#!/usr/bin/env bash
# `make lint`: clang-format check and clang-tidy on the C++ files changed against main (tidying
# every file on 2 cores is slow: cpp-httplib is one very large header).
set -euo pipefail
build_dir=${1:-build}
cd "$(dirname "$0")/.."
base=$(git merge-base HEAD origin/main 2>/dev/null || git rev-list --max-parents=0 HEAD | tail -n 1)
mapfile -t changed < <(git diff --name-only "$base" -- '*.cpp' '*.hpp'; git ls-files --others --exclude-standard '*.cpp' '*.hpp')
[ "${#changed[@]}" -eq 0 ] && { echo "lint: nothing changed"; exit 0; }
clang-format --dry-run --Werror "${changed[@]}"
mapfile -t sources < <(printf '%s\n' "${changed[@]}" | grep '\.cpp$' || true)
[ "${#sources[@]}" -eq 0 ] || clang-tidy -p "$build_dir" --quiet "${sources[@]}"
echo "lint: ok"
