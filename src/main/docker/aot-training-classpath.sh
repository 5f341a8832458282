#!/bin/sh
# The classpath of an AOT training run (aot-train.sh, Dockerfile.aot): the benchmark programs (StartupBenchmark starts
# the broker and database and the jar) and every test-scope jar (the embedded PostgreSQL and Kafka), copied into
# target/aot-training so that a container build can COPY them. Never part of the application image's last stage.
set -eu
cd "$(dirname "$0")/../../.."
rm -rf target/aot-training
./mvnw -B -ntp -q test-compile dependency:copy-dependencies -Dmdep.includeScope=test \
    -DoutputDirectory=target/aot-training/lib
cp -r target/test-classes target/aot-training/classes
