// The statistics view's charts (docs/web.md): horizontal bars drawn as SVG with DOM calls, no
// chart library and no style attributes (the CSP is style-src 'self': presentation attributes and
// classes from staff-stats.css only). As in the server's report (src/report/charts.cc), a withheld
// value is drawn as what it is (a small hatched mark labelled "[c]"), never as a bar of zero, and a
// value that cannot be measured is labelled "–" with no bar. Every bar carries its value as text,
// so colour is never the only cue; each chart is role="img" with an aria-label that lists its
// numbers, and the view puts the same numbers in a table beside it.
import { t } from "./i18n";

const SVG = "http://www.w3.org/2000/svg";
export const WITHHELD = "[c]";
export const NONE = "–";

// The statistics JSON beyond what staff-api.ts declares (docs/statistics.md, "Exports").
export interface Bucket {
  max_hours: number | null;
  count: number | null;
}
export interface Recipient {
  recipient?: string;
  id?: string;
  name: string;
  kind?: string;
  notices_sent: number | null;
  acknowledged?: number | null;
  acted_on: number | null;
  never_responded: number | null;
  removal_rate: number | null;
  time_to_removal: { n: number | null; median_hours: number | null; p90_hours: number | null; buckets?: Bucket[] };
}
export interface Jurisdiction {
  jurisdiction: string;
  cases: number | null;
  urls_found: number | null;
  urls_removed: number | null;
  removal_rate: number | null;
  time_to_removal: Recipient["time_to_removal"];
}
export interface Month {
  month: string;
  cases: number | null;
  urls_found: number | null;
  urls_removed: number | null;
  notices_sent: number | null;
}

// One value a chart shows: null with `withheld` is a withheld count, null without it is "not
// measurable"; `text` is the formatted value printed beside the bar.
export interface Datum {
  value: number | null;
  withheld: boolean;
  text: string;
}
export interface Series {
  key: string; // data-series of its bars
  name: string; // the legend's and the summary's word
  data: Datum[]; // one per category
}
export interface Chart {
  id: string; // unique in the page (the hatch pattern's id)
  title: string;
  categories: string[];
  series: Series[];
  max?: number; // the axis's end (1 for shares); default: the largest value
}

// Fills: the dashboard's blue, a dark orange and a dark purple, each at least 4.5:1 on white
// (WCAG AA for text, above the 3:1 graphics need); the third series is also outlined only, so the
// series differ in shape as well as colour (and the legend and the bars are in the same order).
const FILLS = ["#1d4e89", "#a34700", "#ffffff"];
const STROKES = ["none", "none", "#5b2a86"];
const INK = "#1b1b1f";
const GRID = "#6b6f78";

// Layout in viewBox units: 360 wide, so on a 360 px phone a 14-unit font is about 12 px.
const W = 360;
const LABEL = 100; // the category names' column
const VALUE = 44; // room after the longest bar for its value
const BAR = 16;
const GAP = 4;
const GROUP_GAP = 12;
const FONT = 14;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// At most `max` columns (a CJK character takes two), with an ellipsis when cut (the table has the
// full names).
const columns = (ch: string) => (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1);
function shorten(text: string, max: number): string {
  let width = 0;
  let out = "";
  for (const ch of text) {
    width += columns(ch);
    if (width > max) return `${out}…`;
    out += ch;
  }
  return out;
}

// The words a screen reader hears: the title, then per category its values.
export function summary(chart: Chart): string {
  const items = chart.categories.map((label, i) => {
    const values = chart.series.map((s) => {
      const d = s.data[i]!;
      const value = d.withheld ? t("stats_chart_withheld") : d.value === null ? t("stats_chart_none") : d.text;
      return chart.series.length === 1 ? value : t("stats_chart_series_value", { series: s.name, value });
    });
    return t("stats_chart_item", { label, values: values.join(", ") });
  });
  return items.length ? `${chart.title}. ${items.join("; ")}.` : `${chart.title}.`;
}

// The chart as <figure class="chart">: the SVG, and a note when something in it is withheld.
export function drawChart(chart: Chart): HTMLElement {
  const perGroup = chart.series.length * BAR + (chart.series.length - 1) * GAP;
  const legend = chart.series.length > 1 ? 28 : 0;
  const top = legend + 6;
  const height = top + chart.categories.length * (perGroup + GROUP_GAP) + 4;
  const values = chart.series.flatMap((s) => s.data.map((d) => d.value ?? 0));
  const max = chart.max ?? Math.max(1, ...values);
  const span = W - LABEL - VALUE;
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${height}`,
    width: "100%",
    role: "img",
    "aria-label": summary(chart),
    "font-size": FONT,
    "font-family": "system-ui, sans-serif",
    fill: INK,
    class: "chart-svg",
    "data-chart": chart.id,
  });
  root.append(svg("title", {}, chart.title));
  // Diagonal lines on white: "no value here" in colour and in greyscale, as in the report.
  const hatch = svg("pattern", {
    id: `${chart.id}-hatch`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)",
  });
  hatch.append(svg("rect", { width: 6, height: 6, fill: "#ffffff" }), svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: GRID, "stroke-width": 2 }));
  const defs = svg("defs");
  defs.append(hatch);
  root.append(defs);

  if (legend) {
    let x = 4;
    chart.series.forEach((s, i) => {
      const item = svg("g", { "data-legend": s.key });
      item.append(
        svg("rect", { x, y: 6, width: 12, height: 12, fill: FILLS[i]!, stroke: STROKES[i] === "none" ? FILLS[i]! : STROKES[i]!, "stroke-width": 2 }),
        svg("text", { x: x + 16, y: 16 }, shorten(s.name, 14)),
      );
      root.append(item);
      const shown = [...shorten(s.name, 14)].reduce((sum, ch) => sum + columns(ch), 0);
      x += 16 + shown * 8 + 14;
    });
  }
  // The axis line where the bars start.
  root.append(svg("line", { x1: LABEL, y1: top - 2, x2: LABEL, y2: height - 2, stroke: GRID, "stroke-width": 1 }));

  let anyWithheld = false;
  chart.categories.forEach((label, c) => {
    const y0 = top + c * (perGroup + GROUP_GAP);
    const group = svg("g", { "data-category": label });
    group.append(svg("text", { x: LABEL - 6, y: y0 + perGroup / 2 + FONT / 2 - 2, "text-anchor": "end" }, shorten(label, 10)));
    chart.series.forEach((s, i) => {
      const d = s.data[c]!;
      const y = y0 + i * (BAR + GAP);
      const bar = svg("g", {
        class: "chart-bar",
        "data-series": s.key,
        "data-value": d.value === null ? "" : String(d.value),
        "data-state": d.withheld ? "withheld" : d.value === null ? "none" : "value",
      });
      let end = LABEL;
      if (d.withheld) {
        anyWithheld = true;
        bar.append(svg("rect", { x: LABEL, y, width: 14, height: BAR, fill: `url(#${chart.id}-hatch)`, stroke: GRID, "stroke-width": 1 }));
        end = LABEL + 14;
      } else if (d.value !== null && d.value > 0) {
        const width = Math.max(1, (Math.min(d.value, max) / max) * span);
        bar.append(svg("rect", { x: LABEL, y, width, height: BAR, fill: FILLS[i]!, stroke: STROKES[i]!, "stroke-width": 2 }));
        end = LABEL + width;
      }
      const text = d.withheld ? WITHHELD : d.value === null ? NONE : d.text;
      bar.append(svg("text", { x: end + 4, y: y + BAR - 4, class: "chart-value" }, text));
      group.append(bar);
    });
    root.append(group);
  });

  const figure = document.createElement("figure");
  figure.className = "chart";
  figure.append(root);
  if (anyWithheld) {
    const note = document.createElement("figcaption");
    note.className = "hint chart-note";
    note.textContent = t("stats_chart_withheld_note");
    figure.append(note);
  }
  return figure;
}
