# Thin wrapper over Meson for the two commands users need:
#   make run    install what is missing, build, run the hub's main job
#   make check  install what is missing, build, run every test suite
BUILD      ?= build
ASAN_BUILD ?= build-asan
CYBEX       = $(BUILD)/cli/cybex
CONFORMANCE ?= tests/data/conformance

.PHONY: all deps build run validate-examples check check-source bench bench-taxii fuzz clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The hub: first run sets up the database, an admin and a demo collection.
run: build
	@scripts/run-hub $(CYBEX) $(CONFORMANCE)

# Validate the bundled STIX 2.1 data and print a summary.
validate-examples: build
	@scripts/validate-examples $(CYBEX) $(CONFORMANCE)

check: deps
	@BUILD=$(BUILD) ASAN_BUILD=$(ASAN_BUILD) scripts/check

bench: build
	@scripts/bench $(BUILD)

# TAXII load at 1k, 100k and 1M objects (BENCH_TAXII_SIZES to change).
bench-taxii: build
	@scripts/bench-taxii $(BUILD)

fuzz: deps
	@scripts/fuzz

# The house style and the module layering (also part of `make check`).
check-source:
	@scripts/check-source && scripts/check-layers

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
