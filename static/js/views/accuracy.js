// Accuracy view: every published measurement in the corpus beside the app's prediction (with its
// 80 % band), the error, the source and the quoted line; a summary per category, leave-one-source-out
// and in-sample, against the targets; filters by category, engine and GPU; predicted vs measured on
// log-log axes with the y = x line. Everything from the engine (accuracy_report); filtering is display.
import { h, svg, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { livePanel } from "./common.js";
import { stackable } from "../components/stack.js";

const PAGE = 150;

function pct(x) {
  return x === null || x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`;
}

function summaryTable(report) {
  const { summary, category_labels: labels } = report;
  const cats = Object.keys(labels).filter((c) => summary.leave_one_source_out[c] || summary.in_sample[c]);
  const target = (c) => {
    const t = report.targets[c];
    return t ? `median ≤ ${t.median * 100}%` + (t.p90 ? `, p90 ≤ ${t.p90 * 100}%` : "") : "";
  };
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "accuracy-summary", "data-testid": "accuracy-summary" },
    h("caption", { text: `${summary.n_predicted} of ${summary.n_points} measurements predicted, from ${summary.n_sources} independent sources; `
      + `|error| = |predicted ÷ measured − 1|; band coverage of the 80 % bands (target ${report.targets.band_coverage.low * 100}–${report.targets.band_coverage.high * 100}%). ${report.band_basis}` }),
    h("thead", {}, h("tr", {}, ["category", "n", "leave-one-source-out median", "p90", "coverage", "in-sample median", "p90", "coverage", "target"]
      .map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, cats.map((c) => {
      const a = summary.leave_one_source_out[c] || {}, b = summary.in_sample[c] || {};
      return h("tr", { "data-category": c },
        h("th", { scope: "row", text: labels[c] }), h("td", { class: "num", text: String(a.n ?? b.n ?? 0) }),
        h("td", { class: "num", text: pct(a.median_abs_error) }), h("td", { class: "num", text: pct(a.p90_abs_error) }),
        h("td", { class: "num", text: pct(a.band_coverage) }), h("td", { class: "num", text: pct(b.median_abs_error) }),
        h("td", { class: "num", text: pct(b.p90_abs_error) }), h("td", { class: "num", text: pct(b.band_coverage) }),
        h("td", { class: "small", text: target(c) }));
    })))));
}

const W = 420, H = 320, L = 48, B = 36, T = 10, R = 10;

function scatter(rows, unit) {
  const pts = rows.filter((r) => r.predicted > 0 && r.measured > 0);
  if (!pts.length) return h("p", { class: "small", text: "No predicted points in this selection." });
  const all = pts.flatMap((r) => [r.predicted, r.measured]);
  const lo = Math.log10(Math.min(...all)) - 0.1, hi = Math.log10(Math.max(...all)) + 0.1;
  const x = (v) => L + (Math.log10(v) - lo) / (hi - lo) * (W - L - R);
  const y = (v) => H - B - (Math.log10(v) - lo) / (hi - lo) * (H - B - T);
  const ticks = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) ticks.push(10 ** e);
  return h("figure", { class: "accuracy-plot" },
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Predicted versus measured (${unit}), log-log, with the line y = x`, "data-testid": "accuracy-plot" },
      svg("line", { x1: x(10 ** lo), y1: y(10 ** lo), x2: x(10 ** hi), y2: y(10 ** hi), class: "fit-usable" }),
      svg("line", { x1: L, x2: L, y1: T, y2: H - B, class: "fit-axis" }), svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "fit-axis" }),
      ticks.map((v) => [svg("text", { x: x(v), y: H - B + 14, "text-anchor": "middle", class: "fit-label", text: formatNumber(v) }),
        svg("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", class: "fit-label", text: formatNumber(v) })]),
      pts.map((r) => svg("circle", { cx: x(r.predicted), cy: y(r.measured), r: 3, class: "accuracy-point", "data-testid": "accuracy-point" },
        svg("title", { text: `${r.model} on ${r.hardware} (${r.engine}): measured ${formatNumber(r.measured)}, predicted ${formatNumber(r.predicted)} ${r.unit}` }))),
      svg("text", { x: (L + W) / 2, y: H - 4, "text-anchor": "middle", class: "fit-label", text: `predicted (${unit})` }),
      svg("text", { x: 12, y: H / 2, transform: `rotate(-90 12 ${H / 2})`, "text-anchor": "middle", class: "fit-label", text: `measured (${unit})` })),
    h("figcaption", { class: "small", text: "Each dot one measurement; on the line the prediction is exact; above it reality is faster / larger." }));
}

function row(r) {
  const band = r.low === null ? "" : ` (${formatNumber(r.low)}–${formatNumber(r.high)})`;
  const src = r.source;
  const where = [src.repo, src.number ? `#${src.number}` : null, src.path].filter(Boolean).join(" ");
  return h("tr", { "data-testid": "accuracy-row" },
    h("td", { text: r.model }), h("td", { text: r.hardware }), h("td", { text: `${r.engine}${r.weights ? " · " + r.weights : ""}` }),
    h("td", { class: "num", text: r.predicted === null ? "—" : formatNumber(r.predicted) + band, title: r.not_predicted || "" }),
    h("td", { class: "num", text: `${formatNumber(r.measured)} ${r.unit}` }),
    h("td", { class: "num", text: r.error === null ? (r.not_predicted || "—") : `${r.error >= 0 ? "+" : ""}${(r.error * 100).toFixed(1)}%` }),
    h("td", { class: "small" }, h("details", {}, h("summary", { text: src.title || where }),
      h("blockquote", { text: r.quote }), h("p", { text: where }), r.notes ? h("p", { text: r.notes }) : null)));
}

export function accuracyView(ctx) {
  for (const key of Object.keys(ctx.state.inputs)) delete ctx.state.inputs[key];  // no inputs here (the scenario stays kept)
  const filters = { category: "decode_tokens_per_s", engine: "", hardware: "" };
  let report = null, shown = PAGE;
  const body = h("div", {});

  function draw() {
    if (!report) return;
    const rows = report.rows.filter((r) => (!filters.category || r.category === filters.category)
      && (!filters.engine || r.engine === filters.engine) && (!filters.hardware || r.hardware === filters.hardware));
    const select = (name, label, options, names = {}) => h("label", {}, `${label} `,
      h("select", { name, onchange: (e) => { filters[name] = e.target.value; shown = PAGE; draw(); } },
        h("option", { value: "", text: "all" }),
        options.map((o) => h("option", { value: o, selected: filters[name] === o, text: names[o] || o }))));
    const units = [...new Set(rows.map((r) => r.unit))];  // one plot per unit as printed (s/step is not tokens/s)
    replace(body,
      summaryTable(report),
      h("div", { class: "pickers accuracy-filters" }, select("category", "Category", report.filters.category, report.category_labels),
        select("engine", "Engine", report.filters.engine), select("hardware", "GPU", report.filters.hardware)),
      filters.category ? units.map((unit) => scatter(rows.filter((r) => r.unit === unit), unit))
        : h("p", { class: "small", text: "Choose a category to plot predicted against measured." }),
      h("div", { class: "table-wrap" }, stackable(h("table", { class: "accuracy-table" },
        h("caption", { text: `${rows.length} measurement(s); predicted with the app's own recipes and the calibration; the band is the 80 % interval` }),
        h("thead", {}, h("tr", {}, ["model", "hardware", "engine · weights", "predicted (band)", "measured", "error", "source and quote"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows.slice(0, shown).map(row))))),
      rows.length > shown ? h("button", { type: "button", onclick: () => { shown += PAGE; draw(); }, text: `Show more (${rows.length - shown} left)` }) : null);
  }

  const panel = livePanel(ctx, (result) => { report = result; draw(); return body; });
  panel.run("accuracy_report", {});
  return h("div", { class: "view view-accuracy", "data-testid": "accuracy" },
    h("h2", { text: "Accuracy — predictions held against published measurements" }),
    h("p", { class: "lede", text: "Every number below was measured by someone else and published with its source. The app predicts each "
      + "with the same functions its recipes use; the calibration was fitted on the corpus, and the leave-one-source-out "
      + "columns show how well it predicts a source it has not seen." }),
    panel.el);
}
