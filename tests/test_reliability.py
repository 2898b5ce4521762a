"""Hostile input at the JSON boundary (issue 15): every input inside its allowed range gives a result
or an input error naming a field the person can see; over-long integers, deep nesting, decimal commas
and lone surrogates are refused or encoded cleanly; a small run of bench/fuzz.py has no bad outcome."""
import json
import sys
from pathlib import Path

import pytest

from taf import api

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import fuzz  # noqa: E402

LLAMA = "meta-llama/Meta-Llama-3-8B"


def ask(call, **args):
    return json.loads(api.handle(json.dumps({"call": call, "args": args})))


@pytest.mark.parametrize("call,args,field", [
    ("run_recipe", {"recipe_id": "X-3", "target_N_params": 1e-200}, "target_N_params"),
    ("run_recipe", {"recipe_id": "X-3", "gpu_usd_per_hour": 1e-200}, "gpu_usd_per_hour"),
    ("run_recipe", {"recipe_id": "X-3", "target_N_params": 1e16, "tokens_per_param": 65536}, "tokens_per_param"),
    ("run_recipe", {"recipe_id": "X-FIT", "model": LLAMA, "memory_utilization": 1e-310}, "memory_utilization"),
    ("run_recipe", {"recipe_id": "X-5", "model": LLAMA, "achieved_bandwidth_fraction": 1e-310},
     "achieved_bandwidth_fraction"),
    ("run_recipe", {"recipe_id": "X-2", "model": LLAMA, "bytes_per_element": 5e-324}, "bytes_per_element"),
    ("run_recipe", {"recipe_id": "X-1", "N_params": 3.9e-324}, "N_params"),
    ("run_recipe", {"recipe_id": "X-2", "model": LLAMA, "T_eval": "1,5"}, "T_eval"),
])
def test_edge_values_are_input_errors_on_the_field(call, args, field):
    out = ask(call, **args)
    assert out["ok"] is False and out["error"]["type"] == "input" and out["error"]["field"] == field, out


def test_the_profile_survives_a_subnormal_budget():
    out = ask("profile_model", model=LLAMA, USD_budget=5e-324)
    assert out["ok"] is False and out["error"]["field"] == "USD_budget"


def test_integers_beyond_float_range_and_deep_nesting_are_input_errors():
    huge = api.handle('{"call": "list_levels", "args": {"x": ' + "9" * 5000 + "}}")
    assert json.loads(huge)["error"] == {"type": "input", "field": "request",
                                         "message": "the request holds an integer of 5,000 digits; numbers "
                                                    "beyond 309 digits are out of range"}
    deep = '{"model_type": "llama", "x": ' + "[" * 3000 + "]" * 3000 + "}"
    out = ask("import_config", text=deep)
    assert out["error"]["type"] == "input" and "nested 3,001 levels" in out["error"]["message"]
    assert ask("import_config", text='{"model_type": "llama", "x": ' + "[" * 60 + "]" * 60 + "}")["ok"] is True  # within the limit


def test_a_decimal_comma_is_refused_not_read_as_thousands():
    out = ask("run_recipe", recipe_id="X-2", model=LLAMA, T_eval="8,192")
    assert out["ok"] and out["result"]["inputs"]["T_eval"] == 8192
    out = ask("gamma_diagnostics", gamma="0,75")
    assert out["error"]["field"] == "gamma" and "point" in out["error"]["message"]


def test_a_lone_surrogate_is_echoed_as_an_escape():
    reply = api.handle('{"call": "cost_for_flops", "args": {"total_flops": 1e20, "gpu": "\\ud800"}}')
    reply.encode("utf-8")  # always encodable
    assert json.loads(reply)["result"]["error"] == "unknown gpu '\ud800'"


def test_a_small_fuzz_run_has_no_bad_outcome():
    """Correctness only: the 'slow' count is a timing, printed by bench/fuzz.py, not asserted here (a
    loaded machine must not fail the suite)."""
    outcomes = fuzz.run(1500, seed=11)
    bad = {k: outcomes.get(k, 0) for k in ("internal", "non-strict", "input, no such field")}
    assert bad == dict.fromkeys(bad, 0), (bad, fuzz.run.examples)
    assert outcomes["result"] > 100 and outcomes["input"] > 100


def _cli(*args, shell_suffix=""):
    import os
    import shlex
    import subprocess
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "py")}
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "taf", *args)) + shell_suffix
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("path", ["/dev/zero", "/tmp", "/nonexistent/config.json"])
def test_cli_refuses_devices_directories_and_missing_files_in_one_line(path):
    done = _cli("import-config", path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    done = _cli("recipe", "X-FIT", "--config", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_cli_refuses_a_fifo_without_hanging(tmp_path):
    import os
    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)
    done = _cli("import-config", str(fifo))  # would block forever if it were opened
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_cli_reads_non_utf8_and_survives_closed_stdout(tmp_path):
    bad = tmp_path / "config.json"
    bad.write_bytes(b'{"model_type": "llama", "num_hidden_layers": 32, "x": "\xff\xfe\xed"}')
    done = _cli("import-config", str(bad))
    assert done.returncode == 0 and "llama" in done.stdout
    done = _cli("list", "presets", shell_suffix=" >&-")
    assert done.returncode == 2 and done.stderr == "taf: error: standard output is closed\n"


def test_markdown_export_keeps_a_hostile_name_on_its_line():
    import taf
    from taf.report import render_markdown, render_text
    c = taf.compare_models([{"model": "EleutherAI/pythia-1b", "label": "evil\n### Injected\r\n| a | b |"},
                            "Qwen/Qwen2.5-7B"], "X-2")
    for text in (render_markdown(c), render_text(c)):
        assert "\n### Injected" not in text and "\n| a | b |" not in text
    table = [line for line in render_markdown(c).splitlines() if line.startswith("| ")]
    assert len(table) == 3  # header and two models: no injected row
