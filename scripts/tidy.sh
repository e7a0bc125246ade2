#!/usr/bin/env bash
# House rules that are cheap to check by grep (STYLE convention 19). Runs as the `tidy` CTest.
# Prints every violation and exits 1 when there is one.
set -uo pipefail
cd "$(dirname "$0")/.."

failures=0
report() {
    echo "tidy: $1"
    failures=$((failures + 1))
}

files_in() { find "$@" -type f \( -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null | sort; }
web_files() { find web -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' \) 2>/dev/null | sort; }

# 1. No floating point where money and grams live.
while IFS= read -r hit; do report "floating point in money code: $hit"; done < <(
    find src/core src/ledger src/trading src/mpesa -type f 2>/dev/null | sort | xargs -r grep -nwE 'float|double')

# 2. No file over 600 lines.
while IFS= read -r file; do
    lines=$(wc -l <"$file")
    [ "$lines" -gt 600 ] && report "$file has $lines lines (limit 600): split it by responsibility"
done < <(files_in src tools tests bench; web_files)

# 2b. The web UIs build the DOM from nodes, never from markup strings (no HTML injection), and
# never evaluate strings as code (the CSP forbids it anyway).
while IFS= read -r hit; do report "markup or eval in web code: $hit"; done < <(
    web_files | grep '\.js$' | xargs -r grep -nE '\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(')

# 3. No `using namespace` in headers.
while IFS= read -r hit; do report "using namespace in a header: $hit"; done < <(
    files_in src tools tests bench | grep '\.hpp$' | xargs -r grep -nE '^\s*using\s+namespace\b')

# 4. The environment is read only by src/app.
while IFS= read -r hit; do report "getenv outside src/app: $hit"; done < <(
    files_in src tools | grep -v '^src/app/' | xargs -r grep -nE '\bgetenv\s*\(')

# 5. No direct console output in src/ except the CLI front end (its job is to print).
while IFS= read -r hit; do report "console output outside the CLI (use the logger): $hit"; done < <(
    files_in src | grep -vE '^src/app/(main\.cpp|cli/)' |
        xargs -r grep -nE 'std::(cout|cerr)|\bprintf\s*\(|\bputs\s*\(')

# 6. No FIXME anywhere in code.
while IFS= read -r hit; do report "FIXME left behind: $hit"; done < <(
    files_in src tools tests bench | xargs -r grep -n 'FIXME')

# 7. Module boundaries (DESIGN §8): core includes no third-party headers; domain modules never
#    see HTTP.
while IFS= read -r hit; do report "third-party include in core: $hit"; done < <(
    files_in src/core | xargs -r grep -nE '#include\s*<(pqxx|httplib|spdlog|nlohmann|sodium|jwt|magic|CLI)')
while IFS= read -r hit; do report "HTTP in a domain module: $hit"; done < <(
    files_in src/core src/db src/ledger src/trading src/identity src/observability |
        xargs -r grep -nE '#include\s*[<"](httplib\.h|http/)')

if [ "$failures" -gt 0 ]; then
    echo "tidy: $failures problem(s)"
    exit 1
fi
echo "tidy: ok"
