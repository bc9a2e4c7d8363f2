# Sourced by the launchers in bin/: picks a JDK >= 21 (.ci/jdk.sh) and builds a module's jar when it is missing or
# older than any of the sources it is built from, so `bin/<tool> ...` works from a fresh clone.
. "$(dirname "${BASH_SOURCE[0]}")/jdk.sh"
use_jdk_21

# ensure_built JAR MODULE [SOURCE_DIR...]: builds MODULE (and what it needs) quietly unless JAR is newer than every
# file under the source directories.
ensure_built() {
  local jar=$1 module=$2
  shift 2
  if [ -f "$jar" ] && [ -z "$(find "$@" pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  echo "Building $module (./mvnw -q -DskipTests -pl $module -am package; the first build downloads the dependencies)..." >&2
  ./mvnw -q -DskipTests -pl "$module" -am package >&2
  # The jar plugin leaves an up-to-date jar untouched when only a module it depends on changed: without this the
  # next call would find that module's sources newer again and rebuild every time.
  touch "$jar"
}
