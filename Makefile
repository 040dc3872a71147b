# kubectl-mgi: everything a fresh machine with only Go needs goes through here.
SHELL := /usr/bin/env bash
GO ?= go
CACHE := $(CURDIR)/.cache
BIN := $(CURDIR)/bin
ENVTEST_BIN := $(CACHE)/envtest/bin
TOOLS_BIN := $(CACHE)/tools/bin
KUSTOMIZE := $(TOOLS_BIN)/kustomize
KUSTOMIZE_VERSION := v5.8.0
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo none)
# The commit's time, not the clock: rebuilding a commit gives the same binary.
DATE ?= $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/kubectl-mgi/kubectl-mgi/internal/version.Version=$(VERSION) \
	-X github.com/kubectl-mgi/kubectl-mgi/internal/version.Commit=$(COMMIT) \
	-X github.com/kubectl-mgi/kubectl-mgi/internal/version.Date=$(DATE)
GORELEASER := $(TOOLS_BIN)/goreleaser
GORELEASER_VERSION := v2.15.1
# syft writes the release's SBOMs (goreleaser sboms:); v1.57.2 builds with Go 1.26.8
# (about 3 minutes the first time, then cached in .cache/tools/bin).
SYFT := $(TOOLS_BIN)/syft
SYFT_VERSION := v1.57.2
STATICCHECK := $(TOOLS_BIN)/staticcheck
# The newest staticcheck that builds with Go 1.26.
STATICCHECK_VERSION := v0.7.0
# helm only for make bench (hack/bench/render.sh times `helm template` beside render).
HELM := $(TOOLS_BIN)/helm
HELM_VERSION := v3.22.0
export KUBEBUILDER_ASSETS := $(ENVTEST_BIN)

.PHONY: all build test test-unit envtest tools demo bench bench-latency fuzz vet lint golden fmt docs release-check clean

all: build

build: ## Build bin/kubectl-mgi
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/kubectl-mgi ./cmd/kubectl-mgi

envtest: ## Build kube-apiserver and etcd into .cache (first time only)
	./hack/envtest/build.sh $(ENVTEST_BIN)

$(KUSTOMIZE):
	GOBIN=$(TOOLS_BIN) $(GO) install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)

tools: $(KUSTOMIZE) ## Install test tools (kustomize) into .cache

vet:
	@out=$$(gofmt -l cmd internal hack); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) -C hack/image vet ./...

$(STATICCHECK):
	GOBIN=$(TOOLS_BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: vet $(STATICCHECK) ## gofmt, go vet and staticcheck
	$(STATICCHECK) ./...
	cd hack/image && $(STATICCHECK) ./...

test: envtest tools build lint ## Run every test (gofmt, vet, staticcheck, unit, golden, fuzz smoke, cluster, kustomize, kubectl)
	PATH="$(BIN):$(TOOLS_BIN):$$PATH" $(GO) test -count=1 -timeout 20m ./...
	$(GO) -C hack/image test -count=1 ./...
	# The smoke runs count executions, not seconds: Go 1.26's fuzz coordinator
	# can fail a run that found nothing at the end of a -fuzztime duration
	# (golang/go#75804, fixed in Go 1.27); a count has no deadline to race.
	$(GO) test -run '^$$' -fuzz FuzzPipeline -fuzztime 20000x ./internal/pipeline
	$(GO) test -run '^$$' -fuzz FuzzReadBytes -fuzztime 10000x ./internal/source
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime 10000x ./internal/shape

test-unit: ## Tests that need no API server
	$(GO) test ./internal/source/... ./internal/config/... ./internal/gateway/... ./internal/pipeline/... ./internal/diff/... ./internal/plan/...

golden: envtest ## Rewrite every golden file (-update in each package whose tests use internal/golden); review the diff
	PATH="$(BIN):$(TOOLS_BIN):$$PATH" $(GO) test -count=1 -run Golden $$($(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | awk '/internal\/golden( |$$)/ {print $$1}') -update

FUZZTIME ?= 2m
fuzz: ## Fuzz reading, shape checks, decoding, expansion, the KRM input and the whole path, each for FUZZTIME (default 2m)
	$(GO) test -run '^$$' -fuzz FuzzReadBytes -fuzztime $(FUZZTIME) ./internal/source
	$(GO) test -run '^$$' -fuzz FuzzCheck -fuzztime $(FUZZTIME) ./internal/shape
	$(GO) test -run '^$$' -fuzz FuzzDecodeExpand -fuzztime $(FUZZTIME) ./internal/gateway
	$(GO) test -run '^$$' -fuzz FuzzDecodeMatchesJSONRoundTrip -fuzztime $(FUZZTIME) ./internal/gateway
	$(GO) test -run '^$$' -fuzz FuzzFunction -fuzztime $(FUZZTIME) ./internal/pipeline
	$(GO) test -run '^$$' -fuzz FuzzPipeline -fuzztime $(FUZZTIME) ./internal/pipeline

demo: build envtest ## Plan, apply and plan again on docs/examples against a throwaway local API server
	$(GO) run ./hack/localcluster -- ./hack/demo.sh $(BIN)/kubectl-mgi docs/examples

$(HELM):
	GOBIN=$(TOOLS_BIN) $(GO) install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

bench: build envtest $(HELM) ## Benchmarks (see docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/pipeline ./internal/source
	HELM=$(HELM) ./hack/bench/render.sh $(BIN)/kubectl-mgi
	$(GO) run ./hack/localcluster -- ./hack/bench/cluster.sh $(BIN)/kubectl-mgi
	$(MAKE) --no-print-directory bench-latency

BENCH_LATENCY ?= 10ms
bench-latency: build envtest ## The latency mode of make bench: plan/apply of 100 instances beside kubectl, BENCH_LATENCY (10ms) each way
	MGI_BENCH_LATENCY=$(BENCH_LATENCY) $(GO) run ./hack/localcluster -latency $(BENCH_LATENCY) -- ./hack/bench/latency.sh $(BIN)/kubectl-mgi

docs: ## Regenerate docs/commands/*.md and docs/rules.md from the code
	$(GO) run ./cmd/docgen -out docs

# goreleaser v2.18+ needs a newer Go than this project's; v2.15.1 is pinned.
$(GORELEASER):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

# goreleaser drops all git facts (commit, date) when the checkout has no
# remote; a clone made for review may have none, so lend it one for the run.
RELEASE_GIT_ENV := $(if $(shell git remote 2>/dev/null),,GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url GIT_CONFIG_VALUE_0=https://github.com/kubectl-mgi/kubectl-mgi.git)

$(SYFT):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/anchore/syft/cmd/syft@$(SYFT_VERSION)

# Sigstore is not reachable from here, so the snapshot signs with an offline
# stand-in for cosign (internal/release/testdata/bin/cosign): goreleaser's
# sign step runs as in the release and the test checks what it was asked to
# do. The release workflow signs with the real cosign and verifies it.
RELEASE_OFFLINE_BIN := $(CURDIR)/internal/release/testdata/bin

release-check: $(GORELEASER) $(SYFT) $(KUSTOMIZE) ## Check .goreleaser.yaml, build every release archive, SBOM, signature call and the KRM function image into dist/, test them
	$(GORELEASER) check
	PATH="$(RELEASE_OFFLINE_BIN):$(TOOLS_BIN):$$PATH" $(RELEASE_GIT_ENV) $(GORELEASER) release --snapshot --clean --skip=publish
	$(GO) -C hack/image run . -dist $(CURDIR)/dist
	KREW_DIST=$(CURDIR)/dist $(GO) test -count=1 -run 'TestManifest' ./plugins/krew/
	MGI_RELEASE_DIST=$(CURDIR)/dist $(GO) test -count=1 -run 'TestRelease' ./internal/release/
	MGI_RELEASE_DIST=$(CURDIR)/dist KUSTOMIZE=$(KUSTOMIZE) $(GO) -C hack/image test -count=1 ./...

clean:
	rm -rf $(BIN) dist
