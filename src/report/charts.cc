#include "report/charts.h"

#include <glib.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "report/format.h"
#include "report/markup.h"

namespace takedown::report {

// Builds the markup of one chart; the only maker of Svg values (svg.h).
class SvgWriter {
 public:
  SvgWriter(std::string_view id, std::string_view title, double width, double height)
      : id_(EscapeXml(id)) {
    out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(width) + "\" height=\"" +
            Num(height) + "\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
            "\" role=\"img\" aria-labelledby=\"" + id_ + "-title\">";
    out_ += "<title id=\"" + id_ + "-title\">" + EscapeXml(title) + "</title>";
    // Diagonal lines on white: reads as "no value here" in colour and in black-and-white print.
    out_ += "<defs><pattern id=\"" + id_ +
            "-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6e7781\" stroke-width=\"2\"/>"
            "</pattern></defs>";
    out_ += "<g font-family=\"sans-serif\" font-size=\"12\" fill=\"#1f2328\">";
  }

  // A bar (class "bar", tests count them) or a legend's swatch (class "legend").
  void Rect(std::string_view cls, double x, double y, double w, double h, std::string_view fill) {
    out_ += "<rect class=\"" + std::string(cls) + "\" x=\"" + Num(x) + "\" y=\"" + Num(y) +
            "\" width=\"" + Num(w) + "\" height=\"" + Num(h) + "\" fill=\"" + std::string(fill) +
            "\"/>";
  }
  // The same, hatched for a suppressed value.
  void HatchedRect(std::string_view cls, double x, double y, double w, double h) {
    out_ += "<rect class=\"" + std::string(cls) + " suppressed\" x=\"" + Num(x) + "\" y=\"" +
            Num(y) + "\" width=\"" + Num(w) + "\" height=\"" + Num(h) + "\" fill=\"url(#" + id_ +
            "-hatch)\" stroke=\"#57606a\" stroke-width=\"1\"/>";
  }
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke) {
    out_ += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" +
            Num(y2) + "\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"1\"/>";
  }
  // `anchor`: "start", "middle" or "end". Grey italic for a marker rather than a value.
  void Text(double x, double y, std::string_view text, std::string_view anchor, bool muted = false,
            int size = 12) {
    out_ += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + std::string(anchor) +
            "\"";
    if (size != 12) out_ += " font-size=\"" + std::to_string(size) + "\"";
    if (muted) out_ += " fill=\"#57606a\" font-style=\"italic\"";
    out_ += ">" + EscapeXml(text) + "</text>";
  }

  Svg Finish() && { return Svg(std::move(out_) + "</g></svg>"); }

 private:
  // std::to_chars ignores the C locale, which could otherwise write "12,5".
  static std::string Num(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
    return ec == std::errc() ? std::string(buf, end) : "0";
  }

  std::string id_;
  std::string out_;
};

namespace {

constexpr double kWidth = 640;
constexpr const char* kGrid = "#d0d7de";
// Okabe–Ito blue and orange: told apart with any colour vision and in greyscale.
constexpr const char* kColours[] = {"#0072B2", "#E69F00"};

// At most `max` characters, with an ellipsis when cut (the tables carry the full names).
std::string Shorten(std::string_view text, long max) {
  std::string clean = CleanText(text);
  if (g_utf8_strlen(clean.c_str(), -1) <= max) return clean;
  const char* end = g_utf8_offset_to_pointer(clean.c_str(), max - 1);
  return clean.substr(0, static_cast<size_t>(end - clean.c_str())) + "…";
}

// A round axis step (1, 2 or 5 times a power of ten) giving about four gridlines up to `max`.
double NiceStep(double max) {
  double rough = std::max(max, 1.0) / 4;
  double power = std::pow(10, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= rough) return std::max(1.0, m * power);
  }
  return std::max(1.0, 10 * power);
}

}  // namespace

Svg ShareBarChart(std::string_view id, std::string_view title,
                  const std::vector<std::string>& labels, const std::vector<Datum>& data) {
  constexpr double kLeft = 190, kRight = 560, kTop = 26, kRow = 26, kBar = 16;
  const double height = kTop + kRow * static_cast<double>(labels.size()) + 6;
  SvgWriter svg(id, title, kWidth, height);
  for (int i = 0; i <= 4; ++i) {
    double x = kLeft + (kRight - kLeft) * i / 4;
    svg.Line(x, kTop - 4, x, height - 6, kGrid);
    svg.Text(x, kTop - 10, FormatPercent(i / 4.0), "middle", false, 11);
  }
  for (size_t i = 0; i < labels.size() && i < data.size(); ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    const double baseline = y + kRow / 2 + 4;
    svg.Text(kLeft - 8, baseline, Shorten(labels[i], 28), "end");
    const Datum& d = data[i];
    if (d.value) {
      double w = std::clamp(*d.value, 0.0, 1.0) * (kRight - kLeft);
      svg.Rect("bar", kLeft, y + (kRow - kBar) / 2, w, kBar, kColours[0]);
      svg.Text(kLeft + w + 6, baseline, d.text, "start");
    } else if (d.suppressed) {
      svg.HatchedRect("bar", kLeft, y + (kRow - kBar) / 2, 18, kBar);
      svg.Text(kLeft + 24, baseline, d.text, "start", true);
    } else {
      svg.Text(kLeft + 6, baseline, d.text, "start", true);
    }
  }
  return std::move(svg).Finish();
}

Svg CountColumnChart(std::string_view id, std::string_view title,
                     const std::vector<std::string>& categories, const std::vector<Series>& series,
                     std::string_view suppressed_legend) {
  constexpr double kLeft = 60, kRight = 630, kPlot = 200, kBottomAxis = 36;
  bool any_suppressed = false;
  double max = 0;
  for (const Series& s : series) {
    for (const Datum& d : s.data) {
      any_suppressed |= d.suppressed;
      if (d.value) max = std::max(max, *d.value);
    }
  }
  const bool legend = series.size() > 1 || any_suppressed;
  const double top = legend ? 40 : 16;
  const double height = top + kPlot + kBottomAxis;
  const double base = top + kPlot;
  SvgWriter svg(id, title, kWidth, height);

  if (legend) {
    double x = kLeft;
    for (size_t s = 0; s < series.size() && s < std::size(kColours); ++s) {
      svg.Rect("legend", x, 8, 12, 12, kColours[s]);
      svg.Text(x + 18, 18, series[s].name, "start");
      x += 30 + 8 * static_cast<double>(g_utf8_strlen(series[s].name.c_str(), -1)) + 20;
    }
    if (any_suppressed) {
      svg.HatchedRect("legend", x, 8, 12, 12);
      svg.Text(x + 18, 18, suppressed_legend, "start", true);
    }
  }

  const double step = NiceStep(max);
  const double axis_max = step * std::max(1.0, std::ceil(max / step));
  for (double v = 0; v <= axis_max + step / 2; v += step) {
    double y = base - kPlot * v / axis_max;
    svg.Line(kLeft, y, kRight, y, kGrid);
    svg.Text(kLeft - 6, y + 4, FormatInteger(std::llround(v)), "end", false, 11);
  }

  const double n = static_cast<double>(std::max<size_t>(categories.size(), 1));
  const double group = (kRight - kLeft) / n;
  const double columns = static_cast<double>(std::min(series.size(), std::size(kColours)));
  const double column = std::min(40.0, group * 0.8 / std::max(columns, 1.0));
  // Values are printed on the columns only where they fit; the table beside has them all.
  const bool values_fit = column >= 30;
  // About twelve category labels at most, so month names never overlap.
  const size_t label_every = (categories.size() + 11) / 12;
  for (size_t c = 0; c < categories.size(); ++c) {
    const double gx = kLeft + group * static_cast<double>(c);
    if (c % std::max<size_t>(label_every, 1) == 0) {
      svg.Text(gx + group / 2, base + 16, Shorten(categories[c], 14), "middle", false, 11);
    }
    for (size_t s = 0; s < series.size() && s < std::size(kColours); ++s) {
      if (c >= series[s].data.size()) continue;
      const Datum& d = series[s].data[c];
      const double x = gx + (group - columns * column) / 2 + column * static_cast<double>(s);
      if (d.value) {
        double h = kPlot * std::max(0.0, *d.value) / axis_max;
        svg.Rect("bar", x, base - h, column, h, kColours[s]);
        if (values_fit) svg.Text(x + column / 2, base - h - 4, d.text, "middle", false, 11);
      } else if (d.suppressed) {
        svg.HatchedRect("bar", x, base - 8, column, 8);
        if (values_fit) svg.Text(x + column / 2, base - 12, d.text, "middle", true, 11);
      }
    }
  }
  svg.Line(kLeft, base, kRight, base, "#57606a");
  return std::move(svg).Finish();
}

}  // namespace takedown::report
