// The verdict card: verdict, traffic light (from the engine's level), reason, mitigation, caveats.
import { h } from "../dom.js";
import { trafficLight } from "./traffic-light.js";
import { formatNumber } from "../format.js";

const BAND_IN_UNIT = new Set(["s", "bytes"]);

// The result's figures (canonical name, label, SI unit from the engine), one line each.
export function figureList(figures) {
  const entries = Object.entries(figures || {});
  if (!entries.length) return null;
  return h("details", { class: "figures", open: true },
    h("summary", { text: `Key figures (${entries.length})` }),
    h("dl", { class: "key-numbers", "data-testid": "figures" }, entries.flatMap(([name, f]) => [
      h("dt", { title: name, text: f.label }),
      h("dd", { "data-figure": name, title: typeof f.value === "number" ? String(f.value) : "" }, formatNumber(f.value, f.unit),
        typeof f.low === "number" ? h("span", {
          class: "band", "data-testid": "figure-band", title: `80 % band from published measurements: ${f.low} to ${f.high}`,
          // a duration's or a size's band in the value's own unit (days beside days, GB beside GB), any other
          // band as bare numbers
          text: ` (${formatNumber(f.low, BAND_IN_UNIT.has(f.unit) ? f.unit : "")}–${formatNumber(f.high, BAND_IN_UNIT.has(f.unit) ? f.unit : "")})` }) : null)])));
}

export function caveatList(caveats) {
  if (!caveats || !caveats.length) return null;
  return h("details", { class: "caveats", open: true },
    h("summary", { text: `Caveats (${caveats.length})` }),
    h("ul", {}, caveats.map((c) => h("li", { "data-code": c.code }, h("code", { text: c.code }), " ", c.text))));
}

export function verdictCard(result, levels, { stale = false, source = "live" } = {}) {
  return h("section", { class: `verdict-card${stale ? " stale" : ""}`, "data-level": result.level,
                        "aria-label": "Verdict" },
    stale ? h("p", { class: "stale-note", role: "status", "data-testid": "stale-note",
                     text: "Out of date: an input has an error, so this is the last good result." }) : null,
    h("div", { class: "verdict-head" },
      trafficLight(result.level, levels),
      h("strong", { class: "verdict", "data-testid": "verdict", "data-level": result.level,
                    "data-stale": stale ? "true" : "false", text: result.verdict }),
      source === "prerendered" ? h("span", { class: "badge", title: "computed at build time by the same engine; live results replace it", text: "precomputed" }) : null),
    h("p", { class: "reason", text: result.reason }),
    result.mitigation ? h("p", { class: "mitigation" }, h("b", { text: "What to do: " }), result.mitigation) : null,
    figureList(result.figures),
    caveatList(result.caveats));
}

export function errorCard(message) {
  return h("section", { class: "error-card", role: "alert", "data-testid": "error-card" },
    h("strong", { text: "The engine could not compute this. " }), message,
    h("p", { text: "The rest of the app keeps working; change an input or pick another view." }));
}
