#include "discovery/edited_photo.h"

#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "media/media.h"

namespace takedown::discovery::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string EditedPhoto(const std::string& path, const Edit& edit) {
  const std::string bytes = ReadFile(path);
  auto decoded =
      media::DecodeImage({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, {});
  EXPECT_TRUE(decoded.ok());
  const media::Image& im = decoded->image;
  const int x0 = static_cast<int>(im.width * edit.crop);
  const int y0 = static_cast<int>(im.height * edit.crop);
  const int w = im.width - 2 * x0, h = im.height - 2 * y0, c = im.channels;
  const int bar = static_cast<int>(h * edit.letterbox);
  std::vector<uint8_t> out(static_cast<size_t>(w) * (h + 2 * bar) * c, 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int sx = edit.mirror ? x0 + w - 1 - x : x0 + x;
      const size_t from = edit.plain ? 0 : (static_cast<size_t>(y0 + y) * im.width + sx) * c;
      std::copy_n(&im.pixels[from], c, &out[(static_cast<size_t>(bar + y) * w + x) * c]);
    }
  }
  tjhandle tj = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(tj, out.data(), w, 0, h + 2 * bar, c == 3 ? TJPF_RGB : TJPF_GRAY, &jpeg,
                        &size, c == 3 ? TJSAMP_420 : TJSAMP_GRAY, 80, 0),
            0);
  std::string result(reinterpret_cast<char*>(jpeg), size);
  tjFree(jpeg);
  tjDestroy(tj);
  return result;
}

}  // namespace takedown::discovery::testing
