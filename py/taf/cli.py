"""Command line: python -m taf list|recipe|profile|compare|rsrc ...

Bad arguments print one line ("taf: error: ...") and exit with code 2, never a traceback."""
from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path

from . import catalog
from .api import sanitize
from .compare import compare_models
from .config_import import import_config
from .errors import InputError
from .profile import profile_model
from .recipes import RECIPES, run_recipe
from .recipes.base import ARCH_FIELDS
from .report import fmt, render_markdown, render_text

EXIT_BAD_INPUT = 2
FORMATS = ("text", "json", "markdown")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse would print usage first)
        raise UsageError(message)


def _parse_sets(pairs) -> dict:
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise InputError("--set", f"--set expects name=value; got {pair!r}")
        name, value = pair.split("=", 1)
        if not name.strip():
            raise InputError("--set", f"--set expects name=value; got {pair!r}")
        out[name.strip()] = value.strip()
    return out


def _emit(result, fmt_name, out):
    if fmt_name == "json":
        out.write(json.dumps(sanitize(result, "result", []), indent=2, ensure_ascii=False,
                             allow_nan=False) + "\n")
    elif fmt_name == "markdown":
        out.write(render_markdown(result))
    else:
        out.write(render_text(result))


def _list(args, out):
    rows = {"recipes": [{"id": r.id, "name": r.name, "description": r.description}
                        for r in RECIPES.values()],
            "presets": [{"id": m["id"], "label": m["label"], "theta": m["theta"], "T_train": m["T_train"],
                         "n_params": m["n_params"]} for m in catalog.list_presets()],
            "gpus": [{"name": g["name"], "bf16_tflops": g["bf16_tflops"], "vram_gb": g["vram_gb"],
                      "hbm_gb_per_s": g["hbm_gb_per_s"], "usd_per_hour": g["usd_per_hour"]}
                     for g in catalog.list_gpus()],
            "apis": [{"name": a["name"], "input_usd_per_mtok": a["input_usd_per_mtok"],
                      "output_usd_per_mtok": a["output_usd_per_mtok"]} for a in catalog.list_apis()],
            }[args.what]
    if args.format == "json":
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    cols = list(rows[0])
    if args.format == "markdown":
        out.write("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n")
        for row in rows:
            out.write("| " + " | ".join(fmt(row[c]) for c in cols) + " |\n")
        return
    widths = [max(len(c), *(len(fmt(r[c])) for r in rows)) for c in cols]
    out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(fmt(row[c]).ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")


MAX_CONFIG_FILE_BYTES = 1_000_000  # a config.json is a few KB; the importer refuses more text anyway


def read_file(path, limit_bytes: int, what: str) -> bytes:
    """A regular file's bytes, at most limit_bytes: a directory, FIFO or device (/dev/zero) is refused
    before reading (no hang, no endless read), and so is a file over the limit."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(what, f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or device)"
        raise InputError(what, f"{path} is {kind}: give a file")
    if info.st_size > limit_bytes:
        raise InputError(what, f"{path} is too large ({info.st_size:,} bytes; at most {limit_bytes:,})")
    with open(path, "rb") as handle:
        data = handle.read(limit_bytes + 1)
    if len(data) > limit_bytes:  # it grew while we read it
        raise InputError(what, f"{path} is too large (more than {limit_bytes:,} bytes)")
    return data


def read_text_file(path, limit_bytes: int, what: str) -> str:
    return read_file(path, limit_bytes, what).decode("utf-8", errors="replace")


def _model_args(args) -> dict:
    """--config passes the file's text as the `config` input (one path with the app's); --set wins."""
    params = {}
    if getattr(args, "config", None):
        params["config"] = read_text_file(args.config, MAX_CONFIG_FILE_BYTES, "config")
    params.update(_parse_sets(args.set))
    if getattr(args, "model", None):
        params["model"] = args.model
    return params


def _import_config_report(result, fmt_name, out):
    if fmt_name == "json":
        out.write(json.dumps(sanitize(result, "result", []), indent=2, ensure_ascii=False) + "\n")
        return
    kv = result["kv_bytes_per_token_bf16"]
    lines = [f"family: {result['family']} (model_type {result['model_type']!r})",
             f"architecture class: {result['architecture_class']}",
             f"KV cache per token at bf16: {'n/a' if kv is None else f'{kv:,.0f} bytes'}", "filled:"]
    lines += [f"  {k} = {fmt(v)}" for k, v in result["params"].items()]
    lines.append("used: " + ", ".join(result["fields_used"]))
    if result["missing"]:
        lines.append("missing: " + "; ".join(result["missing"]))
    lines += [f"note: {n}" for n in result["notes"]]
    out.write("\n".join(lines) + "\n")


def calibration_texts() -> dict:
    """{file name: text} of what `python -m taf calibrate` writes, fitted from the corpus, sorted keys, no
    timestamp (same corpus → same bytes): the calibration the engine reads, and each point's prediction
    under it, which only the Accuracy view reads (kept apart, so the engine's start does not parse it)."""
    from . import accuracy, corpus
    corpus.reload()
    cal = accuracy.calibrate()
    predictions = cal.pop("predictions")
    return {corpus.CALIBRATION_FILE: _json_text(cal), corpus.PREDICTIONS_FILE: _json_text(predictions)}


def _json_text(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _calibrate(args, out) -> int:
    from . import corpus
    path = Path(args.output) if args.output else catalog.presets_dir() / corpus.CALIBRATION_FILE
    texts = calibration_texts()
    paths = {name: path if name == corpus.CALIBRATION_FILE else path.with_name(name) for name in texts}
    current = {name: p.read_text(encoding="utf-8") if p.is_file() else None for name, p in paths.items()}
    if args.check:
        fresh = current == texts
        out.write(f"{path}: {'up to date' if fresh else 'out of date: run python -m taf calibrate'}\n")
        return 0 if fresh else 1
    for name, text in texts.items():
        paths[name].write_text(text, encoding="utf-8")
    corpus.reload()
    cal = json.loads(texts[corpus.CALIBRATION_FILE])
    out.write(f"wrote {path} and {paths[corpus.PREDICTIONS_FILE].name}: {cal['n_predicted']} of {cal['n_points']} "
              f"points predicted; corpus {cal['corpus_hash'][:12]}\n")
    for cat, stats in cal["in_sample"].items():
        out.write(f"  {cat:<32} n={stats['n']:<4} median |error| {stats['median_abs_error']}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m taf", description="TAF Browser engine: formulas, recipes, "
                     "profiles and the RSRC leaderboard from the command line.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("list", help="list recipes, presets, gpus or apis")
    p.add_argument("what", choices=("recipes", "presets", "gpus", "apis"))
    p.add_argument("--format", choices=FORMATS, default="text")
    p = sub.add_parser("recipe", help="run one recipe")
    p.add_argument("recipe_id")
    p.add_argument("--model", help="model preset id (see: list presets)")
    p.add_argument("--config", help="a Hugging Face config.json to fill the model fields from")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="set one input")
    p.add_argument("--format", choices=FORMATS, default="text")
    p = sub.add_parser("profile", help="the TAF card of one model")
    p.add_argument("--model")
    p.add_argument("--config", help="a Hugging Face config.json to fill the model fields from")
    p.add_argument("--set", action="append", metavar="NAME=VALUE")
    p.add_argument("--format", choices=FORMATS, default="text")
    p = sub.add_parser("compare", help="one recipe across several models")
    p.add_argument("recipe_id")
    p.add_argument("--model", action="append", required=True, help="repeat for each model")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="shared input")
    p.add_argument("--format", choices=FORMATS, default="text")
    p = sub.add_parser("import-config", help="read a Hugging Face config.json")
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("calibrate", help="fit presets/calibration.json from presets/measurements/")
    p.add_argument("--output", help="where to write (default: the presets folder's calibration.json)")
    p.add_argument("--check", action="store_true", help="only say whether the file is up to date (exit 1 if not)")
    from .rsrc import cli as rsrc_cli  # the leaderboard command lives in its package
    rsrc_cli.add_parser(sub)
    return parser


def run(argv, out) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "list":
        _list(args, out)
    elif args.command == "recipe":
        _emit(run_recipe(args.recipe_id, **_model_args(args)), args.format, out)
    elif args.command == "profile":
        _emit(profile_model(**_model_args(args)), args.format, out)
    elif args.command == "import-config":
        _import_config_report(import_config(read_text_file(args.file, MAX_CONFIG_FILE_BYTES, "file")),
                              args.format, out)
    elif args.command == "compare":
        _emit(compare_models(args.model, args.recipe_id, _parse_sets(args.set)), args.format, out)
    elif args.command == "calibrate":
        return _calibrate(args, out)
    else:
        from .rsrc import cli as rsrc_cli
        return rsrc_cli.run(args, out)
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate echoed from a file prints as an escape
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with standard output closed (>&-)
        if sys.stderr is not None:
            print("taf: error: standard output is closed", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        code = run(argv, sys.stdout)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # the reader went away (| head): nothing more to say, and no traceback
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        print("taf: error: standard output was closed", file=sys.stderr)
    except UsageError as exc:
        print(f"taf: error: {exc} (see: python -m taf --help)", file=sys.stderr)
    except InputError as exc:
        where = f"{exc.field}: " if exc.field else ""
        print(f"taf: error: {where}{exc.message}", file=sys.stderr)
    except OSError as exc:
        print(f"taf: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
    return EXIT_BAD_INPUT
