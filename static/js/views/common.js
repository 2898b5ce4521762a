// Shared by the views: the live result panel (latest request wins; a bad input keeps the last
// good result visible but marked stale; an engine error shows an error card) and small pickers.
// At most one request per panel is with the engine: edits made meanwhile collapse into the
// newest, so a slow request (a large uploaded CSV) never queues one run per keystroke.
import { h, replace } from "../dom.js";
import { errorCard } from "../components/verdict.js";
import { modelPicker } from "../components/model-picker.js";
import { flushStateSoon } from "../state.js";

export function livePanel(ctx, render) {
  const el = h("div", { class: "result", "aria-live": "polite", "data-testid": "result", "data-pending": "true" },
    h("p", { class: "waiting", text: "Computing…" }));
  let seq = 0;
  let lastGood = null;
  let busy = false, queued = null;
  // On a phone the result sits far from the field being edited: a bar fixed to the bottom of the
  // screen repeats the verdict (its words and level, copied from the rendered card); a tap shows the card.
  const bar = h("button", { type: "button", class: "verdict-bar", "data-testid": "verdict-bar", "aria-label": "Verdict: show the result",
                            onclick: () => el.scrollIntoView({ block: "start" }) });
  const barText = h("strong");
  bar.append(h("span", { class: "verdict-bar-label", text: "Verdict " }), barText);
  bar.hidden = true;
  const mirror = () => {  // after each drawing of the panel; touches the bar only when it changes
    flushStateSoon();  // the link follows the result just drawn (state.js)
    const v = el.querySelector('[data-testid="verdict"]');
    if (bar.hidden !== !v) bar.hidden = !v;
    if (!v) return;
    const text = v.textContent.trim();
    if (barText.textContent !== text) barText.textContent = text;
    if (bar.dataset.level !== v.dataset.level) bar.dataset.level = v.dataset.level || "";
    if (bar.dataset.stale !== v.dataset.stale) bar.dataset.stale = v.dataset.stale || "false";
  };
  const panel = {
    el, bar,
    get result() { return lastGood && lastGood.result; },
    async run(...request) {
      ++seq;  // a newer request makes any answer still on its way out of date
      el.dataset.pending = "true";
      if (busy) { queued = request; return; }
      busy = true;
      try {
        await ask(seq, ...request);
      } finally {
        busy = false;
        if (queued) { const next = queued; queued = null; panel.run(...next); }
      }
    },
  };
  // onProgress: the engine's progress for this request (while it is the newest); onSettled: once
  // the newest request has its answer (or the engine failed), before it is drawn.
  async function ask(mine, call, args, { onInputError = () => false, onOk = () => {}, onProgress, onSettled = () => {} } = {}) {
    let response;
    const progress = onProgress ? (p) => { if (mine === seq) onProgress(p); } : undefined;
    try {
      response = await ctx.engine.call(call, args, { onProgress: progress });
    } catch (error) {
      if (mine !== seq) return;
      el.dataset.pending = "false";
      onSettled();
      replace(el, lastGood ? render(lastGood.result, { stale: true, source: lastGood.source }) : null,
        h("p", { class: "engine-note", role: "status", text: `The engine is not available (${error.message}). Precomputed results remain; use Retry above.` }));
      mirror();
      return;
    }
    if (mine !== seq) return;
    el.dataset.pending = "false";
    onSettled();
    el.dataset.source = response.source;
    if (response.ok) {
      lastGood = response;
      onOk(response.result);
      replace(el, render(response.result, { stale: false, source: response.source }));
      mirror();
      if (!performance.getEntriesByName("taf:first-result").length) {
        performance.mark("taf:first-result");
        ctx.engine.firstDrawn();
      }
    } else if (response.error.type === "input" && onInputError(response.error)) {
      replace(el, lastGood ? render(lastGood.result, { stale: true, source: lastGood.source }) :
        h("p", { class: "waiting", text: "Fix the highlighted input to see a verdict." }));
      mirror();
    } else {
      replace(el, errorCard(response.error.message), lastGood ? render(lastGood.result, { stale: true, source: lastGood.source }) : null);
      mirror();
    }
  }
  return panel;
}

export function presetById(meta, id) {
  return meta.presets.find((p) => p.id === id) || null;
}

// Picking another model forgets every model field the person typed (under any spelling) and every
// architecture field an imported config left, so nothing of the old model is laid over the new one.
export function forgetModel(inputs, params, archFields) {
  for (const p of params) if (p.group === "model") for (const key of [p.name, ...(p.aliases || [])]) delete inputs[key];
  for (const key of archFields) delete inputs[key];
}

// The names a view keeps from the URL: each input's name and its aliases (the seed's spellings).
export function inputNames(params) {
  return params.flatMap((p) => [p.name, ...(p.aliases || [])]);
}

// Typing in a field replaces whatever spelling of that input the URL used.
export function setInput(inputs, param, text) {
  for (const alias of param.aliases || []) delete inputs[alias];
  inputs[param.name] = text;
}

// After a good answer the URL holds the engine's reading of what was typed ("32k" → 32768): each
// typed input (under its own name) takes the value the engine echoes. No parsing here.
export function canonicalize(inputs, params, echo) {
  if (!echo) return false;
  let changed = false;
  for (const p of params) {
    if (!(p.name in inputs) || !(p.name in echo) || echo[p.name] === null || typeof echo[p.name] === "object") continue;
    const text = String(echo[p.name]);
    if (inputs[p.name] !== text && inputs[p.name].trim() !== "") { inputs[p.name] = text; changed = true; }
  }
  return changed;
}

// The value a field shows: what the person typed (under its name or an alias), else the
// preset's value, else the default.
export function shownValue(param, inputs, preset) {
  for (const key of [param.name, ...(param.aliases || [])]) if (key in inputs) return inputs[key];
  if (preset) {
    for (const key of [param.name, ...(param.aliases || [])]) {
      if (preset[key] !== null && preset[key] !== undefined) return String(preset[key]);
    }
  }
  return param.default === null || param.default === undefined ? "" : String(param.default);
}

// An imported config has no preset: its name and family (carried by the link) say which model it is.
export function importedLabel(state) {
  if (state.model !== "" || !state.config) return null;
  const { name, family } = state.config;
  return h("p", { class: "imported-label", "data-testid": "config-label" },
    h("span", { class: "muted", text: "Imported config: " }), h("b", { text: name || "unnamed model" }), family ? ` (${family})` : "");
}

// engine: when given, a search box (components/model-picker.js) finds a model by name and picks it here.
export function modelSelect(meta, value, onChange, { allowCustom = true, label = "Model", engine = null } = {}) {
  const select = h("select", { id: `model-${Math.random().toString(36).slice(2, 7)}` },
    allowCustom ? h("option", { value: "", text: "(custom: type every field)" }) : null,
    meta.presets.map((p) => h("option", { value: p.id, text: p.label })));
  select.value = value || "";
  select.addEventListener("change", () => onChange(select.value));  // "" = custom inputs
  const picker = engine ? modelPicker(engine, (id) => { select.value = id; onChange(id); }) : null;
  return h("div", { class: "model-choice" }, picker, h("div", { class: "field" }, h("label", { for: select.id, text: label }), select));
}

export function recipeSelect(meta, value, onChange) {
  const select = h("select", { id: "recipe-select" },
    meta.recipes.map((r) => h("option", { value: r.id, text: `${r.id} — ${r.name}` })));
  select.value = value;
  select.addEventListener("change", () => onChange(select.value));
  return h("div", { class: "field" }, h("label", { for: "recipe-select", text: "Recipe" }), select);
}
