// The report page's hashing, off the main thread (a module worker, hasher.ts starts it), so the
// page keeps answering taps and screen readers while a large photo or a video is hashed.
//
// Images: the whole of hash.ts runs here (createImageBitmap, OffscreenCanvas 2D and WebGL, Web
// Crypto and WebAssembly all exist in workers), so the bits are the ones the main thread gave.
// Video frames: a <video> element exists only on the main thread, so video.ts grabs each sampled
// frame (a VideoFrame where the browser has WebCodecs, else an ImageBitmap) and transfers it here;
// it is turned into RGB (yuv.ts) and hashed here.
import { HashError, hashImageFile, hashPixels } from "./hash";
import { rgbaOfFrame } from "./yuv";

export type WorkerRequest =
  | { id: number; type: "image"; file: Blob }
  | { id: number; type: "frame"; frame: VideoFrame | ImageBitmap };

export type WorkerReply =
  | { id: number; ok: true; pdq: string; quality: number; sha256?: string }
  | { id: number; ok: false; reason: "unreadable" | "too_large" };

// The DOM lib types `self` as a window; in a worker postMessage takes no target origin.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

async function canvasPixels(bitmap: ImageBitmap): Promise<{ pdq: string; quality: number }> {
  try {
    const { width, height } = bitmap;
    const ctx = new OffscreenCanvas(width, height).getContext("2d", {
      willReadFrequently: true,
      colorSpace: "srgb",
    });
    if (!ctx) throw new HashError("unreadable");
    ctx.drawImage(bitmap, 0, 0);
    const image = ctx.getImageData(0, 0, width, height, { colorSpace: "srgb" });
    // Video frames are opaque: the canvas's colours are the decoded ones, alpha is ignored.
    return await hashPixels(image.data, width, height, false);
  } finally {
    bitmap.close();
  }
}

async function framePixels(frame: VideoFrame | ImageBitmap): Promise<{ pdq: string; quality: number }> {
  if (frame instanceof ImageBitmap) return canvasPixels(frame);
  try {
    const rgba = await rgbaOfFrame(frame);
    if (rgba) return await hashPixels(rgba.data, rgba.width, rgba.height, false);
    // A layout yuv.ts does not convert: the browser's own conversion, a few bits further off.
    return await canvasPixels(await createImageBitmap(frame));
  } finally {
    frame.close();
  }
}

// One request at a time, in order: a phone has little memory to spare for several decoded photos.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      const hash =
        request.type === "image"
          ? await hashImageFile(request.file)
          : await framePixels(request.frame);
      scope.postMessage({ id: request.id, ok: true, ...hash });
    } catch (error) {
      const reason = error instanceof HashError ? error.reason : "unreadable";
      scope.postMessage({ id: request.id, ok: false, reason });
    }
  });
};
