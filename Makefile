# The testbed's entry points. Needs only a JDK 17+ and make: Maven comes through ./mvnw, and every
# helper is a shell script or a single-file Java program (java scripts/X.java); Demo and Reproduce
# also use the shared JSON reader scripts/lib, compiled once into $(SCRIPTS_CP) (Java 17's launcher
# compiles one file only).
.DEFAULT_GOAL := help
.PHONY: help build run stop status test demo logs clean distclean reproduce calibrate FORCE

VERSION  := 0.1.0-SNAPSHOT
SERVICES := git-http-server kernel-sim-service tls-client-service gateway-service
MODULES  := kernel-api testbed-web $(SERVICES)
JARS     := $(foreach s,$(SERVICES),$(s)/target/$(s)-$(VERSION)-exec.jar)
SOURCES  := pom.xml $(wildcard $(addsuffix /pom.xml,$(MODULES))) \
            $(shell find $(addsuffix /src/main,$(MODULES)) -type f 2>/dev/null)
STAMP    := .run/build.stamp
MVNW     := ./mvnw
SCRIPTS_CP := .run/scripts
SCRIPTS_LIB := $(SCRIPTS_CP)/io/testbed/scripts/Json.class

help:
	@echo "make run     build if needed, start the four services (and a local Prometheus on :9090 when a"
	@echo "             prometheus binary is installed), run the demo (stack keeps running)"
	@echo "make stop    stop what make run started (Prometheus included)"
	@echo "make test    the whole test suite (./mvnw -B verify)"
	@echo "make build   build the runnable jars if sources changed"
	@echo "make demo    run the demo against a running stack"
	@echo "make reproduce  build if needed, start the stack if it is not running, reproduce the seed's claims into reports/"
	@echo "make calibrate  replay Akuma's measurements C1-C5 on the model (in-process, no stack needed; C4/C5 clone with scratch, ~30 min):"
	@echo "             fit, sensitivity; reports/calibration.md and reports/calibration.json"
	@echo "make status  which services are running;  make logs: follow their logs"
	@echo "make clean   stop, remove build output and logs;  make distclean: also data/ (PKI, repos)"
	@echo "make bench   JMH and end-to-end benchmarks (starts the stack if needed; ~10 min): reports/bench.json,"
	@echo "             the table on stdout and in docs/BENCHMARKS.md (BENCH_ARGS=--help for options)"
	@echo "make compose-env  write a random TESTBED_TOKEN to .env (docker compose needs one: the services check it on writes)"
	@echo "make compose-smoke  docker-compose.yml for real: up --build, healthchecks, a download through the gateway,"
	@echo "             Prometheus targets, gateway recreate, down -v (needs Docker with Compose and BuildKit; docs/DEPLOYMENT.md)"
	@echo "make soak    24 downloads + 4 interactive sessions on one live machine for 5 min (starts the stack if needed;"
	@echo "             ~9 min): every pack verified, no thread/fd/heap growth; reports/soak.md (SOAK_ARGS=--help)"

# rebuild when a source is newer than the last build, or a jar is missing
$(STAMP): $(SOURCES) $(if $(filter-out $(wildcard $(JARS)),$(JARS)),FORCE)
	@echo "Building (./mvnw -q -DskipTests install) ..."
	@$(MVNW) -q -DskipTests install
	@mkdir -p $(@D) && touch $@

build: $(STAMP)

$(SCRIPTS_LIB): scripts/lib/io/testbed/scripts/Json.java
	@mkdir -p $(SCRIPTS_CP) && javac -d $(SCRIPTS_CP) $<

run: build $(SCRIPTS_LIB)
	@sh scripts/stack.sh start
	@java -cp $(SCRIPTS_CP) scripts/Demo.java

# DEMO_ARGS e.g. "--repo pack-1m --no-urls" (DEMO_ARGS=--help lists them)
demo: $(SCRIPTS_LIB)
	@java -cp $(SCRIPTS_CP) scripts/Demo.java $(DEMO_ARGS)

# the seed's claims on the virtual clock; REPRODUCE_ARGS e.g. "--repo pack-256k --repetitions 1"
reproduce: build $(SCRIPTS_LIB)
	@sh scripts/stack.sh start
	@java -cp $(SCRIPTS_CP) scripts/Reproduce.java $(REPRODUCE_ARGS)

# engine level: the references run as syscall programs on in-process machines (no ports, no running stack)
calibrate:
	@./mvnw -q -pl kernel-sim-service -am test -Dtest=CalibrationTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dcalibration.report=$(CURDIR)/reports
	@# C4/C5 (issue 14) need the real git server and the scratch client: tls-client's test scope, in-process;
	@# it re-fits cost.sector_ns and rewrites the whole report (C1-C5, sensitivity)
	@./mvnw -q -pl tls-client-service -am test -Dtest=DownloadCalibrationTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dcalibration.report=$(CURDIR)/reports
	@cat reports/calibration.md

stop:
	@sh scripts/stack.sh stop

status:
	@sh scripts/stack.sh status

test:
	$(MVNW) -B verify

logs:
	@ls .run/*.log >/dev/null 2>&1 || { echo "No logs yet (make run writes them to .run/)"; exit 1; }
	tail -n 40 -F .run/*.log

clean: stop
	$(MVNW) -q clean
	rm -rf .run

distclean: clean
	rm -rf data

FORCE:

# Benchmarks (docs/BENCHMARKS.md): JMH micro-benchmarks of the engine and syscall path, then the
# end-to-end ones against the running stack (started here if it is not up). Not part of make test.
.PHONY: bench
BENCH_ARGS ?=
bench: build
	@$(MVNW) -q -pl benchmarks package
	@sh scripts/stack.sh start
	@java -jar benchmarks/target/benchmarks.jar $(BENCH_ARGS)

# The bounded soak of the reliability work (docs/RELIABILITY.md, "Load"): 24 concurrent downloads plus 4 interactive sessions on
# one live machine for 5 minutes against the running stack (started here if it is not up), then threads, fds and
# heap of each service against before; reports/soak.json and reports/soak.md. Not part of make test (~9 min).
.PHONY: soak
SOAK_ARGS ?=
soak: build
	@$(MVNW) -q -pl benchmarks package
	@sh scripts/stack.sh start
	@java -cp benchmarks/target/benchmarks.jar io.testbed.bench.e2e.Soak $(SOAK_ARGS)

# docker-compose.yml for real (docs/DEPLOYMENT.md): up --build -d, every healthcheck, a download through the gateway
# until its pack is verified, Prometheus's targets, the gateway recreated with the download still listed, down -v.
# Needs Docker with Compose and BuildKit; host ports from the *_HOST_PORT variables. Not part of make test.
# docker-compose.yml wants a bearer token (TESTBED_TOKEN, no default: the services bind 0.0.0.0 in their containers);
# this writes a random one to .env (git-ignored), where `docker compose` reads it, unless .env has one already.
.PHONY: compose-env
compose-env:
	@if grep -q '^TESTBED_TOKEN=.\{16,\}' .env 2>/dev/null; then echo ".env already has a TESTBED_TOKEN"; \
	else umask 077; echo "TESTBED_TOKEN=$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" >> .env; \
	echo "wrote a random TESTBED_TOKEN to .env: send it as 'Authorization: Bearer ...' on writes"; fi

.PHONY: compose-smoke
compose-smoke:
	@bash scripts/compose-smoke.sh
