// Memory versus context for X-FIT: weights and KV stacked, the usable-memory line across,
// the tight zone shaded, a marker at the chosen context and one at the answer (the largest
// context that fits). Data, axes (powers-of-two context ticks, round memory ticks) and labels
// come from the engine (result.chart); this only positions them.
import { svg, h } from "../dom.js";
import { formatNumber } from "../format.js";
import { CHAR, fittedChart, scaleOf, xAxis, yAxis, yMargin } from "./axes.js";

const H = 260, R = 14, T = 22, B = 40;

const usableText = (chart) => `${chart.labels.usable} ${formatNumber(chart.usable_bytes, "bytes")}`;

export function fitChart(chart) {
  return fittedChart((w) => fitPlot(chart, w), (plot) => h("figure", { class: "fit-chart", "data-testid": "fit-chart" }, plot,
    h("figcaption", { class: "small" }, h("span", { class: "swatch fit-weights-swatch", "aria-hidden": "true" }), " weights  ",
      h("span", { class: "swatch fit-kv-swatch", "aria-hidden": "true" }), ` KV cache  — line: ${usableText(chart)}; band below it: tight; above: does not fit; dashed: your context; solid: the largest context that fits`)));
}

function fitPlot(chart, W) {
  const pts = chart.series;
  const axes = chart.axes;
  const L = yMargin(axes.y);
  const x = scaleOf(axes.x, L, W - R);
  const y = (bytes) => scaleOf(axes.y, H - B, T)(Math.min(bytes, axes.y.max));
  const line = (f) => pts.map((p, i) => `${i ? "L" : "M"}${x(p.context).toFixed(1)} ${y(f(p)).toFixed(1)}`).join(" ");
  const area = (top, bottom) => line(top) + " " + [...pts].reverse().map((p) => `L${x(p.context).toFixed(1)} ${y(bottom(p)).toFixed(1)}`).join(" ") + " Z";
  const answer = axes.answer;
  // the engine's label for the usable line, or (where it would not fit this width) its amount alone
  const fullUsable = usableText(chart);
  const usableLabel = fullUsable.length * CHAR * 1.1 <= W - L - R - 8 ? fullUsable : formatNumber(chart.usable_bytes, "bytes");
  const parts = [
    ...yAxis(axes.y, y, L, W - R),
    svg("rect", { x: L, y: y(chart.usable_bytes), width: W - L - R, height: Math.max(0, y(chart.tight_bytes) - y(chart.usable_bytes)), class: "fit-tight" },
      svg("title", { text: chart.labels.tight })),
    svg("rect", { x: L, y: T, width: W - L - R, height: Math.max(0, y(chart.usable_bytes) - T), class: "fit-over" },
      svg("title", { text: chart.labels.over })),
    svg("path", { d: area((p) => p.weights_bytes, () => 0), class: "fit-weights" }),
    svg("path", { d: area((p) => p.weights_bytes + p.kv_bytes, (p) => p.weights_bytes), class: "fit-kv" }),
    svg("line", { x1: L, x2: W - R, y1: y(chart.usable_bytes), y2: y(chart.usable_bytes), class: "fit-usable" }),
    svg("text", { x: L + 4, y: y(chart.usable_bytes) - 5, "text-anchor": "start", class: "chart-label chart-label-strong", text: usableLabel },
      svg("title", { text: fullUsable })),
    svg("line", { x1: x(chart.context), x2: x(chart.context), y1: T, y2: H - B, class: "fit-marker" },
      svg("title", { text: `your context: ${formatNumber(chart.context, "tokens")}` })),
    svg("line", { x1: L, x2: L, y1: T, y2: H - B, class: "fit-axis" }),
    svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "fit-axis" }),
    ...xAxis(axes.x, x, H - B, { minX: 2, maxX: W - 2 }),
    svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "chart-label", text: chart.labels.x_axis }),
  ];
  if (answer) {
    const ax = x(answer.context);
    const right = ax > (L + W - R) / 2;  // the label sits on the side with room
    parts.push(svg("line", { x1: ax, x2: ax, y1: T - 8, y2: H - B, class: "fit-answer", "data-testid": "fit-answer", "data-context": answer.context }),
      svg("text", { x: right ? ax - 4 : ax + 4, y: T - 10 + 8, "text-anchor": right ? "end" : "start", class: "chart-label chart-label-strong", text: answer.label }));
  }
  return svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
                      "aria-label": `Memory versus context: weights and KV cache against ${formatNumber(chart.usable_bytes, "bytes")} usable${answer ? `; ${answer.label}` : ""}` }, parts);
}
