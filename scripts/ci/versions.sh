# Pinned versions and cache locations of the browser VS Code the tests use.
# Sourced by install-code-server.sh; scripts/code-server.mjs reads the same defaults.
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
ROLLOUT_LENS_CACHE="${ROLLOUT_LENS_CACHE:-$HOME/.cache/rollout-lens}"
NODE24_DIR="$ROLLOUT_LENS_CACHE/node-$NODE24_VERSION"
CODE_SERVER_DIR="$ROLLOUT_LENS_CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"
