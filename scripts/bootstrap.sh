#!/usr/bin/env bash
# Installs what CreditGraph needs on a fresh Debian machine, and only what is missing:
# Debian's -dev packages with apt-get, Python packages from PyPI with pip.
# Quick (about a second) when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

apt_packages=(
  g++ make pkg-config
  libboost-graph-dev libtbb-dev librocksdb-dev libeigen3-dev libicu-dev
  libyaml-cpp-dev libsimdjson-dev libabsl-dev libcsv-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium fonts-wqy-zenhei
  ${CG_EXTRA_APT:-}
)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python packages: reinstall only when requirements-dev.txt changed since the last success.
mkdir -p build
stamp="build/.pip-$(sha1sum requirements-dev.txt | cut -c1-12)-$("$PYTHON" -c 'import sys;print("%d%d"%sys.version_info[:2])')"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages from requirements-dev.txt"
  "$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-dev.txt ninja cmake
  touch "$stamp"
fi
