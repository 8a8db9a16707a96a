# Monoscope — the two commands are `make run` and `make test`; the rest are for developers.
SHELL := /bin/bash
MVN ?= mvn -B
MVN_QUIET ?= -q

SOURCES := $(shell find crds worker operator -name '*.java' -o -name 'pom.xml' -o -name '*.properties' 2>/dev/null) pom.xml
WORKER_JAR := worker/target/monoscope-worker.jar
OPERATOR_JAR := operator/target/quarkus-app/quarkus-run.jar
BUILD_STAMP := target/.build-stamp

.PHONY: help build run test monitor bench bench-operator eval clean system-libs gpu-check controlplane

help:
	@echo "make run       start the sandbox (a real Kubernetes control plane, the chart, operator, workers) and the demo"
	@echo "make test      build and run every test"
	@echo "make monitor   URL=<url-or-file> [ARGS='--json ...']  check one stream from the command line"
	@echo "make bench     worker speed and memory against FFmpeg, measured in the same run"
	@echo "make eval      [EVAL_SIZE=small|large] [EVAL_SEED=N]  detection accuracy on a labelled corpus, against FFmpeg's filters (eval/README.md)"
	@echo "make bench-operator  [BENCH_MONITORS=1000 BENCH_STEADY=PT5M]  operator: time to Ready, heap, API writes at rest"
	@echo "make build     build everything, no tests"
	@echo "make controlplane  build etcd, kube-apiserver, kube-controller-manager and kubectl into .sandbox/bin"
	@echo "make gpu-check build the offline GPU-machine bundle: worker/target/gpu-check/ (worker/gpu-check/README.md)"

# The bundled FFmpeg links system libraries that slim machines lack (docs/architecture.md, "Choices worth knowing"),
# and the mosaic's browser test drives Debian's headless Chromium with its chromedriver: install the missing ones on
# Debian/Ubuntu when run as root, else say what to install.
SYSTEM_SONAMES := libpulse.so.0 libxcb.so.1 libxcb-shm.so.0 libasound.so.2
SYSTEM_PACKAGES := libpulse0 libxcb1 libxcb-shm0 libasound2
BROWSER_EXECUTABLES := /usr/bin/chromium /usr/bin/chromedriver
BROWSER_PACKAGES := chromium chromium-driver
system-libs:
	@missing=$$(for so in $(SYSTEM_SONAMES); do ldconfig -p | grep -q "$$so" || echo $$so; done; \
	  for exe in $(BROWSER_EXECUTABLES); do test -x "$$exe" || echo $$exe; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the system libraries the bundled FFmpeg links and the test browser ($$(echo $$missing))"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $(SYSTEM_PACKAGES) $(BROWSER_PACKAGES) >/dev/null; \
	  else \
	    echo "Missing: $$(echo $$missing). Install them: sudo apt-get install $(SYSTEM_PACKAGES) $(BROWSER_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

# Builds only when a source or pom changed since the last build.
build: system-libs $(BUILD_STAMP)

$(BUILD_STAMP): $(SOURCES)
	$(MVN) $(MVN_QUIET) install -DskipTests
	@mkdir -p target && touch $@

# The whole system on one machine (sandbox/README.md): a Kubernetes control plane, the node agent, the chart
# (operator), the demo stream. Ctrl-C stops every process it started.
SANDBOX_JAR := sandbox/target/monoscope-sandbox.jar
SANDBOX_SOURCES := $(shell find sandbox/src/main sandbox/pom.xml -type f 2>/dev/null)

# The control plane, built from the Kubernetes modules pinned in sandbox/controlplane/go.mod (needs Go 1.26).
# The first build downloads and compiles Kubernetes; Go's build cache makes later ones quick. The sandbox builds it
# on first use too.
CONTROLPLANE_SOURCES := $(shell find sandbox/controlplane -type f 2>/dev/null)
CONTROLPLANE_STAMP := .sandbox/bin/.built
controlplane: $(CONTROLPLANE_STAMP)

$(CONTROLPLANE_STAMP): $(CONTROLPLANE_SOURCES)
	@command -v go >/dev/null || test -x /usr/local/go/bin/go || { echo "Go 1.26 is needed to build the control plane: https://go.dev/dl/"; exit 1; }
	@echo "Building the Kubernetes control plane into .sandbox/bin (the first build takes many minutes)"
	@start=$$(date +%s); sandbox/controlplane/build.sh .sandbox/bin && \
	  echo "Built the control plane in $$(( $$(date +%s) - start )) s" && touch $@

run: build $(SANDBOX_JAR) controlplane
	java -XX:+UseSerialGC -Xmx512m -Dmonoscope.root="$(CURDIR)" -jar $(SANDBOX_JAR)

$(SANDBOX_JAR): $(SANDBOX_SOURCES)
	$(MVN) $(MVN_QUIET) -pl sandbox install -DskipTests

test: system-libs controlplane
	$(MVN) verify

monitor: build
	@test -n "$(URL)" || { echo "usage: make monitor URL=<url-or-file> [ARGS='--json']"; exit 2; }
	bin/monoscope monitor $(ARGS) "$(URL)"

bench: build
	worker/bench/bench.sh

# Accuracy on a labelled corpus made at eval time and cached under eval/target/eval/corpus (eval/README.md):
# bin/monoscope and FFmpeg's detection filters on the same clips; report in eval/target/eval/report.md and .json.
# EVAL_SEED=N: an unseen set drawn like the test set from seed N, instead of the tuning and test sets.
EVAL_SIZE ?= default
EVAL_SEED ?=
eval: build
	$(MVN) $(MVN_QUIET) -pl eval compile exec:java -Deval.size=$(EVAL_SIZE) -Deval.seed=$(EVAL_SEED)

# The real control plane and the chart's operator, as in the sandbox (operator/README.md): BENCH_MONITORS
# StreamMonitors with stand-in workers until each is Ready, then the writes kube-apiserver counts over BENCH_STEADY
# (ISO-8601) with nothing changing.
BENCH_MONITORS ?= 1000
BENCH_STEADY ?= PT5M
bench-operator: build controlplane
	@mkdir -p target
	@echo "bench-operator: $(BENCH_MONITORS) StreamMonitors, $(BENCH_STEADY) steady; full log in target/bench-operator.log"
	$(MVN) $(MVN_QUIET) -pl sandbox test -Dtest=OperatorBench -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dbench.operator=true -Dbench.monitors=$(BENCH_MONITORS) -Dbench.steady=$(BENCH_STEADY) \
	  > target/bench-operator.log 2>&1 || { tail -40 target/bench-operator.log; exit 1; }
	@grep '^BENCH' target/bench-operator.log || { echo "bench-operator: no figures (target/bench-operator.log)"; exit 1; }

# An offline bundle for a machine with an NVIDIA GPU: measures NVDEC streams per GPU (worker/gpu-check/README.md).
gpu-check: build
	worker/gpu-check/build-bundle.sh

clean:
	$(MVN) $(MVN_QUIET) clean
	rm -rf target

# --- the API's committed CRD and the container images (helm/README.md) -------------------------------------
.PHONY: crds images
CRD_FILES := streammonitors.monoscope.dev-v1.yml monitorclasses.monoscope.dev-v1.yml
IMAGE_TAG ?= 0.1.0
CONTAINER_BUILDER ?= $(shell command -v docker || command -v podman)

# Regenerates the CRDs from the Java types and copies them where they are committed: crds/ and the chart's crds/.
crds:
	$(MVN) $(MVN_QUIET) -pl crds install -DskipTests
	for f in $(CRD_FILES); do \
	  cp crds/target/classes/META-INF/fabric8/$$f crds/$$f && cp crds/$$f helm/monoscope/crds/$$f || exit 1; done

# The chart's default images: monoscope/worker:$(IMAGE_TAG) and monoscope/operator:$(IMAGE_TAG).
# Checks for a working engine first, so that a machine without one says so before building anything.
images:
	@if [ -z "$(CONTAINER_BUILDER)" ] || ! $(CONTAINER_BUILDER) info >/dev/null 2>&1; then \
	  echo "make images: no container engine here (docker or podman, with its daemon running)."; \
	  echo "The images are described by worker/Dockerfile and operator/src/main/docker/Dockerfile;"; \
	  echo "build them on a machine that has an engine."; exit 1; fi
	$(MAKE) build
	$(CONTAINER_BUILDER) build -t monoscope/worker:$(IMAGE_TAG) worker
	$(CONTAINER_BUILDER) build -f operator/src/main/docker/Dockerfile -t monoscope/operator:$(IMAGE_TAG) operator
