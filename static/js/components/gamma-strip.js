// A small SVG strip of the γ zones (from the engine's zone table) with markers for γ values.
import { svg, h } from "../dom.js";

const W = 600, H = 54;

// strip: {from, to, ticks} from the engine (diagnostics_metadata().strip)
export function gammaStrip(zones, markers, strip) {
  const LO = strip.from, HI = strip.to;
  const x = (g) => ((Math.min(HI, Math.max(LO, g)) - LO) / (HI - LO)) * W;
  const parts = [];
  for (const z of zones) {
    const a = x(z.from === null ? LO : z.from), b = x(z.to === null ? HI : z.to);
    parts.push(svg("rect", { x: a, y: 14, width: Math.max(0, b - a), height: 18, class: `zone zone-${z.level}` },
      svg("title", { text: `${z.label}: ${z.from ?? "−∞"} ≤ γ < ${z.to ?? "∞"}` })));
  }
  for (const tick of strip.ticks) {
    parts.push(svg("line", { x1: x(tick), x2: x(tick), y1: 12, y2: 34, class: "tick" }));
    parts.push(svg("text", { x: x(tick), y: 46, class: "tick-label", "text-anchor": "middle", text: String(tick) }));
  }
  markers.filter((m) => typeof m.value === "number").forEach((m, i) => {
    const mx = x(m.value);
    parts.push(svg("path", { d: `M${mx - 6} ${i ? 40 : 2} L${mx + 6} ${i ? 40 : 2} L${mx} ${i ? 32 : 12} Z`, class: `marker marker-${i}` },
      svg("title", { text: `${m.label} = ${m.value}` })));
  });
  const legend = h("p", { class: "strip-legend" }, markers.filter((m) => typeof m.value === "number").map((m, i) =>
    h("span", { class: `legend-${i}` }, h("span", { class: `swatch marker-${i}`, "aria-hidden": "true" }), ` ${m.label} = ${m.value.toFixed(4)} `)));
  return h("figure", { class: "gamma-strip" },
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `γ zones: ${zones.map((z) => z.label).join(", ")}; with markers` }, parts),
    legend);
}
