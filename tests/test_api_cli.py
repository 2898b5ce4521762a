"""The JSON boundary and the command line."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from taf import api

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "py")}


def ask(call, **args):
    return json.loads(api.handle(json.dumps({"call": call, "args": args})))


def test_run_recipe_round_trip():
    out = ask("run_recipe", recipe_id="X-2", model="Qwen/Qwen2.5-7B", T_eval=32768)
    assert out["ok"] and out["result"]["verdict"] == "UNVERIFIED" and out["result"]["level"] == "info"
    out = ask("run_recipe", recipe_id="X-2", model="Qwen/Qwen2.5-7B", T_eval=32768, gamma_obs=0.8)
    assert out["ok"] and out["result"]["verdict"] == "YES" and out["result"]["level"] == "ok"


def test_input_error_names_the_field():
    out = ask("run_recipe", recipe_id="X-2", model="Qwen/Qwen2.5-7B", T_eval="abc")
    assert out == {"ok": False, "error": {"type": "input", "field": "T_eval",
                                          "message": "T_eval must be a number; got 'abc' — type one "
                                                     "such as 32768, 32k, 1.5M, 8B, 80GB or 90%"}}


@pytest.mark.parametrize("request_text,field", [
    ("not json", "request"), ("[1,2]", "request"), ('{"call": "exec"}', "call"),
    ('{"call": "gamma_pade", "args": [1]}', "args"), ('{"call": "gamma_pade", "args": {"theta": Infinity, "T_eval": 1}}', "request"),
    ('{"call": "gamma_pade", "args": {"theta": 1, "T_eval": 1, "zzz": 2}}', None),
])
def test_malformed_requests(request_text, field):
    out = json.loads(api.handle(request_text))
    assert out["ok"] is False and out["error"]["type"] == "input"
    if field:
        assert out["error"]["field"] == field


def test_internal_errors_are_one_line_without_traceback(monkeypatch):
    def boom(**_):
        raise RuntimeError("kaput")
    monkeypatch.setitem(api.CALLS, "boom", boom)
    out = json.loads(api.handle('{"call": "boom"}'))
    assert out["error"]["type"] == "internal" and "Traceback" not in out["error"]["message"]


def test_app_metadata_has_everything_the_ui_needs():
    meta = ask("app_metadata")["result"]
    assert {"recipes", "profile", "presets", "gpus", "apis", "levels"} <= set(meta)


def test_markdown_export_of_each_kind():
    r = ask("run_recipe", recipe_id="X-5", model="meta-llama/Meta-Llama-3-8B")["result"]
    md = ask("render_markdown", result=r)["result"]
    assert md.startswith("### X-5") and "| # | Section |" in md
    prof = ask("profile_model", model="meta-llama/Meta-Llama-3-8B")["result"]
    assert "TAF card" in ask("render_markdown", result=prof)["result"]
    assert ask("render_markdown", result={"x": 1})["error"]["field"] == "result"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True,
                          env=ENV, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("args", [
    ["recipe", "X-2", "--model", "meta-llama/Meta-Llama-3-8B", "--set", "T_eval=32768"],
    ["recipe", "X-1", "--set", "N_params=7e9", "--set", "monthly_tokens_M=5000"],
    ["recipe", "X-19", "--model", "Qwen/Qwen2.5-7B"],
    ["profile", "--model", "google/gemma-2-9b-it"],
])
def test_cli_text_shows_chain_and_verdict(args):
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    if args[0] == "profile":
        assert done.stdout.startswith("TAF card") and "recipes:" in done.stdout, done.stdout
    else:
        assert " 1. [§" in done.stdout and "VERDICT:" in done.stdout, done.stdout


def test_cli_json_and_markdown():
    done = cli("recipe", "X-3", "--format", "json")
    assert json.loads(done.stdout)["recipe_id"] == "X-3"
    done = cli("compare", "X-2", "--model", "EleutherAI/pythia-1b", "--model", "Qwen/Qwen2.5-7B",
               "--format", "markdown")
    assert done.returncode == 0 and "| pythia-1b |" in done.stdout


@pytest.mark.parametrize("what", ["recipes", "presets", "gpus", "apis"])
def test_cli_lists(what):
    done = cli("list", what)
    assert done.returncode == 0 and len(done.stdout.splitlines()) > 3


@pytest.mark.parametrize("args", [
    ["recipe", "X-9"], ["recipe", "X-2", "--model", "nope"], ["recipe", "X-2", "--set", "theta"],
    ["recipe", "X-3", "--set", "n_gpus=0"], ["frobnicate"], [], ["list", "cats"],
    ["recipe", "X-2", "--model", "Qwen/Qwen2.5-7B", "--set", "T_eval=1e400"],
])
def test_cli_bad_arguments_one_line_exit_2(args):
    done = cli(*args)
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and done.stderr.startswith("taf: error:")
