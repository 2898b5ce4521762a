// Copy link, copy embed code, export JSON and Markdown (the Markdown is written by the engine).
import { h } from "../dom.js";

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

export function embedCode() {
  const url = new URL(location.href);
  url.searchParams.set("embed", "1");
  return `<iframe src="${url.href.replace(/"/g, "%22")}" title="TAF Browser" style="width:100%;border:0" height="640" loading="lazy"></iframe>`;
}

export function exportBar({ getResult, engine, baseName }) {
  const note = h("span", { class: "export-note", role: "status" });
  const bar = h("div", { class: "export-bar" },
    h("button", { type: "button", onclick: () => copy(location.href, note), text: "Copy link" }),
    h("button", { type: "button", onclick: () => copy(embedCode(), note), text: "Copy embed code" }),
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
    note);
  return bar;
}
