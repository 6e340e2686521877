// Hashes an image chosen on the device, on the device: the browser decodes it, and the project's
// own PDQ core (src/hashing, compiled to WebAssembly: wasm/pdq_wasm.cc) hashes the pixels. It runs
// in the page's hashing worker (hash-worker.ts), so it uses only what workers have. The file's
// bytes and pixels stay in this page's memory; only the returned hashes are ever sent.
//
// To get the server's bits (`takedown hash`), the pixels must be the server decoders': full
// resolution (the server never resizes before PDQ), no colour management (the embedded profile
// is ignored), alpha dropped rather than premultiplied, EXIF orientation not applied, and
// greyscale files hashed as one channel (imageinfo.ts).
import createPdqModule, { type PdqModule } from "../wasm/out/pdq.js";
import { isGreyscale, sniffFormat, withoutOrientation } from "./imageinfo";

export interface ImageHash {
  pdq: string; // 64 hex characters
  quality: number; // 0..100; under 50 is too weak to match on
  sha256?: string; // of the file's bytes, when the browser offers Web Crypto (secure contexts)
}

export class HashError extends Error {
  constructor(readonly reason: "unreadable" | "too_large") {
    super(reason);
  }
}

// The server's default --max-pixels: larger images are refused before decoding.
const MAX_PIXELS = 100_000_000;

let modulePromise: Promise<PdqModule> | null = null;
function pdqModule(): Promise<PdqModule> {
  modulePromise ??= createPdqModule();
  return modulePromise;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The stored colours of an image with transparency, read back through WebGL: a 2D canvas keeps
// premultiplied pixels, which changes the colour of every pixel that is not opaque, whereas the
// server drops alpha and keeps the stored colour. Null when WebGL is not available.
function unpremultipliedPixels(bitmap: ImageBitmap): Uint8Array | null {
  const { width, height } = bitmap;
  const gl = new OffscreenCanvas(width, height).getContext("webgl2", {
    premultipliedAlpha: false,
    antialias: false,
  });
  if (!gl) return null;
  try {
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (width > max || height > max) return null;
    gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    const texture = gl.getParameter(gl.TEXTURE_BINDING_2D) as WebGLTexture;
    gl.bindFramebuffer(gl.FRAMEBUFFER, gl.createFramebuffer());
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
    const out = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, out); // row 0 is the top row
    return gl.getError() === gl.NO_ERROR ? out : null;
  } finally {
    gl.getExtension("WEBGL_lose_context")?.loseContext();
  }
}

interface Pixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

async function decode(bytes: Uint8Array, type: string): Promise<Pixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type }), {
      colorSpaceConversion: "none",
      premultiplyAlpha: "none",
      imageOrientation: "from-image", // the Orientation tag was neutralised: nothing to apply
    });
  } catch {
    throw new HashError("unreadable");
  }
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) throw new HashError("too_large");
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d", { willReadFrequently: true, colorSpace: "srgb" });
    if (!ctx) throw new HashError("unreadable");
    ctx.drawImage(bitmap, 0, 0);
    const image = ctx.getImageData(0, 0, width, height, { colorSpace: "srgb" });
    let opaque = true;
    for (let i = 3; i < image.data.length && opaque; i += 4) opaque = image.data[i] === 255;
    if (opaque) return image;
    // Without WebGL the canvas's colours are the best there is: a few bits off the server's.
    return { data: unpremultipliedPixels(bitmap) ?? image.data, width, height };
  } finally {
    bitmap.close();
  }
}

// PDQ of RGBA pixels by the WebAssembly core.
export async function hashPixels(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  grey: boolean,
): Promise<{ pdq: string; quality: number }> {
  const m = await pdqModule();
  const pixels = m._malloc(rgba.length);
  const out = m._malloc(72); // 65 bytes of hex, then the quality at +68
  if (!pixels || !out) {
    if (pixels) m._free(pixels);
    if (out) m._free(out);
    throw new HashError("too_large");
  }
  try {
    m.HEAPU8.set(rgba, pixels); // HEAPU8 is read after malloc: memory may have grown
    const quality = out + 68; // 4-byte aligned, after the 65-byte hex
    const rc = m._pdq_hash_rgba(pixels, width, height, grey ? 1 : 0, out, quality);
    if (rc !== 0) throw new HashError("unreadable");
    return { pdq: m.UTF8ToString(out), quality: m.HEAP32[quality >> 2] };
  } finally {
    m._free(pixels);
    m._free(out);
  }
}

export async function hashImageFile(file: Blob): Promise<ImageHash> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const format = sniffFormat(bytes);
  const image = await decode(withoutOrientation(bytes, format), file.type);
  const { pdq, quality } = await hashPixels(
    image.data,
    image.width,
    image.height,
    isGreyscale(bytes, format),
  );
  const result: ImageHash = { pdq, quality };
  if (globalThis.crypto?.subtle) {
    result.sha256 = hex(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  }
  return result;
}
