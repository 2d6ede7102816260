# perfgate: `make` builds build/perfgate, `make test` runs every test,
# `make demo` runs the demo scenario. Everything goes to $(BUILD).

SAN ?=
BUILD ?= build$(if $(SAN),-san)
V ?=
Q := $(if $(V),,@)

CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
GO ?= go
# Go's build cache is the machine's (go env GOCACHE), shared by every
# checkout as any Go build's is: -trimpath builds compile the standard
# library into it, which took a fresh clone 40 s of its build (Debian's Go
# and the newer one of the vDSO tests). Exported: the tests build with it.
# Without a home directory, $(BUILD)/gocache.
ifeq ($(origin GOCACHE),undefined)
GOCACHE := $(or $(filter-out off,$(shell $(GO) env GOCACHE 2>/dev/null)),$(abspath $(BUILD))/gocache)
endif
export GOCACHE

PKGS := libbpf libgit2 jansson libcurl libprotobuf-c zlib libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lm -lpthread
# perfgate itself does not link libgit2 and libcurl: gate/dynlib.c loads them
# on first use, by the soname of the library found here at build time. The
# small libraries every command uses are linked in statically (their .a files
# come with the same -dev packages), so a start maps libc and libm only.
LAZY_PKGS := libgit2 libcurl
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2).so \
	2>/dev/null | awk '/SONAME/ { print $$2 }')
LIBGIT2_SONAME := $(call soname,libgit2,libgit2)
LIBCURL_SONAME := $(call soname,libcurl,libcurl)
PERFGATE_LIBS := -Wl,-Bstatic \
	$(shell pkg-config --libs --static $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) \
	-Wl,-Bdynamic -lm -lpthread -ldl

# libxml2 only for the unit tests, to read generated XML back.
TEST_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wvla \
	-Wformat=2
SAN_ON := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANFLAGS := $(if $(SAN),$(SAN_ON))
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) $(SANFLAGS) -I$(BUILD) -I$(BUILD)/gen -Igate \
	$(PKG_CFLAGS) -MMD -MP
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf -Wall -Werror

GATE_SRCS := $(wildcard gate/*.c)
GATE_OBJS := $(GATE_SRCS:gate/%.c=$(BUILD)/gate/%.o) $(BUILD)/gen/profile.pb-c.o
LIB_OBJS := $(filter-out $(BUILD)/gate/main.o,$(GATE_OBJS))
BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/%.skel.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Shared by every unit test: scratch directories (tests/unit/scratch.h).
UNIT_HELPERS := tests/unit/scratch.c
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/%-replay)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
WORKLOAD := $(BUILD)/orders-api

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps test unit-test fuzz-replay integration-test fuzz demo bench format \
	format-check headercheck clean

all: $(BUILD)/perfgate $(WORKLOAD)

deps:
	$(Q)./scripts/install-deps.sh

$(BUILD)/perfgate: $(GATE_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PERFGATE_LIBS)

$(BUILD)/gate/dynlib.o: ALL_CFLAGS += -DPG_LIBGIT2_SONAME='"$(LIBGIT2_SONAME)"' \
	-DPG_LIBCURL_SONAME='"$(LIBCURL_SONAME)"'

$(BUILD)/gate/%.o: gate/%.c | $(SKELS) $(BUILD)/gen/profile.pb-c.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# protobuf-c's generated code is not ours to hold to our warning set.
$(BUILD)/gen/profile.pb-c.c $(BUILD)/gen/profile.pb-c.h &: gate/profile.proto
	@mkdir -p $(@D)
	@echo "  PROTOC  $<"
	$(Q)protoc-c --proto_path=gate --c_out=$(BUILD)/gen profile.proto

$(BUILD)/gen/profile.pb-c.o: $(BUILD)/gen/profile.pb-c.c
	@echo "  CC      $@"
	$(Q)$(CC) -std=gnu11 $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -I$(BUILD)/gen -c -o $@ $<

# The pre-push hook, compiled into perfgate as a C string.
$(BUILD)/gen/pre_push.h: ci-templates/pre-push
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< >$@.tmp && mv $@.tmp $@

$(BUILD)/gate/hook.o: $(BUILD)/gen/pre_push.h

# BPF: vmlinux.h from the running kernel's BTF, CO-RE object, skeleton.
$(BUILD)/vmlinux.h:
	@mkdir -p $(@D)
	@echo "  BTF     $@"
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	@echo "  BPF     $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(Q)$(BPFTOOL) gen object $@ $@.tmp.o && rm -f $@.tmp.o

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	@echo "  SKEL    $@"
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# The demo workload: a stdlib-only Go service, built offline.
$(WORKLOAD): $(wildcard tests/workload/orders-api/*.go)
	@mkdir -p $(@D)
	@echo "  GO      $@"
	$(Q)cd tests/workload/orders-api && GOPROXY=off $(GO) build -trimpath -o $(abspath $@) .

# Tests.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(UNIT_HELPERS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(UNIT_HELPERS) $(LIB_OBJS) $(LDFLAGS_ALL) \
		$(PKG_LIBS) $(TEST_LIBS) -lcmocka

# Holds BPF programs attached for the benchmarks: the one helper with libbpf.
$(BUILD)/tests/helpers/bpf_attach: tests/helpers/bpf_attach.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) $(PKG_CFLAGS) -o $@ $< \
		$(shell pkg-config --libs libbpf 2>/dev/null) -lelf -lz

# Empty programs on the hooks a probe could use (scripts/bench-probes.sh).
$(BUILD)/bench/%.bpf.o: tests/bench/bpf/%.bpf.c $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	@echo "  BPF     $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# What the probes add to one system call (scripts/bench-probes.sh): links
# gate/ to attach them exactly as a capture does.
BENCH_BINS := $(BUILD)/bench/hook_cost
$(BUILD)/bench/hook_cost: tests/bench/hook_cost.c $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(LDFLAGS_ALL) $(PKG_LIBS)

# Go >= 1.24 binaries, whose crypto/rand goes through the vDSO: a small
# reader for test_uprobe and the demo service for test_capture_vdso.sh;
# built when scripts/install-deps.sh could fetch such a Go.
GO_VDSO := $(BUILD)/go-vdso/bin/go
VDSO_GO_BINS := $(if $(wildcard $(GO_VDSO)),$(BUILD)/tests/helpers/vdso_go \
	$(BUILD)/tests/helpers/orders-api-vdso)
# A target of its own, so that the make `test` starts after deps ran
# decides it: VDSO_GO_BINS is fixed when a make reads this file.
.PHONY: go-helpers
go-helpers: $(VDSO_GO_BINS)

# go_vdso_build DIR: the module in DIR, built with that Go.
define go_vdso_build
	@mkdir -p $(@D)
	@echo "  GO      $@"
	$(Q)cd $(1) && GOWORK=off GOTOOLCHAIN=local GOPROXY=off \
		$(abspath $(GO_VDSO)) build -trimpath -o $(abspath $@) .
endef

$(BUILD)/tests/helpers/vdso_go: tests/helpers/vdso_go/main.go tests/helpers/vdso_go/go.mod
	$(call go_vdso_build,tests/helpers/vdso_go)

# After vdso_go, not beside it: the two would compile the same standard
# library into one cold cache at once (31 s under -j2, 22 s in turn).
$(BUILD)/tests/helpers/orders-api-vdso: $(wildcard tests/workload/orders-api/*.go) \
		| $(BUILD)/tests/helpers/vdso_go
	$(call go_vdso_build,tests/workload/orders-api)

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) -o $@ $< -lpthread

$(BUILD)/tests/fuzz_%-replay: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $(LDFLAGS_ALL) \
		$(PKG_LIBS)

# libFuzzer builds need every object compiled by clang with coverage.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-I$(BUILD) -I$(BUILD)/gen -Igate $(PKG_CFLAGS)
FUZZ_OBJS := $(LIB_OBJS:$(BUILD)/%.o=$(BUILD)/fuzzobj/%.o)

$(BUILD)/fuzzobj/gate/%.o: gate/%.c | $(SKELS) $(BUILD)/gen/profile.pb-c.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzzobj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do \
		t=$$(basename $$f | sed 's/^fuzz_//'); \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
			$(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The builds before a test or demo use every core: in a fresh clone they
# took 39 s one file at a time, 25 s on this machine's two cores.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

test: deps
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) all $(UNIT_BINS) $(FUZZ_REPLAY) $(HELPER_BINS) $(BENCH_BINS) \
		go-helpers
	$(Q)$(MAKE) --no-print-directory format-check headercheck
	$(Q)BUILD=$(BUILD) ./scripts/run-tests.sh

unit-test: $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) ./scripts/run-tests.sh unit

demo: deps
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) all
	$(Q)BUILD=$(BUILD) ./scripts/demo.sh

HEADERS := $(wildcard gate/*.h)
headercheck: | $(SKELS) $(BUILD)/gen/profile.pb-c.h
	$(Q)for h in $(HEADERS); do \
		echo "#include \"$$(basename $$h)\"" | \
		$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -x c -fsyntax-only - || exit 1; \
	done; echo "headercheck: $(words $(HEADERS)) headers compile alone"

FORMAT_SRCS = $(wildcard gate/*.c gate/*.h bpf/*.c bpf/*.h tests/unit/*.c tests/unit/*.h \
	tests/fuzz/*.c tests/helpers/*.c tests/bench/*.c tests/bench/bpf/*.c)
format:
	$(Q)clang-format -i $(FORMAT_SRCS)

format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_SRCS) && echo "format-check: ok"

clean:
	rm -rf build build-san

-include $(wildcard $(BUILD)/gate/*.d $(BUILD)/tests/*.d)
