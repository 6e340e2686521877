// Videos on the report page, in Debian's Chromium against a real `takedown serve` (harness.mjs).
// Clips are made at test time with the ffmpeg command (FFmpeg's test patterns, 25 fps):
//  1. parity: the page samples the same frames as `takedown hash` (native vPDQ: same count, same
//     timestamps, also at 29.97 fps) and each frame's PDQ is within a few bits of the native one
//     (the browser decodes with its own FFmpeg build, and the page's YUV -> RGB is not swscale's
//     code, so bits are not expected to be identical); a clip longer than 60 s is sampled every
//     few seconds, a subset of the native frames; a file
//     the browser cannot play is refused in words; progress reads "Video i of n: s of t seconds";
//  2. a report with a photo and a video: the video is sent as its frames' hashes (kind "video"),
//     every request is inspected (the video's blob: URL is only played locally, nothing but the
//     JSON of hashes is sent), the server stores the page's hashes, and a partner's POST
//     /api/v1/match with the native vPDQ frame hashes finds them.
// Settings as in harness.mjs, and FFMPEG (default: ffmpeg on the PATH).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import {
  expectNoSeriousAxeViolations, fill, launchChromium, shared, startServer, takedown, translations,
} from "./harness.mjs";
import { expectOnlyHashesSent, objectUrlsOf, recordObjectUrls } from "./requests.mjs";

const en = translations("en");
// Measured (docs/web.md): these clips' frames are 0-4 bits from native in Debian's Chromium;
// matching takes 31. The margin is for other Chromium and FFmpeg builds' decoders.
const MAX_FRAME_DISTANCE = 12;

let server, base, adminPassword, browser, clips, work;

function ffmpeg(args) {
  execFileSync(process.env.FFMPEG ?? "ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { stdio: "inherit" });
}

function nativeVideo(file) {
  const out = execFileSync(takedown, ["hash", "--format", "jsonl", "--jobs", "1", file], { encoding: "utf8" });
  const record = JSON.parse(out.trim());
  assert.ok(record.ok && record.kind === "video", out.slice(0, 300));
  return record;
}

const popcount = (x) => {
  let n = 0;
  for (; x; x &= x - 1) ++n;
  return n;
};
const distance = (a, b) => {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.reduce((n, byte, i) => n + popcount(byte ^ y[i]), 0);
};

// The page's frames of each chosen file, from the list's data attributes.
const pageFrames = (page) =>
  page.$$eval("#image-list li", (items) =>
    items.map((li) => ({
      kind: li.dataset.kind,
      state: li.dataset.state,
      text: li.querySelector(".file-state")?.textContent ?? "",
      frames: (li.dataset.frames ?? "").split(" ").filter(Boolean).map((f) => {
        const [t, pdq, quality] = f.split(":");
        return { t: Number(t), pdq, quality: Number(quality) };
      }),
    })),
  );

async function newPage(options) {
  const context = await browser.newContext(options);
  await recordObjectUrls(context);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Every text the summary (a live region) shows, to see the progress however fast it goes.
  // And every main-thread task over 50 ms (Long Tasks API), printed: the decoding is the
  // browser's and the hashing the worker's, but seeking and grabbing frames are the main thread's,
  // whose small tasks a loaded machine stretches (up to about 230 ms seen), so this is not asserted.
  await page.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__summaries", { value: seen });
    const longTasks = [];
    Object.defineProperty(window, "__longTasks", { value: longTasks });
    new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: "longtask" });
    document.addEventListener("DOMContentLoaded", () => {
      const summary = document.querySelector("#images-summary");
      new MutationObserver(() => seen.push(summary.textContent)).observe(summary, { childList: true, characterData: true, subtree: true });
    });
  });
  return { context, page, problems };
}

before(async () => {
  server = await startServer({ name: "video" });
  ({ base, adminPassword } = server);
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), "takedown-video-clips-"));
  const lavfi = (source, seconds, rate = 25) => ["-f", "lavfi", "-i", `${source}:rate=${rate}`, "-t", String(seconds), "-pix_fmt", "yuv420p"];
  const vp9 = ["-c:v", "libvpx-vp9", "-b:v", "600k", "-deadline", "realtime", "-cpu-used", "8"];
  clips = {
    webm: join(work, "testsrc2.webm"),
    mp4: join(work, "mandelbrot.mp4"),
    ntsc: join(work, "mandelbrot-29.97.mp4"),
    long: join(work, "long-pattern.webm"),
    broken: join(work, "broken.webm"),
  };
  ffmpeg([...lavfi("testsrc2=size=320x240", 5), ...vp9, clips.webm]);
  const h264 = ["-c:v", "libx264", "-preset", "veryfast", "-movflags", "+faststart"];
  ffmpeg([...lavfi("mandelbrot=size=320x240", 4), ...h264, clips.mp4]);
  // 29.97 fps: the server keeps frames 0, 29, 58, ..., 0.9676 s apart (in MP4, whose exact times
  // tell the page the frame rate).
  ffmpeg([...lavfi("mandelbrot=size=320x240", 6, "30000/1001"), ...h264, clips.ntsc]);
  // 125 s: more than 60 whole seconds, so the page samples every 3 s.
  ffmpeg([...lavfi("testsrc2=size=128x96", 125), ...vp9, clips.long]);
  writeFileSync(clips.broken, "this is not a video, only text with a video's name\n".repeat(50));
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the page samples and hashes video frames like `takedown hash` (vPDQ)", async () => {
  const { context, page, problems } = await newPage({ locale: "en-GB" });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  const h264 = await page.evaluate(() => document.createElement("video").canPlayType('video/mp4; codecs="avc1.64000d"'));
  console.log(`video: Chromium ${browser.version()} plays H.264 in MP4: ${h264 || "no"}`);
  const files = [clips.webm, ...(h264 ? [clips.mp4, clips.ntsc] : []), clips.long, clips.broken];
  await page.setInputFiles("#images", files);
  await page.waitForSelector('body[data-hashing="done"]', { timeout: 180_000 });
  const longTasks = await page.evaluate(() => window.__longTasks);
  console.log(`responsiveness: ${longTasks.length} main-thread tasks over 50 ms while hashing the videos, the longest ${Math.round(Math.max(0, ...longTasks))} ms`);
  const got = await pageFrames(page);
  assert.equal(got.length, files.length);

  const distances = [];
  for (const [i, file] of files.entries()) {
    if (file === clips.broken) continue;
    const native = nativeVideo(file);
    const web = got[i];
    assert.equal(web.kind, "video", file);
    assert.equal(web.state, "ready", `${basename(file)}: ${web.text}`);
    // The native frames: all of them, or every step-th one past 60.
    const step = Math.ceil(native.frames.length / 60);
    const expected = native.frames.filter((f, k) => k % step === 0);
    const ms = (frames, key) => frames.map((f) => Math.round(f[key] * 1000));
    assert.deepEqual(ms(web.frames, "t"), ms(expected, "timestamp"), `${basename(file)}: sampled timestamps (ms)`);
    const d = web.frames.map((f, k) => distance(f.pdq, expected[k].pdq));
    const q = web.frames.map((f, k) => Math.abs(f.quality - expected[k].quality));
    distances.push(...d);
    console.log(`video parity: ${basename(file)} (${native.codec}, ${native.width}x${native.height}, ${native.fps} fps, ${native.duration} s): ` +
      `${web.frames.length} frames at the native timestamps (${step === 1 ? "every sampled frame" : `one sampled frame in ${step}`}); Hamming distance to native per frame ` +
      `max ${Math.max(...d)}, mean ${(d.reduce((a, b) => a + b, 0) / d.length).toFixed(1)} [${d.join(" ")}]; quality differs by at most ${Math.max(...q)}`);
    assert.ok(Math.max(...d) <= MAX_FRAME_DISTANCE, `${basename(file)}: frame distances ${d.join(" ")}`);
  }
  console.log(`video parity: ${distances.length} frames, max distance ${Math.max(...distances)} (threshold ${MAX_FRAME_DISTANCE})`);

  // What cannot be played is refused in words.
  const broken = got[files.indexOf(clips.broken)];
  assert.equal(broken.state, "failed");
  assert.equal(broken.text, en.video_unsupported);
  // Progress was shown in the live region, per video and in seconds.
  const summaries = await page.evaluate(() => window.__summaries);
  const count = files.length;
  assert.ok(summaries.includes(fill(en.video_progress, { index: 1, count, done: 0, total: 5 })), summaries.join(" | "));
  assert.ok(summaries.includes(fill(en.video_progress, { index: 1, count, done: 5, total: 5 })), summaries.join(" | "));
  assert.ok(summaries.includes(fill(en.video_progress, { index: count - 1, count, done: 63, total: 125 })), summaries.join(" | "));
  assert.equal(await page.textContent("#images-summary"), fill(en.media_ready_count, { images: 0, videos: count - 1 }));
  await expectNoSeriousAxeViolations(page, "the intake page with videos");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a report with a video sends only its frames' hashes, and the server matches them", async () => {
  const photo = join(shared, "testdata/pdq/bridge-mods/aaa-orig.jpg");
  const native = nativeVideo(clips.webm);
  const { context, page, problems } = await newPage({ locale: "en-GB" });
  const requests = [];
  context.on("request", (r) => requests.push(r));
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.setInputFiles("#images", [photo, clips.webm]);
  await page.waitForSelector('body[data-hashing="done"]', { timeout: 60_000 });
  const [, video] = await pageFrames(page);
  assert.equal(video.text, fill(en.video_ready, { count: video.frames.length }));
  await page.check("#consent"); // partners may match against her hashes
  await page.click("#submit");
  await page.waitForSelector("#receipt-view:not([hidden])");
  const code = (await page.textContent("#receipt-code")).trim();

  const { posts, blobMedia } = await expectOnlyHashesSent(requests, base, {
    sizes: [statSync(photo).size, statSync(clips.webm).size],
    objectUrls: await objectUrlsOf([page]),
    videos: [basename(clips.webm)],
  });
  assert.ok(blobMedia.length >= 1, "the video was played from its object URL");
  assert.equal(posts.length, 1, posts.map((p) => p.what).join(", "));
  const sent = JSON.parse(posts[0].body.toString("utf8"));
  assert.deepEqual(sent.images.map((i) => `${i.kind}:${Object.keys(i).sort().join(",")}`), [
    "image:file,kind,pdq,quality,sha256",
    ...video.frames.map(() => "video:file,kind,pdq,quality"),
  ]);
  assert.deepEqual(sent.images.map((i) => i.file), [1, ...video.frames.map(() => 2)], "one file number per file she chose");
  assert.deepEqual(sent.images.slice(1).map((i) => i.pdq), video.frames.map((f) => f.pdq));
  console.log(`requests: ${requests.length} (${blobMedia.length} blob: media loads of the chosen video, local); ` +
    `the one body sent is ${posts[0].body.length} bytes of JSON for a ${statSync(clips.webm).size}-byte video and a photo`);

  // Stored as sent, read back through the staff API.
  const login = await fetch(`${base}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password: adminPassword }),
  });
  assert.equal(login.status, 200);
  const { csrf_token: csrf } = await login.json();
  const staff = { Cookie: login.headers.get("set-cookie").split(";")[0] };
  const cases = await (await fetch(`${base}/api/v1/cases?q=${encodeURIComponent(code)}`, { headers: staff })).json();
  const detail = await (await fetch(`${base}/api/v1/cases/${cases.cases[0].id}`, { headers: staff })).json();
  const stored = detail.hashes.filter((h) => h.kind === "video");
  assert.deepEqual(stored.map((h) => h.pdq).sort(), video.frames.map((f) => f.pdq).sort());

  // A partner platform holding the native vPDQ of the same video finds her case's frame hashes.
  const partner = await fetch(`${base}/api/v1/partners`, {
    method: "POST",
    headers: { ...staff, "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ name: "Video test platform", scopes: ["match"] }),
  });
  assert.equal(partner.status, 201, await partner.clone().text());
  const { api_key: key } = await partner.json();
  const match = await fetch(`${base}/api/v1/match`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ hashes: native.frames.map((f) => f.pdq), radius: 31 }),
  });
  assert.equal(match.status, 200, await match.clone().text());
  const { results } = await match.json();
  const ids = new Set(stored.map((h) => h.id));
  const best = results.map((r) => Math.min(...r.matches.filter((m) => ids.has(m.id)).map((m) => m.distance)));
  console.log(`server match: ${best.filter(Number.isFinite).length} of ${results.length} native frames match the page's stored frame hashes; distances ${best.join(" ")}`);
  assert.ok(best.every(Number.isFinite), `every native frame matches: ${best.join(" ")}`);
  assert.deepEqual(problems, []);
  await context.close();
});
