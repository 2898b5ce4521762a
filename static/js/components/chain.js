// The numbered step chain: section, name (linked to its glossary term), formula, inputs with units, result, interpretation.
import { h } from "../dom.js";
import { formatNumber, formatResult } from "../format.js";
import { termFor, termLink } from "../views/glossary.js";
import { stackable } from "./stack.js";

function inputList(inputs) {
  const items = Object.entries(inputs || {}).map(([k, v]) => {
    const text = v !== null && typeof v === "object" ? JSON.stringify(v) : formatNumber(v);
    return h("li", {}, h("code", { text: k }), " = ", h("span", { title: typeof v === "number" ? String(v) : "", text }));
  });
  return items.length ? h("ul", { class: "step-inputs" }, items) : null;
}

function tableOf(rows, caption) {
  if (!Array.isArray(rows) || !rows.length || typeof rows[0] !== "object") return null;
  const cols = Object.keys(rows[0]);
  return h("div", { class: "table-wrap" }, stackable(h("table", { class: "mini" }, h("caption", { text: caption }),
    h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col", text: c })))),
    h("tbody", {}, rows.map((r) => h("tr", {}, cols.map((c) => h("td", { title: typeof r[c] === "number" ? String(r[c]) : "", class: typeof r[c] === "number" ? "num" : null, text: formatNumber(r[c]) }))))))));
}

// A step's name, linked to the glossary entry of the term it names (matched by the engine's phrases
// and figure names; a step without a matching term stays plain text).
function stepName(step) {
  const term = termFor(step.name, step.figures);
  return h("span", { class: "step-name" }, term ? termLink(term, step.name) : step.name);
}

export function stepChain(chain, { open = false } = {}) {
  return h("ol", { class: "chain", "aria-label": "Step chain" }, chain.map((step) => {
    const na = step.applicable === false;
    const result = na ? { text: "not applicable", title: "" } : formatResult(step.result, step.unit);
    return h("li", { class: "step", "data-testid": "chain-step", "data-applicable": step.applicable === false ? "false" : "true" },
      h("details", { open },
        h("summary", {},
          h("span", { class: "step-no", text: step.step }),
          h("span", { class: "step-section", text: step.section }),
          stepName(step),
          h("span", { class: `step-result${na ? " na" : ""}`, title: result.title, text: result.text })),
        h("div", { class: "step-body" },
          h("p", {}, h("span", { class: "muted", text: "Formula: " }), h("code", { class: "formula", text: step.formula })),
          inputList(step.inputs),
          step.interpretation ? h("p", { class: "interpretation", text: step.interpretation }) : null,
          tableOf(step.result, `Step ${step.step}: ${step.name}`))));
  }));
}
