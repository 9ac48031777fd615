#!/usr/bin/env bash
# Sourced by ./run, ./mvnw users and .ci/run: points JAVA_HOME at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise looks under /usr/lib/jvm; otherwise
# installs Debian's openjdk-21 (or newer) package. Leaves jdk_major defined for the caller.
jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'; }
good() { [ -x "$1/bin/java" ] && [ "$(jdk_major "$1")" -ge 21 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && good "$JAVA_HOME"; then :; else
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*; do
    if good "$candidate"; then JAVA_HOME="$candidate"; fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "No JDK >= 21 found; installing Debian's openjdk-21-jdk-headless" >&2
    apt-get update -qq && apt-get install -y -qq openjdk-21-jdk-headless >&2 || apt-get install -y -qq openjdk-25-jdk-headless >&2
    for candidate in /usr/lib/jvm/*; do
      if good "$candidate"; then JAVA_HOME="$candidate"; fi
    done
  fi
  [ -n "$JAVA_HOME" ] || { echo "Could not find or install a JDK >= 21" >&2; return 1 2>/dev/null || exit 1; }
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
