// Diagnostics view: every γ tool (§26–§34) for one γ, each section saying why it does not apply;
// section titles come from the engine and link to their glossary term; every identity is explained.
import { h } from "../dom.js";
import { generatedForm } from "../components/form.js";
import { trafficLight } from "../components/traffic-light.js";
import { gammaStrip } from "../components/gamma-strip.js";
import { formatNumber } from "../format.js";
import { inputNames, livePanel, setInput, shownValue } from "./common.js";
import { termById, termLink } from "./glossary.js";

function kv(obj, keep = (v) => v === null || typeof v !== "object") {
  return h("dl", { class: "key-numbers" }, Object.entries(obj).filter(([, v]) => keep(v)).flatMap(([k, v]) => [
    h("dt", { text: k }), h("dd", { title: typeof v === "number" ? String(v) : "", text: formatNumber(v) })]));
}

// Text entries (notes and their explanations) as sentences, not in the numbers' grid.
function notes(obj) {
  const items = Object.entries(obj).filter(([, v]) => typeof v === "string");
  return items.length ? h("ul", { class: "diag-notes" }, items.map(([k, v]) =>
    h("li", { "data-key": k }, h("code", { text: k }), " ", h("span", { text: v })))) : null;
}

// A section titled by the engine (diagnostics metadata `sections`), its title linked to its glossary term.
function section(meta, key, body, suffix = "") {
  const info = meta.diagnostics.sections.find((s) => s.key === key);
  const term = info && termById(info.term);
  const title = (info ? info.title : key) + suffix;
  const na = body && body.applicable === false;
  return h("section", { class: "diag", "data-key": key, "data-applicable": na ? "false" : "true" },
    h("h3", {}, term ? termLink(term, title) : title),
    na ? h("p", { class: "muted", text: `Not applicable: ${body.reason}.` }) : body);
}

function headLinks(meta, keys) {
  const links = keys.map((key) => meta.diagnostics.sections.find((s) => s.key === key)).filter(Boolean)
    .map((s) => [termById(s.term), s.title]).filter(([term]) => term).map(([term, title]) => termLink(term, title));
  return links.length ? h("p", { class: "term-links" }, links.flatMap((a, i) => (i ? [" · ", a] : [a]))) : null;
}

// The 12 identities: each claim, its value, its outcome and the engine's one-sentence explanation.
function identities(ids) {
  return h("div", {},
    h("p", { text: ids.interpretation }),
    ids.explanation ? h("p", { class: "muted", text: ids.explanation }) : null,
    h("ul", { class: "claims" }, Object.entries(ids.checks).map(([name, c]) =>
      h("li", { class: "claim", "data-testid": "claim", "data-name": name, "data-passes": c.passes ? "true" : "false" },
        h("div", { class: "claim-head" },
          h("code", { class: "claim-name", text: name }),
          h("span", { class: "claim-formula", text: c.claim }),
          h("span", { class: "claim-value", title: String(c.value), text: `= ${formatNumber(c.value)}` }),
          h("span", { class: `claim-outcome ${c.passes ? "pass" : "fail"}`, text: `${c.passes ? "✓" : "✕"} ${c.outcome || (c.passes ? "yes" : "no")}` })),
        c.explanation ? h("p", { class: "claim-explanation", "data-testid": "claim-explanation", text: c.explanation }) : null))));
}

function render(result, { stale }, meta) {
  const s = result.sections;
  const ids = s.identities;
  const ce = s.critical_exponents;
  return h("div", { class: stale ? "stale" : "" },
    stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input has an error." }) : null,
    h("div", { class: "verdict-head" }, trafficLight(s.safety.level, meta.levels, s.safety.name),
      h("strong", { class: "verdict", "data-testid": "verdict", "data-level": result.level, "data-stale": stale ? "true" : "false", text: s.phase_class })),
    h("p", { class: "reason", text: s.safety.message }),
    headLinks(meta, ["safety", "phase_class", "gamma_pade"]),
    gammaStrip(result.zones, [{ label: "γ", value: result.inputs.gamma }, { label: "γ_Padé", value: s.gamma_pade.gamma_pade }], meta.diagnostics.strip),
    section(meta, "pdi", s.pdi.applicable === false ? s.pdi : h("div", {}, trafficLight(s.pdi.level, meta.levels, s.pdi.band_text), kv({ PDI: s.pdi.PDI, regime: s.pdi.regime }))),
    section(meta, "critical_exponents", ce.applicable === false ? ce : h("div", {}, kv(ce, (v) => v === null || typeof v === "number"), notes(ce))),
    section(meta, "identities", ids.status === "out_of_phase_A" ? { applicable: false, reason: ids.message } : identities(ids)),
    section(meta, "famous_constants", h("p", { text: s.famous_constants.hits.length ? s.famous_constants.hits.map((c) => `${c.constant} = ${c.value.toFixed(4)} (off by ${c.error.toFixed(4)})`).join("; ") : `none within ${s.famous_constants.tolerance}` }), ` (±${s.famous_constants.tolerance})`),
    section(meta, "imprint_purity", s.imprint_purity.applicable === false ? s.imprint_purity : kv(s.imprint_purity)),
    section(meta, "invariant_K", s.invariant_K.applicable === false ? s.invariant_K : kv(s.invariant_K)),
    section(meta, "ih_phase", s.ih_phase.applicable === false ? s.ih_phase : kv(s.ih_phase)));
}

export function diagnosticsView(ctx) {
  const { meta, state } = ctx;
  const params = meta.diagnostics.params;
  const names = new Set(inputNames(params));
  for (const key of Object.keys(state.inputs)) if (!names.has(key)) delete state.inputs[key];
  const panel = livePanel(ctx, (result, opts) => render(result, opts, meta));
  const form = generatedForm(params,
    (name) => shownValue(params.find((p) => p.name === name), state.inputs, null),
    (name, text) => { setInput(state.inputs, params.find((p) => p.name === name), text); ctx.save(); compute(); });
  function compute() {
    panel.run("gamma_diagnostics", { ...state.inputs }, { onInputError: (e) => form.setError(e.field, e.message), onOk: () => form.setError(null) });
  }
  compute();
  return h("div", { class: "view view-diagnostics" },
    h("h2", { text: "γ diagnostics" }),
    h("p", { class: "lede", text: "Safety zone, phase class, Padé Deviation Index, critical exponents, the 12 identities, famous constants, imprint purity, invariant K and IH phase for one γ." }),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Inputs", onsubmit: (e) => e.preventDefault() }, form.el),
      h("div", { class: "outputs" }, panel.el)));
}
