// Compare view: several models (the engine's limits) on one recipe, side by side, differences marked (colour and ≠).
// A model can also come from an imported config.json: it is kept in the URL as "custom:N" in
// `models` plus its fields as `custom:N.<field>` inputs, so a link reproduces the comparison.
import { stackable } from "../components/stack.js";
import { h, replace } from "../dom.js";
import { generatedForm } from "../components/form.js";
import { trafficLight } from "../components/traffic-light.js";
import { exportBar } from "../components/export-bar.js";
import { formatNumber } from "../format.js";
import { inputNames, livePanel, recipeSelect, setInput, shownValue } from "./common.js";
import { configImport, inputsFromImport } from "../components/config-import.js";
import { modelPicker } from "../components/model-picker.js";

const CUSTOM = "custom:";

// The stored fields of one imported model: {field: text} from the inputs "custom:N.field".
function customFields(inputs, id) {
  const prefix = `${id}.`, fields = {};
  for (const [key, value] of Object.entries(inputs)) if (key.startsWith(prefix)) fields[key.slice(prefix.length)] = value;
  return fields;
}

function table(result, { stale }, levels) {
  const rows = result.rows;
  return h("div", { class: `compare${stale ? " stale" : ""}` },
    stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input has an error." }) : null,
    h("div", { class: "table-wrap" }, stackable(h("table", { class: "compare-table" },
      h("caption", { text: `${result.recipe_id || "Recipe"} across ${rows.length} models` }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "" }), rows.map((r) => h("th", { scope: "col", text: r.label })))),
      h("tbody", {},
        h("tr", { class: result.verdicts_differ ? "differs" : "" }, h("th", { scope: "row", text: result.verdicts_differ ? "verdict ≠" : "verdict" }),
          rows.map((r) => h("td", {}, trafficLight(r.level, levels),
            h("strong", { "data-testid": "verdict", "data-level": r.level, "data-stale": stale ? "true" : "false", text: ` ${r.verdict}` }),
            h("div", { class: "small", text: r.reason })))),
        result.columns.map((col) => h("tr", { class: result.differs[col] ? "differs" : "" },
          h("th", { scope: "row", title: col }, result.differs[col] ? `${result.labels[col]} ≠` : result.labels[col],
            result.conditions_differ[col] ? h("span", { class: "small conditions", text: " (under different conditions: hover a value)" }) : null),
          rows.map((r) => {
            const value = r.figures[col] ? r.figures[col].value : null;
            const at = r.figures[col] && r.figures[col].at ? Object.entries(r.figures[col].at).map(([k, v]) => `${k} = ${v}`).join(", ") : "";
            return h("td", { class: "num", title: [typeof value === "number" ? String(value) : "", at].filter(Boolean).join(" — "), text: formatNumber(value, result.units[col]) });
          }))))))),
    h("p", { class: "small", text: "Rows marked ≠ differ between the models." }));
}

export function compareView(ctx) {
  const { meta, state } = ctx;
  const { min_models: MIN_MODELS, max_models: MAX_MODELS } = meta.compare;
  const recipe = meta.recipes.find((r) => r.id === state.recipe) || meta.recipes.find((r) => r.id === meta.compare.default_recipe);
  state.recipe = recipe.id;
  if (state.models.length < MIN_MODELS) state.models = [...meta.compare.default_models];
  const shared = recipe.params.filter((p) => p.group !== "model");
  const modelParams = recipe.params.filter((p) => p.group === "model");
  const names = new Set(inputNames(shared));
  const kept = (key) => names.has(key) || state.models.some((id) => id.startsWith(CUSTOM) && key.startsWith(`${id}.`));
  for (const key of Object.keys(state.inputs)) if (!kept(key)) delete state.inputs[key];
  const panel = livePanel(ctx, (result, opts) => table(result, opts, meta.levels));
  const form = generatedForm(shared, (name) => shownValue(shared.find((p) => p.name === name), state.inputs, meta.compare.shared_defaults),
    (name, text) => { setInput(state.inputs, shared.find((p) => p.name === name), text); ctx.save(); compute(); });
  const importer = configImport(ctx, (result) => {
    if (state.models.length >= MAX_MODELS) return;
    const used = state.models.filter((id) => id.startsWith(CUSTOM)).map((id) => Number(id.slice(CUSTOM.length)) || 0);
    const id = `${CUSTOM}${Math.max(0, ...used) + 1}`;
    state.inputs[`${id}.label`] = `${result.family} (imported)`;
    for (const [key, value] of Object.entries(result.params)) if (value !== null && value !== undefined) state.inputs[`${id}.${key}`] = String(value);
    state.models.push(id);
    ctx.save(); drawList(); compute();
  }, null, "Add a model from its config.json");

  // What the engine gets for one entry: a preset id, or the imported fields this recipe reads.
  function spec(id) {
    if (!id.startsWith(CUSTOM)) return id;
    const fields = customFields(state.inputs, id);
    return { label: fields.label || id, ...inputsFromImport({ params: fields }, modelParams, meta.arch_fields) };
  }
  const list = h("div", { class: "model-list" });

  function drawList() {
    replace(list, state.models.map((id, i) => {
      const remove = h("button", { type: "button", disabled: state.models.length <= MIN_MODELS, "aria-label": `Remove model ${i + 1}`, text: "Remove",
                                   onclick: () => {
                                     state.models.splice(i, 1);
                                     if (id.startsWith(CUSTOM)) for (const key of Object.keys(state.inputs)) if (key.startsWith(`${id}.`)) delete state.inputs[key];
                                     ctx.save(); drawList(); compute();
                                   } });
      if (id.startsWith(CUSTOM)) {
        return h("div", { class: "model-row", "data-testid": "custom-model" }, h("span", { class: "label", text: `Model ${i + 1}` }),
          h("span", { class: "custom-label", text: customFields(state.inputs, id).label || id }), remove);
      }
      const select = h("select", { id: `cmp-${i}`, "aria-label": `Model ${i + 1}` }, meta.presets.map((p) => h("option", { value: p.id, text: p.label })));
      select.value = id;
      select.addEventListener("change", () => { state.models[i] = select.value; ctx.save(); compute(); });
      return h("div", { class: "model-row" }, h("label", { for: select.id, text: `Model ${i + 1}` }), select, remove);
    }), h("button", { type: "button", disabled: state.models.length >= MAX_MODELS, text: "Add a model",
                      onclick: () => { state.models.push(meta.presets[0].id); ctx.save(); drawList(); compute(); } }));
  }

  // Find a model by name and add it (the engine ranks the matches).
  const finder = modelPicker(ctx.engine, (id) => {
    if (state.models.length >= MAX_MODELS) return;
    state.models.push(id);
    ctx.save(); drawList(); compute();
  }, { label: "Add a model by name" });

  function compute() {
    const sharedInputs = Object.fromEntries(Object.entries(state.inputs).filter(([key]) => names.has(key)));
    panel.run("compare_models", { specs: state.models.map(spec), recipe_id: recipe.id, shared_params: sharedInputs },
      { onInputError: (e) => form.setError(e.field, e.message), onOk: () => form.setError(null) });
  }
  drawList();
  compute();
  return h("div", { class: "view view-compare" },
    h("h2", { text: `Compare — ${recipe.id} ${recipe.name}` }),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Inputs", onsubmit: (e) => e.preventDefault() },
        recipeSelect(meta, recipe.id, (id) => { state.recipe = id; ctx.save(); ctx.rerender(); }), list, finder, importer, form.el),
      h("div", { class: "outputs" }, panel.el,
        exportBar({ getResult: () => panel.result, engine: ctx.engine, baseName: () => `taf-compare-${recipe.id}` }))));
}
