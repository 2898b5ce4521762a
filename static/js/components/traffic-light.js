// Colour AND icon AND words for a level (WCAG 1.4.1): the words come from the engine's LEVELS.
import { h } from "../dom.js";

const ICONS = { ok: "✓", info: "i", warning: "!", critical: "✕", catastrophic: "⛔", unknown: "?" };

export function trafficLight(level, levels, label) {
  const word = (levels[level] || levels.unknown || { word: level }).word;
  return h("span", { class: "light", "data-testid": "traffic-light", "data-level": level, role: "img",
                     "aria-label": `${word}${label ? ": " + label : ""}` },
    h("span", { class: "light-icon", "aria-hidden": "true", text: ICONS[level] || "?" }),
    h("span", { class: "light-word", text: word }),
    label ? h("span", { class: "light-label", text: label }) : null);
}
