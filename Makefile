# The two front-door commands: `make demo` and `make test`. Both install what they need first.
SHELL := /bin/bash
SWIFT ?= swift

.PHONY: setup build test demo bench clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c release --product graft

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: build
	.build/release/graft doctor

bench: setup
	scripts/bench

clean:
	rm -rf .build
