# Amtsweg: the two commands of the README are `make run` and `make test`.
# Everything else here is what they are made of.

BUILD ?= build
AMTSWEG := $(BUILD)/amtsweg
JOBS ?= $(shell nproc)

.PHONY: all setup build build-native build-web run test bench fuzz clean

all: build

# Installs the missing Debian packages of deps/apt.txt and the npm packages of
# every package.json (npm ci). Idempotent and quick when nothing is missing.
setup:
	@scripts/setup.sh

build: setup build-native build-web

build-native:
	@cmake -S . -B $(BUILD) -G Ninja -Wno-dev >/dev/null
	@ninja -C $(BUILD) -j $(JOBS)

build-web:
	@cd web && npm run --silent build >/dev/null

# Serves the web app and API on http://localhost:8080 with the embedded SQLite
# database under ./data (created and migrated on start). The first time, the
# demo municipality Amt Musterland is created with its three services and
# staff accounts (their passwords are printed then, once).
run: build
	@mkdir -p data
	@$(AMTSWEG) demo seed --db sqlite:./data/amtsweg.db --dir demo/services
	$(AMTSWEG) serve

# Every test: unit, conformance, integration on SQLite and a throwaway
# PostgreSQL, CLI and browser. Ends with `N passed, M failed, K skipped`.
test: build
	@scripts/test.sh

# Every benchmark; PostgreSQL figures from a throwaway cluster, beside SQLite's.
bench: build
	@scripts/bench.sh all

# libFuzzer targets (clang, ASan/UBSan), FUZZ_RUNS executions each (default 1,000,000).
fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf $(BUILD) build-fuzz web/dist
