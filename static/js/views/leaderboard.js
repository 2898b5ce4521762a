// Leaderboard view: the RSRC_t table, sortable; every parameter a control with live re-scoring;
// flags and unscored rows visible; your own CSV scored locally (it never leaves the tab).
import { h, replace } from "../dom.js";
import { formatCount, formatNumber } from "../format.js";
import { livePanel } from "./common.js";
import { download as saveFile } from "../components/export-bar.js";

const PAGE_ROWS = 200;  // rows drawn at a time: a 100k-row upload stays a light page
const COLUMNS = [["rank", "Rank"], ["model", "Model"], ["architecture", "Architecture"], ["rsrc_t", "RSRC_t"], ["status", "Status / reason"], ["flags", "Flags"]];

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// The engine's intermediates for one scored row, in the reference's step order (display only).
function chain(r) {
  const v = r.values, m = r.intermediate;
  return h("details", { class: "small rsrc-chain", "data-testid": "rsrc-chain" }, h("summary", { text: "chain" }),
    h("ol", {},
      h("li", { text: `inputs: ${formatNumber(v.params_b)} B params, ${formatNumber(v.flops_pf)} PF training FLOPs, ${formatNumber(v.energy)} energy/pFLOP, year ${v.year}` }),
      h("li", { text: `FLOPs cap = ${formatNumber(m.flops_cap)} PF (${m.flops_cap_changed_value ? `would cut FLOPs to ${formatNumber(m.flops_capped)}` : "not binding"})` }),
      h("li", { text: `efficiency E = ${formatNumber(m.efficiency_score)}${m.legacy_penalty_applied ? " (legacy penalty applied)" : ""}` }),
      h("li", { text: `active = ${formatNumber(m.active_params_b)} B (from ${m.active_basis})` }),
      h("li", { text: `age decay A = ${formatNumber(m.age_decay)}, exponent k = ${formatNumber(m.exponent)}` }),
      h("li", { text: `RSRC_t = ln(active) × ARCH_SCORE ÷ E^k × A = ${formatNumber(r.rsrc_t)}` })));
}

export function leaderboardView(ctx) {
  const { meta, state } = ctx;
  const rsrcMeta = meta.rsrc;
  let upload = null; // {name, base64}
  let sort = { key: "rank", dir: 1 };
  let board = null;
  let shown = PAGE_ROWS;

  const panel = livePanel(ctx, (result, opts) => { board = result; return draw(result, opts); });
  const fieldErrors = new Map();

  function sortedRows(rows) {
    const key = sort.key;
    const value = (r) => key === "flags" ? r.flags.length : key === "status" ? r.status + r.reason : r[key];
    return [...rows].sort((a, b) => {
      const va = value(a), vb = value(b);
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      return (va < vb ? -1 : va > vb ? 1 : 0) * sort.dir;
    });
  }

  function draw(result, { stale, source }) {
    const s = result.summary;
    const rows = sortedRows(result.rows);
    const redraw = () => replace(panel.el, draw(board, { stale, source }));
    return h("div", { class: stale ? "stale" : "" },
      stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input or the file has an error, so this is the last good table." }) : null,
      h("p", { class: "summary", "data-testid": "leaderboard-summary" },
        `${result.source}: ${formatCount(s.rows_in)} rows in, ${formatCount(s.rows_out)} out — ${formatCount(s.scored)} scored, ${formatCount(s.unscored)} not scored`,
        s.flagged_implausible ? `, ${formatCount(s.flagged_implausible)} flagged implausible` : "",
        s.duplicates.length ? `; duplicate names: ${s.duplicates.join(", ")}` : "",
        source === "prerendered" ? h("span", { class: "badge", text: "precomputed" }) : null),
      h("p", { class: "small", text: result.mode_text }),
      h("div", { class: "table-wrap" }, h("table", { class: "leaderboard" },
        h("thead", {}, h("tr", {}, COLUMNS.map(([key, label]) => h("th", { scope: "col", "aria-sort": sort.key === key ? (sort.dir > 0 ? "ascending" : "descending") : "none" },
          h("button", { type: "button", class: "sort", text: label + (sort.key === key ? (sort.dir > 0 ? " ▲" : " ▼") : ""),
                        onclick: () => { sort = { key, dir: sort.key === key ? -sort.dir : (key === "rsrc_t" ? -1 : 1) }; redraw(); } }))))),
        h("tbody", {}, rows.slice(0, shown).map((r) => h("tr", { "data-testid": "leaderboard-row", "data-status": r.status, class: r.implausible ? "implausible" : "" },
          h("td", { class: "num", text: r.rank ?? "—" }),
          h("td", { class: "model" }, h("span", { text: r.model || "(no name)" }),
            r.basis ? h("details", { class: "basis" }, h("summary", { text: "basis" }), h("p", { class: "small", text: r.basis })) : null),
          h("td", { class: "arch", text: r.architecture }),
          h("td", { class: "num", title: r.rsrc_t === null ? "" : String(r.rsrc_t) },
            r.rsrc_t === null ? "—" : formatNumber(r.rsrc_t),
            Object.keys(r.intermediate).length ? chain(r) : null),
          h("td", { text: r.status === "scored" ? "scored" : `not scored: ${r.reason}` }),
          h("td", { class: "flags", text: r.flags.join("; ") })))))),
      rows.length > shown ? h("p", { class: "more-rows", "data-testid": "more-rows" },
        `Showing ${formatCount(shown)} of ${formatCount(rows.length)} rows (sorted by ${sort.key}). `,
        h("button", { type: "button", text: `Show ${formatCount(Math.min(PAGE_ROWS, rows.length - shown))} more`,
                      onclick: () => { shown += PAGE_ROWS; redraw(); } })) : null);
  }

  function args() {
    const params = {};
    for (const [k, v] of Object.entries(state.inputs)) if (k === "ACTIVE_OVERRIDES" || rsrcMeta.params.some((p) => p.name === k)) params[k] = v;
    const common = { params, mode: state.inputs.mode || "reference", active_source: state.inputs.active_source || "reference",
                     exclude_implausible: state.inputs.exclude_implausible === "true" };
    const isDefault = !Object.keys(params).length && common.mode === "reference" && common.active_source === "reference" && !common.exclude_implausible;
    if (upload) return ["rsrc_score_upload", { data_base64: upload.base64, source: upload.name, ...common }];
    return ["rsrc_bundled", isDefault ? {} : common];
  }

  function compute() {
    const [call, a] = args();
    panel.run(call, a, {
      onInputError: (e) => {
        const target = fieldErrors.get(e.field) || fileError;  // a file problem has no parameter field
        for (const f of [...fieldErrors.values(), fileError]) showError(f, f === target ? e.message : null);
        return true;
      },
      onOk: () => { for (const f of [...fieldErrors.values(), fileError]) showError(f, null); },
    });
  }

  function showError(el, message) {
    el.hidden = !message;
    el.textContent = message || "";
    if (message) el.setAttribute("data-testid", "field-error");
    else el.removeAttribute("data-testid");
  }

  const set = (name, value) => { state.inputs[name] = value; ctx.save(); compute(); };
  const controls = rsrcMeta.params.map((p) => {
    const id = `rsrc-${p.name}`;
    const input = h("input", { id, type: "text", inputmode: "decimal", value: state.inputs[p.name] ?? String(p.default), "aria-describedby": `${id}-help` });
    input.addEventListener("input", () => set(p.name, input.value));
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    fieldErrors.set(p.name, error);
    return h("div", { class: "field" }, h("label", { for: id }, h("code", { text: p.name })), input,
      h("p", { id: `${id}-help`, class: "help", text: `${p.help} (default ${p.default})` }), error);
  });
  const overridesText = Object.entries(rsrcMeta.active_overrides).map(([k, v]) => `${k}=${v}`).join(", ");
  const overrides = h("input", { id: "rsrc-ACTIVE_OVERRIDES", type: "text", value: state.inputs.ACTIVE_OVERRIDES ?? overridesText, "aria-describedby": "rsrc-ov-help" });
  overrides.addEventListener("input", () => set("ACTIVE_OVERRIDES", overrides.value));
  const overridesError = h("p", { class: "field-error", role: "alert", hidden: true });
  fieldErrors.set("ACTIVE_OVERRIDES", overridesError);
  controls.push(h("div", { class: "field" }, h("label", { for: "rsrc-ACTIVE_OVERRIDES" }, h("code", { text: "ACTIVE_OVERRIDES" })), overrides,
    h("p", { id: "rsrc-ov-help", class: "help", text: `known active parameters (B) by model name, as name=value pairs (default ${overridesText})` }), overridesError));
  const mode = h("select", { id: "rsrc-mode" }, Object.entries(rsrcMeta.modes).map(([k, text]) => h("option", { value: k, text: `${k}: ${text}` })));
  mode.value = state.inputs.mode || "reference";
  mode.addEventListener("change", () => set("mode", mode.value));
  const active = h("select", { id: "rsrc-active" }, Object.entries(rsrcMeta.active_sources).map(([k, text]) => h("option", { value: k, text: `${k}: ${text}` })));
  active.value = state.inputs.active_source || "reference";
  active.addEventListener("change", () => set("active_source", active.value));
  const exclude = h("input", { id: "rsrc-exclude", type: "checkbox" });
  exclude.checked = state.inputs.exclude_implausible === "true";
  exclude.addEventListener("change", () => set("exclude_implausible", exclude.checked ? "true" : "false"));
  const fileError = h("p", { class: "field-error", role: "alert", hidden: true });
  const fileNote = h("p", { class: "small", text: "Your file is read in this tab only; it is never uploaded anywhere." });
  const file = h("input", { id: "rsrc-file", type: "file", accept: ".csv,text/csv" });
  file.addEventListener("change", async () => {
    const f = file.files[0];
    if (!f) return;
    if (f.size > rsrcMeta.max_file_bytes) {  // refused before reading it (the engine checks too)
      showError(fileError, `the file is too large (${(f.size / 1e6).toFixed(1)} MB; at most ${rsrcMeta.max_file_bytes / 1e6} MB)`);
      return;
    }
    upload = { name: f.name, base64: toBase64(await f.arrayBuffer()) };
    shown = PAGE_ROWS;
    fileNote.textContent = `Scoring ${f.name} locally (${formatCount(f.size)} bytes).`;
    compute();
  });
  const download = h("button", { type: "button", text: "Download CSV", onclick: async () => {
    if (!board) return;
    const out = await ctx.engine.call("rsrc_csv_export", { board }, { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: e.message } }));
    if (!out.ok) { fileNote.textContent = `CSV export needs the engine: ${out.error.message}`; return; }
    saveFile("rsrc-leaderboard.csv", out.result, "text/csv");
  } });
  compute();
  return h("div", { class: "view view-leaderboard" },
    h("h2", { text: "RSRC_t training-efficiency leaderboard" }),
    h("p", { class: "lede", text: "RSRC_t = ln(active params) × ARCH_SCORE ÷ E^k × age decay, with E = FLOPs ÷ Params^α × Energy ÷ β — computed exactly as the reference calculator, quirks included. Figures are approximate by design." }),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Parameters", onsubmit: (e) => e.preventDefault() },
        h("fieldset", {}, h("legend", { text: "Data" }),
          h("div", { class: "field" }, h("label", { for: "rsrc-file", text: "Score your own CSV" }), file, fileNote, fileError),
          h("button", { type: "button", text: "Use the bundled leaderboard", onclick: () => { upload = null; shown = PAGE_ROWS; file.value = ""; fileNote.textContent = "Using presets/leaderboard.csv."; compute(); } }),
          download),
        h("fieldset", {}, h("legend", { text: "Mode" }),
          h("div", { class: "field" }, h("label", { for: "rsrc-mode", text: "FLOPs cap" }), mode),
          h("div", { class: "field" }, h("label", { for: "rsrc-active", text: "Active parameters" }), active),
          h("div", { class: "field field-boolean" }, h("label", { for: "rsrc-exclude", text: "Leave implausible rows unscored" }), exclude)),
        h("fieldset", {}, h("legend", { text: "Parameters" }), controls)),
      h("div", { class: "outputs" }, panel.el)));
}
