// Copy link, copy embed code, export JSON and Markdown (the Markdown is written by the engine).
import { h } from "../dom.js";
import { flushState } from "../state.js";

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copy(text, note) {
  try {
    await navigator.clipboard.writeText(text);
    note.textContent = "Copied.";
  } catch {
    note.textContent = "Copy this: ";
    note.append(h("input", { class: "copy-box", readonly: true, value: text, "aria-label": "text to copy", onfocus: (e) => e.target.select() }));
  }
}

const attr = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

// The iframe (embed=result: the verdict, headline figures and chart) and a listener that resizes
// the iframe that sent the message (event.source), from this app's origin only — so several
// embeds on one page each take their own height. The title names the view, recipe and model.
export function embedCode(mode = "result") {
  flushState();
  const url = new URL(location.href);
  url.searchParams.set("embed", mode === "result" ? "result" : "1");
  const title = `TAF Browser: ${document.title.replace(/ — TAF Browser$/, "")}`;
  return `<iframe src="${attr(url.href)}" title="${attr(title)}" style="width:100%;border:0" height="480" loading="lazy"></iframe>
<script>addEventListener("message", function (e) {
  if (e.origin !== ${JSON.stringify(url.origin)} || !e.data || e.data.type !== "taf:resize") return;
  for (const f of document.querySelectorAll("iframe")) if (f.contentWindow === e.source) f.style.height = e.data.height + "px";
});</script>`;
}

export function exportBar({ getResult, engine, baseName }) {
  const note = h("span", { class: "export-note", role: "status" });
  const code = h("textarea", { class: "embed-code", "data-testid": "embed-code", readonly: true, rows: 6, hidden: true,
                               spellcheck: "false", "aria-label": "Embed code (HTML to paste into your page)" });
  const bar = h("div", { class: "export-bar" },
    h("button", { type: "button", onclick: () => { flushState(); copy(location.href, note); }, text: "Copy link" }),
    h("button", { type: "button", onclick: () => { code.value = embedCode(); code.hidden = false; copy(code.value, note); }, text: "Copy embed code" }),
    h("button", { type: "button", text: "Export JSON", onclick: () => {
      const r = getResult();
      if (r) download(`${baseName()}.json`, JSON.stringify(r, null, 2), "application/json");
    } }),
    h("button", { type: "button", text: "Export Markdown", onclick: async () => {
      const r = getResult();
      if (!r) return;
      const out = await engine.call("render_markdown", { result: r }, { allowPrerendered: false }).catch((e) => ({ ok: false, error: { message: e.message } }));
      if (out.ok) download(`${baseName()}.md`, out.result, "text/markdown");
      else note.textContent = `Markdown export needs the engine: ${out.error.message}`;
    } }),
    note, code);
  return bar;
}
