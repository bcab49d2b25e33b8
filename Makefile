# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Set-up and everyday commands. `make run` and `make test` install what is
# missing (Debian packages), configure, build and then run or test.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build run test bench clean install

all: build

deps:
	@bash scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/ionkmc run

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Install into PREFIX (default /usr/local): bin/ionkmc, lib/libionkmc.so.*,
# include/ionkmc/, pkg-config and CMake files, man pages, bash completion.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: build
	./$(BUILD)/ionkmc bench

clean:
	rm -rf $(BUILD)
