#!/usr/bin/env bash
# Start a private redis-server for trying the queue by hand or in CI: loopback only, a password, no persistence,
# its files in a temp dir. Prints the --queue URL, then runs in the foreground until Ctrl-C.
#   scripts/redis-test.sh [port]        (default: a free port)
# Tests do not need this: they start their own (src/queue/test-support/redis-server.ts).
set -euo pipefail
command -v redis-server >/dev/null || { echo "redis-server is not installed: run scripts/setup.sh (Debian package redis-server)" >&2; exit 1; }
port="${1:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
password="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
dir="$(mktemp -d /tmp/hgym-redis-XXXXXX)"
trap 'rm -rf "$dir"' EXIT
echo "queue URL: redis://:${password}@127.0.0.1:${port}"
redis-server --port "$port" --bind 127.0.0.1 --requirepass "$password" --dir "$dir" --save "" --appendonly no --daemonize no
