// Memory versus context for X-FIT: weights and KV stacked, the usable-memory line across,
// the tight zone shaded, a marker at the chosen context. Data from the engine (result.chart).
import { svg, h } from "../dom.js";
import { formatNumber } from "../format.js";

const W = 640, H = 260, L = 56, R = 12, T = 14, B = 36;

export function fitChart(chart) {
  const pts = chart.series;
  const xs = pts.map((p) => Math.log2(p.context));
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const yMax = Math.max(chart.usable_bytes * 1.15, ...pts.map((p) => p.weights_bytes + p.kv_bytes)) || 1;
  const x = (c) => L + ((Math.log2(c) - x0) / Math.max(1e-9, x1 - x0)) * (W - L - R);
  const y = (bytes) => T + (1 - Math.min(bytes, yMax) / yMax) * (H - T - B);
  const line = (f) => pts.map((p, i) => `${i ? "L" : "M"}${x(p.context).toFixed(1)} ${y(f(p)).toFixed(1)}`).join(" ");
  const area = (top, bottom) => line(top) + " " + [...pts].reverse().map((p) => `L${x(p.context).toFixed(1)} ${y(bottom(p)).toFixed(1)}`).join(" ") + " Z";
  const parts = [
    svg("rect", { x: L, y: y(chart.usable_bytes), width: W - L - R, height: Math.max(0, y(chart.tight_bytes) - y(chart.usable_bytes)), class: "fit-tight" },
      svg("title", { text: chart.labels.tight })),
    svg("rect", { x: L, y: T, width: W - L - R, height: Math.max(0, y(chart.usable_bytes) - T), class: "fit-over" },
      svg("title", { text: chart.labels.over })),
    svg("path", { d: area((p) => p.weights_bytes, () => 0), class: "fit-weights" }),
    svg("path", { d: area((p) => p.weights_bytes + p.kv_bytes, (p) => p.weights_bytes), class: "fit-kv" }),
    svg("line", { x1: L, x2: W - R, y1: y(chart.usable_bytes), y2: y(chart.usable_bytes), class: "fit-usable" }),
    svg("text", { x: W - R - 4, y: y(chart.usable_bytes) - 4, "text-anchor": "end", class: "fit-label", text: `${chart.labels.usable} ${formatNumber(chart.usable_bytes, "bytes")}` }),
    svg("line", { x1: x(chart.context), x2: x(chart.context), y1: T, y2: H - B, class: "fit-marker" }),
    svg("line", { x1: L, x2: L, y1: T, y2: H - B, class: "fit-axis" }),
    svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "fit-axis" }),
  ];
  for (const p of pts.filter((_, i) => i % Math.ceil(pts.length / 6) === 0 || _ === pts[pts.length - 1])) {
    parts.push(svg("text", { x: x(p.context), y: H - B + 16, "text-anchor": "middle", class: "fit-label", text: formatNumber(p.context, "params").replace(" params", "") }));
  }
  for (const f of [0, 0.5, 1]) {
    parts.push(svg("text", { x: L - 6, y: y(yMax * f) + 4, "text-anchor": "end", class: "fit-label", text: formatNumber(yMax * f, "bytes") }));
  }
  parts.push(svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle", class: "fit-label", text: chart.labels.x_axis }));
  parts.push(svg("text", { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`, "text-anchor": "middle", class: "fit-label", text: chart.labels.y_axis }));
  return h("figure", { class: "fit-chart", "data-testid": "fit-chart" },
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Memory versus context: weights and KV cache against ${formatNumber(chart.usable_bytes, "bytes")} usable` }, parts),
    h("figcaption", { class: "small" }, h("span", { class: "swatch fit-weights-swatch", "aria-hidden": "true" }), " weights  ",
      h("span", { class: "swatch fit-kv-swatch", "aria-hidden": "true" }), " KV cache  — line: usable memory; band below it: tight; above: does not fit; vertical line: your context"));
}
