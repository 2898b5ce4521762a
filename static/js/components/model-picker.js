// Find a model by name: a search box over the whole catalog (presets and the sourced configs).
// The engine ranks the matches (search_models: name, family and size); this module only renders its
// answer and handles the keyboard — ↓/↑ move through the list, Enter picks, Escape closes.
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";

let uid = 0;

function describe(m) {
  const size = m.n_params_active ? `${formatNumber(m.n_params, "params")} (${formatNumber(m.n_params_active, "params")} active)`
    : formatNumber(m.n_params, "params");
  return [m.family, m.n_params ? size : null, m.context ? formatNumber(m.context, "tokens") : null].filter(Boolean).join(" · ");
}

// engine: ctx.engine; onPick(id) when a model is chosen; limit: how many matches to show.
export function modelPicker(engine, onPick, { label = "Find a model", limit = 12 } = {}) {
  const id = `model-search-${++uid}`;
  const listId = `${id}-list`;
  const input = h("input", { id, type: "search", autocomplete: "off", spellcheck: "false", role: "combobox",
                             "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
                             "data-testid": "model-search", placeholder: "name, family or size: qwen3 32, 70b…" });
  const list = h("ul", { id: listId, role: "listbox", class: "model-options", hidden: true, "aria-label": "Matching models" });
  const status = h("p", { class: "small model-search-status", "aria-live": "polite" });
  let models = [], active = -1, seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function highlight(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0 && list.children[i]) {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    }
  }
  function pick(i) {
    const m = models[i];
    if (!m) return;
    input.value = "";
    status.textContent = `Chosen: ${m.label}`;
    close();
    onPick(m.id);
  }
  function render(answer) {
    models = answer.models;
    replace(list, models.map((m, i) => h("li", { id: `${id}-opt-${i}`, role: "option", "aria-selected": "false",
                                                 "data-testid": "model-option", "data-id": m.id,
                                                 onmousedown: (e) => { e.preventDefault(); pick(i); } },
      h("span", { class: "option-label", text: m.label }), h("span", { class: "small option-detail", text: ` ${describe(m)}` }))));
    status.textContent = answer.total ? `${answer.total} match${answer.total === 1 ? "" : "es"}${answer.total > models.length ? `, first ${models.length} shown` : ""}`
      : "No model matches.";
    list.hidden = !models.length;
    input.setAttribute("aria-expanded", models.length ? "true" : "false");
    highlight(models.length ? 0 : -1);
  }
  async function search() {
    const mine = ++seq;
    if (!input.value.trim()) { close(); status.textContent = ""; return; }
    const response = await engine.call("search_models", { query: input.value, limit }, { allowPrerendered: false })
      .catch((e) => ({ ok: false, error: { message: `the engine is not available (${e.message})` } }));
    if (mine !== seq) return;
    if (response.ok) render(response.result);
    else { close(); status.textContent = response.error.message; }
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { search(); return; }
      const step = e.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + models.length) % models.length);
    } else if (e.key === "Enter") {
      e.preventDefault();  // never submits the form
      if (!list.hidden && active >= 0) pick(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => close());
  return h("div", { class: "field model-picker" }, h("label", { for: id, text: label }), input, list, status);
}
