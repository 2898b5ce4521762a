"""Text and Markdown renderings of a recipe result, a profile or a comparison.

Used by the CLI and, through the JSON boundary, by the app's "Export as Markdown" (so the
wording of an export is decided in one place)."""
from __future__ import annotations

import math
import re

from . import validate
from .errors import InputError
from .levels import LEVELS


def fmt(value) -> str:
    """A compact human rendering of a step input or result."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "∞" if value > 0 else ("−∞" if value < 0 else "undefined")
        if value == 0:
            return "0"
        if abs(value) >= 1e7 or abs(value) < 1e-3:
            return f"{value:.4g}"
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"
    if isinstance(value, dict):
        return ", ".join(f"{k} = {fmt(v)}" for k, v in list(value.items())[:4]) + \
            (" …" if len(value) > 4 else "")
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    return str(value)


def _kind(result: dict) -> str:
    if "recipe_id" in result and "chain" in result and "verdict" in result:
        return "recipe"
    if "model_summary" in result and "recipes" in result:
        return "profile"
    if "rows" in result and "recipe_id" in result:
        return "compare"
    raise InputError("result", "result must be a recipe result, a profile or a comparison")


def _recipe_lines(r: dict, md: bool) -> list:
    level = LEVELS.get(r.get("level"), {}).get("word", r.get("level"))
    out = []
    if md:
        out += [f"### {r['recipe_id']} — {r['recipe_name']}", "",
                f"**Verdict: {r['verdict']}** ({level}) — {r['reason']}", "",
                f"*Mitigation:* {r['mitigation']}", "",
                "| # | Section | Step | Formula | Result | Interpretation |",
                "|---|---|---|---|---|---|"]
        for s in r["chain"]:
            cells = [str(s["step"]), s["section"], s["name"], f"`{s['formula']}`", fmt(s["result"]),
                     s.get("interpretation") or ""]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out += ["", "| Figure | Value | Unit |", "|---|---|---|"]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in (f["label"], fmt(f["value"]), f["unit"])) + " |"
                for f in r.get("figures", {}).values()]
        if r.get("caveats"):
            out += ["", "Caveats:"] + [f"- `{c['code']}`: {c['text']}" for c in r["caveats"]]
        inputs = ", ".join(f"{k} = {fmt(v)}" for k, v in r.get("inputs", {}).items())
        out += ["", f"Inputs: {inputs}"]
        return out
    out += [f"{r['recipe_id']} — {r['recipe_name']}"]
    out += ["inputs: " + ", ".join(f"{k}={fmt(v)}" for k, v in r.get("inputs", {}).items()), ""]
    for s in r["chain"]:
        out.append(f"{s['step']:>2}. [{s['section']}] {s['name']} = {fmt(s['result'])}")
        out.append(f"      formula: {s['formula']}")
        if s.get("interpretation"):
            out.append(f"      → {s['interpretation']}")
    if r.get("figures"):
        out += ["", "figures:"] + [f"  {f['label']} = {fmt(f['value'])} {f['unit']}".rstrip()
                                   for f in r["figures"].values()]
    out += ["", f"VERDICT: {r['verdict']}  [{level}]", f"reason: {r['reason']}",
            f"mitigation: {r['mitigation']}"]
    for c in r.get("caveats", []):
        out.append(f"caveat ({c['code']}): {c['text']}")
    return out


def _profile_lines(p: dict, md: bool) -> list:
    s = p["model_summary"]
    safety = p["diagnostics"]["hagedorn_safety"]
    head = "### " if md else ""
    bullet = "- " if md else "  "
    out = [f"{head}TAF card — {p['inputs'].get('model', s['architecture_class'])}", "",
           f"{bullet}architecture: {s['architecture_class']}",
           f"{bullet}γ used: {fmt(p['gamma_used'])} ({p['gamma_source']})",
           f"{bullet}Hagedorn safety: {safety.get('label', safety['level'])} — {safety.get('message', '')}",
           f"{bullet}phase class: {p['diagnostics']['bimodal_phase_class']}",
           ""]
    out.append(f"{head}Figures" if md else "figures:")
    out += [f"{bullet}{f['label']} = {fmt(f['value'])} {f['unit']}".rstrip() for f in p.get("figures", {}).values()]
    out.append("")
    out.append(f"{head}Recipes" if md else "recipes:")
    for rid, r in p["recipes"].items():
        out.append(f"{bullet}{rid} {r['name']}: {r['verdict']} — {r['reason']}")
    out += ["", f"{head}Falsification status" if md else "falsification:"]
    out += [f"{bullet}{f['id']} {f['claim']}: {f['status']}" for f in p["falsification_status"]]
    if p.get("caveats"):
        out += [""] + [f"{bullet}caveat ({c['code']}): {c['text']}" for c in p["caveats"]]
    return out


def _figure_value(row: dict, name: str):
    figure = row.get("figures", {}).get(name)
    return None if figure is None else figure.get("value")


def _compare_lines(c: dict, md: bool) -> list:
    cols = c["columns"]
    if md:
        out = [f"### Compare — {c['recipe_id']} {c['recipe_name']}", "",
               "| model | verdict | " + " | ".join(f"{c.get('labels', {}).get(k, k)} ({c.get('units', {}).get(k) or '-'})"
                                                     for k in cols) + " |",
               "|---|---|" + "---|" * len(cols)]
        for row in c["rows"]:
            cells = [row["label"], row["verdict"]] + [fmt(_figure_value(row, k)) for k in cols]
            out.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        return out
    out = [f"Compare — {c['recipe_id']} {c['recipe_name']}"]
    for row in c["rows"]:
        out.append(f"- {row['label']}: {row['verdict']} — {row['reason']}")
        for k in cols:
            mark = " *" if c["differs"].get(k) else ""
            unit = c.get("units", {}).get(k, "")
            out.append(f"    {c.get('labels', {}).get(k, k)} = {fmt(_figure_value(row, k))} {unit}".rstrip() + mark)
    out.append("(* = differs between models)")
    return out


_RENDER = {"recipe": _recipe_lines, "profile": _profile_lines, "compare": _compare_lines}


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def one_line(value):
    """Every text in a result on one line: a name with a line break cannot start a heading or a
    table row of its own in the report (it reads as a space)."""
    if isinstance(value, str):
        return _LINE_BREAKS.sub(" ", value)
    if isinstance(value, dict):
        return {k: one_line(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [one_line(v) for v in value]
    return value


def render_text(result) -> str:
    """Plain-text report: the numbered step chain and the verdict."""
    result = one_line(validate.mapping("result", result))
    return "\n".join(_RENDER[_kind(result)](result, md=False)) + "\n"


def render_markdown(result) -> str:
    """Markdown report for papers and issues."""
    result = one_line(validate.mapping("result", result))
    return "\n".join(_RENDER[_kind(result)](result, md=True)) + "\n"
