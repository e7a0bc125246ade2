#!/usr/bin/env bash
# Installs every Debian package Gold Wallet needs to build, test and run.
# Idempotent and quick: when everything is present it only runs dpkg-query.
# Node.js and npm come with the machine and are deliberately left alone.
set -euo pipefail

packages=(
    build-essential g++ cmake ninja-build pkg-config git make
    libpqxx-dev libpq-dev postgresql-15 postgresql-client-15
    nlohmann-json3-dev libsodium-dev libjwt-dev libspdlog-dev libfmt-dev libcli11-dev
    libcpp-httplib-dev libssl-dev openssl libmagic-dev file
    libgtest-dev libgmock-dev libbenchmark-dev
    clang-format clang-tidy curl ca-certificates procps
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
