// Encoders for the media tests: small images written with each format's own library (BMP by
// hand), so the decoders are tested on real files without committing binary fixtures.
#include "media/test_encoders.h"

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <libheif/heif.h>
#include <png.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <algorithm>
#include <cstring>

namespace takedown::media::testing {
Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }
void PutLe(Bytes& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutBe(Bytes& b, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
// Deterministic samples in which neighbouring pixels and channels differ.
Bytes Pattern(int w, int h, int channels) {
  Bytes p(static_cast<size_t>(w) * h * channels);
  for (size_t i = 0; i < p.size(); ++i) {
    const size_t px = i / channels, x = px % w, y = px / w, c = i % channels;
    p[i] = static_cast<uint8_t>(x * 37 + y * 91 + c * 53 + 7);
  }
  return p;
}
Bytes Rgba(const Bytes& rgb, uint8_t alpha) {
  Bytes out;
  for (size_t i = 0; i < rgb.size(); i += 3) {
    out.insert(out.end(), {rgb[i], rgb[i + 1], rgb[i + 2], alpha});
  }
  return out;
}

// ---- encoders ----
static WebPPicture Picture(int w, int h, const Bytes& rgba) {
  WebPPicture pic;
  WebPPictureInit(&pic);
  pic.use_argb = 1;
  pic.width = w;
  pic.height = h;
  EXPECT_TRUE(WebPPictureImportRGBA(&pic, rgba.data(), w * 4));
  return pic;
}
Bytes EncodeWebp(int w, int h, const Bytes& rgba, bool lossless) {
  WebPConfig config;
  WebPConfigInit(&config);
  config.lossless = lossless;
  config.exact = 1;  // keep the colour of transparent pixels
  config.quality = 95;
  WebPPicture pic = Picture(w, h, rgba);
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  pic.writer = WebPMemoryWrite;
  pic.custom_ptr = &writer;
  EXPECT_TRUE(WebPEncode(&config, &pic));
  Bytes out(writer.mem, writer.mem + writer.size);
  WebPMemoryWriterClear(&writer);
  WebPPictureFree(&pic);
  return out;
}
Bytes EncodeAnimatedWebp(int w, int h, const std::vector<Bytes>& frames) {
  WebPAnimEncoderOptions options;
  WebPAnimEncoderOptionsInit(&options);
  WebPAnimEncoder* enc = WebPAnimEncoderNew(w, h, &options);
  WebPConfig config;
  WebPConfigInit(&config);
  config.lossless = 1;
  int t = 0;
  for (const Bytes& rgba : frames) {
    WebPPicture pic = Picture(w, h, rgba);
    EXPECT_TRUE(WebPAnimEncoderAdd(enc, &pic, t, &config));
    WebPPictureFree(&pic);
    t += 100;
  }
  WebPAnimEncoderAdd(enc, nullptr, t, nullptr);
  WebPData data;
  WebPDataInit(&data);
  EXPECT_TRUE(WebPAnimEncoderAssemble(enc, &data));
  Bytes out(data.bytes, data.bytes + data.size);
  WebPDataClear(&data);
  WebPAnimEncoderDelete(enc);
  return out;
}

// GIF: a 6x8 screen whose background is palette entry 2; frame 1 is 4x6 at (1,1) with index
// (x+y)%4, index 3 transparent; frame 2 covers the screen with index 1 (must be ignored).
const GifColorType kGifPalette[4] = {{10, 20, 30}, {200, 0, 0}, {0, 200, 0}, {0, 0, 200}};
Bytes EncodeGif(bool interlaced) {
  Bytes out;
  int err = 0;
  GifFileType* gif = EGifOpen(
      &out,
      [](GifFileType* g, const GifByteType* d, int n) {
        static_cast<Bytes*>(g->UserData)->insert(static_cast<Bytes*>(g->UserData)->end(), d, d + n);
        return n;
      },
      &err);
  EGifSetGifVersion(gif, true);
  ColorMapObject* map = GifMakeMapObject(4, kGifPalette);
  EGifPutScreenDesc(gif, 6, 8, 2, 2, map);
  GraphicsControlBlock gcb{DISPOSAL_UNSPECIFIED, false, 0, 3};
  GifByteType ext[4];
  EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(EGifGCBToExtension(&gcb, ext)),
                   ext);
  EGifPutImageDesc(gif, 1, 1, 4, 6, interlaced, nullptr);
  const int order[] = {0, 4, 2, 1, 3, 5};  // interlaced passes for 6 rows
  for (int i = 0; i < 6; ++i) {
    const int y = interlaced ? order[i] : i;
    GifPixelType row[4];
    for (int x = 0; x < 4; ++x) row[x] = static_cast<GifPixelType>((x + y) % 4);
    EGifPutLine(gif, row, 4);
  }
  EGifPutImageDesc(gif, 0, 0, 6, 8, false, nullptr);
  GifPixelType ones[6] = {1, 1, 1, 1, 1, 1};
  for (int y = 0; y < 8; ++y) EGifPutLine(gif, ones, 6);
  EGifCloseFile(gif, &err);
  GifFreeMapObject(map);
  return out;
}

// TIFF written through libtiff into memory.
struct MemFile {
  Bytes data;
  uint64_t pos = 0;
};
static TIFF* OpenTiffWriter(MemFile* f) {
  return TIFFClientOpen(
      "mem", "w", f,
      [](thandle_t h, void* buf, tmsize_t n) -> tmsize_t {
        auto* m = static_cast<MemFile*>(h);
        const auto k = std::min<uint64_t>(n, m->pos < m->data.size() ? m->data.size() - m->pos : 0);
        std::memcpy(buf, m->data.data() + m->pos, k);
        m->pos += k;
        return static_cast<tmsize_t>(k);
      },
      [](thandle_t h, void* buf, tmsize_t n) -> tmsize_t {
        auto* m = static_cast<MemFile*>(h);
        if (m->data.size() < m->pos + n) m->data.resize(m->pos + n);
        std::memcpy(m->data.data() + m->pos, buf, n);
        m->pos += n;
        return n;
      },
      [](thandle_t h, toff_t off, int whence) -> toff_t {
        auto* m = static_cast<MemFile*>(h);
        m->pos = (whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->data.size()) + off;
        return m->pos;
      },
      [](thandle_t) { return 0; },
      [](thandle_t h) -> toff_t { return static_cast<MemFile*>(h)->data.size(); },
      [](thandle_t, void**, toff_t*) { return 0; }, [](thandle_t, void*, toff_t) {});
}
// `samples` holds native-endian samples, packed.
Bytes EncodeTiff(const TiffSpec& s, const void* samples) {
  MemFile f;
  TIFF* tif = OpenTiffWriter(&f);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, s.w);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, s.h);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, s.spp);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, s.bps);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, s.photometric);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField(tif, TIFFTAG_ORIENTATION, s.orientation);
  if (s.extra != 0) TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &s.extra);
  const size_t pixel = s.spp * s.bps / 8, row = pixel * s.w;
  const auto* p = static_cast<const uint8_t*>(samples);
  if (s.tile != 0) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, s.tile);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, s.tile);
    Bytes buf(pixel * s.tile * s.tile);
    for (uint32_t ty = 0; ty < s.h; ty += s.tile) {
      for (uint32_t tx = 0; tx < s.w; tx += s.tile) {
        std::fill(buf.begin(), buf.end(), 0);
        for (uint32_t y = ty; y < std::min(s.h, ty + s.tile); ++y) {
          const size_t n = pixel * (std::min(s.w, tx + s.tile) - tx);
          std::memcpy(&buf[(y - ty) * pixel * s.tile], p + y * row + tx * pixel, n);
        }
        EXPECT_GE(TIFFWriteTile(tif, buf.data(), tx, ty, 0, 0), 0);
      }
    }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, s.rows_per_strip);
    Bytes line(row);
    for (uint32_t y = 0; y < s.h; ++y) {
      std::memcpy(line.data(), p + y * row, row);
      EXPECT_EQ(TIFFWriteScanline(tif, line.data(), y, 0), 1);
    }
  }
  TIFFClose(tif);
  return f.data;
}

// HEIF through whichever encoder libheif has (HEVC, else AV1); empty when it has none.
Bytes EncodeHeif(int w, int h, const Bytes& rgb) {
  Bytes out;
  heif_context* ctx = heif_context_alloc();
  heif_encoder* enc = nullptr;
  for (auto format : {heif_compression_HEVC, heif_compression_AV1}) {
    if (heif_context_get_encoder_for_format(ctx, format, &enc).code == heif_error_Ok) break;
    enc = nullptr;
  }
  if (enc != nullptr) {
    heif_encoder_set_lossy_quality(enc, 95);
    heif_encoder_set_logging_level(enc, 0);
    heif_image* img = nullptr;
    heif_image_create(w, h, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img);
    heif_image_add_plane(img, heif_channel_interleaved, w, h, 8);
    int stride = 0;
    uint8_t* plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
    for (int y = 0; y < h; ++y) std::memcpy(plane + y * stride, &rgb[y * w * 3], w * 3);
    EXPECT_EQ(heif_context_encode_image(ctx, img, enc, nullptr, nullptr).code, heif_error_Ok);
    heif_writer writer{1, [](heif_context*, const void* d, size_t n, void* user) {
                         auto* b = static_cast<Bytes*>(user);
                         b->insert(b->end(), static_cast<const uint8_t*>(d),
                                   static_cast<const uint8_t*>(d) + n);
                         return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
                       }};
    heif_context_write(ctx, &writer, &out);
    heif_image_release(img);
    heif_encoder_release(enc);
  }
  heif_context_free(ctx);
  return out;
}

// 24-bit BMP, bottom-up unless top_down (negative height), rows padded to 4 bytes.
Bytes EncodeBmp(int w, int h, const Bytes& rgb, bool top_down) {
  const int row = (w * 3 + 3) / 4 * 4;
  Bytes b = Str("BM");
  PutLe(b, 54 + row * h, 4);
  PutLe(b, 0, 4);
  PutLe(b, 54, 4);
  PutLe(b, 40, 4);
  PutLe(b, w, 4);
  PutLe(b, static_cast<uint32_t>(top_down ? -h : h), 4);
  PutLe(b, 1, 2);
  PutLe(b, 24, 2);
  for (int i = 0; i < 6; ++i) PutLe(b, 0, 4);
  for (int r = 0; r < h; ++r) {
    const int y = top_down ? r : h - 1 - r;
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = &rgb[(y * w + x) * 3];
      b.insert(b.end(), {p[2], p[1], p[0]});
    }
    b.resize(b.size() + row - w * 3, 0);
  }
  return b;
}

Bytes EncodePng(int w, int h, int channels, const Bytes& pixels, bool interlaced) {
  Bytes out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    ADD_FAILURE() << "libpng could not encode the test image";
    return {};
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t n) {
        auto* sink = static_cast<Bytes*>(png_get_io_ptr(p));
        sink->insert(sink->end(), data, data + n);
      },
      nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8,
               channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_bytep> rows(static_cast<size_t>(h));
  for (int y = 0; y < h; ++y) {
    rows[y] = const_cast<png_bytep>(pixels.data()) + static_cast<size_t>(y) * w * channels;
  }
  png_set_rows(png, info, rows.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace takedown::media::testing
