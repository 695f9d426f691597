#!/usr/bin/env bash
# Install code-server (real VS Code for the browser) here, offline-friendly, for the extension's
# end-to-end test (tests/editors/test_vscode.py). Idempotent: a finished install is kept.
# The recipe (../../../../shared/notes/environment.md):
#   - @vscode/ripgrep downloads rg from GitHub in its postinstall: pre-seed its cache with the
#     machine's rg (Debian's `ripgrep`), so nothing is downloaded;
#   - `npm ci --ignore-scripts`, then code-server's own postinstall by hand (it builds the
#     native modules of the bundled VS Code), then rebuild argon2, the one top-level native dep.
# Needs: node 20, npm, a C/C++ toolchain, libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev,
# and rg. Every step is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.schemasense-installed
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha1sum package-lock.json | cut -d' ' -f1)" ]; then
  echo "code-server: already installed ($(node_modules/.bin/code-server --version 2>/dev/null | head -1))"
  exit 0
fi
command -v rg >/dev/null || { echo "code-server: rg (ripgrep) is missing" >&2; exit 1; }
tmp=$(node -p 'require("os").tmpdir()')
cache="$tmp/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache/x" && cp "$(command -v rg)" "$cache/x/rg"
  tar czf "$tarball" -C "$cache/x" rg
fi
rm -f "$stamp"
timeout 600 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
(cd node_modules/code-server && npm_config_yes=true npm_config_unsafe_perm=true \
  npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" timeout 900 sh ./postinstall.sh)
npm_config_yes=true timeout 300 npm rebuild argon2 --loglevel=error
XDG_CONFIG_HOME=$(mktemp -d) node_modules/.bin/code-server --version | tail -1
sha1sum package-lock.json | cut -d' ' -f1 >"$stamp"
