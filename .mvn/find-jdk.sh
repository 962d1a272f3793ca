# edgenet: Maven and all its plugins must run on a JDK 25 or newer (the code is Java 25 and plugins
# such as maven-jar-plugin use the running JDK's own tools). Sourced by ./mvnw before Maven starts:
# keeps JAVA_HOME when it already is a JDK 25+, otherwise finds one in the usual install places and
# exports JAVA_HOME, otherwise stops with one line saying what to install. POSIX sh.
edgenet_required_jdk=25

edgenet_jdk_major() {
  # Prints the feature version of the JDK at $1 (read from its release file), or nothing.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release"
}

edgenet_find_jdk() {
  edgenet_best=""
  edgenet_best_major=""
  set +f
  for edgenet_home in \
    "${JAVA_HOME-}" \
    /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk* \
    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.local/share/mise/installs/java/* \
    "$HOME"/.asdf/installs/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
    "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$edgenet_home" ] && [ -d "$edgenet_home" ] || continue
    edgenet_major=$(edgenet_jdk_major "$edgenet_home")
    [ -n "$edgenet_major" ] && [ "$edgenet_major" -ge "$edgenet_required_jdk" ] || continue
    # Prefer the version the project is built for, then the oldest newer one.
    if [ -z "$edgenet_best" ] || [ "$edgenet_major" -lt "$edgenet_best_major" ]; then
      edgenet_best="$edgenet_home"
      edgenet_best_major="$edgenet_major"
    fi
  done
  set -f
}

edgenet_current_major=""
[ -z "${JAVA_HOME-}" ] || edgenet_current_major=$(edgenet_jdk_major "$JAVA_HOME")
if [ -z "$edgenet_current_major" ] || [ "$edgenet_current_major" -lt "$edgenet_required_jdk" ]; then
  edgenet_find_jdk
  if [ -z "$edgenet_best" ]; then
    echo "edgenet needs a JDK $edgenet_required_jdk or newer and found none: install one (Debian/Ubuntu: apt-get install temurin-$edgenet_required_jdk-jdk from packages.adoptium.net; elsewhere: https://adoptium.net) or point JAVA_HOME at it." >&2
    exit 1
  fi
  JAVA_HOME="$edgenet_best"
  export JAVA_HOME
fi
