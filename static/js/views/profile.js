// Profile view: the TAF card of one model.
import { h } from "../dom.js";
import { generatedForm } from "../components/form.js";
import { stepChain } from "../components/chain.js";
import { caveatList, figureList } from "../components/verdict.js";
import { trafficLight } from "../components/traffic-light.js";
import { gammaStrip } from "../components/gamma-strip.js";
import { exportBar } from "../components/export-bar.js";
import { formatNumber } from "../format.js";
import { canonicalize, forgetModel, importedLabel, inputNames, livePanel, modelSelect, presetById, setInput, shownValue } from "./common.js";
import { configImport, inputsFromImport } from "../components/config-import.js";

function card(result, { stale, source }, meta) {
  const levels = meta.levels;
  const k = result.key_numbers;
  const diag = result.diagnostics;
  const fig = (name) => (result.figures[name] ? result.figures[name].value : null);
  const safety = diag.hagedorn_safety;
  return h("div", { class: `taf-card${stale ? " stale" : ""}` },
    stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input has an error, so this is the last good card." }) : null,
    h("div", { class: "verdict-head" },
      trafficLight(safety.level, levels, safety.name),
      h("strong", { class: "verdict", "data-testid": "verdict", "data-level": result.level, "data-stale": stale ? "true" : "false",
                    text: `${result.model_summary.architecture_class}` }),
      source === "prerendered" ? h("span", { class: "badge", text: "precomputed" }) : null),
    h("p", { class: "reason", "data-testid": result.applicable === false ? "not-applicable" : null, text: safety.message }),
    result.applicable === false ? null : gammaStrip(meta.diagnostics.zones, [{ label: "γ_Padé", value: fig("gamma_pade") }, { label: "γ_corrected", value: fig("gamma_corrected") }], meta.diagnostics.strip),
    figureList(result.figures),
    h("dl", { class: "key-numbers" },
      h("dt", { text: "context memory" }), h("dd", { text: result.memory ? result.memory.statement : "n/a" }),
      h("dt", { text: "phase class" }), h("dd", { text: diag.bimodal_phase_class }),
      h("dt", { text: "soft-decay regime" }), h("dd", { text: k.soft_decay_regime }),
      h("dt", { text: "nearest constants" }), h("dd", { text: diag.nearest_famous_constants.length ?
        diag.nearest_famous_constants.map((c) => `${c.constant} (±${c.error.toFixed(4)})`).join(", ") : `none within ${diag.constants_tolerance}` })),
    h("h3", { text: "Recipe verdicts" }),
    h("ul", { class: "recipe-verdicts" }, Object.entries(result.recipes).map(([id, r]) =>
      h("li", {}, trafficLight(r.level, levels), h("b", { text: ` ${id} ${r.name}: ` }), h("span", { text: `${r.verdict} — ${r.reason}` })))),
    h("h3", { text: "Falsification status" }),
    h("ul", { class: "falsification" }, result.falsification_status.map((f) =>
      h("li", { "data-state": f.state }, h("b", { text: `${f.id} ` }), `${f.claim}: ${f.status}`))),
    caveatList(result.caveats),
    h("details", {}, h("summary", { text: "γ steps behind the card" }), stepChain(result.chain)));
}

export function profileView(ctx) {
  const { meta, state } = ctx;
  if (state.model === null) state.model = meta.profile.default_model;
  const params = meta.profile.params;
  const names = new Set([...inputNames(params), ...meta.arch_fields]);
  for (const key of Object.keys(state.inputs)) if (!names.has(key)) delete state.inputs[key];
  const panel = livePanel(ctx, (result, opts) => card(result, opts, meta));
  const form = generatedForm(params,
    (name) => shownValue(params.find((p) => p.name === name), state.inputs, presetById(meta, state.model)),
    (name, text) => { setInput(state.inputs, params.find((p) => p.name === name), text); ctx.save(); compute(); },
    { layout: meta.param_groups, filled: Boolean(state.model) || Boolean(state.config) });
  function compute() {
    const args = { ...state.inputs };
    if (state.model) args.model = state.model;
    panel.run("profile_model", args, { onInputError: (e) => form.setError(e.field, e.message), onOk: (result) => { form.setError(null); if (canonicalize(state.inputs, params, result.inputs)) ctx.save(); } });
  }
  const importer = configImport(ctx, (result) => {
    ctx.lastImport = result;
    state.model = "";
    state.config = { name: result.name || "", family: result.family };
    forgetModel(ctx.kept, params, meta.arch_fields);
    state.inputs = { ...Object.fromEntries(Object.entries(state.inputs).filter(([k]) => !meta.arch_fields.includes(k) && !params.some((p) => p.group === "model" && [p.name, ...p.aliases].includes(k)))),
                     ...inputsFromImport(result, params, meta.arch_fields) };
    ctx.save(); ctx.rerender();
  }, ctx.lastImport);
  compute();
  return h("div", { class: "view view-profile" },
    h("h2", { text: "TAF card" }),
    h("p", { class: "lede", text: "One model, every viability dimension: γ, horizon, safety zone, memory, cost, and each recipe's verdict." }),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Inputs", onsubmit: (e) => e.preventDefault() },
        modelSelect(meta, state.model, (id) => {
          state.model = id;
          forgetModel(state.inputs, params, meta.arch_fields);
          forgetModel(ctx.kept, params, meta.arch_fields);
          state.config = null;
          document.querySelector('[data-testid="config-label"]')?.remove();
          ctx.save(); form.refresh(); form.fold(Boolean(id)); compute();
        }, { engine: ctx.engine }), importedLabel(state), importer, form.el),
      h("div", { class: "outputs" }, panel.el,
        exportBar({ getResult: () => panel.result, engine: ctx.engine, baseName: () => "taf-profile" }))), panel.bar);
}
