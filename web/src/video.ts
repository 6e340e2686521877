// Videos she chooses are hashed on the device like the server's vPDQ (docs/video.md,
// ../shared/spec/pdq.md section 5): the server keeps frame n iff n % frameMod == 0, frameMod =
// max(1, int(fps)), at timestamp n / fps (one frame a second), and hashes it at its own size. The
// browser decodes: a <video> element that is never shown plays an object URL of her own file (a
// blob: URL, local to this page; the file is never uploaded), is seeked to each of those frames,
// and the frame shown there is handed to the hashing worker (hash-worker.ts; its YUV planes are
// turned into RGB as the server does, yuv.ts).
//
// Browsers do not state a video's frame rate, but a WebCodecs VideoFrame has its duration: the
// first frame's gives fps when it is N or N / 1.001 (25, 30, 29.97, 23.976: MP4 and MOV keep
// exact times), so a 29.97 fps MP4 is sampled at frames 0, 29, 58, ... like the server. Otherwise
// (WebM's millisecond times, no WebCodecs) the page takes whole seconds: the server's frames for
// whole frame rates, drifting from them by 0.1% at 29.97. A variable frame rate (phones) cannot
// be matched frame for frame: the server counts decoded frames, the page seeks by time; matching
// ignores timestamps, and neighbouring frames hash alike.
//
// At most MAX_FRAMES frames per video: a longer one is sampled every k-th of those frames (k =
// ceil(frames / MAX_FRAMES)), still a subset of the server's, spread over the whole video so that
// a copy of any part of it can be matched. A report holds at most 200 hashes in all (the
// server's limit), so a few short videos or one long one fit beside photos.
import type { ImageHash } from "./hash";
import { hashFrame } from "./hasher";

export const MAX_FRAMES = 60;
// The server's limit on a video frame (VideoLimits::max_frame_pixels, 8192 x 8192).
const MAX_FRAME_PIXELS = 8192 * 8192;
// A seek or the first frame that takes longer than this means the browser cannot play the file.
const WAIT_MS = 20_000;

export interface FrameHash extends ImageHash {
  t: number; // seconds from the start, as the server prints it (3 decimals)
}

export class VideoError extends Error {
  constructor(readonly reason: "unsupported" | "too_large" | "cancelled") {
    super(reason);
  }
}

// Frames per second from one frame's duration in microseconds: N or N / 1.001 when it is that
// within rounding, else null (unknown). WebM keeps times in milliseconds, so a 29.97 fps frame
// lasts "33 ms" there, which could be 30.3 fps or 29.97 or 30: unknown.
export function frameRate(durationMicros: number | null | undefined): number | null {
  if (!durationMicros || durationMicros <= 0) return null;
  const fps = 1e6 / durationMicros;
  for (const nominal of [Math.round(fps), Math.round(fps * 1.001) / 1.001]) {
    if (nominal > 0 && Math.abs(fps - nominal) / nominal < 2e-4) return nominal;
  }
  return null;
}

// The server's sampled frames of a video of `duration` seconds at `fps` (null: unknown, whole
// seconds), at most `max` of them: their timestamps in seconds.
export function sampleTimes(duration: number, fps: number | null, max = MAX_FRAMES): number[] {
  const frameMod = fps ? Math.max(1, Math.floor(fps)) : 1;
  const frames = fps ? Math.round(duration * fps) : Math.ceil(duration);
  const sampled = Math.max(1, Math.ceil(frames / frameMod));
  const step = Math.ceil(sampled / max);
  const times: number[] = [];
  for (let k = 0; k < sampled; k += step) times.push(fps ? (k * frameMod) / fps : k);
  return times;
}

// Resolves on `event`; rejects when the element reports an error or nothing happens in time.
function until(video: HTMLVideoElement, event: "loadeddata" | "seeked"): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: VideoError) => {
      clearTimeout(timer);
      video.removeEventListener(event, ok);
      video.removeEventListener("error", failed);
      if (error) reject(error);
      else resolve();
    };
    const ok = () => done();
    const failed = () => done(new VideoError("unsupported"));
    const timer = setTimeout(failed, WAIT_MS);
    video.addEventListener(event, ok);
    video.addEventListener("error", failed);
  });
}

async function seek(video: HTMLVideoElement, t: number): Promise<void> {
  const seeked = until(video, "seeked");
  video.currentTime = t;
  await seeked;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The frame the element shows: as a VideoFrame (WebCodecs), whose own YUV planes the worker turns
// into RGB like the server, or else as the browser's RGB. On a busy device the element may not
// hold its current frame yet right after "seeked" (readyState below HAVE_CURRENT_DATA, and both
// ways of taking the frame refuse): it is asked again until it does, for as long as an event is
// waited for, before the video counts as one this browser cannot play.
async function grab(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  for (let waited = 0; ; waited += 20) {
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      if (typeof VideoFrame === "function") {
        try {
          return new VideoFrame(video);
        } catch {
          // Some browsers cannot wrap an element's frame: the bitmap below will do.
        }
      }
      try {
        return await createImageBitmap(video);
      } catch {
        // Not yet: asked again below.
      }
    }
    if (waited >= WAIT_MS || video.error) throw new VideoError("unsupported");
    await sleep(20);
  }
}

// Whether `frame` starts at `t`, as far as can be told (not without a VideoFrame and fps).
const isFrameAt = (frame: VideoFrame | ImageBitmap, t: number, fps: number | null) =>
  !fps || frame instanceof ImageBitmap || Math.abs(frame.timestamp / 1e6 - t) < 0.5 / fps;

// The frame at `t` (seconds; the frame there starts at t when fps is known). On a busy device the
// element may still hand over the frame shown before the seek for a moment after "seeked" (seen
// in tests under load): with a known fps the frame's timestamp says so, and it is asked again.
async function frameAt(
  video: HTMLVideoElement,
  t: number,
  fps: number | null,
): Promise<VideoFrame | ImageBitmap> {
  // Half a frame past its start: the seek lands inside the frame, whatever the rounding.
  await seek(video, t + (fps ? 0.5 / fps : 0));
  for (let attempt = 0; ; ++attempt) {
    const frame = await grab(video);
    if (isFrameAt(frame, t, fps)) return frame;
    if (attempt === 50) return frame; // its own timestamp is reported with its hash
    frame.close();
    await sleep(20);
  }
}

// Frame hashes of `file`. `progress(done, total)` is called in seconds of video after each frame;
// `signal` stops the work (she removed the video).
export async function hashVideoFile(
  file: Blob,
  progress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<FrameHash[]> {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.preload = "auto";
  const url = URL.createObjectURL(file);
  try {
    const loaded = until(video, "loadeddata");
    video.src = url;
    await loaded;
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) throw new VideoError("unsupported"); // sound only
    if (width * height > MAX_FRAME_PIXELS) throw new VideoError("too_large");
    let duration = video.duration;
    if (!Number.isFinite(duration)) {
      // Recorded WebM files often carry no duration: seeking past the end makes the browser find it.
      await seek(video, 1e9);
      duration = video.duration;
    }
    if (!Number.isFinite(duration) || duration <= 0) throw new VideoError("unsupported");
    await seek(video, 0);
    const first = await grab(video);
    const fps = first instanceof ImageBitmap ? null : frameRate(first.duration);
    const times = sampleTimes(duration, fps);
    const total = Math.max(1, Math.round(duration));
    const interval = times.length > 1 ? times[1] : duration;
    progress(0, total);
    const frames: FrameHash[] = [];
    for (const [k, t] of times.entries()) {
      if (signal.aborted) {
        if (k === 0) first.close();
        throw new VideoError("cancelled");
      }
      const frame = k === 0 ? first : await frameAt(video, t, fps);
      // The frame's own time when the browser gave another than the one sought (see frameAt).
      const at = isFrameAt(frame, t, fps) ? t : (frame as VideoFrame).timestamp / 1e6;
      frames.push({ t: Math.round(at * 1000) / 1000, ...(await hashFrame(frame)) });
      progress(Math.round(Math.min(duration, t + interval)), total);
    }
    return frames;
  } finally {
    video.removeAttribute("src");
    video.load(); // lets the browser drop its decoder and buffers now
    URL.revokeObjectURL(url);
  }
}

// What a video contributes to the report: the frames' hashes as the server's video matching takes
// them (spec section 5): frames under quality 50 dropped, identical hashes sent once.
export function usableFrames(frames: readonly FrameHash[]): FrameHash[] {
  const seen = new Set<string>();
  return frames.filter((f) => f.quality >= 50 && !seen.has(f.pdq) && seen.add(f.pdq));
}
