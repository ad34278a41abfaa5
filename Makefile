# secpilot: the two commands a newcomer needs (`make run`, `make test`) and the
# builds behind them. Every target installs its own dependencies first.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DATA ?= demo-data

.PHONY: all deps build asan fuzz test test-release test-asan test-fuzz-corpus run clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSP_SANITIZE=ON \
	    -DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS="-O1" >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSP_FUZZ=ON \
	    -DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS="-O1" >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Every test: the release build, then the same suite under ASan+UBSan, then
# the fuzz targets replaying their corpora.
test: test-release test-asan test-fuzz-corpus

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS)

test-fuzz-corpus: fuzz
	@sh scripts/fuzz-replay.sh $(FUZZ_BUILD)

run: build
	@sh scripts/run.sh $(BUILD) $(DATA)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
