#!/usr/bin/env bash
# The starter project end to end, as docs/your-server.md's "The starter project, step by step" walks it: every block of that
# walk-through (markers starter-install, starter-provision, starter-build, starter-run, starter-call) is run verbatim
# against a dev stack (./dev-stack.sh: a real Keycloak 26.7.3) started here on free ports, with its state in
# examples/starter/target/ci instead of .dev/. Asserts the tool's answers and the 403 for a missing scope, then stops
# everything it started and checks that no token reached any output.
#   examples/starter/ci.sh                 runs the install block too (./mvnw install -DskipTests)
#   examples/starter/ci.sh --kit-installed the kit is already in the local Maven repository (.ci/run: benchmarks/run.sh
#                                          installed it minutes before) and the dev stack's jars are built
# Bounded: every wait has a deadline; the whole run takes 1 to 3 minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. .ci/jdk.sh
use_jdk_21

kit_installed=false
[ "${1:-}" = "--kit-installed" ] && kit_installed=true

state=$root/examples/starter/target/ci
rm -rf "$state"
mkdir -p "$state"
chmod 700 "$state"

# free_port: a port nothing listens on (the kernel's choice with python3; else a random one that refuses connections)
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
keycloak_port=$(free_port)
management_port=$(free_port)
demo_port=$(free_port)
notes_port=$(free_port)
# The walk-through's documented knobs for another port: SERVER_PORT (the server) and NOTES_URL (the tenant's audience).
export SERVER_PORT=$notes_port NOTES_URL=http://127.0.0.1:$notes_port/mcp

# readme_block NAME: the commands of the code block right after <!-- NAME --> in README.md or docs/*.md (markers are
# unique across them; what DevStackLauncherTest.readmeBlock reads), with .dev/ pointing at this run's state and the
# notes server's port.
readme_block() {
  local block
  block=$(awk -v marker="<!-- $1 -->" '
    FNR == 1 {found = 0; inside = 0}
    $0 == marker {found = 1; next}
    found && /^```/ {if (inside) exit; inside = 1; next}
    inside {print}' README.md docs/*.md)
  if [ -z "$block" ]; then
    echo "ERROR: README.md and docs/*.md have no <!-- $1 --> code block" >&2
    exit 1
  fi
  printf '%s\n' "$block" | sed -e "s#\.dev/#$state/#g" -e "s#127\.0\.0\.1:8090#127.0.0.1:$notes_port#g"
}

# run_block NAME: runs the block with bash, its stdout and stderr in $state/NAME.out / .err; returns its exit code.
run_block() {
  echo "--- docs block $1"
  local script code=0
  script=$(readme_block "$1") || fail "no <!-- $1 --> code block in README.md or docs/*.md"
  bash -c "$script" >"$state/$1.out" 2>"$state/$1.err" </dev/null || code=$?
  return $code
}

fail() {
  echo "ERROR: $1" >&2
  for file in "${@:2}"; do
    echo "--- $file (last lines)" >&2
    tail -n 30 "$file" >&2 || true
  done
  exit 1
}

# expect FILE TEXT...: every TEXT occurs in FILE
expect() {
  local file=$1
  shift
  for text in "$@"; do
    grep -qF -- "$text" "$file" || fail "$(basename "$file") lacks: $text" "$file"
  done
}

stack_pid=
server_pid=
stop_all() {
  # The notes server runs in a process group of its own (setsid): the block's shell and its java stop together.
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  # The dev stack stops its MCP server and Keycloak on SIGTERM (like Ctrl-C) and waits for them.
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 240); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$stack_pid" 2>/dev/null || true
  fi
}
trap stop_all EXIT

started=$SECONDS

# 1. The kit into the local Maven repository.
if [ "$kit_installed" = true ]; then
  echo "--- docs block starter-install: skipped, the kit was installed by this CI run already"
else
  run_block starter-install || fail "installing the kit failed" "$state/starter-install.out" "$state/starter-install.err"
fi

# 2. The dev stack (its Keycloak is what the walk-through provisions into), on free ports, state in $state. For quick
# iterations on a busy machine STARTER_CI_KEYCLOAK_URL (+ STARTER_CI_KEYCLOAK_ADMIN_PASSWORD) names a running Keycloak
# instead: no dev stack then, only the stack.env entries the blocks read.
if [ -n "${STARTER_CI_KEYCLOAK_URL:-}" ]; then
  echo "--- Keycloak at $STARTER_CI_KEYCLOAK_URL (STARTER_CI_KEYCLOAK_URL), no dev stack"
  (umask 077; printf "KEYCLOAK_URL='%s'\nKEYCLOAK_ADMIN_USER='%s'\nKEYCLOAK_ADMIN_PASSWORD='%s'\n" \
    "$STARTER_CI_KEYCLOAK_URL" "${STARTER_CI_KEYCLOAK_ADMIN_USER:-admin}" \
    "${STARTER_CI_KEYCLOAK_ADMIN_PASSWORD:?set STARTER_CI_KEYCLOAK_ADMIN_PASSWORD}" >"$state/stack.env")
else
  echo "--- ./dev-stack.sh on free ports (Keycloak $keycloak_port)"
  if [ "$kit_installed" = true ]; then
    export DEV_STACK_SKIP_BUILD=true
  fi
  DEV_STACK_DIR=$state ./dev-stack.sh --keycloak-port "$keycloak_port" --keycloak-management-port "$management_port" \
    --mcp-port "$demo_port" >"$state/dev-stack.out" 2>&1 </dev/null &
  stack_pid=$!
  stack_ready() { [ -f "$state/stack.env" ] && grep -q 'Press Ctrl-C' "$state/dev-stack.out"; }
  deadline=$((SECONDS + 240))
  until stack_ready; do
    kill -0 "$stack_pid" 2>/dev/null || fail "the dev stack exited" "$state/dev-stack.out"
    [ $SECONDS -lt $deadline ] || fail "no dev stack within 240 s" "$state/dev-stack.out"
    sleep 0.5
  done
  echo "    ready after $((SECONDS - started)) s"
fi

# 3. The starter's tenant into that Keycloak.
run_block starter-provision || fail "provisioning the starter tenant failed" "$state/starter-provision.out" \
  "$state/starter-provision.err"
expect "$state/starter-provision.out" "Plan for starter:" "Apply complete for starter"
[ "$(stat -c %a "$state/starter.secrets.env")" = 600 ] || fail "starter.secrets.env is not mode 0600"

# 4. Build the starter from the installed kit, then start it (in the background here; a user runs it in a terminal).
run_block starter-build || fail "building the starter failed" "$state/starter-build.out" "$state/starter-build.err"
[ -f examples/starter/target/notes-server.jar ] || fail "no examples/starter/target/notes-server.jar"
run_script=$(readme_block starter-run) || fail "no <!-- starter-run --> code block in README.md or docs/*.md"
echo "--- docs block starter-run (in the background)"
setsid bash -c "$run_script" >"$state/starter-run.out" 2>&1 </dev/null &
server_pid=$!
server_ready() { curl -sf "http://127.0.0.1:$notes_port/observe/health/ready"; }
deadline=$((SECONDS + 90))
until server_ready >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || fail "the notes server exited" "$state/starter-run.out"
  [ $SECONDS -lt $deadline ] || fail "the notes server was not ready within 90 s" "$state/starter-run.out"
  sleep 0.5
done
echo "    notes server ready on port $notes_port after $((SECONDS - started)) s"

# 5. Tokens for notes-agent and the tool calls: add_note and list_notes work, add_note without notes:write is 403.
code=0
run_block starter-call || code=$?
[ $code = 1 ] || fail "the last call of starter-call should fail with exit 1 (403), got $code" \
  "$state/starter-call.out" "$state/starter-call.err"
expect "$state/starter-call.out" "added note 1 by service-account-notes-agent" "1. Buy milk (service-account-notes-agent"
expect "$state/starter-call.err" "tools/call add_note: HTTP 403" 'error="insufficient_scope"' \
  'error_description="tool add_note needs scope notes:write"' 'scope="notes:write'
if [ "$(grep -c 'added note' "$state/starter-call.out")" != 1 ]; then
  fail "add_note ran without notes:write" "$state/starter-call.out"
fi
echo "    add_note and list_notes answered, add_note without notes:write got 403 insufficient_scope"

# 6. Stop everything; nothing may be left running.
stop_all
trap - EXIT
for pid in $server_pid $stack_pid; do
  if kill -0 "$pid" 2>/dev/null; then
    fail "process $pid is still running after the stop"
  fi
done
if pgrep -g "$server_pid" >/dev/null 2>&1; then
  fail "the notes server's process group $server_pid is still running"
fi
[ -z "$stack_pid" ] || expect "$state/dev-stack.out" "Stopped."

# 7. No access token in anything this run wrote.
if grep -rlE 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.' "$state" --exclude-dir=keycloak >/dev/null 2>&1; then
  fail "JWT-shaped strings (tokens?) in $(grep -rlE 'eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.' "$state" --exclude-dir=keycloak | tr '\n' ' ')"
fi
echo "Starter end to end: OK in $((SECONDS - started)) s (tenant provisioned, built from the installed kit, 4 tool calls, clean stop, no token in output)"
