// Paste or drop a Hugging Face config.json: the engine reads it (in this tab; nothing is sent
// anywhere) and says what it found, what it used and what is missing.
import { h, replace, showFieldError } from "../dom.js";
import { formatCount } from "../format.js";

export function summaryOf(result) {
  const kv = result.kv_bytes_per_token_bf16;
  return h("div", { class: "import-summary", "data-testid": "config-summary" },
    h("p", {}, h("b", { text: `Detected: ${result.family}` }), ` — ${result.architecture_class}`,
      kv === null ? "" : `; KV cache ${formatCount(kv)} bytes per token at bf16`),
    h("p", { class: "small", text: `Used: ${result.fields_used.join(", ")}` }),
    result.missing.length ? h("p", { class: "small warn", text: `Missing: ${result.missing.join("; ")}` }) : null,
    result.notes.length ? h("ul", { class: "small" }, result.notes.map((n) => h("li", { text: n }))) : null);
}

export function configImport(ctx, onImported, last, title = "Import a config.json") {
  const area = h("textarea", { id: "config-text", rows: 5, spellcheck: "false", "aria-describedby": "config-help",
                               placeholder: '{"model_type": "llama", "hidden_size": 4096, …}' });
  const file = h("input", { id: "config-file", type: "file", accept: ".json,application/json" });
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const out = h("div", { "aria-live": "polite" }, last ? summaryOf(last) : null);
  async function run(text) {
    const response = await ctx.engine.call("import_config", { text }, { allowPrerendered: false })
      .catch((e) => ({ ok: false, error: { message: `the engine is not available (${e.message})` } }));
    if (!response.ok) {
      showFieldError(error, response.error.message);
      return;
    }
    showFieldError(error, null);
    replace(out, summaryOf(response.result));
    onImported(response.result);
  }
  // A file over the engine's limit is refused before it is read (a 200 MB pick must not freeze the tab).
  async function readFile(f) {
    const limit = ctx.meta.config_import.max_bytes;
    if (f.size > limit) {
      showFieldError(error, `the file is too large (${formatCount(f.size)} bytes; a config.json is at most ${formatCount(limit)})`);
      return;
    }
    area.value = await f.text();
    run(area.value);
  }
  area.addEventListener("dragover", (e) => e.preventDefault());
  area.addEventListener("drop", (e) => {
    e.preventDefault();
    if (e.dataTransfer.files[0]) readFile(e.dataTransfer.files[0]);
  });
  file.addEventListener("change", () => { if (file.files[0]) readFile(file.files[0]); });
  return h("details", { class: "config-import", open: Boolean(last) },
    h("summary", { text: title }),
    h("label", { for: "config-text", text: "Paste config.json (or drop the file here)" }), area,
    h("p", { id: "config-help", class: "help", text: "Read in this tab by the engine; it never leaves your browser." }),
    h("div", { class: "field" }, h("label", { for: "config-file", text: "…or choose the file" }), file),
    h("button", { type: "button", text: "Import", onclick: () => run(area.value) }),
    hubFetch(ctx, (text) => { area.value = text; run(text); }),
    error, out);
}

// Opt-in, online only: fetch one model's config.json from the Hugging Face Hub — only when the person
// clicks, showing the exact address asked (the engine builds it from the id). The page asks, not the
// engine's worker; the answer goes through the normal import. Offline, refused or not found: it says
// so and nothing else changes.
function hubFetch(ctx, onText) {
  const idInput = h("input", { id: "hub-model-id", type: "text", autocomplete: "off", spellcheck: "false",
                               placeholder: "owner/name, e.g. meta-llama/Llama-3.1-8B", "aria-describedby": "hub-help" });
  const status = h("p", { class: "small", role: "status", "data-testid": "hub-status" });
  const shownUrl = h("p", { class: "small hub-url", "data-testid": "hub-url", hidden: true });
  const say = (text, failed = false) => { status.textContent = text; status.dataset.failed = failed ? "true" : "false"; };
  const show = (url) => { shownUrl.hidden = false; shownUrl.textContent = `GET ${url}`; };
  if (ctx.lastHubFetch) { show(ctx.lastHubFetch.url); say(ctx.lastHubFetch.text); }  // the view redraws after an import
  async function fetchConfig() {
    const asked = await ctx.engine.call("hub_config_url", { model_id: idInput.value }, { allowPrerendered: false })
      .catch((e) => ({ ok: false, error: { message: `the engine is not available (${e.message})` } }));
    if (!asked.ok) { say(asked.error.message, true); return; }
    const { url } = asked.result;
    show(url);
    say("Asking the Hugging Face Hub…");
    let response;
    try {
      response = await fetch(url, { credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" });
    } catch (e) {
      say(`Offline, or the request was refused (${e.message}). Nothing was imported.`, true);
      return;
    }
    if (!response.ok) {
      const why = response.status === 404 ? "not found" : (response.status === 401 || response.status === 403) ? "refused: a gated or private repository" : response.statusText;
      say(`The Hub answered HTTP ${response.status}${why ? ` (${why})` : ""}. Nothing was imported.`, true);
      return;
    }
    const text = await response.text();
    const limit = ctx.meta.config_import.max_bytes;
    if (text.length > limit) { say(`The answer is too large (${formatCount(text.length)} characters; a config.json is at most ${formatCount(limit)}). Nothing was imported.`, true); return; }
    say(`Fetched ${formatCount(text.length)} characters; imported below.`);
    ctx.lastHubFetch = { url, text: status.textContent };
    onText(text);
  }
  return h("div", { class: "hub-fetch" },
    h("label", { for: "hub-model-id", text: "Model id on the Hugging Face Hub" }), idInput,
    h("p", { id: "hub-help", class: "help", text: "Online only, and only when you click: the app asks huggingface.co for this one file and shows the address it asks." }),
    h("button", { type: "button", "data-testid": "hub-fetch", text: "Fetch config.json from the Hugging Face Hub", onclick: fetchConfig }),
    shownUrl, status);
}

// Fill a view's inputs from an import: the fields this form has (by name or alias) plus the
// architecture fields the engine reads for memory; everything stays text.
export function inputsFromImport(result, params, archFields) {
  const inputs = {};
  for (const p of params) {
    for (const key of [p.name, ...(p.aliases || [])]) {
      if (result.params[key] !== undefined && result.params[key] !== null) { inputs[p.name] = String(result.params[key]); break; }
    }
  }
  for (const key of archFields) {
    if (!(key in inputs) && result.params[key] !== undefined && result.params[key] !== null) inputs[key] = String(result.params[key]);
  }
  return inputs;
}
