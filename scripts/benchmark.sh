#!/usr/bin/env bash
# Compares ways of waiting for slow AI generation jobs from BPMN (see benchmark/README.md):
#   scripts/benchmark.sh                                   # compare: N=1000, D=10s, I=1s
#   scripts/benchmark.sh --n=200 --duration=30s --interval=500ms
#   scripts/benchmark.sh --mode=footprint                  # 1k/5k/10k generations waiting at once
#   scripts/benchmark.sh --mode=ingest                     # verified callbacks per second: M=2000, C=8 senders
#   scripts/benchmark.sh --help                            # all options
# Builds what it needs first (offline when it can); --no-build as the FIRST argument skips that.
# Tables are printed and saved under benchmark/target/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/select-jdk.sh
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  modules=provider-sandbox,connector,connector-runtime,benchmark
  build=(-B -q -Pbenchmark package -Dmaven.test.skip=true -pl "$modules")
  ./mvnw -o "${build[@]}" || ./mvnw "${build[@]}"
fi
# The runtime's classes come from connector-runtime/target/classes: its jar is a Spring Boot fat jar.
cp="benchmark/target/benchmark-0.1.0-SNAPSHOT.jar:connector-runtime/target/classes:$(cat benchmark/target/classpath.txt)"
# the in-memory engine keeps every record of its log: an ingest stack with a warm-up of 20,000 callbacks holds 2-3 GB.
# -Xms too: on a heap G1 sizes to that growing live set it ran a concurrent cycle about every 2 s, which took
# CPU from the engine and the runtime alike (68 cycles in a 3 min ingest run against 6 with -Xms8g)
opts=(-Xms8g -Xmx8g -XX:+UseG1GC)
if [ "$(jdk_major "$JAVA_HOME")" -ge 24 ]; then
  opts+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$JAVA_HOME/bin/java" "${opts[@]}" -cp "$cp" io.aigen.camunda.benchmark.Benchmark "$@"
