#!/usr/bin/env bash
# Installs what Amtsweg needs and is missing: the Debian packages listed in
# deps/apt.txt, and npm packages (npm ci) for each package.json in the repo.
# Idempotent: when everything is present it only checks and returns.
#   scripts/setup.sh [LIST...]   package lists to read (default deps/apt.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

lists=("$@")
[ ${#lists[@]} -gt 0 ] || lists=(deps/apt.txt)
mapfile -t wanted < <(cat "${lists[@]}" | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$')
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's own nodejs package comes without npm (NodeSource's bundles it).
if ! command -v npm >/dev/null; then
  echo "setup: installing npm"
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

for manifest in $(git ls-files '*package.json' 2>/dev/null | grep -v node_modules || find . -name package.json -not -path '*/node_modules/*'); do
  dir=$(dirname "$manifest")
  # npm packages have a lock file; other JSON files that happen to be named so are not ours to install.
  [ -f "$dir/package-lock.json" ] || continue
  stamp="$dir/node_modules/.amtsweg-lock-hash"
  hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$hash" >"$stamp"
  fi
done
