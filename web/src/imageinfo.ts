// What the browser's decoder needs to be told so that it hands the hasher the same pixels as the
// server's decoders (src/media, ../shared/spec/pdq.md section 2): read from the file's own bytes,
// on the device. Two things differ by default:
//  - greyscale files: the server hashes their single channel as luminance, while a browser gives
//    RGB with R = G = B, whose luminance formula is not exactly the grey value; so we say "grey".
//  - EXIF orientation: the server does not apply it; browsers do. We hand the decoder a copy of
//    the JPEG whose Orientation tag reads 1 (top-left), so no browser rotates it.

export type Format = "jpeg" | "png" | "gif" | "webp" | "bmp" | "other";

export function sniffFormat(b: Uint8Array): Format {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "gif";
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) return "webp";
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return "bmp";
  return "other";
}

// JPEG segments before the image data: [marker, offset of the segment's payload, payload length].
function* jpegSegments(b: Uint8Array): Generator<[number, number, number]> {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    if (length < 2) return;
    yield [marker, i + 4, length - 2];
    if (marker === 0xda || marker === 0xd9) return; // start of scan: headers are over
    i += 2 + length;
  }
}

const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

// True when the server's decoder would give one channel.
export function isGreyscale(b: Uint8Array, format: Format): boolean {
  if (format === "jpeg") {
    for (const [marker, at, length] of jpegSegments(b)) {
      if (isSof(marker) && length >= 6) return b[at + 5] === 1; // number of components
    }
    return false;
  }
  if (format === "png" && b.length > 25) {
    const colourType = b[25]; // IHDR: 0 grey, 4 grey + alpha
    return colourType === 0 || colourType === 4;
  }
  return false;
}

// A copy of the JPEG with its EXIF Orientation set to 1, or the bytes themselves when there is
// nothing to change.
export function withoutOrientation(b: Uint8Array, format: Format): Uint8Array {
  if (format !== "jpeg") return b;
  for (const [marker, at, length] of jpegSegments(b)) {
    if (marker !== 0xe1 || length < 14) continue;
    // "Exif\0\0" then a TIFF header.
    if (b[at] !== 0x45 || b[at + 1] !== 0x78 || b[at + 2] !== 0x69 || b[at + 3] !== 0x66) continue;
    const tiff = at + 6;
    const little = b[tiff] === 0x49;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const end = at + length;
    if (tiff + 8 > end) continue;
    const ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > end) continue;
    const entries = view.getUint16(ifd, little);
    for (let e = 0; e < entries; ++e) {
      const entry = ifd + 2 + e * 12;
      if (entry + 12 > end) break;
      if (view.getUint16(entry, little) !== 0x0112) continue;
      if (view.getUint16(entry + 8, little) === 1) return b;
      const copy = new Uint8Array(b);
      new DataView(copy.buffer).setUint16(entry + 8, 1, little);
      return copy;
    }
  }
  return b;
}
