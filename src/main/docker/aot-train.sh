#!/bin/sh
# The training run of a JDK 25 AOT cache for Pagerless (issue 13, ADR 0067): starts a broker and PostgreSQL (the
# standalone mode's EmbeddedInfra, in the StartupBenchmark's JVM), starts the production jar against them until
# /q/health/ready answers 200 (twice: first on the empty database — migrations, demo seed — then once more on the
# migrated one, which is what a pod's start does), and stops it; the JVM of each start writes the cache as it exits
# (-XX:AOTCacheOutput, JEP 514), the second overwriting the first.
#
# The start alone, on purpose: a cache whose training also took a minute of bleeps (TRAINING_OPTS=-Dbench.load-seconds=60:
# intake, processor, planner, outbox and live feed hot, their JIT profiles kept, JEP 515) took a fresh pod's first
# bleeps no faster than this one, its JIT busier (docs/benchmarks.md, "Figures of stop 30").
#
# The cache is valid only for the JVM build that made it and the jars at the paths it was made from: run this with
# the java and at the path the pods run (Dockerfile.aot does, in the image's own JVM). By hand, outside Docker, with
# the same steps (docs/benchmarks.md, "Start-up and idle cost"):
#   ./mvnw -B -ntp package -DskipTests       # one jar, the production build's (pom.xml, ADR 0096)
#   src/main/docker/aot-training-classpath.sh            # target/aot-training: test classes + test-scope jars
#   src/main/docker/aot-train.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java target/quarkus-app \
#       "target/aot-training/classes:target/aot-training/lib/*" config/jvm.options
#   java @config/jvm.options -XX:AOTCache=target/quarkus-app/app.aot -jar target/quarkus-app/quarkus-run.jar
#
# Arguments: the java launcher, the application directory (holding quarkus-run.jar), the training classpath, the
# JVM options file the pods use. Optional: TRAINING_OPTS, more options for the benchmark's JVM (e.g. other ports:
# -Dbench.http-port=8194 -Dbench.postgres-port=15572 -Dbench.kafka-port=19232). Fails (non-zero) if no cache was written.
set -eu
JAVA="$1"
APP="$(cd "$2" && pwd)"
CLASSPATH_TRAINING="$3"
OPTIONS="$4"
rm -f "$APP/app.aot"
"$JAVA" -Dbench.jvm-options="$OPTIONS" -Dbench.stop-seconds=600 -Dbench.idle-seconds=0 ${TRAINING_OPTS:-} -cp "$CLASSPATH_TRAINING" \
    org.pagerless.bench.StartupBenchmark 1 "$APP/quarkus-run.jar::-XX:AOTCacheOutput=$APP/app.aot"
test -s "$APP/app.aot"
echo "AOT cache written: $APP/app.aot ($(du -m "$APP/app.aot" | cut -f1) MiB)"
