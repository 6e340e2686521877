#include "robust_transforms.h"

#include <cairo.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <numbers>

#include "media/media.h"

namespace takedown::bench {
namespace {

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

Surface ToSurface(const Rgb& im) {
  Surface s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, im.width, im.height),
            &cairo_surface_destroy);
  cairo_surface_flush(s.get());
  uint8_t* data = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  for (int y = 0; y < im.height; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(data + static_cast<size_t>(y) * stride);
    const uint8_t* p = im.pixels.data() + static_cast<size_t>(y) * im.width * 3;
    for (int x = 0; x < im.width; ++x, p += 3) {
      row[x] = 0xFF000000u | uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2];
    }
  }
  cairo_surface_mark_dirty(s.get());
  return s;
}

Rgb FromSurface(cairo_surface_t* s) {
  cairo_surface_flush(s);
  Rgb im{cairo_image_surface_get_width(s), cairo_image_surface_get_height(s), {}};
  im.pixels.resize(static_cast<size_t>(im.width) * im.height * 3);
  const uint8_t* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < im.height; ++y) {
    const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    uint8_t* p = im.pixels.data() + static_cast<size_t>(y) * im.width * 3;
    for (int x = 0; x < im.width; ++x, p += 3) {
      p[0] = row[x] >> 16 & 0xFF, p[1] = row[x] >> 8 & 0xFF, p[2] = row[x] & 0xFF;
    }
  }
  return im;
}

// A canvas to draw on, and the photo drawn into it.
struct Canvas {
  Surface surface;
  Context cr;
  Canvas(int w, int h)
      : surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, std::max(1, w), std::max(1, h)),
                &cairo_surface_destroy),
        cr(cairo_create(surface.get()), &cairo_destroy) {}
  void Fill(double r, double g, double b) {
    cairo_set_source_rgb(cr.get(), r, g, b);
    cairo_paint(cr.get());
  }
  // Draws `im` scaled into the rectangle (x, y, w, h).
  void Draw(const Rgb& im, double x, double y, double w, double h,
            cairo_filter_t filter = CAIRO_FILTER_GOOD) {
    Surface src = ToSurface(im);
    cairo_save(cr.get());
    cairo_rectangle(cr.get(), x, y, w, h);
    cairo_clip(cr.get());
    cairo_translate(cr.get(), x, y);
    cairo_scale(cr.get(), w / im.width, h / im.height);
    cairo_set_source_surface(cr.get(), src.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr.get()), filter);
    cairo_pattern_set_extend(cairo_get_source(cr.get()), CAIRO_EXTEND_PAD);
    cairo_paint(cr.get());
    cairo_restore(cr.get());
  }
  void Text(const char* text, double x, double y, double size, double grey) {
    cairo_select_font_face(cr.get(), "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr.get(), size);
    cairo_set_source_rgb(cr.get(), grey, grey, grey);
    cairo_move_to(cr.get(), x, y);
    cairo_show_text(cr.get(), text);
  }
  void Box(double x, double y, double w, double h, double r, double g, double b) {
    cairo_set_source_rgb(cr.get(), r, g, b);
    cairo_rectangle(cr.get(), x, y, w, h);
    cairo_fill(cr.get());
  }
  Rgb Take() { return FromSurface(surface.get()); }
};

Rgb Scale(const Rgb& im, int w, int h) {
  Canvas c(w, h);
  c.Draw(im, 0, 0, w, h);
  return c.Take();
}

Rgb CropPixels(const Rgb& im, int x0, int y0, int w, int h) {
  Rgb out{w, h, {}};
  out.pixels.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    std::copy_n(im.pixels.data() + (static_cast<size_t>(y0 + y) * im.width + x0) * 3, w * 3,
                out.pixels.data() + static_cast<size_t>(y) * w * 3);
  }
  return out;
}

// Keeps `area` of the photo (aspect kept) at (fx, fy) in 0..1 of the room left.
Rgb CropArea(const Rgb& im, double area, double fx, double fy) {
  const double side = std::sqrt(area);
  const int w = std::max(8, static_cast<int>(im.width * side));
  const int h = std::max(8, static_cast<int>(im.height * side));
  return CropPixels(im, static_cast<int>((im.width - w) * fx),
                    static_cast<int>((im.height - h) * fy), w, h);
}

Rgb Mirror(const Rgb& im) {
  Rgb out = im;
  for (int y = 0; y < im.height; ++y) {
    for (int x = 0; x < im.width; ++x) {
      std::copy_n(im.pixels.data() + (static_cast<size_t>(y) * im.width + x) * 3, 3,
                  out.pixels.data() + (static_cast<size_t>(y) * im.width + im.width - 1 - x) * 3);
    }
  }
  return out;
}

// A heavily blurred copy of the photo filling w x h (the "blurred background" of phone apps).
void BlurredFill(Canvas& c, const Rgb& im, int w, int h) {
  const Rgb tiny = Scale(im, std::max(2, im.width / 24), std::max(2, im.height / 24));
  const double cover =
      std::max(static_cast<double>(w) / im.width, static_cast<double>(h) / im.height);
  const double dw = im.width * cover, dh = im.height * cover;
  c.Draw(tiny, (w - dw) / 2, (h - dh) / 2, dw, dh, CAIRO_FILTER_BILINEAR);
  cairo_set_source_rgba(c.cr.get(), 0, 0, 0, 0.25);
  cairo_paint(c.cr.get());
}

enum class Fill { kBlack, kWhite, kBlur };

// Bars above and below (letterbox) or left and right (pillarbox), `bars` of the photo's side.
Rgb Border(const Rgb& im, bool letterbox, Fill fill, double bars) {
  const int w = letterbox ? im.width : static_cast<int>(im.width * (1 + bars));
  const int h = letterbox ? static_cast<int>(im.height * (1 + bars)) : im.height;
  Canvas c(w, h);
  if (fill == Fill::kBlur) {
    BlurredFill(c, im, w, h);
  } else {
    const double v = fill == Fill::kWhite ? 1 : 0;
    c.Fill(v, v, v);
  }
  c.Draw(im, (w - im.width) / 2.0, (h - im.height) / 2.0, im.width, im.height);
  return c.Take();
}

const char* const kCaptions[] = {"when she thought nobody was looking",
                                 "lol look at this",
                                 "found this on her old phone",
                                 "you know who this is",
                                 "throwback to last summer",
                                 "rate her 1-10"};

// A meme caption bar of 15-30% of the photo's height above or below it.
Rgb Caption(const Rgb& im, bool top, std::mt19937_64& rng) {
  const int bar = static_cast<int>(im.height * Uniform(rng, 0.15, 0.30));
  Canvas c(im.width, im.height + bar);
  const bool dark = rng() % 3 == 0;
  c.Fill(dark ? 0.05 : 1, dark ? 0.05 : 1, dark ? 0.05 : 1);
  c.Draw(im, 0, top ? bar : 0, im.width, im.height);
  const double size = std::max(9.0, bar * 0.32);
  const double y0 = top ? 0 : im.height;
  c.Text(kCaptions[rng() % std::size(kCaptions)], im.width * 0.05, y0 + bar * 0.45, size,
         dark ? 1 : 0);
  if (rng() % 2 == 0) c.Text("#repost #viral", im.width * 0.05, y0 + bar * 0.85, size * 0.8, 0.4);
  return c.Take();
}

// A phone screenshot (360 x 780 points): status bar, app bar, the photo fitted to the width,
// action icons and text under it, the navigation bar; light or dark theme.
Rgb Screenshot(const Rgb& im, std::mt19937_64& rng) {
  const int w = 360, h = 780;
  Canvas c(w, h);
  const bool dark = rng() % 2 == 0;
  const double bg = dark ? 0 : 1, fg = dark ? 0.95 : 0.1;
  c.Fill(bg, bg, bg);
  c.Text("9:41", 14, 18, 13, fg);
  for (int i = 0; i < 3; ++i) c.Box(290 + i * 20, 7, 14, 10, fg, fg, fg);
  c.Text("username_123", 50, 62, 15, fg);
  cairo_arc(c.cr.get(), 26, 57, 14, 0, 2 * std::numbers::pi);
  cairo_set_source_rgb(c.cr.get(), 0.8, 0.3, 0.5);
  cairo_fill(c.cr.get());
  const double ph = w * static_cast<double>(im.height) / im.width;
  const double top = 84;
  c.Draw(im, 0, top, w, std::min(ph, 560.0));
  const double below = top + std::min(ph, 560.0) + 10;
  for (int i = 0; i < 4; ++i) c.Box(14 + i * 36, below, 22, 20, fg, fg, fg);
  c.Text("1,024 likes", 14, below + 44, 13, fg);
  c.Text(kCaptions[rng() % std::size(kCaptions)], 14, below + 64, 12, fg);
  c.Box(0, h - 48, w, 48, dark ? 0.08 : 0.94, dark ? 0.08 : 0.94, dark ? 0.08 : 0.94);
  for (int i = 0; i < 3; ++i) c.Box(70 + i * 100, h - 32, 18, 18, fg, fg, fg);
  return c.Take();
}

// Rotates by 1-5 degrees either way and crops to the largest centred box without corners.
Rgb RotateCrop(const Rgb& im, std::mt19937_64& rng) {
  const double degrees = Uniform(rng, 1, 5) * (rng() % 2 ? 1 : -1);
  const double a = std::abs(degrees) * std::numbers::pi / 180;
  // The centred box of the original's aspect that fits inside the rotated photo.
  const double k =
      1 / (std::cos(a) + std::sin(a) * std::max(static_cast<double>(im.width) / im.height,
                                                static_cast<double>(im.height) / im.width));
  const int w = static_cast<int>(im.width * k), h = static_cast<int>(im.height * k);
  Canvas c(w, h);
  Surface src = ToSurface(im);
  cairo_translate(c.cr.get(), w / 2.0, h / 2.0);
  cairo_rotate(c.cr.get(), degrees * std::numbers::pi / 180);
  cairo_translate(c.cr.get(), -im.width / 2.0, -im.height / 2.0);
  cairo_set_source_surface(c.cr.get(), src.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(c.cr.get()), CAIRO_FILTER_GOOD);
  cairo_paint(c.cr.get());
  return c.Take();
}

// The photo in one cell of a cols x rows grid, the other cells other photos, 4 px gutters.
Rgb Collage(const Rgb& im, const Fillers& fillers, int cols, int rows, std::mt19937_64& rng) {
  const int cell_w = im.width, cell_h = im.height, gutter = 4;
  const int w = cols * cell_w + (cols - 1) * gutter, h = rows * cell_h + (rows - 1) * gutter;
  Canvas c(w, h);
  c.Fill(1, 1, 1);
  const int mine = static_cast<int>(rng() % (cols * rows));
  for (int i = 0, f = 0; i < cols * rows; ++i) {
    const Rgb& photo = i == mine ? im : *fillers.photos[f++ % fillers.photos.size()];
    // Each cell is filled (cropped to the cell's aspect, centred), as collage apps do.
    const double cover = std::max(static_cast<double>(cell_w) / photo.width,
                                  static_cast<double>(cell_h) / photo.height);
    const double dw = photo.width * cover, dh = photo.height * cover;
    const double x = (i % cols) * (cell_w + gutter), y = (i / cols) * (cell_h + gutter);
    cairo_save(c.cr.get());
    cairo_rectangle(c.cr.get(), x, y, cell_w, cell_h);
    cairo_clip(c.cr.get());
    c.Draw(photo, x + (cell_w - dw) / 2, y + (cell_h - dh) / 2, dw, dh);
    cairo_restore(c.cr.get());
  }
  // Collages are posted at phone size.
  const double fit = std::min(1.0, 1080.0 / std::max(w, h));
  Rgb out = c.Take();
  return fit < 1 ? Scale(out, static_cast<int>(w * fit), static_cast<int>(h * fit)) : out;
}

// 1-3 round emoji-like stickers covering 5-15% of the photo in all.
Rgb Stickers(const Rgb& im, std::mt19937_64& rng) {
  Canvas c(im.width, im.height);
  c.Draw(im, 0, 0, im.width, im.height);
  const int n = 1 + static_cast<int>(rng() % 3);
  const double total = Uniform(rng, 0.05, 0.15) * im.width * im.height;
  for (int i = 0; i < n; ++i) {
    const double r = std::sqrt(total / n / std::numbers::pi);
    const double x = Uniform(rng, r, im.width - r), y = Uniform(rng, r, im.height - r);
    cairo_t* cr = c.cr.get();
    cairo_arc(cr, x, y, r, 0, 2 * std::numbers::pi);
    cairo_set_source_rgb(cr, 1, 0.8, 0.1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.6, 0.4, 0);
    cairo_set_line_width(cr, std::max(1.0, r / 12));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.2, 0.1, 0);
    for (double side : {-1.0, 1.0}) {
      cairo_arc(cr, x + side * r * 0.35, y - r * 0.25, r * 0.12, 0, 2 * std::numbers::pi);
      cairo_fill(cr);
    }
    cairo_arc(cr, x, y + r * 0.1, r * 0.5, 0.15 * std::numbers::pi, 0.85 * std::numbers::pi);
    cairo_stroke(cr);
  }
  return c.Take();
}

using Fn = std::function<Rgb(const Rgb&, const Fillers&, std::mt19937_64&)>;

Fn CropCentre() {
  return [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return CropArea(im, Uniform(rng, 0.70, 0.92), 0.5, 0.5);
  };
}
Fn CropCorner() {
  return [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return CropArea(im, Uniform(rng, 0.70, 0.92), static_cast<double>(rng() % 2),
                    static_cast<double>(rng() % 2));
  };
}
Fn BorderFn(bool letterbox, Fill fill) {
  return [=](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return Border(im, letterbox, fill, Uniform(rng, 0.10, 0.60));
  };
}
Fn MirrorCrop() {
  return [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return CropArea(Mirror(im), Uniform(rng, 0.75, 0.95), Uniform(rng, 0, 1), Uniform(rng, 0, 1));
  };
}
Fn Then(Fn first, Fn second) {
  return [=](const Rgb& im, const Fillers& f, std::mt19937_64& rng) {
    return second(first(im, f, rng), f, rng);
  };
}
Fn Resize30() {
  return [](const Rgb& im, const Fillers&, std::mt19937_64&) {
    return Scale(im, std::max(8, im.width * 3 / 10), std::max(8, im.height * 3 / 10));
  };
}

}  // namespace

Rgb JpegRoundTrip(const Rgb& image, int quality) {
  tjhandle enc = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  tjCompress2(enc, image.pixels.data(), image.width, 0, image.height, TJPF_RGB, &jpeg, &size,
              TJSAMP_420, quality, TJFLAG_ACCURATEDCT);
  tjDestroy(enc);
  Rgb out{image.width, image.height, {}};
  out.pixels.resize(image.pixels.size());
  tjhandle dec = tjInitDecompress();
  tjDecompress2(dec, jpeg, size, out.pixels.data(), out.width, 0, out.height, TJPF_RGB,
                TJFLAG_ACCURATEDCT);
  tjDestroy(dec);
  tjFree(jpeg);
  return out;
}

std::vector<Transform> TransformSuite() {
  const auto caption = [](bool top) {
    return Fn(
        [=](const Rgb& im, const Fillers&, std::mt19937_64& rng) { return Caption(im, top, rng); });
  };
  const Fn screenshot = [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return Screenshot(im, rng);
  };
  const Fn rotate = [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return RotateCrop(im, rng);
  };
  const Fn collage22 = [](const Rgb& im, const Fillers& f, std::mt19937_64& rng) {
    return Collage(im, f, 2, 2, rng);
  };
  const Fn collage31 = [](const Rgb& im, const Fillers& f, std::mt19937_64& rng) {
    return rng() % 2 ? Collage(im, f, 3, 1, rng) : Collage(im, f, 1, 3, rng);
  };
  const Fn stickers = [](const Rgb& im, const Fillers&, std::mt19937_64& rng) {
    return Stickers(im, rng);
  };
  std::vector<Transform> suite = {
      {"crop centre 70-92%", CropCentre()},
      {"crop corner 70-92%", CropCorner()},
      {"letterbox black", BorderFn(true, Fill::kBlack)},
      {"letterbox white", BorderFn(true, Fill::kWhite)},
      {"letterbox blurred", BorderFn(true, Fill::kBlur)},
      {"pillarbox black", BorderFn(false, Fill::kBlack)},
      {"pillarbox white", BorderFn(false, Fill::kWhite)},
      {"pillarbox blurred", BorderFn(false, Fill::kBlur)},
      {"caption bar top", caption(true)},
      {"caption bar bottom", caption(false)},
      {"phone screenshot", screenshot},
      {"mirror + crop", MirrorCrop()},
      {"rotate 1-5 deg + crop", rotate},
      {"collage 2x2", collage22},
      {"collage 3x1", collage31},
      {"stickers 5-15%", stickers},
      {"resize 30% + JPEG q30", Resize30(), 30},
      {"crop centre + caption top", Then(CropCentre(), caption(true))},
      {"crop corner + stickers", Then(CropCorner(), stickers)},
      {"mirror + crop + caption bottom", Then(MirrorCrop(), caption(false))},
      {"crop corner + screenshot", Then(CropCorner(), screenshot)},
      {"letterbox white + resize 30% q30", Then(BorderFn(true, Fill::kWhite), Resize30()), 30},
      {"pillarbox black + stickers", Then(BorderFn(false, Fill::kBlack), stickers)},
      {"rotate + letterbox blurred", Then(rotate, BorderFn(true, Fill::kBlur))},
      {"collage 2x2 + stickers", Then(collage22, stickers)},
  };
  return suite;
}

Rgb UnrelatedImage(const Rgb& a, const Rgb& b, std::mt19937_64& rng) {
  Rgb part = CropArea(a, Uniform(rng, 0.15, 0.45), Uniform(rng, 0, 1), Uniform(rng, 0, 1));
  if (rng() % 2) part = Mirror(part);
  const double long_side = Uniform(rng, 160, 420);
  const double k = long_side / std::max(part.width, part.height);
  const int w = std::max(16, static_cast<int>(part.width * k));
  const int h = std::max(16, static_cast<int>(part.height * k));
  const bool pair = rng() % 3 == 0;
  Canvas c(pair ? w * 2 : w, h);
  c.Draw(part, 0, 0, w, h);
  if (pair) {
    const Rgb other = CropArea(b, Uniform(rng, 0.15, 0.45), Uniform(rng, 0, 1), Uniform(rng, 0, 1));
    c.Draw(other, w, 0, w, h);
  }
  cairo_set_source_rgba(c.cr.get(), Uniform(rng, 0, 1), Uniform(rng, 0, 1), Uniform(rng, 0, 1),
                        Uniform(rng, 0.05, 0.3));
  cairo_paint(c.cr.get());
  return c.Take();
}

std::vector<Rgb> LoadPhotos(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Rgb> photos;
  for (const auto& p : paths) {
    auto bytes = media::ReadFileLimited(p, 64 << 20);
    if (!bytes.ok()) continue;
    auto decoded = media::DecodeImage(*bytes, {});
    if (!decoded.ok()) continue;
    const media::Image& im = decoded->image;
    Rgb rgb{im.width, im.height, {}};
    rgb.pixels.resize(static_cast<size_t>(im.width) * im.height * 3);
    for (size_t i = 0; i < static_cast<size_t>(im.width) * im.height; ++i) {
      for (int c = 0; c < 3; ++c) {
        rgb.pixels[i * 3 + c] = im.pixels[i * im.channels + (im.channels == 3 ? c : 0)];
      }
    }
    photos.push_back(std::move(rgb));
  }
  return photos;
}

}  // namespace takedown::bench
