#!/usr/bin/env bash
# The whole thing in one command: etcd, two greeter servers that register themselves, and a client that calls
# etcd:///greeter while one server is stopped gracefully. Every process it starts is stopped on exit.
#
#   ./demo.sh                                  # starts its own etcd on free loopback ports
#   ETCD_ENDPOINTS=http://127.0.0.1:2379 ./demo.sh   # uses an etcd you already run
#   DEMO_CALLS=20 DEMO_INTERVAL=300ms ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"

CALLS=${DEMO_CALLS:-20}
INTERVAL=${DEMO_INTERVAL:-300ms}
JAR=sample-app/target/sample-app.jar
WORK=$(mktemp -d "${TMPDIR:-/tmp}/etcd-discovery-demo.XXXXXX")
PIDS=()

say() { printf '\n== %s\n' "$*"; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

need_etcd() {
  bash "$(dirname "$0")/.mvn/ensure-etcd.sh" && return 0
  echo "(or set ETCD_ENDPOINTS to use an etcd you already run)" >&2
  exit 1
}

# A port nothing listens on right now (connect refused), from the ephemeral range.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Waits up to $1 seconds for the command in the remaining arguments to succeed.
await() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "timed out after ${seconds}s waiting for: $*" >&2; return 1; }
    sleep 0.2
  done
}

keys() { ETCDCTL_API=3 "$ETCDCTL" --endpoints="$ENDPOINTS" get --prefix greeter/; }
key_count_is() { [ "$(ETCDCTL_API=3 "$ETCDCTL" --endpoints="$ENDPOINTS" get --prefix --keys-only greeter/ | grep -c .)" = "$1" ]; }

need_etcd
# ETCD_BINARY (as the tests use it) wins over the PATH; etcdctl is looked up beside it.
ETCD=${ETCD_BINARY:-etcd}
ETCDCTL=etcdctl
if [ -n "${ETCD_BINARY:-}" ] && [ -x "$(dirname "$ETCD_BINARY")/etcdctl" ]; then ETCDCTL="$(dirname "$ETCD_BINARY")/etcdctl"; fi
if [ -z "${ETCD_ENDPOINTS:-}" ]; then
  client_port=$(free_port); peer_port=$(free_port)
  ENDPOINTS="http://127.0.0.1:$client_port"
  say "starting etcd at $ENDPOINTS (log: $WORK/etcd.log)"
  "$ETCD" --name demo --data-dir "$WORK/etcd" \
    --listen-client-urls "$ENDPOINTS" --advertise-client-urls "$ENDPOINTS" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "demo=http://127.0.0.1:$peer_port" >"$WORK/etcd.log" 2>&1 &
  PIDS+=($!)
  await 30 env ETCDCTL_API=3 "$ETCDCTL" --endpoints="$ENDPOINTS" endpoint health
else
  ENDPOINTS=$ETCD_ENDPOINTS
  say "using etcd at $ENDPOINTS"
fi

if [ ! -f "$JAR" ]; then
  say "building $JAR"
  ./mvnw -B -q -pl sample-app -am package -DskipTests
fi

common=(--etcd.discovery.endpoints="$ENDPOINTS")
# Starts a server in the background; its pid is left in STARTED.
start_server() {
  local name=$1 grpc_port http_port
  grpc_port=$(free_port); http_port=$(free_port)
  java -jar "$JAR" --spring.profiles.active=server "${common[@]}" --etcd.discovery.registration.host=127.0.0.1 \
    --grpc.server.address=127.0.0.1 --grpc.server.port="$grpc_port" \
    --server.address=127.0.0.1 --server.port="$http_port" >"$WORK/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

say "starting two greeter servers (logs in $WORK)"
start_server server1; server1=$STARTED
start_server server2; server2=$STARTED
await 90 key_count_is 2 || { tail -20 "$WORK"/server*.log >&2; exit 1; }
say "registered in etcd (etcdctl get --prefix greeter/):"
keys

say "client: $CALLS calls to etcd:///greeter, every $INTERVAL"
java -jar "$JAR" --spring.profiles.active=client "${common[@]}" \
  --sample.calls="$CALLS" --sample.interval="$INTERVAL" 2>"$WORK/client.err" | tee "$WORK/client.out" &
client=$!

answers_reach() { [ "$(grep -c '^call .* answered' "$WORK/client.out")" -ge "$1" ]; }
await 120 answers_reach $(((CALLS + 1) / 2))
say "stopping server 1 gracefully (SIGTERM) while the client keeps calling"
kill -TERM "$server1"
wait "$server1" || true
say "after server 1 stopped (etcdctl get --prefix greeter/):"
keys

client_status=0
wait "$client" || client_status=$?

say "stopping server 2"
kill -TERM "$server2"
wait "$server2" || true
await 15 key_count_is 0
say "keys left under greeter/: $(ETCDCTL_API=3 "$ETCDCTL" --endpoints="$ENDPOINTS" get --prefix --keys-only greeter/ | grep -c . || true)"

answered_by=$(grep -o 'answered by [^:]*:[0-9]*' "$WORK/client.out" | sort -u | wc -l)
say "the client reached $answered_by distinct servers; exit status $client_status"
[ "$client_status" = 0 ] || { tail -20 "$WORK/client.err" >&2; exit "$client_status"; }
