# The README's commands. Every target installs what it needs first (scripts/install-deps.sh).
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
WERROR ?= OFF
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CORPUS ?= corpus
SHARED ?= ../shared
TAKEDOWN = $(BUILD)/src/cli/takedown
CONFIGURE = cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
            -DTAKEDOWN_WERROR=$(WERROR) -DTAKEDOWN_SHARED_DIR=$(abspath $(SHARED)) \
            -DTAKEDOWN_WEB_DIST=$(abspath $(WEB_DIST))

.PHONY: deps build web run test bench bench-match bench-video bench-discovery bench-api bench-effect bench-robust bench-robust-scale fuzz format format-check clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@$(CONFIGURE) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The survivor pages (web/, docs/web.md): npm ci when needed, the hashing core to WebAssembly
# with emscripten, TypeScript + Vite into web/dist (WEB_DIST=... for another build folder's own).
# Incremental.
WEB_DIST ?= web/dist
web: deps
	@WEB_DIST=$(abspath $(WEB_DIST)) bash web/build.sh

# The main job: the server on http://localhost:8080 with SQLite in ./takedown-data, serving the
# survivor pages at /. The first start creates an admin account and prints its password once.
DATA ?= takedown-data
LISTEN ?= 127.0.0.1:8080
run: build web
	$(TAKEDOWN) serve --data $(DATA) --listen $(LISTEN) --static $(WEB_DIST)

test: build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks on the real-photo dev corpus (downloaded once into $(CORPUS), not committed).
bench: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/hash_bench --corpus $(CORPUS)/photos --work $(BUILD)/bench-work

# Exact radius search at 1M and 10M hashes against FAISS, on uniform and real PDQ hashes.
bench-match: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/match_bench --sizes 1000000,10000000 --real-sizes 1000000,10000000 \
	  --queries 200 --corpus $(CORPUS)/photos --work $(BUILD)

# vPDQ on the dev corpus's 720p h264 clip, one and two decoder threads, beside `ffmpeg -f null`.
bench-video: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/video_bench --video $(CORPUS)/videos/cockatoo.mp4 --repeat 5

# Discovery end to end: pages/s (page, parse, ~100 KB JPEG, decode, PDQ, match) and conditional
# rechecks/s through UrlChecker against a loopback server, beside bare libcurl and bare hashing.
bench-discovery: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/discovery_bench --corpus $(CORPUS)/photos --threads 1,2 --seconds 5

# Issue 18's transform suite: per transform, copies matched to their own original and false
# matches, for PDQ --dihedral and for PDQ + region signals, on half A (thresholds chosen there) and
# half B (held out), against UNRELATED unrelated signal sets. docs/matching.md holds a run.
UNRELATED ?= 100000
bench-robust: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/robust_bench --corpus $(CORPUS)/photos --unrelated $(UNRELATED) --threads $(JOBS)

# Issue 18: queries/s with PHOTOS photos' PDQ and region signals banked, beside PDQ alone.
PHOTOS ?= 1000000
bench-robust-scale: build
	@[ -f $(CORPUS)/manifest.tsv ] || bash $(SHARED)/tools/fetch-dev-corpus.sh $(CORPUS)
	$(BUILD)/bench/robust_scale_bench --corpus $(CORPUS)/photos --photos $(PHOTOS)

# wrk against POST /api/v1/match and /api/v1/intake on loopback (SQLite): requests/s and p99.
bench-api: build
	bash bench/api/run.sh $(BUILD)

# Issue 17's table: the whole loop on the simulated web (tests/sim), 12 survivors, 2 seeds.
bench-effect: build
	$(BUILD)/bench/effect_bench --survivors 12 --seeds 1,2

# libFuzzer over image decode + hash (seeded with the shared test images), over video demux +
# decode + vPDQ (seeded with tiny clips of FFmpeg's test pattern in each container, made here with
# the ffmpeg command), over feed and sitemap parsing (seeded with the small feeds fuzz_feed
# writes itself), over email parsing (seeded with the messages fuzz_mail writes itself) and over
# bank files (seeded with the banks fuzz_bank_file writes itself), each for a bounded time: the
# feed, mail and bank file fuzzers for at most 60 s.
FEED_SEEDS = build-fuzz/feed-seeds
FEED_FUZZ_SECONDS ?= $(shell n=$(FUZZ_SECONDS); echo $$(( n < 60 ? n : 60 )))
MAIL_SEEDS = build-fuzz/mail-seeds
MAIL_FUZZ_SECONDS ?= $(FEED_FUZZ_SECONDS)
BANK_SEEDS = build-fuzz/bank-seeds
VIDEO_SEEDS = build-fuzz/video-seeds
VIDEO_SEED_CODECS = mp4:libx264 mkv:libx264 webm:libvpx avi:mpeg4 ts:mpeg2video ogv:libtheora \
                    flv:flv wmv:wmv2 mov:mpeg4
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTAKEDOWN_FUZZ=ON -DTAKEDOWN_BENCH=OFF -DTAKEDOWN_SHARED_DIR=$(abspath $(SHARED)) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_decode_hash fuzz_video fuzz_feed \
	  fuzz_mail fuzz_bank_file
	bash scripts/run-fuzz.sh build-fuzz/src/media/fuzz_decode_hash $(FUZZ_SECONDS) $(SHARED)/testdata/pdq
	@mkdir -p $(VIDEO_SEEDS) && for seed in $(VIDEO_SEED_CODECS); do \
	  out=$(VIDEO_SEEDS)/seed.$${seed%%:*}; [ -s $$out ] || ffmpeg -hide_banner -nostdin -loglevel error \
	    -y -f lavfi -i testsrc2=size=64x48:rate=10:duration=1 -c:v $${seed#*:} -pix_fmt yuv420p \
	    $$out || exit 1; done
	bash scripts/run-fuzz.sh build-fuzz/src/video/fuzz_video $(FUZZ_SECONDS) $(VIDEO_SEEDS)
	@mkdir -p $(FEED_SEEDS) && TAKEDOWN_WRITE_SEEDS=$(FEED_SEEDS) build-fuzz/src/fetch/fuzz_feed
	bash scripts/run-fuzz.sh build-fuzz/src/fetch/fuzz_feed $(FEED_FUZZ_SECONDS) $(FEED_SEEDS)
	@mkdir -p $(MAIL_SEEDS) && TAKEDOWN_WRITE_SEEDS=$(MAIL_SEEDS) build-fuzz/src/mail/fuzz_mail
	bash scripts/run-fuzz.sh build-fuzz/src/mail/fuzz_mail $(MAIL_FUZZ_SECONDS) $(MAIL_SEEDS)
	@mkdir -p $(BANK_SEEDS) && TAKEDOWN_WRITE_SEEDS=$(BANK_SEEDS) build-fuzz/src/matching/fuzz_bank_file
	bash scripts/run-fuzz.sh build-fuzz/src/matching/fuzz_bank_file $(FEED_FUZZ_SECONDS) $(BANK_SEEDS)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check: deps
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) build-fuzz $(WEB_DIST) web/wasm/out/pdq.js web/wasm/out/pdq.wasm
