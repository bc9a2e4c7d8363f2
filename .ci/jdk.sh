# Sourced by .ci/run and ./dev-stack.sh: picks a JDK >= 21 (JAVA_HOME first, then /usr/lib/jvm/*, then java on
# PATH; the newest wins) and exports JAVA_HOME and PATH, or explains what to install and exits.

java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

pick_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null) "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  echo "$best"
}

use_jdk_21() {
  local picked
  picked=$(pick_jdk)
  if [ -z "$picked" ]; then
    echo "ERROR: no JDK >= 21 found (looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/*, java on PATH)." >&2
    echo "       Install one (e.g. Temurin 21 or 25) and point JAVA_HOME at it, e.g. JAVA_HOME=/usr/lib/jvm/temurin-21-jdk-amd64" >&2
    exit 1
  fi
  JAVA_HOME=$picked
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
}
