// Sweep any numeric input: choose it and a range (or sweep=<input>&sweep_from=…&sweep_to=… in the
// URL); the engine runs the recipe across the range in ONE call and returns the headline figures,
// the spacing and the axes; the chart shows one of them. The range stays text: the engine reads it.
import { h, replace, showFieldError } from "../dom.js";
import { sweepChart } from "./sweep-chart.js";

export function sweepPanel(ctx, recipe, argsNow) {
  const { state } = ctx;
  const numeric = recipe.params.filter((p) => p.type === "number" || p.type === "integer");
  if (!numeric.length) return { el: null, refresh() {} };
  const wanted = state.sweep || {};
  const choose = h("select", { id: "sweep-input", name: "sweep" }, numeric.map((p) => h("option", { value: p.name, text: p.unit ? `${p.name} (${p.unit})` : p.name })));
  choose.value = numeric.find((p) => p.name === wanted.input || (p.aliases || []).includes(wanted.input))?.name || numeric.find((p) => p.group === "scenario")?.name || numeric[0].name;
  const from = h("input", { id: "sweep-from", name: "sweep_from", type: "text", inputmode: "decimal", autocomplete: "off", value: wanted.from || "", placeholder: "from, e.g. 1k" });
  const to = h("input", { id: "sweep-to", name: "sweep_to", type: "text", inputmode: "decimal", autocomplete: "off", value: wanted.to || "", placeholder: "to, e.g. 128k" });
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const out = h("div", { class: "sweep-out", "aria-live": "polite" });
  const status = h("p", { class: "small", role: "status", "data-testid": "sweep-status", hidden: true });
  let figure = null, seq = 0, last = null, asked = null;

  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id, text: label }), input);
  const el = h("details", { class: "sweep-controls", "data-testid": "sweep", open: Boolean(state.sweep) },
    h("summary", { text: "Sweep an input across a range" }),
    h("div", { class: "sweep-row" }, field("sweep-input", "Input", choose), field("sweep-from", "From", from), field("sweep-to", "To", to),
      h("button", { type: "button", "data-testid": "sweep-run", text: "Sweep", onclick: () => run(true) })),
    h("p", { class: "help", text: "Suffixes work: 1k, 128k, 8B, 80GB. One engine call computes the recipe at every point." }),
    error, status, out);

  function draw() {
    if (!last) return;
    const names = last.headline;
    if (!names.includes(figure)) figure = last.default;
    const pick = names.length > 1 ? h("select", { id: "sweep-figure", "aria-label": "Figure to chart" },
      names.map((n) => h("option", { value: n, text: last.series[n].label }))) : null;
    if (pick) { pick.value = figure; pick.addEventListener("change", () => { figure = pick.value; draw(); }); }
    replace(out, pick ? h("div", { class: "field" }, h("label", { for: "sweep-figure", text: "Figure" }), pick) : null,
      sweepChart(last, figure),
      h("p", { class: "small sweep-timing", "data-testid": "sweep-timing", "data-ms": last.ms.toFixed(1),
               text: `${last.points.length} points in ${last.ms.toFixed(0)} ms${last.cold ? ", including the engine's start" : ""} (one engine call, ${last.spacing} spacing)` }));
  }

  async function run(save) {
    if (!from.value.trim() || !to.value.trim()) return;
    state.sweep = { input: choose.value, from: from.value.trim(), to: to.value.trim() };
    if (save) ctx.save();
    const args = { recipe_id: recipe.id, sweep: choose.value, sweep_from: from.value, sweep_to: to.value, inputs: argsNow() };  // the engine decides how many points
    const key = JSON.stringify(args);
    if (key === asked) return;  // the same sweep of the same inputs: already shown or on its way
    asked = key;
    const mine = ++seq;
    status.hidden = false;
    status.textContent = `Sweeping ${choose.value} from ${from.value.trim()} to ${to.value.trim()}…`;
    out.classList.add("pending");
    const cold = ctx.engine.state !== "ready";  // then the time includes the engine's start
    const t0 = performance.now();
    const response = await ctx.engine.call("sweep", args, { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: `the engine is not available (${e.message})` } }));
    if (mine !== seq) return;
    const ms = performance.now() - t0;
    status.hidden = true;
    out.classList.remove("pending");
    if (!response.ok) {
      asked = null;
      showFieldError(error, response.error.message);
      return;
    }
    showFieldError(error, null);
    last = { ...response.result, ms, cold };
    draw();
  }
  for (const input of [from, to]) input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); run(true); } });
  choose.addEventListener("change", () => run(true));
  if (state.sweep) run(false);
  return { el, refresh: () => { if (state.sweep) run(false); } };
}
