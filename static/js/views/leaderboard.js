// Leaderboard view: the RSRC_t table, sortable; every parameter a control with live re-scoring;
// flags and unscored rows visible; rows the engine flags implausible shown with their score, their
// flags and the engine's words, without a rank unless the person asks (rank_implausible); your own
// CSV scored locally (it never leaves the tab); the engine's CSV template to start one.
import { stackable } from "../components/stack.js";
import { h, replace } from "../dom.js";
import { formatCount, formatNumber } from "../format.js";
import { generatedForm } from "../components/form.js";
import { livePanel } from "./common.js";
import { download as saveFile } from "../components/export-bar.js";

const COLUMNS = [["rank", "Rank"], ["model", "Model"], ["architecture", "Architecture"], ["rsrc_t", "RSRC_t"], ["status", "Status / reason"], ["flags", "Flags"]];

function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// A chain step's `row` pieces filled with one scored row's figures: "{key}" is a number (formatted),
// "{key:plain}" is shown as it is, {if, then, else} picks a text by a true/false key. The steps,
// their formulas and texts come from the engine (rsrc_parameters().chain); nothing is computed here.
function fill(text, values) {
  return text.replace(/\{(\w+)(?::(\w+))?\}/g, (_, key, form) => form === "plain" ? String(values[key]) : formatNumber(values[key]));
}

function rowText(pieces, values) {
  return pieces.map((piece) => typeof piece === "string" ? fill(piece, values) : fill(values[piece.if] ? piece.then : (piece.else ?? ""), values)).join("");
}

// The engine's intermediates for one scored row, in the reference's step order (display only).
function chain(steps, r) {
  const values = { ...r.values, ...r.intermediate, rsrc_t: r.rsrc_t };
  return h("details", { class: "small rsrc-chain", "data-testid": "rsrc-chain" }, h("summary", { text: "chain" }),
    h("ol", {}, steps.filter((step) => step.row).map((step) => h("li", { title: `${step.name}: ${step.formula}`, text: rowText(step.row, values) }))));
}

// The steps themselves: name, formula and what each means.
function stepList(steps) {
  return h("details", { class: "rsrc-steps", "data-testid": "rsrc-steps" }, h("summary", { text: "How RSRC_t is computed" }),
    h("ol", {}, steps.map((step) => h("li", {}, h("strong", { text: step.name }), " ", h("code", { class: "formula", text: step.formula }),
      h("p", { class: "small", text: step.text })))));
}

export function leaderboardView(ctx) {
  const { meta, state } = ctx;
  const rsrcMeta = meta.rsrc;
  let upload = null; // {name, base64}
  // the sort travels with the link: sort=rsrc_t (ascending) or sort=-rsrc_t (descending)
  const sortKey = (state.sort || "").replace(/^-/, "");
  let sort = COLUMNS.some(([key]) => key === sortKey) ? { key: sortKey, dir: state.sort.startsWith("-") ? -1 : 1 } : { key: "rank", dir: 1 };
  const keepSort = () => { state.sort = sort.key === "rank" && sort.dir > 0 ? null : `${sort.dir < 0 ? "-" : ""}${sort.key}`; ctx.save(); };
  let board = null;
  const PAGE_ROWS = rsrcMeta.page_rows;  // rows drawn at a time, from the engine
  let shown = PAGE_ROWS;
  let last = { stale: false, source: "live" };
  let pageSeq = 0;

  // An upload comes back as one page plus a handle (result.page): the engine holds every row, so
  // sorting and "Show more" ask it (rsrc_rows) and the sort is done in Python, not here.
  const panel = livePanel(ctx, (result, opts) => {
    board = result; last = opts;
    if (result.page && (sort.key !== result.page.sort || (sort.dir < 0) !== result.page.descending || shown > result.rows.length)) {
      queueMicrotask(() => fetchRows(0, shown));  // keep the person's sort and page count after a re-score
    }
    return draw(result, opts);
  });
  const redrawPanel = () => replace(panel.el, draw(board, last));

  async function fetchRows(offset, limit) {
    const mine = ++pageSeq, current = board;
    limit = Math.min(limit, rsrcMeta.max_page_rows);
    const out = await ctx.engine.call("rsrc_rows", { handle: current.page.handle, offset, limit, sort: sort.key, descending: sort.dir < 0 },
      { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: e.message } }));
    if (mine !== pageSeq || board !== current) return;  // a newer request or a new board won
    if (!out.ok) { fileNote.textContent = `More rows need the engine: ${out.error.message}`; return; }
    board = { ...current, rows: offset ? [...current.rows, ...out.result.rows] : out.result.rows, page: out.result.page };
    shown = board.rows.length;
    redrawPanel();
  }

  function sortedRows(rows) {
    const key = sort.key;
    const value = (r) => key === "flags" ? r.flags.length : key === "status" ? r.status + r.reason : r[key];
    const none = (v) => v === null || v === undefined;
    return [...rows].sort((a, b) => {  // stable: rows without a value keep the engine's order, last
      const va = value(a), vb = value(b);
      if (none(va) || none(vb)) return none(va) - none(vb);
      return (va < vb ? -1 : va > vb ? 1 : 0) * sort.dir;
    });
  }

  function draw(result, { stale, source }) {
    const s = result.summary;
    const paged = Boolean(result.page);
    const rows = paged ? result.rows : sortedRows(result.rows);
    const total = paged ? result.page.total : rows.length;
    const redraw = () => replace(panel.el, draw(board, { stale, source }));
    return h("div", { class: stale ? "stale" : "" },
      stale ? h("p", { class: "stale-note", role: "status", text: "Out of date: an input or the file has an error, so this is the last good table." }) : null,
      h("p", { class: "summary", "data-testid": "leaderboard-summary" },
        `${result.source}: ${formatCount(s.rows_in)} rows in, ${formatCount(s.rows_out)} out — ${formatCount(s.scored)} scored, ${formatCount(s.unscored)} not scored`,
        s.flagged_implausible ? `, ${formatCount(s.flagged_implausible)} flagged implausible` : "",
        s.scored_not_ranked ? ` (${formatCount(s.scored_not_ranked)} scored but not ranked)` : "",
        s.duplicates.length ? `; duplicate names: ${s.duplicates.join(", ")}` : "",
        s.blank_records ? `; ${formatCount(s.blank_records)} blank record(s) (lines listed below)` : "",
        s.duplicate_groups > s.duplicates.length ? ` … and ${formatCount(s.duplicate_groups - s.duplicates.length)} more` : "",
        source === "prerendered" ? h("span", { class: "badge", text: "precomputed" }) : null),
      h("p", { class: "small", text: result.mode_text }),
      result.caveats.length ? h("ul", { class: "caveats small", "data-testid": "leaderboard-caveats" },
        result.caveats.map((c) => h("li", { "data-code": c.code, text: c.text }))) : null,
      h("div", { class: "table-wrap" }, stackable(h("table", { class: "leaderboard" },
        h("caption", { text: `RSRC_t leaderboard, sorted by ${sort.key}${sort.dir < 0 ? " (descending)" : ""}` }),
        h("thead", {}, h("tr", {}, COLUMNS.map(([key, label]) => h("th", { scope: "col", "aria-sort": sort.key === key ? (sort.dir > 0 ? "ascending" : "descending") : "none" },
          h("button", { type: "button", class: "sort", text: label + (sort.key === key ? (sort.dir > 0 ? " ▲" : " ▼") : ""),
                        onclick: () => { sort = { key, dir: sort.key === key ? -sort.dir : (key === "rsrc_t" ? -1 : 1) }; keepSort(); if (paged) fetchRows(0, Math.max(shown, PAGE_ROWS)); else redraw(); } }))))),
        h("tbody", {}, rows.slice(0, shown).map((r) => h("tr", { "data-testid": "leaderboard-row", "data-status": r.status,
            "data-rank": r.rank ?? "", "data-implausible": String(r.implausible), class: r.implausible ? "implausible" : "" },
          h("td", { class: "num", text: r.rank ?? "—", title: r.rank === null && r.reason ? r.reason : "" }),
          h("td", { class: "model" }, h("span", { text: r.model || "(no name)" }),
            r.basis ? h("details", { class: "basis" }, h("summary", { text: "basis" }), h("p", { class: "small", text: r.basis })) : null),
          h("td", { class: "arch", text: r.architecture }),
          h("td", { class: "num", title: r.rsrc_t === null ? "" : String(r.rsrc_t) },
            r.rsrc_t === null ? "—" : formatNumber(r.rsrc_t),
            Object.keys(r.intermediate).length ? chain(rsrcMeta.chain, r) : null),
          h("td", { text: r.status === "scored" ? (r.reason ? `scored, ${r.reason}` : "scored") : `not scored: ${r.reason}` }),
          h("td", { class: "flags", "data-testid": "row-flags" }, r.flags.join("; "),
            r.checks.length ? h("ul", { class: "small checks", "data-testid": "row-checks" },
              r.checks.map((c) => h("li", { "data-code": c.code, text: c.text }))) : null))))))),
      total > Math.min(shown, rows.length) ? h("p", { class: "more-rows", "data-testid": "more-rows" },
        `Showing ${formatCount(Math.min(shown, rows.length))} of ${formatCount(total)} rows (sorted by ${sort.key}). `,
        h("button", { type: "button", text: `Show ${formatCount(Math.min(PAGE_ROWS, total - Math.min(shown, rows.length)))} more`,
                      onclick: () => { if (paged) fetchRows(rows.length, PAGE_ROWS); else { shown += PAGE_ROWS; redraw(); } } })) : null);
  }

  const paramNames = new Set([...rsrcMeta.params, rsrcMeta.overrides].map((p) => p.name));
  const optionValue = (o) => { const v = state.inputs[o.name] ?? o.default; return o.type === "boolean" ? String(v) === "true" : v; };

  function args() {
    const params = {};
    for (const [k, v] of Object.entries(state.inputs)) if (paramNames.has(k)) params[k] = v;
    const common = { params };
    for (const o of rsrcMeta.options) common[o.name] = optionValue(o);
    const isDefault = !Object.keys(params).length && rsrcMeta.options.every((o) => String(common[o.name]) === String(o.default));
    if (upload) return ["rsrc_score_upload", { data_base64: upload.base64, source: upload.name, ...common }];
    return ["rsrc_bundled", isDefault ? {} : common];
  }

  // While an upload is parsed and scored in the worker: its progress (numbers from the engine) and
  // the old table dimmed as pending; both cleared when the answer arrives.
  const progressEl = h("p", { class: "rsrc-progress", role: "status", "aria-live": "polite", "data-testid": "rsrc-progress", hidden: true });
  function setScoring(text) {
    progressEl.hidden = !text;
    progressEl.textContent = text || "";
    panel.el.classList.toggle("scoring", Boolean(text));
    panel.el.dataset.stale = text ? "pending" : "false";
    if (text) panel.el.setAttribute("aria-busy", "true"); else panel.el.removeAttribute("aria-busy");
  }
  function showProgress({ done, total, stage }) {
    const percent = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
    setScoring(`Scoring your file… ${percent}% (${formatCount(done)} of ${formatCount(total)} rows ${stage === "parse" ? "read" : "scored"})`);
  }

  function compute() {
    const [call, a] = args();
    const scoring = call === "rsrc_score_upload";
    setScoring(scoring ? `Scoring ${upload.name}…` : null);
    panel.run(call, a, {
      onProgress: scoring ? showProgress : undefined,
      onSettled: () => setScoring(null),
      onInputError: (e) => {
        const onField = form.setError(e.field, e.message);  // a file problem has no parameter field
        showError(fileError, onField ? null : e.message);
        return true;
      },
      onOk: () => { form.setError(null); showError(fileError, null); },
    });
  }

  function showError(el, message) {
    el.hidden = !message;
    el.textContent = message || "";
    if (message) el.setAttribute("data-testid", "field-error");
    else el.removeAttribute("data-testid");
  }

  // One generated form (components/form.js) for the run options and the parameters: the value
  // shown is what the person typed, else the engine's default.
  const controlsParams = [...rsrcMeta.options, ...rsrcMeta.params, rsrcMeta.overrides];
  const names = new Set(controlsParams.map((p) => p.name));
  for (const key of Object.keys(state.inputs)) if (!names.has(key)) delete state.inputs[key];
  const form = generatedForm(controlsParams,
    (name) => state.inputs[name] ?? String(controlsParams.find((p) => p.name === name).default ?? ""),
    (name, text) => { state.inputs[name] = text; ctx.save(); compute(); },
    { idPrefix: "rsrc-", describe: { mode: rsrcMeta.modes, active_source: rsrcMeta.active_sources } });
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
    fileNote.textContent = `${f.name} (${formatCount(f.size)} bytes) is read in this tab only; it is never uploaded anywhere.`;
    compute();
  });
  const download = h("button", { type: "button", text: "Download CSV", onclick: async () => {
    if (!board) return;
    const out = await ctx.engine.call("rsrc_csv_export", board.page ? { handle: board.page.handle } : { board }, { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: e.message } }));
    if (!out.ok) { fileNote.textContent = `CSV export needs the engine: ${out.error.message}`; return; }
    saveFile("rsrc-leaderboard.csv", out.result, "text/csv");
  } });
  // The engine's template: every column the parser reads, with its unit, and one example row.
  const template = h("button", { type: "button", text: "Download CSV template", onclick: async () => {
    const out = await ctx.engine.call("rsrc_csv_template", {}, { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: e.message } }));
    if (!out.ok) { fileNote.textContent = `The CSV template needs the engine: ${out.error.message}`; return; }
    saveFile("rsrc-leaderboard-template.csv", out.result, "text/csv");
  } });
  compute();
  return h("div", { class: "view view-leaderboard" },
    h("h2", { text: "RSRC_t training-efficiency leaderboard" }),
    h("p", { class: "lede", text: rsrcMeta.summary }),
    stepList(rsrcMeta.chain),
    h("div", { class: "columns" },
      h("form", { class: "inputs", "aria-label": "Parameters", onsubmit: (e) => e.preventDefault() },
        h("fieldset", {}, h("legend", { text: "Data" }),
          h("div", { class: "field" }, h("label", { for: "rsrc-file", text: "Score your own CSV" }), file, fileNote, fileError),
          h("button", { type: "button", text: "Use the bundled leaderboard", onclick: () => { upload = null; shown = PAGE_ROWS; file.value = ""; fileNote.textContent = "Using presets/leaderboard.csv."; compute(); } }),
          download, template),
        form.el),
      h("div", { class: "outputs" }, progressEl, panel.el)));
}
