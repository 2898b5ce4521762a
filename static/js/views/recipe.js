// Recipe view: a form generated from the recipe's metadata → step chain + verdict card.
import { h } from "../dom.js";
import { generatedForm } from "../components/form.js";
import { stepChain } from "../components/chain.js";
import { verdictCard } from "../components/verdict.js";
import { exportBar } from "../components/export-bar.js";
import { fitChart } from "../components/fit-chart.js";
import { deploymentPlan } from "../components/deployment-plan.js";
import { lineChart } from "../components/line-chart.js";
import { configImport, inputsFromImport } from "../components/config-import.js";
import { sweepPanel } from "../components/sweep.js";
import { canonicalize, forgetModel, importedLabel, inputNames, livePanel, modelSelect, presetById, recipeSelect, setInput, shownValue } from "./common.js";

export function recipeView(ctx) {
  const { meta, state } = ctx;
  const recipe = meta.recipes.find((r) => r.id === state.recipe) || meta.recipes.find((r) => r.id === meta.default_recipe);
  state.recipe = recipe.id;
  if (state.model === null && recipe.accepts_model) state.model = recipe.default_model;
  const names = new Set([...inputNames(recipe.params), ...meta.arch_fields]);
  for (const key of Object.keys(state.inputs)) if (!names.has(key)) delete state.inputs[key];

  const panel = livePanel(ctx, (result, opts) => h("div", {},
    verdictCard(result, meta.levels, opts),
    result.chart ? fitChart(result.chart) : null,
    result.plan ? deploymentPlan(result.plan) : null,
    (result.charts || []).map(lineChart),
    h("h3", { class: "step-chain-title", text: "How the verdict was reached" }),
    stepChain(result.chain)));

  const form = generatedForm(recipe.params,
    (name) => shownValue(recipe.params.find((p) => p.name === name), state.inputs, presetById(meta, state.model)),
    (name, text) => { setInput(state.inputs, recipe.params.find((p) => p.name === name), text); ctx.save(); compute(); },
    { layout: meta.param_groups, filled: Boolean(state.model) || Boolean(state.config) });

  const inputsNow = () => ({ ...state.inputs, ...(state.model ? { model: state.model } : {}) });
  const sweep = sweepPanel(ctx, recipe, inputsNow);
  function compute() {
    const args = { recipe_id: recipe.id, ...inputsNow() };
    panel.run("run_recipe", args, {
      onInputError: (error) => form.setError(error.field, error.message),
      onOk: (result) => { form.setError(null); if (canonicalize(state.inputs, recipe.params, result.inputs)) ctx.save(); sweep.refresh(); },
    });
  }

  const header = h("div", { class: "pickers" },
    recipeSelect(meta, recipe.id, (id) => { state.recipe = id; ctx.go(); }),
    recipe.accepts_model ? modelSelect(meta, state.model, (id) => {
      state.model = id;
      forgetModel(state.inputs, recipe.params, meta.arch_fields);
      forgetModel(ctx.kept, recipe.params, meta.arch_fields);
      state.config = null;
      document.querySelector('[data-testid="config-label"]')?.remove();
      ctx.save(); form.refresh(); form.fold(Boolean(id)); compute();
    }, { engine: ctx.engine }) : null, importedLabel(state));

  const importer = recipe.accepts_model ? configImport(ctx, (result) => {
    ctx.lastImport = result;
    state.model = "";
    state.config = { name: result.name || "", family: result.family };
    forgetModel(ctx.kept, recipe.params, meta.arch_fields);
    state.inputs = { ...Object.fromEntries(Object.entries(state.inputs).filter(([k]) => !meta.arch_fields.includes(k) && !recipe.params.some((p) => p.group === "model" && [p.name, ...p.aliases].includes(k)))),
                     ...inputsFromImport(result, recipe.params, meta.arch_fields) };
    ctx.save(); ctx.rerender();
  }, ctx.lastImport) : null;

  compute();
  return h("div", { class: "view view-recipe" },
    h("h2", { text: `${recipe.id} — ${recipe.name}` }),
    h("p", { class: "lede", text: recipe.description }),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Inputs", onsubmit: (e) => e.preventDefault() }, header, importer, form.el),
      h("div", { class: "outputs" }, panel.el, sweep.el,
        exportBar({ getResult: () => panel.result, engine: ctx.engine, baseName: () => `taf-${recipe.id}` }))), panel.bar);
}
