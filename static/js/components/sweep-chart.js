// A sweep: one input across a range (one engine call); the chosen headline figure per point,
// each point coloured by its verdict's level. Axes, spacing and labels come from the engine.
import { h, svg } from "../dom.js";
import { formatNumber } from "../format.js";
import { fittedChart, scaleOf, xAxis, yAxis, yMargin } from "./axes.js";

const H = 240, T = 14, B = 40, R = 16;

export function sweepChart(sweep, figure) {
  const s = sweep.series[figure];
  if (!s) return h("p", { class: "small", "data-testid": "sweep-chart", text: "Nothing changes across this range." });
  const pts = sweep.points.filter((p) => p.figures && figure in p.figures);
  const refused = sweep.points.filter((p) => p.error);
  return fittedChart((w) => sweepPlot(sweep, figure, s, pts, w), (plot) => h("figure", { class: "sweep-chart", "data-testid": "sweep-chart", "data-points": pts.length }, plot,
    h("figcaption", { class: "small" }, `${s.label} (${s.unit || "no unit"}) versus ${sweep.input}; each dot is one run, coloured by its verdict.`,
      refused.length ? ` ${refused.length} point(s) refused: ${refused[0].error}` : "")));
}

function sweepPlot(sweep, figure, s, pts, W) {
  const L = yMargin(s.axis);
  const x = scaleOf(sweep.x_axis, L, W - R), y = scaleOf(s.axis, H - B, T);
  const path = pts.map((p, i) => `${i ? "L" : "M"}${x(p.x).toFixed(1)} ${y(p.figures[figure]).toFixed(1)}`).join(" ");
  const parts = [
    ...yAxis(s.axis, y, L, W - R),
    svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "chart-axis" }),
    ...xAxis(sweep.x_axis, x, H - B, { minX: 2, maxX: W - 2 }),
    svg("path", { d: path, class: "sweep-line" }),
    ...pts.map((p) => svg("circle", { cx: x(p.x).toFixed(1), cy: y(p.figures[figure]).toFixed(1), r: 3, class: "sweep-point",
                                       "data-testid": "sweep-point", "data-level": p.level },
      svg("title", { text: `${sweep.input} = ${formatNumber(p.x, sweep.unit)}: ${s.label} ${formatNumber(p.figures[figure], s.unit)} — ${p.verdict}` }))),
    svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "chart-label", text: `${sweep.labels.x}, ${sweep.spacing === "linear" ? "linear" : "log"} scale` }),
  ];
  return svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${s.label} versus ${sweep.input}` }, parts);
}
