// Diagnostics view: every γ tool (§26–§34) for one γ, each section saying why it does not apply.
import { h } from "../dom.js";
import { generatedForm } from "../components/form.js";
import { trafficLight } from "../components/traffic-light.js";
import { gammaStrip } from "../components/gamma-strip.js";
import { formatNumber } from "../format.js";
import { inputNames, livePanel, setInput, shownValue } from "./common.js";

function kv(obj) {
  return h("dl", { class: "key-numbers" }, Object.entries(obj).filter(([, v]) => v === null || typeof v !== "object").flatMap(([k, v]) => [
    h("dt", { text: k }), h("dd", { title: typeof v === "number" ? String(v) : "", text: formatNumber(v) })]));
}

function section(title, body) {
  const na = body && body.applicable === false;
  return h("section", { class: "diag", "data-applicable": na ? "false" : "true" }, h("h3", { text: title }),
    na ? h("p", { class: "muted", text: `Not applicable: ${body.reason}.` }) : body);
}

function render(result, { stale }, meta) {
  const s = result.sections;
  const ids = s.identities;
  return h("div", { class: stale ? "stale" : "" },
    stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input has an error." }) : null,
    h("div", { class: "verdict-head" }, trafficLight(s.safety.level, meta.levels, s.safety.name),
      h("strong", { class: "verdict", "data-testid": "verdict", "data-level": result.level, "data-stale": stale ? "true" : "false", text: s.phase_class })),
    h("p", { class: "reason", text: s.safety.message }),
    gammaStrip(result.zones, [{ label: "γ", value: result.inputs.gamma }, { label: "γ_Padé", value: s.gamma_pade.gamma_pade }], meta.diagnostics.strip),
    section("Padé Deviation Index", s.pdi.applicable === false ? s.pdi : h("div", {}, trafficLight(s.pdi.level, meta.levels, s.pdi.band_text), kv({ PDI: s.pdi.PDI, regime: s.pdi.regime }))),
    section("Critical exponents", s.critical_exponents.applicable === false ? s.critical_exponents : kv(s.critical_exponents)),
    section("The 12 identities (§34)", ids.status === "out_of_phase_A" ? { applicable: false, reason: ids.message } :
      h("div", {}, h("p", { text: ids.interpretation }), h("div", { class: "table-wrap" }, h("table", { class: "mini" },
        h("thead", {}, h("tr", {}, ["identity", "claim", "value", "holds"].map((c) => h("th", { scope: "col", text: c })))),
        h("tbody", {}, Object.entries(ids.checks).map(([name, c]) => h("tr", {},
          h("td", { text: name }), h("td", { text: c.claim }), h("td", { title: String(c.value), text: formatNumber(c.value) }),
          h("td", { text: c.passes ? "✓ yes" : "✕ no" })))))))),
    section(`Famous constants (±${s.famous_constants.tolerance})`, h("p", { text: s.famous_constants.hits.length ? s.famous_constants.hits.map((c) => `${c.constant} = ${c.value.toFixed(4)} (off by ${c.error.toFixed(4)})`).join("; ") : `none within ${s.famous_constants.tolerance}` })),
    section("Imprint purity (§28)", s.imprint_purity.applicable === false ? s.imprint_purity : kv(s.imprint_purity)),
    section("Compute-context invariant K (§29)", s.invariant_K.applicable === false ? s.invariant_K : kv(s.invariant_K)),
    section("Induction-head phase (§30)", s.ih_phase.applicable === false ? s.ih_phase : kv(s.ih_phase)));
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
