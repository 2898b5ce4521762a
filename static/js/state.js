// State in the URL: every input round-trips. Values stay strings; the engine validates them.
export const VIEWS = ["recipe", "profile", "compare", "leaderboard", "diagnostics", "accuracy", "glossary"];
const RESERVED = new Set(["view", "recipe", "model", "models", "embed", "engine_timeout"]);

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
    embed: q.get("embed") === "1",
    inputs,
  };
}

export function toSearch(state) {
  const q = new URLSearchParams();
  q.set("view", state.view);
  if (state.view === "recipe" || state.view === "compare") q.set("recipe", state.recipe);
  // model="" (present, empty) means "custom inputs": kept in the URL so a reload stays custom
  if (state.model !== null && (state.view === "recipe" || state.view === "profile")) q.set("model", state.model);
  if (state.view === "compare" && state.models.length) q.set("models", state.models.join(","));
  for (const [key, value] of Object.entries(state.inputs)) q.set(key, value);
  if (state.embed) q.set("embed", "1");
  return "?" + q.toString();
}

export function writeState(state) {
  const search = toSearch(state);
  if (search !== location.search) history.replaceState(null, "", search);
}
