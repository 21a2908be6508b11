# Sourced by the bench scripts: picks a JDK 25 the way ./ravine does and sets MVN.
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    export JAVA_HOME="$candidate"
    break
  fi
done
MVN=(mvn -B -f "$ROOT/pom.xml")
