// A decoded video frame's own YUV planes turned into RGB the way the server's vPDQ does it
// (../shared/spec/pdq.md section 5: swscale with no colour-space details set, as the reference
// vPDQ does): BT.601 coefficients, limited range (Y 16..235), and 4:2:0 chroma used for each 2x2
// block of pixels, as swscale's unscaled YUV -> RGB converter does. Browsers convert with the
// matrix the stream declares (BT.709 for HD, usually), which moves an HD frame's PDQ by 15-25 bits;
// converting here keeps it within a few bits of `takedown hash` (docs/web.md).
//
// Only 8-bit I420 (and I420A) and NV12 are converted here; other layouts (10-bit, 4:4:4) answer
// null and the caller falls back to the browser's conversion.

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

export async function rgbaOfFrame(
  frame: VideoFrame,
): Promise<{ data: Uint8Array; width: number; height: number } | null> {
  const format = frame.format;
  if (format !== "I420" && format !== "I420A" && format !== "NV12") return null;
  const rect = frame.visibleRect;
  if (!rect || rect.x % 2 || rect.y % 2) return null;
  const { width, height } = rect;
  const buffer = new Uint8Array(frame.allocationSize());
  const layout = await frame.copyTo(buffer);
  const [y, u] = layout;
  const v = format === "NV12" ? null : layout[2];
  const out = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; ++row) {
    const yRow = y.offset + row * y.stride;
    const uRow = u.offset + (row >> 1) * u.stride;
    const vRow = v ? v.offset + (row >> 1) * v.stride : 0;
    let o = row * width * 4;
    for (let col = 0; col < width; ++col, o += 4) {
      const c = col >> 1;
      const luma = 1.164383 * (buffer[yRow + col] - 16);
      const cb = (v ? buffer[uRow + c] : buffer[uRow + 2 * c]) - 128;
      const cr = (v ? buffer[vRow + c] : buffer[uRow + 2 * c + 1]) - 128;
      out[o] = clamp(luma + 1.596027 * cr);
      out[o + 1] = clamp(luma - 0.391762 * cb - 0.812968 * cr);
      out[o + 2] = clamp(luma + 2.017232 * cb);
      out[o + 3] = 255;
    }
  }
  return { data: out, width, height };
}
