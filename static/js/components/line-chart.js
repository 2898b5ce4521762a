// A recipe's line chart (result.charts): series with their 80 % bands, zones of y, the answer
// marked. Data, axes, labels and zones come from the engine (recipes/charts.py); this only positions.
import { h, svg } from "../dom.js";
import { formatNumber } from "../format.js";
import { CHAR, fittedChart, scaleOf, xAxis, yAxis, yMargin } from "./axes.js";

const H = 240, T = 22, B = 42, R = 16;

export function lineChart(chart) {
  const legend = chart.series.map((s, i) => h("span", { class: "legend-item" }, h("span", { class: `swatch series-${i}-swatch`, "aria-hidden": "true" }), ` ${s.label}  `));
  return fittedChart((w) => linePlot(chart, w), (plot) => h("figure", { class: "line-chart", "data-testid": "line-chart", "data-chart": chart.id },
    h("figcaption", { class: "chart-title", text: `${chart.title} (${chart.y_label})` }),
    plot,
    h("p", { class: "small" }, legend, chart.series.some((s) => s.points.length && s.points[0].low !== undefined) ? "— shaded: the 80 % band" : "",
      chart.zones.length ? " — background: the zones" : "")));
}

function linePlot(chart, W) {
  const L = yMargin(chart.y_axis);
  const x = scaleOf(chart.x_axis, L, W - R);
  const yRaw = scaleOf(chart.y_axis, H - B, T);
  const y = (v) => yRaw(Math.min(Math.max(v, chart.y_axis.min), chart.y_axis.max));
  const parts = [];
  for (const z of chart.zones) {
    const top = y(Math.min(z.to, chart.y_axis.max)), bottom = y(Math.max(z.from, chart.y_axis.min));
    if (bottom - top > 0.5) parts.push(svg("rect", { x: L, y: top, width: W - L - R, height: bottom - top, class: `chart-zone zone-${z.level}` },
      svg("title", { text: z.label })));
  }
  parts.push(...yAxis(chart.y_axis, y, L, W - R),
    svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "chart-axis" }),
    ...xAxis(chart.x_axis, x, H - B, { minX: 2, maxX: W - 2 }));
  chart.series.forEach((s, i) => {
    const pts = s.points;
    if (pts.length && pts[0].low !== undefined) {
      const upper = pts.map((p, j) => `${j ? "L" : "M"}${x(p.x).toFixed(1)} ${y(p.high).toFixed(1)}`).join(" ");
      const lower = [...pts].reverse().map((p) => `L${x(p.x).toFixed(1)} ${y(p.low).toFixed(1)}`).join(" ");
      parts.push(svg("path", { d: `${upper} ${lower} Z`, class: `chart-band series-${i}` }, svg("title", { text: `${s.label}: 80 % band` })));
    }
    parts.push(svg("path", { d: pts.map((p, j) => `${j ? "L" : "M"}${x(p.x).toFixed(1)} ${y(p.y).toFixed(1)}`).join(" "), class: `chart-line series-${i}` }));
    for (const p of pts) {
      parts.push(svg("circle", { cx: x(p.x).toFixed(1), cy: y(p.y).toFixed(1), r: 2.5, class: `chart-dot series-${i}`, "data-testid": "chart-point" },
        svg("title", { text: `${s.label}: ${formatNumber(p.y, chart.y_axis.unit)} at ${formatNumber(p.x, chart.x_axis.unit)}`
          + (p.low !== undefined ? ` (80 % band ${formatNumber(p.low)}–${formatNumber(p.high)})` : "") })));
    }
  });
  const taken = [];  // label spans drawn so far; the engine lists the answer first, so it wins a clash
  for (const m of chart.marks) {
    const mx = x(m.x);
    parts.push(svg("line", { x1: mx, x2: mx, y1: T - 6, y2: H - B, class: "chart-mark" }, svg("title", { text: m.label })));
    const width = m.label.length * CHAR;
    // after the line if it fits before the right edge, else before it; never past either edge
    const left = Math.max(2, mx + 4 + width <= W - 2 ? mx + 4 : mx - 4 - width);
    if (!taken.some(([a, b]) => left < b + 4 && left + width > a - 4)) {  // a clash is left to the hover title
      parts.push(svg("text", { x: left, y: T - 8, "text-anchor": "start", class: "chart-label chart-label-strong", text: m.label }));
      taken.push([left, left + width]);
    }
  }
  parts.push(svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "chart-label", text: chart.x_label }));
  return svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${chart.title}: ${chart.y_label} against ${chart.x_label}` }, parts);
}
