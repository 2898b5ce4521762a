// Boot: read the URL, show the precomputed result at once, start the engine worker, route views.
import { engine, metadata, firstTable } from "./boot.js"; // first: starts the engine at once
import { h, replace } from "./dom.js";
import { discardState, flushState, readState, writeState, toSearch, VIEWS } from "./state.js";
import { recipeView } from "./views/recipe.js";
import { profileView } from "./views/profile.js";
import { compareView } from "./views/compare.js";
import { leaderboardView } from "./views/leaderboard.js";
import { diagnosticsView } from "./views/diagnostics.js";
import { glossaryView, revealTerm, useGlossary } from "./views/glossary.js";
import { accuracyView } from "./views/accuracy.js";

const RENDER = { recipe: recipeView, profile: profileView, compare: compareView, leaderboard: leaderboardView, diagnostics: diagnosticsView, accuracy: accuracyView, glossary: glossaryView };
const LABELS = { recipe: "Recipe", profile: "Profile", compare: "Compare", leaderboard: "Leaderboard", diagnostics: "Diagnostics", accuracy: "Accuracy", glossary: "Glossary" };

function statusLine(engine) {
  const el = h("div", { class: "engine-status", "data-testid": "engine-status", "data-state": engine.state, role: "status", "aria-live": "polite" });
  const draw = () => {
    el.dataset.state = engine.state;
    const words = { loading: `Engine loading: ${engine.detail || "starting"}…`, ready: "Engine ready", failed: `Engine failed: ${engine.detail}` };
    replace(el, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { text: words[engine.state] }),
      engine.state === "failed" ? h("button", { type: "button", class: "retry", text: "Retry", onclick: () => engine.retry() }) : null);
  };
  engine.addEventListener("state", draw);
  draw();
  return el;
}

function watchHeight() {
  if (window.parent === window) return;
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) { last = height; window.parent.postMessage({ type: "taf:resize", height }, "*"); }
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}

// The page title names the view, and where they apply the recipe and the model (or imported config).
function titleOf(state, meta) {
  const parts = [LABELS[state.view]];
  if (state.view === "recipe" || state.view === "compare") {
    const recipe = meta.recipes.find((r) => r.id === state.recipe);
    if (recipe) parts.push(`${recipe.id} ${recipe.name}`);
  }
  if (state.view === "recipe" || state.view === "profile") {
    const preset = state.model ? meta.presets.find((p) => p.id === state.model) : null;
    if (preset) parts.push(preset.label);
    else if (state.model === "" && state.config) parts.push(state.config.name || `${state.config.family} (config.json)`);
    else if (state.model === "") parts.push("custom model");
  }
  return `${parts.join(" · ")} — TAF Browser`;
}

async function main() {
  const state = readState();
  const root = document.getElementById("app");
  if (state.embed) document.documentElement.classList.add("embed");
  if (state.embed === "result") document.documentElement.classList.add("embed-result");
  let meta;
  try {
    let first;
    [meta, first] = await Promise.all([metadata, firstTable]);  // fetches started in boot.js
    engine.addPrerendered(first);
    useGlossary(meta.glossary);  // the terms jargon links to (chain steps, diagnostics titles)
  } catch (error) {
    replace(root, h("p", { class: "error-card", role: "alert", text: `The app's data files could not be loaded (${error.message}).` }));
    return;
  }
  const nav = h("nav", { "aria-label": "Views" });
  const main = h("main", { id: "view" });
  // kept: every input typed in this tab, by name, so the scenario (GPU, context, users, precision …)
  // follows the person from view to view; each view takes the names it has.
  const kept = { ...state.inputs };
  const retitle = () => { const title = titleOf(state, meta); if (document.title !== title) document.title = title; };
  const save = () => { Object.assign(kept, state.inputs); writeState(state); retitle(); };
  const ctx = {
    meta, engine, state, kept, save,
    rerender: () => show(),
    // another recipe or view: a new history entry, so Back returns here
    go: () => { Object.assign(kept, state.inputs); writeState(state, { push: true }); show(); },
    forget: (names) => { for (const name of names) delete kept[name]; },
  };

  function enter(view) {
    Object.assign(kept, state.inputs);
    state.view = view;
    state.inputs = { ...kept };  // the view drops the names it does not have
  }

  function show() {
    replace(nav, h("ul", {}, VIEWS.map((v) => h("li", {}, h("a", {
      href: toSearch({ ...state, view: v, inputs: {} }), "aria-current": v === state.view ? "page" : null, text: LABELS[v],
      onclick: (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        if (state.view === v) return;
        enter(v);
        writeState(state, { push: true });
        show();
      } })))));
    replace(main, RENDER[state.view](ctx));  // the view settles its state (recipe, model) first
    writeState(state);
    retitle();
  }

  // In-app links (a[data-nav], e.g. jargon → its glossary entry) open their view in place, without
  // restarting the engine, as a new history entry: Back returns to the view the link was in.
  function openView(next) {
    Object.assign(state, next, { embed: state.embed || next.embed });
    Object.assign(kept, state.inputs);
    show();
  }
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-nav]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const url = new URL(link.getAttribute("href"), location.href);
    const next = readState(url.search);
    flushState();
    history.pushState(null, "", toSearch({ ...next, embed: state.embed || next.embed }) + url.hash);
    openView(next);
  });
  addEventListener("popstate", () => {
    discardState();
    const next = readState();
    if (toSearch({ ...next, embed: state.embed }) === toSearch(state)) revealTerm();  // only the hash moved
    else openView(next);
  });

  replace(root,
    h("header", { class: "top" },
      h("div", { class: "brand" }, h("h1", {}, h("a", { href: "?", text: "TAF Browser" })),
        h("p", { class: "tagline", text: "Will this LLM plan work? Auditable verdicts, computed in your browser." })),
      statusLine(engine)),
    nav, main,
    h("footer", { class: "foot" }, h("p", { text: "Every number comes from the TAF engine (pure Python, running here in Pyodide). Nothing leaves this tab. Predictions are upper bounds unless they say otherwise." })));
  show();
  watchHeight();
}

main();
