// State in the URL: every input round-trips. Values stay strings; the engine validates them.
export const VIEWS = ["recipe", "profile", "compare", "leaderboard", "diagnostics", "accuracy", "glossary"];
const RESERVED = new Set(["view", "recipe", "model", "models", "embed", "engine_timeout", "config_name", "config_family",
                          "sort", "sweep", "sweep_from", "sweep_to"]);
const EMBEDS = { 1: "full", true: "full", full: "full", result: "result" };

export function readState(search = location.search) {
  const q = new URLSearchParams(search);
  const view = VIEWS.includes(q.get("view")) ? q.get("view") : "recipe";
  const inputs = {};
  for (const [key, value] of q) if (!RESERVED.has(key)) inputs[key] = value;
  return {
    view,
    recipe: q.get("recipe"),  // null: the view takes the engine's default
    model: q.get("model"),
    models: (q.get("models") || "").split(",").filter(Boolean),
    embed: EMBEDS[q.get("embed")] || null,  // null | "full" | "result" (only the verdict, figures and chart)
    // an imported config has no preset id: its name and family travel with the link (labels only)
    config: q.get("config_name") || q.get("config_family") ? { name: q.get("config_name") || "", family: q.get("config_family") || "" } : null,
    sort: q.get("sort"),  // the leaderboard's sort: "rsrc_t" ascending, "-rsrc_t" descending
    sweep: q.get("sweep") ? { input: q.get("sweep"), from: q.get("sweep_from") || "", to: q.get("sweep_to") || "" } : null,
    inputs,
  };
}

export function toSearch(state) {
  const q = new URLSearchParams();
  q.set("view", state.view);
  if ((state.view === "recipe" || state.view === "compare") && state.recipe) q.set("recipe", state.recipe);
  // model="" (present, empty) means "custom inputs": kept in the URL so a reload stays custom
  const modelView = state.view === "recipe" || state.view === "profile";
  if (state.model !== null && modelView) q.set("model", state.model);
  if (modelView && state.model === "" && state.config) {
    if (state.config.name) q.set("config_name", state.config.name);
    if (state.config.family) q.set("config_family", state.config.family);
  }
  if (state.view === "compare" && state.models.length) q.set("models", state.models.join(","));
  for (const [key, value] of Object.entries(state.inputs)) q.set(key, value);
  if (state.view === "leaderboard" && state.sort) q.set("sort", state.sort);
  if (state.view === "recipe" && state.sweep && state.sweep.input) {
    q.set("sweep", state.sweep.input);
    if (state.sweep.from) q.set("sweep_from", state.sweep.from);
    if (state.sweep.to) q.set("sweep_to", state.sweep.to);
  }
  if (state.embed) q.set("embed", state.embed === "result" ? "result" : "1");
  return "?" + q.toString();
}

// replace: the same view, edited (typing); push: another view (Back returns to this one).
// A replace (a keystroke) is not written at once: history.replaceState costs the page about a
// millisecond and the browser several more, and on a small machine that work competes with the
// engine for the CPU while the verdict is being computed. It is written just after the next result
// is drawn (flushStateSoon, called by the result panel), or 100 ms after the edit when no result
// follows; edits in between collapse into the last. A push, a copied link or embed code
// (flushState) write a pending replace first, so the entry being left keeps its last edit.
let pendingSearch = null;
let fallback = 0;

export function flushState() {
  clearTimeout(fallback);
  if (pendingSearch === null) return;
  const search = pendingSearch;
  pendingSearch = null;
  if (search !== location.search) history.replaceState(null, "", search);
}

export function flushStateSoon() {
  if (pendingSearch !== null) setTimeout(flushState, 0);
}

// Back or Forward moved the history: a replace still pending belongs to the entry left behind.
export function discardState() {
  clearTimeout(fallback);
  pendingSearch = null;
}

export function writeState(state, { push = false } = {}) {
  const search = toSearch(state);
  if (!push) {
    pendingSearch = search;
    clearTimeout(fallback);
    fallback = setTimeout(flushState, 100);
    return;
  }
  flushState();
  if (search !== location.search) history.pushState(null, "", search);
}
