#!/usr/bin/env bash
# Installs every Debian package Gold Wallet needs to build, test and run; with --fuzz, also
# clang and its libFuzzer runtime for `make fuzz`.
# Idempotent and quick: when everything is present it only runs dpkg-query and one stat.
# Node.js and npm come with the machine and are left alone (Debian's are installed only when
# there is none); the browser tests' npm packages go to tests/e2e/web/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential g++ cmake ninja-build pkg-config git make
    libpqxx-dev libpq-dev postgresql-15 postgresql-client-15
    nlohmann-json3-dev libsodium-dev libjwt-dev libspdlog-dev libfmt-dev libcli11-dev
    libcpp-httplib-dev libssl-dev openssl libmagic-dev file
    libgtest-dev libgmock-dev libbenchmark-dev
    clang-format clang-tidy curl ca-certificates procps
    chromium fonts-dejavu-core
)
if [ "${1:-}" = "--fuzz" ]; then
    packages+=(clang libclang-rt-14-dev)
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    echo "install-deps: done"
fi

# Playwright (playwright-core only: it drives Debian's /usr/bin/chromium and downloads no
# browser), at the version package-lock.json pins.
e2e=tests/e2e/web
if [ ! -f "$e2e/node_modules/.package-lock.json" ] ||
    [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $e2e"
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
