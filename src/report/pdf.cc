#include "report/pdf.h"

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <variant>
#include <vector>

#include "report/markup.h"

namespace takedown::report {
namespace {

// A4 in points, 2 cm margins, the footer below the content.
constexpr double kPageWidth = 595.276, kPageHeight = 841.89, kMargin = 56.7;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kContentBottom = kPageHeight - 64;
constexpr double kCellPadX = 3, kCellPadY = 3;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.12, 0.14, 0.16}, kMuted{0.26, 0.29, 0.33}, kAccent{0, 0.447, 0.698};
constexpr Rgb kHeaderFill{0.91, 0.93, 0.96}, kZebra{0.965, 0.973, 0.98}, kRule{0.82, 0.84, 0.87};

// Text styles as Pango font descriptions; fontconfig picks the face for the language.
constexpr const char* kTitleFont = "sans-serif Bold 22";
constexpr const char* kSubtitleFont = "sans-serif 13";
constexpr const char* kHeadingFont = "sans-serif Bold 14";
constexpr const char* kBodyFont = "sans-serif 10";
constexpr const char* kStrongFont = "sans-serif Bold 10";
constexpr const char* kCellFont = "sans-serif 8.5";
constexpr const char* kHeaderCellFont = "sans-serif Bold 8";
constexpr const char* kNoteFont = "sans-serif 8";

using LayoutRef = std::shared_ptr<PangoLayout>;
using SvgRef = std::shared_ptr<RsvgHandle>;

// What a page is drawn from: pagination decides every position first, so page numbers can say
// "of N" and drawing is a plain replay.
struct TextOp {
  LayoutRef layout;
  double x, y;
  Rgb colour;
};
struct FillOp {
  double x, y, w, h;
  Rgb colour;
};
struct SvgOp {
  SvgRef svg;
  double x, y, w, h;
};
using Op = std::variant<TextOp, FillOp, SvgOp>;
using Page = std::vector<Op>;

double Height(const LayoutRef& l) {
  int w = 0, h = 0;
  pango_layout_get_size(l.get(), &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}
double NaturalWidth(const LayoutRef& l) {
  int w = 0, h = 0;
  pango_layout_get_size(l.get(), &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}
void SetWidth(const LayoutRef& l, double width, bool right) {
  pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_alignment(l.get(), right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
}

// One row of a grid (a table or the key figures): its cells laid out, and its height.
struct Row {
  std::vector<LayoutRef> cells;
  double height = 0;
};

// Lays a document out into pages. Not thread-safe; one per WritePdf call.
class Typesetter {
 public:
  explicit Typesetter(const std::string& language)
      : font_map_(pango_cairo_font_map_new()), context_(pango_font_map_create_context(font_map_)) {
    // 72 dpi makes one Pango point one PDF point; without hinting, text measures the same here
    // as it draws in the PDF.
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(font_map_), 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
    pango_context_set_language(context_, pango_language_from_string(language.c_str()));
    pages_.emplace_back();
  }
  ~Typesetter() {
    g_object_unref(context_);
    g_object_unref(font_map_);
  }
  Typesetter(const Typesetter&) = delete;
  Typesetter& operator=(const Typesetter&) = delete;

  Status Lay(const Document& doc) {
    Place(FillOp{kMargin, y_, 60, 4, kAccent});
    y_ += 14;
    PlaceText(Text(doc.title, kTitleFont, kContentWidth), kInk, 6);
    if (!doc.subtitle.empty())
      PlaceText(Text(doc.subtitle, kSubtitleFont, kContentWidth), kMuted, 14);
    for (const Section& section : doc.sections) {
      if (!section.heading.empty()) Heading(section.heading);
      for (const Block& block : section.blocks) {
        if (Status s = LayBlock(block); !s.ok()) return s;
      }
      Reserve(0);  // a heading with nothing under it
    }
    Footers(doc.title);
    return Status::Ok();
  }

  const std::vector<Page>& pages() const { return pages_; }

 private:
  LayoutRef Text(std::string_view text, const char* font, std::optional<double> width) {
    LayoutRef layout(pango_layout_new(context_), g_object_unref);
    PangoFontDescription* desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout.get(), desc);
    pango_font_description_free(desc);
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    const std::string clean = CleanText(text);
    pango_layout_set_text(layout.get(), clean.c_str(), static_cast<int>(clean.size()));
    if (width) SetWidth(layout, *width, false);
    return layout;
  }

  void Place(Op op) { pages_.back().push_back(std::move(op)); }
  void NewPage() {
    pages_.emplace_back();
    y_ = kMargin;
  }
  bool PageEmpty() const { return y_ == kMargin; }

  // Makes room for `height` (what must not be parted from a pending heading), on a new page if
  // need be, then places the pending heading.
  void Reserve(double height) {
    const double pending = heading_ ? Height(heading_) + 10 : 0;
    if (y_ + pending + height > kContentBottom && !PageEmpty()) NewPage();
    if (heading_) {
      PlaceText(heading_, kAccent, 2);
      Place(FillOp{kMargin, y_, kContentWidth, 0.8, kAccent});
      y_ += 8;
      heading_.reset();
    }
  }

  void PlaceText(const LayoutRef& layout, Rgb colour, double space_after) {
    Place(TextOp{layout, kMargin, y_, colour});
    y_ += Height(layout) + space_after;
  }

  void Heading(std::string_view text) {
    if (!PageEmpty()) y_ += 12;
    heading_ = Text(text, kHeadingFont, kContentWidth);
  }

  Status LayBlock(const Block& block) {
    if (const auto* p = std::get_if<Paragraph>(&block)) {
      LayoutRef layout = Text(p->text, kBodyFont, kContentWidth);
      Reserve(Height(layout));
      PlaceText(layout, kInk, 8);
    } else if (const auto* k = std::get_if<KeyFigures>(&block)) {
      std::vector<Row> rows;
      for (const KeyFigure& f : k->items) {
        rows.push_back(MakeRow(
            {Text(f.label, kBodyFont, std::nullopt), Text(f.value, kStrongFont, std::nullopt)},
            {kContentWidth * 0.75, kContentWidth * 0.25}, {false, true}));
      }
      Grid(std::nullopt, rows, {kContentWidth * 0.75, kContentWidth * 0.25}, std::nullopt);
      y_ += 8;
    } else if (const auto* t = std::get_if<Table>(&block)) {
      LayTable(*t);
    } else if (const auto* c = std::get_if<Chart>(&block)) {
      return LayChart(*c);
    }
    return Status::Ok();
  }

  // Cells sized to the column widths; numeric ones right-aligned.
  Row MakeRow(std::vector<LayoutRef> cells, const std::vector<double>& widths,
              const std::vector<bool>& numeric) {
    Row row{std::move(cells), 0};
    for (size_t c = 0; c < row.cells.size(); ++c) {
      SetWidth(row.cells[c], widths[c] - 2 * kCellPadX, c < numeric.size() && numeric[c]);
      row.height = std::max(row.height, Height(row.cells[c]) + 2 * kCellPadY);
    }
    return row;
  }

  // Places rows, starting a new page (and repeating the header) where the next does not fit.
  void Grid(const std::optional<Row>& header, const std::vector<Row>& rows,
            const std::vector<double>& widths, const std::optional<LayoutRef>& caption) {
    const double caption_height = caption ? Height(*caption) + 4 : 0;
    Reserve(caption_height + (header ? header->height : 0) + (rows.empty() ? 0 : rows[0].height));
    if (caption) PlaceText(*caption, kInk, 4);
    auto place_row = [&](const Row& row, std::optional<Rgb> fill) {
      if (fill) Place(FillOp{kMargin, y_, kContentWidth, row.height, *fill});
      double x = kMargin;
      for (size_t c = 0; c < row.cells.size(); ++c) {
        Place(TextOp{row.cells[c], x + kCellPadX, y_ + kCellPadY, kInk});
        x += widths[c];
      }
      y_ += row.height;
      Place(FillOp{kMargin, y_ - 0.5, kContentWidth, 0.5, kRule});
    };
    if (header) place_row(*header, kHeaderFill);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (y_ + rows[i].height > kContentBottom && !PageEmpty()) {
        NewPage();
        if (header) place_row(*header, kHeaderFill);
      }
      place_row(rows[i], header && i % 2 == 1 ? std::optional<Rgb>(kZebra) : std::nullopt);
    }
  }

  // How wide a column's header and cells are on one line, and their widest unbreakable piece.
  struct Extent {
    double header_line = 0, header_word = 0, cells_line = 0, cells_word = 0;
  };

  // Column widths that fill the page. A column wants its header and its widest cell each on one
  // line (a text column's cells at most 40% of the page); failing that, its cells on one line
  // and its header wrapped; failing that, its cells wrapped too. It always needs its widest word
  // and (numeric) its widest number whole: text wraps between words, never inside one. At each
  // step the widest columns give way first; room beyond every want goes to the text columns.
  static std::vector<double> ColumnWidths(const std::vector<Extent>& extents,
                                          const std::vector<bool>& numeric) {
    const size_t n = extents.size();
    auto is_text = [&](size_t c) { return !(c < numeric.size() && numeric[c]); };
    std::vector<double> want(n), cells(n), need(n);
    for (size_t c = 0; c < n; ++c) {
      const Extent& e = extents[c];
      need[c] = std::max(is_text(c) ? e.cells_word : e.cells_line, e.header_word);
      cells[c] = std::max(need[c],
                          is_text(c) ? std::min(e.cells_line, kContentWidth * 0.4) : e.cells_line);
      want[c] = std::max(cells[c], e.header_line);
    }
    auto total = [](const std::vector<double>& v) {
      return std::accumulate(v.begin(), v.end(), 0.0);
    };
    // Between `floor` and `ceiling`, every ceiling capped at the one width that fills the page.
    auto capped = [&](const std::vector<double>& floor, const std::vector<double>& ceiling) {
      auto width_at = [&](size_t c, double cap) {
        return std::max(floor[c], std::min(ceiling[c], cap));
      };
      double low = 0, high = *std::max_element(ceiling.begin(), ceiling.end());
      for (int i = 0; i < 40; ++i) {
        const double cap = (low + high) / 2;
        double sum = 0;
        for (size_t c = 0; c < n; ++c) sum += width_at(c, cap);
        (sum > kContentWidth ? high : low) = cap;
      }
      std::vector<double> widths(n);
      for (size_t c = 0; c < n; ++c) widths[c] = width_at(c, low);
      return widths;
    };
    if (total(want) > kContentWidth) {
      if (total(cells) <= kContentWidth) return capped(cells, want);
      if (total(need) <= kContentWidth) return capped(need, cells);
      std::vector<double> widths(n);
      for (size_t c = 0; c < n; ++c) widths[c] = kContentWidth * need[c] / total(need);
      return widths;
    }
    double text_want = 0;
    for (size_t c = 0; c < n; ++c) text_want += is_text(c) ? want[c] : 0;
    std::vector<double> widths(n);
    for (size_t c = 0; c < n; ++c) {
      const double share =
          text_want > 0 ? (is_text(c) ? want[c] / text_want : 0) : 1.0 / static_cast<double>(n);
      widths[c] = want[c] + (kContentWidth - total(want)) * share;
    }
    return widths;
  }

  // The width of the widest piece of an unwrapped layout between two places a line may break:
  // a word, or in Chinese a character. (Pango itself would break inside a word that does not
  // fit, so a narrow layout cannot tell.)
  static double LongestWord(const LayoutRef& l) {
    int count = 0;
    const PangoLogAttr* attrs = pango_layout_get_log_attrs_readonly(l.get(), &count);
    const char* text = pango_layout_get_text(l.get());
    double widest = 0, last = 0;
    for (int i = 1; i < count; ++i) {
      if (!attrs[i].is_line_break && i != count - 1) continue;
      // The end of the text has no character to ask the position of: its x is the line's width.
      double x = NaturalWidth(l);
      if (i != count - 1) {
        PangoRectangle at;
        pango_layout_index_to_pos(l.get(),
                                  static_cast<int>(g_utf8_offset_to_pointer(text, i) - text), &at);
        x = static_cast<double>(at.x) / PANGO_SCALE;
      }
      widest = std::max(widest, x - last);
      last = x;
    }
    return widest;
  }

  void LayTable(const Table& t) {
    size_t n = t.header.size();
    for (const auto& row : t.rows) n = std::max(n, row.size());
    auto layouts = [&](const std::vector<std::string>& texts, const char* font) {
      std::vector<LayoutRef> cells;
      for (size_t c = 0; c < n; ++c) {
        cells.push_back(Text(c < texts.size() ? texts[c] : "", font, std::nullopt));
      }
      return cells;
    };
    std::vector<LayoutRef> header_cells = layouts(t.header, kHeaderCellFont);
    std::vector<std::vector<LayoutRef>> body;
    std::vector<Extent> extents(n);
    for (size_t c = 0; c < n; ++c) {
      extents[c].header_line = NaturalWidth(header_cells[c]) + 2 * kCellPadX;
      extents[c].header_word = LongestWord(header_cells[c]) + 2 * kCellPadX;
    }
    for (const auto& texts : t.rows) {
      body.push_back(layouts(texts, kCellFont));
      for (size_t c = 0; c < n; ++c) {
        Extent& e = extents[c];
        e.cells_line = std::max(e.cells_line, NaturalWidth(body.back()[c]) + 2 * kCellPadX);
        e.cells_word = std::max(e.cells_word, LongestWord(body.back()[c]) + 2 * kCellPadX);
      }
    }
    const std::vector<double> widths = ColumnWidths(extents, t.numeric);
    std::vector<Row> rows;
    for (auto& cells : body) rows.push_back(MakeRow(std::move(cells), widths, t.numeric));
    std::optional<LayoutRef> caption;
    if (!t.caption.empty()) caption = Text(t.caption, kStrongFont, kContentWidth);
    Grid(MakeRow(std::move(header_cells), widths, t.numeric), rows, widths, caption);
    y_ += 4;
    for (const std::string& note : t.footnotes) {
      LayoutRef layout = Text(note, kNoteFont, kContentWidth);
      Reserve(Height(layout));
      PlaceText(layout, kMuted, 2);
    }
    y_ += 8;
  }

  Status LayChart(const Chart& chart) {
    const std::string& markup = chart.svg.markup();
    GError* error = nullptr;
    RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(markup.data()),
                                                   markup.size(), &error);
    if (handle == nullptr) {
      std::string why = error != nullptr ? error->message : "unknown error";
      if (error != nullptr) g_error_free(error);
      return Corrupt("A chart of the report could not be read: " + why + ".");
    }
    SvgRef svg(handle, g_object_unref);
    double w = 0, h = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(svg.get(), &w, &h) || w <= 0 || h <= 0) {
      return Corrupt("A chart of the report has no size.");
    }
    LayoutRef caption = Text(chart.caption, kNoteFont, kContentWidth);
    const double room = kContentBottom - kMargin - Height(caption) - 40;
    const double scale = std::min(kContentWidth / w, room / h);
    Reserve(h * scale + 6 + Height(caption));
    Place(SvgOp{svg, kMargin, y_, w * scale, h * scale});
    y_ += h * scale + 6;
    PlaceText(caption, kMuted, 12);
    return Status::Ok();
  }

  // "n / N" centred and the title on the left, below a rule, on every page.
  void Footers(std::string_view title) {
    const size_t total = pages_.size();
    for (size_t i = 0; i < total; ++i) {
      const double y = kContentBottom + 18;
      pages_[i].push_back(FillOp{kMargin, y - 6, kContentWidth, 0.5, kRule});
      LayoutRef number =
          Text(std::to_string(i + 1) + " / " + std::to_string(total), kNoteFont, std::nullopt);
      pages_[i].push_back(TextOp{number, (kPageWidth - NaturalWidth(number)) / 2, y, kMuted});
      LayoutRef name = Text(title, kNoteFont, kContentWidth / 2 - 30);
      pango_layout_set_ellipsize(name.get(), PANGO_ELLIPSIZE_END);
      pages_[i].push_back(TextOp{name, kMargin, y, kMuted});
    }
  }

  PangoFontMap* font_map_;
  PangoContext* context_;
  std::vector<Page> pages_;
  double y_ = kMargin;
  LayoutRef heading_;  // placed with the first thing that follows it
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Status Draw(cairo_t* cr, const Op& op) {
  if (const auto* t = std::get_if<TextOp>(&op)) {
    cairo_set_source_rgb(cr, t->colour.r, t->colour.g, t->colour.b);
    cairo_move_to(cr, t->x, t->y);
    pango_cairo_show_layout(cr, t->layout.get());
  } else if (const auto* f = std::get_if<FillOp>(&op)) {
    cairo_set_source_rgb(cr, f->colour.r, f->colour.g, f->colour.b);
    cairo_rectangle(cr, f->x, f->y, f->w, f->h);
    cairo_fill(cr);
  } else if (const auto* s = std::get_if<SvgOp>(&op)) {
    const RsvgRectangle viewport{s->x, s->y, s->w, s->h};
    GError* error = nullptr;
    if (!rsvg_handle_render_document(s->svg.get(), cr, &viewport, &error)) {
      std::string why = error != nullptr ? error->message : "unknown error";
      if (error != nullptr) g_error_free(error);
      return Corrupt("A chart of the report could not be drawn: " + why + ".");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> WritePdf(const Document& doc) {
  Typesetter typesetter(doc.language);
  if (Status s = typesetter.Lay(doc); !s.ok()) return s;

  std::string bytes;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(Append, &bytes, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, CleanText(doc.title).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Takedown");
  cairo_t* cr = cairo_create(surface);
  Status drawn;
  for (const Page& page : typesetter.pages()) {
    for (const Op& op : page) {
      if (drawn.ok()) drawn = Draw(cr, op);
    }
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!drawn.ok()) return drawn;
  if (status != CAIRO_STATUS_SUCCESS) {
    return IoError(std::string("The PDF could not be written: ") + cairo_status_to_string(status) +
                   ".");
  }
  return bytes;
}

}  // namespace takedown::report
