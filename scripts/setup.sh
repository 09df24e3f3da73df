#!/usr/bin/env bash
# Everything the tests and `npm start` need beyond `npm install`, idempotent:
# Debian packages (Chromium for the headless browser, libkrb5-dev to build code-server's native modules, CJK fonts,
# GNU parallel for the tested shard recipe),
# then code-server (a real VS Code) with the Node 24 it needs, under tools/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
[ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-microhei)  # CJK glyphs in screenshots
command -v parallel >/dev/null 2>&1 || need+=(parallel)  # GNU parallel: the README's shard recipe, run by cli-shard.test.ts
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[setup] apt-get install ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "[setup] missing Debian packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
bash "$root/scripts/setup-code-server.sh"
