# Monoscope — the two commands are `make run` and `make test`; the rest are for developers.
SHELL := /bin/bash
MVN ?= mvn -B
MVN_QUIET ?= -q

SOURCES := $(shell find crds worker operator -name '*.java' -o -name 'pom.xml' -o -name '*.properties' 2>/dev/null) pom.xml
WORKER_JAR := worker/target/monoscope-worker.jar
OPERATOR_JAR := operator/target/quarkus-app/quarkus-run.jar
BUILD_STAMP := target/.build-stamp

.PHONY: help build run test monitor bench clean

help:
	@echo "make run       start the sandbox (embedded Kubernetes API, operator, workers) and the demo"
	@echo "make test      build and run every test"
	@echo "make monitor   URL=<url-or-file> [ARGS='--json ...']  check one stream from the command line"
	@echo "make bench     worker speed and memory against FFmpeg, measured in the same run"
	@echo "make build     build everything, no tests"

# Builds only when a source or pom changed since the last build.
build: $(BUILD_STAMP)

$(BUILD_STAMP): $(SOURCES)
	$(MVN) $(MVN_QUIET) install -DskipTests
	@mkdir -p target && touch $@

test:
	$(MVN) verify

monitor: build
	@test -n "$(URL)" || { echo "usage: make monitor URL=<url-or-file> [ARGS='--json']"; exit 2; }
	bin/monoscope monitor $(ARGS) "$(URL)"

bench: build
	worker/bench/bench.sh

clean:
	$(MVN) $(MVN_QUIET) clean
	rm -rf target
