// A form generated from parameter metadata (type, unit, default, range/choices, help).
// Values stay text: the engine parses and validates them and names the field at fault.
import { h } from "../dom.js";
import { formatBound } from "../format.js";

let uid = 0;

function rangeText(p) {
  if (p.type === "choice" || p.type === "boolean") return "";
  const lo = p.min === null || p.min === undefined ? null : `${p.min_exclusive ? ">" : "≥"} ${formatBound(p.min)}`;
  const hi = p.max === null || p.max === undefined ? null : `${p.max_exclusive ? "<" : "≤"} ${formatBound(p.max)}`;
  return [lo, hi].filter(Boolean).join(", ");
}

function defaultText(p) {
  if (p.type === "choice" || p.type === "boolean" || p.default === null || p.default === undefined) return "";
  return `default ${p.default}`;
}

// params: metadata list; shown(name) → the text to show; onInput(name, text).
// idPrefix: stable element ids (`${idPrefix}${name}`); describe: {name: {choice: text}}.
// layout: the engine's param_groups (order, title, whether a group folds); filled: a preset or an
// imported config filled the model fields, so the groups that fold start closed.
export function generatedForm(params, shown, onInput, { legend, idPrefix = null, describe = {}, layout = [], filled = false } = {}) {
  const fields = new Map();
  const groups = {};
  for (const p of params) (groups[p.group || "scenario"] ||= []).push(p);
  const order = layout.map((g) => g.id);
  const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length);
  const info = (id) => layout.find((g) => g.id === id) || { id, title: legend || id, folds: false };
  const folders = [];
  const sets = Object.entries(groups).sort(([a], [b]) => rank(a) - rank(b)).map(([group, list]) => {
    const g = info(group);
    const body = list.map((p) => {
      const id = idPrefix ? `${idPrefix}${p.name}` : `f${++uid}-${p.name}`;
      const helpId = `${id}-help`;
      const errorId = `${id}-error`;
      let input;
      if (p.type === "choice") {
        input = h("select", { id, name: p.name, "aria-describedby": helpId },
          p.choices.map((c) => h("option", { value: c, text: describe[p.name] && describe[p.name][c] ? `${c}: ${describe[p.name][c]}` : c })));
        input.value = shown(p.name) ?? p.default;
        input.addEventListener("change", () => onInput(p.name, input.value));
      } else if (p.type === "boolean") {
        input = h("input", { id, name: p.name, type: "checkbox", "aria-describedby": helpId });
        input.checked = String(shown(p.name)) === "true";
        input.addEventListener("change", () => onInput(p.name, input.checked ? "true" : "false"));
      } else {
        input = h("input", { id, name: p.name, type: "text", inputmode: p.type === "text" ? "text" : "decimal", autocomplete: "off",
                             spellcheck: "false", "aria-describedby": `${helpId} ${errorId}`,
                             placeholder: p.default === null || p.default === undefined ? (p.required ? "required" : "empty") : String(p.default) });
        input.value = shown(p.name) ?? "";
        input.addEventListener("input", () => onInput(p.name, input.value));
      }
      const error = h("p", { id: errorId, class: "field-error", role: "alert", hidden: true });
      const label = h("label", { for: id }, h("code", { text: p.name }), p.unit ? h("span", { class: "unit", text: ` (${p.unit})` }) : null);
      const wrap = h("div", { class: `field field-${p.type}` }, label, input,
        h("p", { id: helpId, class: "help", text: [p.help, rangeText(p), defaultText(p)].filter(Boolean).join(" — ") }), error);
      fields.set(p.name, { input, error, wrap, param: p });
      return wrap;
    });
    if (!g.folds) return h("fieldset", { class: `group group-${group}` }, h("legend", { text: g.title }), body);
    const fold = h("details", { class: `group group-${group} fold`, "data-testid": `group-${group}`, open: !filled },
      h("summary", { text: `${g.title} (${list.length})` }), body);
    folders.push(fold);
    return fold;
  });
  const el = h("div", { class: "form" }, sets);
  return {
    el,
    setError(field, message) {
      for (const [name, f] of fields) {
        const bad = name === field;
        f.error.hidden = !bad;
        f.error.textContent = bad ? message : "";
        if (bad) {
          f.error.setAttribute("data-testid", "field-error"); f.input.setAttribute("aria-invalid", "true");
          const fold = f.wrap.closest("details");
          if (fold) fold.open = true;  // an error never hides in a folded group
        }
        else { f.error.removeAttribute("data-testid"); f.input.removeAttribute("aria-invalid"); }
      }
      return fields.has(field);
    },
    fold(filledNow) { for (const d of folders) d.open = !filledNow; },
    refresh() {
      for (const [name, f] of fields) {
        if (document.activeElement === f.input) continue;
        if (f.param.type === "boolean") f.input.checked = String(shown(name)) === "true";
        else f.input.value = shown(name) ?? (f.param.type === "choice" ? f.param.default : "");
      }
    },
  };
}
