// GIF through giflib's low-level API, reading only as far as the first image (the first frame of
// an animation). The canvas is the logical screen, filled with the global palette's background
// colour (black without one); the frame is pasted at its offset, clipped to the screen, and its
// transparent pixels leave the background. The output is always RGB.
#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

struct GifJob {
  MemoryReader reader;
  DecodedImage out;
  std::vector<GifPixelType> line;
  std::array<GifColorType, 256> palette{};
  int transparent = NO_TRANSPARENT_COLOR;
};

int ReadFromMemory(GifFileType* gif, GifByteType* dest, int length) {
  auto* job = static_cast<GifJob*>(gif->UserData);
  if (length <= 0) return 0;
  return static_cast<int>(job->reader.Read(dest, static_cast<size_t>(length)));
}

Status FromGifError(int code) {
  if (code == D_GIF_ERR_READ_FAILED || code == D_GIF_ERR_EOF_TOO_SOON) {
    return Corrupt("the GIF file is truncated");
  }
  if (code == D_GIF_ERR_NOT_ENOUGH_MEM) return Internal("out of memory decoding the GIF file");
  const char* text = GifErrorString(code);
  return Corrupt(std::string("the GIF file is damaged: ") + (text ? text : "unreadable data"));
}

// Skips extension records up to the first image descriptor, noting the transparent colour of the
// graphic control extension that applies to it.
Status SeekFirstImage(GifFileType* gif, GifJob* job) {
  for (;;) {
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif, &type) == GIF_ERROR) return FromGifError(gif->Error);
    if (type == IMAGE_DESC_RECORD_TYPE) return Status::Ok();
    if (type == TERMINATE_RECORD_TYPE) return Corrupt("the GIF file is damaged: it has no image");
    if (type != EXTENSION_RECORD_TYPE) return Corrupt("the GIF file is damaged: bad record");
    int code = 0;
    GifByteType* block = nullptr;
    if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return FromGifError(gif->Error);
    if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr && block[0] >= 4) {
      GraphicsControlBlock gcb;
      if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK) {
        job->transparent = gcb.TransparentColor;
      }
    }
    while (block != nullptr) {
      if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return FromGifError(gif->Error);
    }
  }
}

void LoadPalette(const ColorMapObject* map, std::array<GifColorType, 256>& palette) {
  if (map == nullptr || map->Colors == nullptr) {
    // No palette at all: indices read as grey levels.
    for (int i = 0; i < 256; ++i) {
      const auto v = static_cast<GifByteType>(i);
      palette[i] = {v, v, v};
    }
    return;
  }
  palette.fill({0, 0, 0});  // indices past the palette's end read as black
  const int count = std::clamp(map->ColorCount, 0, 256);
  std::copy(map->Colors, map->Colors + count, palette.begin());
}

Status RunDecode(GifFileType* gif, GifJob* job, const DecodeOptions& options) {
  if (Status s = CheckDimensions(gif->SWidth, gif->SHeight, options, "GIF"); !s.ok()) return s;
  Image& image = job->out.image;
  image.width = gif->SWidth;
  image.height = gif->SHeight;
  image.channels = 3;
  job->out.format = ImageFormat::kGif;
  job->out.source_width = image.width;
  job->out.source_height = image.height;

  if (Status s = SeekFirstImage(gif, job); !s.ok()) return s;
  if (DGifGetImageDesc(gif) == GIF_ERROR) return FromGifError(gif->Error);
  const GifImageDesc& desc = gif->Image;
  if (Status s = CheckDimensions(desc.Width, desc.Height, options, "GIF"); !s.ok()) return s;

  GifColorType background{0, 0, 0};
  const ColorMapObject* global = gif->SColorMap;
  if (global != nullptr && gif->SBackGroundColor >= 0 &&
      gif->SBackGroundColor < global->ColorCount) {
    background = global->Colors[gif->SBackGroundColor];
  }
  const size_t pixel_count = static_cast<size_t>(image.width) * image.height;
  image.pixels.resize(pixel_count * 3);
  for (size_t i = 0; i < pixel_count; ++i) {
    image.pixels[3 * i] = background.Red;
    image.pixels[3 * i + 1] = background.Green;
    image.pixels[3 * i + 2] = background.Blue;
  }
  LoadPalette(desc.ColorMap != nullptr ? desc.ColorMap : global, job->palette);

  // Interlaced frames store rows in four passes: every 8th from 0, every 8th from 4, every 4th
  // from 2, every 2nd from 1.
  static constexpr int kStart[] = {0, 4, 2, 1};
  static constexpr int kStep[] = {8, 8, 4, 2};
  const int passes = desc.Interlace ? 4 : 1;
  job->line.resize(static_cast<size_t>(desc.Width));
  for (int pass = 0; pass < passes; ++pass) {
    const int start = desc.Interlace ? kStart[pass] : 0;
    const int step = desc.Interlace ? kStep[pass] : 1;
    for (int row = start; row < desc.Height; row += step) {
      if (DGifGetLine(gif, job->line.data(), desc.Width) == GIF_ERROR) {
        return FromGifError(gif->Error);
      }
      const int64_t y = static_cast<int64_t>(desc.Top) + row;
      if (y < 0 || y >= image.height) continue;
      uint8_t* dest = image.pixels.data() + static_cast<size_t>(y) * image.width * 3;
      for (int col = 0; col < desc.Width; ++col) {
        const int64_t x = static_cast<int64_t>(desc.Left) + col;
        if (x < 0 || x >= image.width) continue;
        const GifPixelType index = job->line[col];
        if (index == job->transparent) continue;
        const GifColorType& c = job->palette[index];
        dest[3 * x] = c.Red;
        dest[3 * x + 1] = c.Green;
        dest[3 * x + 2] = c.Blue;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<DecodedImage> DecodeGif(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  auto job = std::make_unique<GifJob>();
  job->reader.bytes = bytes;
  int error = 0;
  GifFileType* gif = DGifOpen(job.get(), ReadFromMemory, &error);
  // giflib reports running out of data under several codes; a short read says it plainly.
  if (gif == nullptr) return FromGifError(job->reader.short_read ? D_GIF_ERR_EOF_TOO_SOON : error);
  Status status = RunDecode(gif, job.get(), options);
  DGifCloseFile(gif, &error);
  if (!status.ok() && status.code() == StatusCode::kCorrupt && job->reader.short_read) {
    status = FromGifError(D_GIF_ERR_EOF_TOO_SOON);
  }
  if (!status.ok()) return status;
  return std::move(job->out);
}

}  // namespace takedown::media::internal
