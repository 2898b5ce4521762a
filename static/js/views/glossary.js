// Glossary view: every term the engine explains (app metadata `glossary`), each a heading with a
// stable anchor (#term-<id>), its section, its paragraph and how far to trust it. Also the one
// place other views find the term for a piece of jargon: the phrases and figure names come with
// each term from the engine, matched by the engine's stated rule (glossary.match_rule); nothing here
// knows which word belongs to which term.
import { h } from "../dom.js";

let TERMS = [];
const WORD = /[\p{L}\p{N}_]/u;

export function useGlossary(glossary) {
  TERMS = (glossary && glossary.terms) || [];
}

// Index of `phrase` in `text` as a whole word (not inside a longer word), or -1.
function wholeWord(text, phrase) {
  for (let i = text.indexOf(phrase); i !== -1; i = text.indexOf(phrase, i + 1)) {
    const before = i > 0 ? String.fromCodePoint(text.codePointAt(i - 1)) : "";
    const after = text.charAt(i + phrase.length);
    if (!WORD.test(before) && !WORD.test(after)) return i;
  }
  return -1;
}

// The term a text explains: the earliest phrase match, then the longest; else a figure it produced.
export function termFor(text, figures) {
  let best = null;
  if (text) {
    for (const term of TERMS) {
      for (const phrase of term.phrases) {
        const at = wholeWord(text, phrase);
        if (at !== -1 && (!best || at < best.at || (at === best.at && phrase.length > best.length))) best = { term, at, length: phrase.length };
      }
    }
  }
  if (best) return best.term;
  for (const name of figures || []) {
    const term = TERMS.find((t) => t.figures.includes(name));
    if (term) return term;
  }
  return null;
}

export function termById(id) {
  return TERMS.find((t) => t.id === id) || null;
}

// A link to a term's entry; main.js opens it in place (data-nav), so Back returns.
export function termLink(term, text) {
  return h("a", { href: `?view=glossary#${term.anchor}`, class: "term-link", "data-nav": true, "data-term": term.id,
                  title: `${term.term} (glossary)`, text: text === undefined ? term.term : text });
}

// Scroll to the term named in the URL's hash and mark it as the current one.
export function revealTerm(hash = location.hash) {
  const id = decodeURIComponent((hash || "").replace(/^#/, ""));
  for (const el of document.querySelectorAll(".term[data-current]")) el.removeAttribute("data-current");
  const heading = id ? document.getElementById(id) : null;
  if (!heading || !heading.closest(".glossary")) return;
  heading.closest(".term").setAttribute("data-current", "true");
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

function entry(term) {
  return h("article", { class: "term", "data-testid": "glossary-term", "data-term": term.id },
    h("h4", { id: term.anchor, tabindex: "-1", text: term.term }),
    h("p", { class: "term-meta" }, h("span", { class: "term-section", text: term.section }),
      h("span", { class: "term-reliability", text: `Reliability: ${term.reliability}` })),
    h("p", { class: "term-text", text: term.text }));
}

export function glossaryView(ctx) {
  const { meta, state } = ctx;
  for (const key of Object.keys(state.inputs)) delete state.inputs[key];
  const glossary = meta.glossary || { terms: [], groups: [] };
  const groups = glossary.groups.map((g) => ({ ...g, terms: glossary.terms.filter((t) => t.group === g.id) }))
    .filter((g) => g.terms.length);
  requestAnimationFrame(() => revealTerm());
  return h("div", { class: "view view-glossary glossary", "data-testid": "glossary" },
    h("h2", { text: "Glossary" }),
    h("p", { class: "lede", text: "What each term in the app means, where it comes from in the paper, and how far to trust it." }),
    h("div", { class: "glossary-index", role: "navigation", "aria-label": "Terms" },
      groups.map((g) => h("div", { class: "glossary-index-group" }, h("span", { class: "muted", text: g.title }),
        h("ul", {}, g.terms.map((t) => h("li", {}, h("a", { href: `#${t.anchor}`, text: t.term }))))))),
    groups.map((g) => h("section", { class: "glossary-group", "aria-label": g.title },
      h("h3", { text: g.title }), g.terms.map(entry))));
}
