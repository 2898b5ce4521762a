#!/usr/bin/env python3
"""Assemble dist/: a self-contained static site (no CDN, every URL relative).

A readable pipeline of named steps, one log line each:

    clean → calibration → front_end → pyodide_runtime → engine_wheel → python_stdlib
          → leaderboard → data_assets → prerender → manifest

Only what the app requests is shipped: the worker unpacks the engine wheel itself (no micropip,
no loadPackage), and the bundled leaderboard is read by the engine from inside that wheel.

Run: python build.py   (needs `npm ci` first for node_modules/pyodide)
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
WORK = ROOT / "build"  # scratch space (the copied JS before bundling)
sys.path.insert(0, str(ROOT / "py"))

import taf  # noqa: E402  (the engine, from py/)
from taf import api, catalog  # noqa: E402

PYODIDE_VERSION = "0.29.5"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "pyodide-lock.json")  # + python_stdlib.zip, cut
ENGINE_WHEEL = f"taf-{taf.__version__}-py3-none-any.whl"


class BuildError(Exception):
    pass


def log(step: str, message: str) -> None:
    print(f"[build] {step:<16} {message}", flush=True)


# ── steps ─────────────────────────────────────────────────────────────────────────────────────
def clean():
    if DIST.exists():
        shutil.rmtree(DIST)
    (DIST / "pyodide").mkdir(parents=True)
    (DIST / "data").mkdir()
    return "dist/ emptied"


def front_end():
    """Bundle the ES modules with esbuild (readable, with a source map): one module for the page,
    one for the worker; Pyodide stays a separate file. One request instead of twenty."""
    work = WORK / "js"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ROOT / "static" / "js", work)
    (work / "build-info.js").write_text(  # what the page must know before any data arrives
        f'export const ENGINE_WHEEL = "{ENGINE_WHEEL}";\nexport const PYODIDE_VERSION = "{PYODIDE_VERSION}";\n')
    out = DIST / "static" / "js"
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise BuildError("node_modules/.bin/esbuild is missing: run npm ci")
    for entry, name in (("main.js", "app.js"), ("worker.js", "worker.js")):
        done = subprocess.run([str(esbuild), str(work / entry), "--bundle", "--format=esm", "--target=es2022",
                               "--sourcemap", "--legal-comments=none", "--log-level=warning",
                               "--external:../../pyodide/pyodide.mjs", f"--outfile={out / name}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise BuildError(f"esbuild failed on {entry}: {done.stderr.strip()[-500:]}")
    shutil.copytree(ROOT / "static" / "css", DIST / "static" / "css")
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    start, end = html.find("<!-- modules:"), html.find("<!-- /modules -->")
    if start < 0 or end < 0:
        raise BuildError("index.html lost its <!-- modules --> block")
    html = html[:start] + '<script type="module" src="static/js/app.js"></script>' + html[end + len("<!-- /modules -->"):]
    (DIST / "index.html").write_text(html, encoding="utf-8")
    copy_headers(html)
    sizes = {n: (out / n).stat().st_size for n in ("app.js", "worker.js")}
    return ", ".join(f"static/js/{n} ({v / 1e3:.0f} kB)" for n, v in sizes.items()) + " + css"


def copy_headers(html: str) -> None:
    """_headers (Netlify/Cloudflare Pages syntax) sends index.html's CSP with every file, the
    engine worker's script included; it must say exactly what the <meta> tag says."""
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    headers = (ROOT / "_headers").read_text(encoding="utf-8")
    sent = re.search(r"^\s+Content-Security-Policy:\s*(.+?)\s*$", headers, re.M)
    if not meta or not sent or meta.group(1) != sent.group(1):
        raise BuildError("_headers and index.html's <meta> Content-Security-Policy differ")
    shutil.copy2(ROOT / "_headers", DIST / "_headers")


def pyodide_runtime():
    source = ROOT / "node_modules" / "pyodide"
    meta = json.loads((source / "package.json").read_text())
    if meta["version"] != PYODIDE_VERSION:
        raise BuildError(f"node_modules has pyodide {meta['version']}, expected {PYODIDE_VERSION}: run npm ci")
    size = 0
    for name in PYODIDE_FILES:
        if name == "pyodide-lock.json":  # loadPyodide reads it; the app loads no package from it
            lock = json.loads((source / name).read_text())
            (DIST / "pyodide" / name).write_text(json.dumps({"info": lock["info"], "packages": {}}))
        else:
            shutil.copy2(source / name, DIST / "pyodide" / name)
        size += (DIST / "pyodide" / name).stat().st_size
    return f"pyodide {PYODIDE_VERSION}: {len(PYODIDE_FILES)} files, {size / 1e6:.1f} MB (the package lock emptied)"


def _run_pyodide(script_text: str, what: str) -> str:
    """Run an ES module with the pinned Pyodide under Node; its standard output."""
    work = WORK / "node"
    work.mkdir(parents=True, exist_ok=True)
    script = work / "run.mjs"
    script.write_text(script_text)
    try:
        done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise BuildError("node is missing: the build runs the pinned Pyodide under Node") from None
    if done.returncode != 0:
        said = [line for line in (done.stderr or done.stdout).splitlines() if len(line) < 400 and line.strip()]
        raise BuildError(f"{what} failed: " + " | ".join(said[-8:]))  # not Pyodide's minified source line
    return done.stdout


def _pyodide_paths(**more) -> dict:
    pyodide = ROOT / "node_modules" / "pyodide"
    paths = {"pyodide": (pyodide / "pyodide.mjs").as_uri(), "index": str(pyodide) + "/", "src": str(ROOT / "py"), **more}
    return {key: json.dumps(value) for key, value in paths.items()}


# Every module the engine, Pyodide's own packages or Pyodide's start-up can import, followed through
# every import statement (function bodies too) by the standard library's ModuleFinder, run by the
# pinned Pyodide itself on its own standard library (unzipped: ModuleFinder cannot read a zip).
STDLIB_CLOSURE_JS = """
import { loadPyodide } from %(pyodide)s;
const py = await loadPyodide({ indexURL: %(index)s });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(src)s }, "/src");
py.globals.set("roots_json", %(roots)s);
process.stdout.write(py.runPython(`
import json, modulefinder, sys, zipfile
stdlib_zip = next(p for p in sys.path if p.endswith(".zip"))
started = {name: module.__file__[len(stdlib_zip) + 1:] for name, module in list(sys.modules.items())
           if (getattr(module, "__file__", None) or "").startswith(stdlib_zip + "/")}
zipfile.ZipFile(stdlib_zip).extractall("/tmp/stdlib")
finder = modulefinder.ModuleFinder(path=["/src", "/tmp/stdlib"])
for name in json.loads(roots_json):
    finder.import_hook(name)
for name in started:
    try:
        finder.import_hook(name)
    except ImportError:  # a frozen module (_frozen_importlib): its file is kept below, by path
        pass
json.dumps({"modules": sorted(name for name, module in finder.modules.items() if module.__file__),
            "started_files": sorted(started.values())})
`));
"""

# The shipped standard library, tried before it ships, as the page's worker uses it: Pyodide starts
# from it, unpacks the engine's wheel, imports it and answers every kind of request (an ImportError
# would come back as an "internal" error).
STDLIB_CHECK_JS = """
import { loadPyodide } from %(pyodide)s;
import { readFileSync } from "node:fs";
const py = await loadPyodide({ indexURL: %(index)s, stdLibURL: %(stdlib)s });
py.unpackArchive(new Uint8Array(readFileSync(%(wheel)s)), "wheel");
py.globals.set("requests_json", %(requests)s);
process.stdout.write(py.runPython(`
import json
from taf.api import handle
failed = []
requests = json.loads(requests_json)
for request in requests:
    response = json.loads(handle(json.dumps(request)))
    if not response["ok"] and response["error"]["type"] != "input":
        failed.append((request["call"], response["error"]["message"]))
json.dumps({"answered": len(requests), "failed": failed})
`));
"""

# Modules C code imports by name (no import statement names them): big-integer text conversion,
# time.strptime, sysconfig's data and pickle's old names.
STDLIB_IMPORTED_BY_NAME = ("_pylong", "_strptime", "_compat_pickle", "_sysconfigdata__emscripten_wasm32-emscripten")
# Codecs are found by name at run time too: the engine reads and writes UTF-8 only; these few cover
# what Python itself and zip names use.
STDLIB_CODECS = ("__init__", "aliases", "ascii", "charmap", "cp437", "idna", "latin_1", "punycode",
                 "raw_unicode_escape", "undefined", "unicode_escape", "utf_16", "utf_16_be", "utf_16_le",
                 "utf_32", "utf_32_be", "utf_32_le", "utf_8", "utf_8_sig")


def _engine_modules() -> list:
    root = ROOT / "py"
    names = []
    for path in sorted((root / "taf").rglob("*.py")):
        if path.name in CLI_ONLY:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _stdlib_check_requests() -> list:
    """One request of every kind the views send (each recipe, the profile, compare, a sweep, the
    diagnostics, the leaderboard and a CSV score, a config import, the accuracy report)."""
    config = (ROOT / "tests" / "fixtures" / "configs" / "qwen3-8b.json").read_text()
    csv_text = (ROOT / "presets" / "leaderboard.csv").read_text()
    requests = [{"call": "app_metadata", "args": {}}, {"call": "list_levels", "args": {}},
                {"call": "profile_model", "args": {"model": taf.recipes.base.DEFAULT_MODEL}},
                {"call": "gamma_diagnostics", "args": {}}, {"call": "rsrc_bundled", "args": {}},
                {"call": "rsrc_score_csv", "args": {"text": csv_text}},
                {"call": "import_config", "args": {"text": config}},
                {"call": "hub_config_url", "args": {"model_id": "Qwen/Qwen3-8B"}},
                {"call": "accuracy_report", "args": {}}, {"call": "glossary", "args": {}},
                {"call": "sweep", "args": {"recipe_id": "X-FIT", "sweep": "context", "sweep_from": 1024,
                                           "sweep_to": 131072}},
                {"call": "compare_models", "args": {"specs": list(api.COMPARE_DEFAULT_MODELS),
                                                    "recipe_id": api.DEFAULT_RECIPE, "shared_params": {}}}]
    for recipe in taf.list_recipes():
        requests.append({"call": "run_recipe", "args": {"recipe_id": recipe["id"], "model": taf.recipes.base.DEFAULT_MODEL}})
    return requests


def python_stdlib():
    """Pyodide's python_stdlib.zip cut to what can be imported: the engine's modules, Pyodide's own
    packages and the modules it starts with, each with every module its import statements reach
    (ModuleFinder, see STDLIB_CLOSURE_JS), the modules imported by name and the codecs above
    (≈ 0.8 MB less to download before the engine starts). The cut zip is then tried with the
    engine's wheel (STDLIB_CHECK_JS) before it ships; anything missing stops the build."""
    source = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    roots = _engine_modules() + ["pyodide", "_pyodide"]
    found = json.loads(_run_pyodide(STDLIB_CLOSURE_JS % _pyodide_paths(roots=json.dumps(roots)),
                                    "finding the modules the engine can import"))
    wanted = {f"encodings/{name}.py" for name in STDLIB_CODECS} | set(found["started_files"]) | \
        {f"{name}.py" for name in STDLIB_IMPORTED_BY_NAME}
    for name in found["modules"]:  # each module as a file or a package, and the packages above it
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            stem = "/".join(parts[:i])
            wanted.update((f"{stem}.py", f"{stem}/__init__.py"))
    target = DIST / "pyodide" / "python_stdlib.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        entries = zin.infolist()
        for entry in entries:
            package = entry.filename.rsplit("/", 1)[0] + "/__init__.py"
            if entry.filename in wanted or (not entry.filename.endswith(".py") and package in wanted):
                zout.writestr(entry, zin.read(entry.filename))  # same names, dates and compression
        kept = len(zout.infolist())
    check = json.loads(_run_pyodide(STDLIB_CHECK_JS % _pyodide_paths(
        stdlib=str(target), wheel=str(DIST / "py" / ENGINE_WHEEL), requests=json.dumps(_stdlib_check_requests())),
        "trying the cut standard library"))
    if check["failed"]:
        raise BuildError(f"the engine fails on the cut standard library: {check['failed'][:3]}")
    return (f"python_stdlib.zip: {kept} of {len(entries)} files, "
            f"{source.stat().st_size / 1e6:.2f} → {target.stat().st_size / 1e6:.2f} MB; "
            f"{check['answered']} requests answered from it")


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


# Run by Node with the pinned Pyodide: compile a copy of py/taf with the browser's own Python.
COMPILE_JS = """
import { loadPyodide } from %(pyodide)s;
const py = await loadPyodide({ indexURL: %(index)s });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(src)s }, "/src");
py.runPython(`
import compileall, py_compile, sys
ok = compileall.compile_dir("/src/taf", quiet=1, legacy=True, optimize=2,
                            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
if not ok:
    sys.exit("compileall failed")
`);
"""


CLI_ONLY = ("cli.py", "__main__.py")  # the command line runs from py/ in CPython, never in the page


def engine_bytecode() -> dict:
    """py/taf compiled by the pinned Pyodide's Python (Node runs it): {wheel path: .pyc bytes}.
    The browser then imports bytecode instead of compiling every module at each start (about
    150 ms of the engine's start-up); like Pyodide's own standard library, the wheel carries
    bytecode only (the source is this repository), compiled with -OO (no docstrings: nothing
    reads them at run time) and checked against no source (unchecked-hash)."""
    work = WORK / "bytecode"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(ROOT / "py" / "taf", work / "taf", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *CLI_ONLY))
    _run_pyodide(COMPILE_JS % _pyodide_paths(src=str(work)), "compiling the engine with Pyodide")
    sources = sorted((work / "taf").rglob("*.py"))
    missing = [p for p in sources if not p.with_suffix(".pyc").exists()]
    if missing:
        raise BuildError(f"no bytecode for {', '.join(str(p.relative_to(work)) for p in missing[:5])}")
    return {"taf/" + p.with_suffix(".pyc").relative_to(work / "taf").as_posix(): p.with_suffix(".pyc").read_bytes()
            for p in sources}


def engine_wheel():
    """A wheel of py/taf (as Pyodide bytecode, engine_bytecode) with the preset files inside
    (taf/presets_data/)."""
    files = engine_bytecode()
    for path in sorted((ROOT / "presets").rglob("*")):  # the catalog and the measurement corpus too
        if path.suffix in (".json", ".csv"):
            if path.is_relative_to(ROOT / "presets" / "catalog"):
                continue  # the model catalog goes in as one file, below
            files[f"taf/presets_data/{path.relative_to(ROOT / 'presets').as_posix()}"] = path.read_bytes()
    # the model catalog, one file per model in the repository, as one file in the wheel (one read)
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "presets" / "catalog").rglob("*.json"))]
    files["taf/presets_data/catalog.json"] = json.dumps({"models": entries}, ensure_ascii=False,
                                                        separators=(",", ":")).encode()
    info = f"taf-{taf.__version__}.dist-info"
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: taf\nVersion: {taf.__version__}\n"
                                 "Summary: TAF Browser engine\n").encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: taf-build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [_record_line(name, data) for name, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    target = DIST / "py" / ENGINE_WHEEL
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info_ = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info_.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info_, data)
    return f"py/{ENGINE_WHEEL} ({target.stat().st_size / 1e3:.0f} kB, {len(files)} files)"


def leaderboard():
    """Validate presets/leaderboard.csv with pandas (the build stops on bad data). The app gets the
    file inside the engine wheel (engine_wheel), so nothing is copied to data/."""
    csv_path = ROOT / "presets" / "leaderboard.csv"
    if not csv_path.exists():
        return "no presets/leaderboard.csv yet (skipped)"
    from taf import rsrc
    problems = validate_leaderboard_with_pandas(csv_path)
    if problems:
        raise BuildError("presets/leaderboard.csv is not valid:\n  " + "\n  ".join(problems))
    board = rsrc.rsrc_bundled()
    return f"valid; {len(board['rows'])} rows, {board['summary']['scored']} scored (prerendered below)"


def validate_leaderboard_with_pandas(csv_path: Path) -> list:
    """Schema, types, duplicates and plausible ranges, checked with pandas (an independent reader)."""
    import pandas as pd
    expected = ["Model", "Architecture", "Parameters (B)", "Layers", "Training FLOPs", "MMLU (5-shot)",
                "Energy/pFLOP", "Year", "Active Parameters (B)", "Basis", "Approximate Fields"]
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    problems = []
    if list(df.columns) != expected:
        return [f"columns are {list(df.columns)}, expected {expected}"]
    for name in df["Model"][df["Model"].duplicated()]:
        problems.append(f"duplicate model name {name!r}")
    allowed_text = {"", "Unknown", "N/A"}
    ranges = {"Parameters (B)": (1e-3, 1e13), "Layers": (1, 1e7), "Training FLOPs": (1e-6, 1e12),
              "MMLU (5-shot)": (0, 100), "Energy/pFLOP": (1e-6, 1e6), "Year": (2010, 2035),
              "Active Parameters (B)": (1e-3, 1e5)}
    for column, (low, high) in ranges.items():
        cleaned = df[column].str.strip().str.lstrip("~").str.rstrip("%")
        numbers = pd.to_numeric(cleaned.where(~cleaned.isin(allowed_text)), errors="coerce")
        bad = numbers.isna() & ~cleaned.isin(allowed_text)
        for line in df.index[bad]:
            problems.append(f"line {line + 2}, {column}: {df.at[line, column]!r} is not a number")
        out_of_range = numbers.notna() & ((numbers < low) | (numbers > high))
        for line in df.index[out_of_range]:
            problems.append(f"line {line + 2}, {column}: {numbers[line]:g} outside [{low:g}, {high:g}]")
    for line in df.index[df["Basis"].str.strip() == ""]:
        problems.append(f"line {line + 2}: Basis is empty (every row needs a source or basis note)")
    return problems


def data_assets():
    meta = api.app_metadata()
    meta["engine_wheel"] = ENGINE_WHEEL
    _write_json(DIST / "data" / "metadata.json", meta)
    return (f"metadata.json: {len(meta['recipes'])} recipes, {len(meta['presets'])} presets, "
            f"{len(meta['gpus'])} GPUs, {len(meta['apis'])} APIs")


def prerender_requests() -> list:
    """The default view, every preset × applicable recipe, and every preset's profile (the catalog's
    other models are computed live)."""
    requests = []
    for model_id in catalog.preset_ids():
        fields = catalog.get_preset(model_id)
        for rid in taf.recipes.applicable_recipes(fields):
            requests.append({"call": "run_recipe", "args": {"recipe_id": rid, "model": model_id}})
        requests.append({"call": "profile_model", "args": {"model": model_id}})
    requests.append({"call": "gamma_diagnostics", "args": {}})
    for recipe in taf.list_recipes():  # the compare view's default: three models on each recipe
        requests.append({"call": "compare_models", "args": {
            "specs": list(api.COMPARE_DEFAULT_MODELS), "recipe_id": recipe["id"], "shared_params": {}}})
    requests.append({"call": "rsrc_bundled", "args": {}})
    return requests


def canonical_key(request: dict) -> str:
    """The one spelling of a request, shared with the front end (sorted keys, no spaces)."""
    return json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def first_view_requests() -> list:
    """What each view asks first with no URL inputs: shipped in a small file read at start-up."""
    default = taf.recipes.base.DEFAULT_MODEL
    return [{"call": "run_recipe", "args": {"recipe_id": api.DEFAULT_RECIPE, "model": default}},
            {"call": "profile_model", "args": {"model": default}},
            {"call": "compare_models", "args": {"specs": list(api.COMPARE_DEFAULT_MODELS), "recipe_id": api.DEFAULT_RECIPE,
                                                "shared_params": {}}},
            {"call": "gamma_diagnostics", "args": {}}, {"call": "rsrc_bundled", "args": {}}]


def prerender():
    out = {}
    for request in prerender_requests():
        response = json.loads(api.handle(json.dumps(request)))
        if not response["ok"]:
            raise BuildError(f"prerender failed for {request}: {response['error']}")
        out[canonical_key(request)] = response
    first = {canonical_key(r): out[canonical_key(r)] for r in first_view_requests()}
    _write_json(DIST / "data" / "prerendered.json", out)
    _write_json(DIST / "data" / "prerendered-first.json", first)
    size = (DIST / "data" / "prerendered.json").stat().st_size
    small = (DIST / "data" / "prerendered-first.json").stat().st_size
    return f"{len(out)} results ({size / 1e3:.0f} kB); first views: {len(first)} ({small / 1e3:.0f} kB)"


def manifest():
    files = sorted(p for p in DIST.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    listing = {p.relative_to(DIST).as_posix(): p.stat().st_size for p in files}
    _write_json(DIST / "build-manifest.json", {"pyodide": PYODIDE_VERSION, "engine": taf.__version__,
                                               "files": listing, "total_bytes": total})
    return f"{len(files)} files, {total / 1e6:.1f} MB"


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")),
                    encoding="utf-8")


def calibration():
    """presets/calibration.json must be what `python -m taf calibrate` fits from the corpus today
    (same corpus → same file); a stale file stops the build."""
    from taf import cli, corpus
    for name, text in cli.calibration_texts().items():
        current = ROOT / "presets" / name
        if not current.is_file() or current.read_text(encoding="utf-8") != text:
            raise BuildError(f"presets/{name} is out of date: run python -m taf calibrate")
    cal = json.loads((ROOT / "presets" / corpus.CALIBRATION_FILE).read_text(encoding="utf-8"))
    return f"calibration up to date: {cal['n_predicted']} of {cal['n_points']} measurements predicted"


PIPELINE = (clean, calibration, front_end, pyodide_runtime, engine_wheel, python_stdlib, leaderboard, data_assets, prerender,
            manifest)


def main() -> int:
    for step in PIPELINE:
        started = time.perf_counter()
        try:
            message = step()
        except BuildError as exc:
            log(step.__name__, f"FAILED: {exc}")
            return 1
        log(step.__name__, f"{message}  ({(time.perf_counter() - started) * 1e3:.0f} ms)")
    log("done", f"open with: python -m http.server --directory dist  → http://localhost:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
