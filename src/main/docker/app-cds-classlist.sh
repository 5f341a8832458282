#!/bin/sh
# Writes src/main/docker/app-cds.classlist: the classes a production start loads until it is ready, in the order it
# loads them, as the JVM lists them (-XX:DumpLoadedClassList). Dockerfile.jvm makes the image's class data sharing
# archive from this list with the image's own JVM (java -Xshare:dump: no broker, database or start of the app in the
# image build; issue 13, ADR 0081), and AppCdsArchiveIT checks that a start still loads most of its classes from it.
#
# Run it again when AppCdsArchiveIT says the list no longer covers a start (new libraries, a Quarkus upgrade, much new
# code). A class the list names that no longer exists is skipped when the archive is made; a class it does not name is
# loaded from its jar as without an archive: a stale list makes starts slower, never wrong.
#
# How: packages the production jar, then StartupBenchmark starts a broker and PostgreSQL in its own JVM (the standalone
# mode's embedded ones), starts the jar against them to readiness twice (the empty database, then the migrated one, as
# a pod's start), and stops it; each start writes the list, the second (a pod's usual start) overwriting the first.
# Run from anywhere; needs Java 17 and the network Maven needs.
set -eu
cd "$(dirname "$0")/../../.."
./mvnw -B -ntp -q package -DskipTests
./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
APP="$(pwd)/target/quarkus-app"
LIST="$APP/app-cds.classlist"
rm -f "$LIST"
java -Dbench.idle-seconds=0 -cp "target/test-classes:target/classes:$(cat target/test-cp.txt)" \
    org.pagerless.bench.StartupBenchmark 1 "$APP/quarkus-run.jar::-XX:DumpLoadedClassList=$LIST"
test -s "$LIST"
cp "$LIST" src/main/docker/app-cds.classlist
echo "src/main/docker/app-cds.classlist: $(grep -vc '^[#@]' src/main/docker/app-cds.classlist) classes"
