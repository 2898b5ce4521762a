"""RSRC_t: faithful to the reference, every row kept, parameters move scores as the formula says."""
import csv
import io
import json
import math
import random
import subprocess
import sys
import os
from pathlib import Path

import pytest

from taf import InputError, rsrc
from rsrc_pandas import rsrc_scores

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ORIGINAL = (FIXTURES / "rsrc_original_leaderboard.csv").read_text()
QUIRKS = (FIXTURES / "rsrc_quirks.csv").read_text()
PROJECT = (ROOT / "presets" / "leaderboard.csv").read_text()


def by_line(board):
    return sorted(board["rows"], key=lambda r: r["line"])


def reference_formula(params_b, flops, energy, year, arch, model):
    """rsrc-formula.md written out for a single row, for the 1e-9 check."""
    e = (flops / params_b ** 0.5) * (energy / 50)
    if arch == "Dense" and year < 2024:
        e *= 1.2
    active = params_b * 0.8 if arch == "MoE" else params_b
    active = {"GPT-4o": 200, "DeepSeek V3": 37, "Mixtral 8x7B": 13}.get(model, active)
    age = max(0.8, 1 - (2024 - year) * 0.05)
    k = 0.48 if arch == "MoE" else 0.45
    return math.log(active) / e ** k * age


def test_original_file_25_in_25_out():
    board = rsrc.rsrc_score_csv(ORIGINAL)
    s = board["summary"]
    assert (s["rows_in"], s["rows_out"], s["scored"], s["unscored"]) == (25, 25, 23, 2)
    unscored = {r["model"]: r["reason"] for r in board["rows"] if r["status"] == "unscored"}
    assert set(unscored) == {"Llama-3-70B", "Qwen2.5-72B"}
    assert "Energy/pFLOP" in unscored["Llama-3-70B"] and "Training FLOPs" in unscored["Qwen2.5-72B"]


def test_original_file_matches_reference_formula():
    board = {r["model"]: r for r in rsrc.rsrc_score_csv(ORIGINAL)["rows"]}
    for rec in csv.DictReader(io.StringIO(ORIGINAL)):
        try:
            args = [float(rec[k]) for k in ("Parameters (B)", "Training FLOPs", "Energy/pFLOP", "Year")]
        except ValueError:
            continue
        expected = reference_formula(*args, rec["Architecture"], rec["Model"])
        assert board[rec["Model"]]["rsrc_t"] == pytest.approx(expected, rel=1e-9)


def test_potato_scored_flagged_and_excludable():
    board = rsrc.rsrc_score_csv(ORIGINAL)
    potato = next(r for r in board["rows"] if r["model"].startswith("Potato"))
    assert potato["status"] == "scored" and potato["implausible"]
    assert any("implausible" in f for f in potato["flags"])
    excluded = rsrc.rsrc_score_csv(ORIGINAL, exclude_implausible=True)
    potato = next(r for r in excluded["rows"] if r["model"].startswith("Potato"))
    assert potato["status"] == "unscored" and "implausible" in potato["reason"]
    assert excluded["summary"]["rows_out"] == 25


@pytest.mark.parametrize("text", [ORIGINAL, QUIRKS, PROJECT])
@pytest.mark.parametrize("capped", [False, True])
def test_pandas_cross_check(text, capped):
    ours = by_line(rsrc.rsrc_score_csv(text, mode="capped" if capped else "reference"))
    theirs = rsrc_scores(text, capped=capped)
    assert len(ours) == len(theirs)
    for row, (name, score) in zip(ours, theirs):
        assert row["model"] == name.strip()
        if row["rsrc_t"] is None:
            assert score is None or math.isnan(score), (name, score)
        else:
            assert row["rsrc_t"] == pytest.approx(score, rel=1e-12), name


def test_pandas_cross_check_1000_random_rows():
    rng = random.Random(7)
    lines = ["Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"]
    for i in range(1000):
        arch = rng.choice(["Dense", "MoE", "Dense", "Hybrid"])
        lines.append(f"m{i},{arch},{rng.uniform(0.5, 2000):.6g},{rng.randint(1, 150)},"
                     f"{rng.uniform(1, 50000):.6g},{rng.uniform(20, 95):.3g},{rng.uniform(5, 500):.6g},"
                     f"{rng.randint(2015, 2026)}")
    text = "\n".join(lines) + "\n"
    for capped in (False, True):
        ours = by_line(rsrc.rsrc_score_csv(text, mode="capped" if capped else "reference"))
        theirs = rsrc_scores(text, capped=capped)
        for row, (_, score) in zip(ours, theirs):
            assert row["rsrc_t"] == pytest.approx(score, rel=1e-12)


def test_quirk_fixture_keeps_every_row_with_flags():
    board = rsrc.rsrc_score_csv(QUIRKS)
    rows = {r["line"]: r for r in board["rows"]}
    assert board["summary"]["rows_in"] == board["summary"]["rows_out"] == 19
    named = {r["model"]: r for r in board["rows"]}
    assert "Parameters (B): approximate" in named["Tilde Model"]["flags"]
    assert named["Tilde Model"]["status"] == "scored"
    assert "MMLU (5-shot): percent" in named["Percent Model"]["flags"]
    assert named["Percent Model"]["values"]["params_b"] == 141
    assert named["NA Flops"]["status"] == "unscored" and "'N/A'" in named["NA Flops"]["reason"]
    assert named["Spaced Name"]["architecture"] == "Dense"
    assert named["Future Model"]["intermediate"]["age_decay"] == pytest.approx(1.1)  # no ceiling
    assert any(f.startswith("duplicate") for f in named["Twin"]["flags"])
    assert board["summary"]["duplicates"] == ["Twin"]
    assert sum(1 for r in board["rows"] if r["model"] == "Twin") == 2
    assert any("fields" in f for f in named["Short Row"]["flags"])
    assert "Parameters (B): invalid" in named["Bad Number"]["flags"]
    assert named["Blank Year"]["status"] == "unscored" and "Year (blank)" in named["Blank Year"]["reason"]
    assert named["Blank MMLU"]["mmlu_filled"] is not None  # filled with the column mean, not used
    assert len(rows) == 19


def _unquoted(text):
    return text.replace('"Quoted, Name"', "Quoted Name").replace('=HYPERLINK("http://x")', "=HYPERLINK(x)")


def _tiled(text, copies, blank_run):
    """The file's rows repeated (names made unique), with a run of blank lines in the middle."""
    header, *rows = text.splitlines()
    body = [f"{r.replace(',', f' #{k},', 1)}" if not r.startswith('"') else r for k in range(copies) for r in rows]
    middle = len(body) // 2
    return "\n".join([header] + body[:middle] + [""] * blank_run + [" , ,"] + body[middle:]) + "\n"


@pytest.mark.parametrize("chunk_rows", [1, 3, 7, 64])
@pytest.mark.parametrize("quoted", [False, True])
def test_chunked_reading_changes_nothing(monkeypatch, chunk_rows, quoted):
    """The parse reads CHUNK_ROWS records at a time; chunk edges (flags, short rows, duplicates,
    blank lines, line numbers, the quoted-cell path) must not show in the result."""
    text = _tiled(QUIRKS if quoted else _unquoted(QUIRKS), 12, 70)
    assert ('"' in text) == quoted  # without quotes the parse takes its one-line-per-record path
    monkeypatch.setattr(rsrc.parse, "CHUNK_ROWS", 10 ** 9)  # the module that reads it
    whole = rsrc.rsrc_score_csv(text)
    monkeypatch.setattr(rsrc.parse, "CHUNK_ROWS", chunk_rows)
    chunked = rsrc.rsrc_score_csv(text)
    assert json.dumps(chunked, sort_keys=True) == json.dumps(whole, sort_keys=True)
    assert whole["summary"]["rows_in"] == 12 * 19
    lines = text.splitlines()
    for row in whole["rows"]:  # each row names the line it came from
        assert next(csv.reader([lines[row["line"] - 1]]))[0].strip() == row["model"]


def test_one_line_fast_path_equals_record_by_record_reading():
    text = _tiled(_unquoted(QUIRKS), 30, 300)
    assert '"' not in text
    tables = []
    for fast in (True, False):
        reader = csv.reader(io.StringIO(text))
        tables.append(rsrc._read_table(reader, "t", one_line_per_record=fast))
    assert json.dumps(tables[0], sort_keys=True, default=list) == json.dumps(tables[1], sort_keys=True, default=list)


def test_reference_mode_cap_does_not_change_score_but_capped_mode_does():
    # the cap (Params^0.8 × 1e3) never binds on the original file; a 2 B model with 1e5 PF does
    text = ORIGINAL + "Heavy Small,Dense,2,24,100000.0,50.0,40.0,2024\n"
    ref = {r["model"]: r for r in rsrc.rsrc_score_csv(text)["rows"]}
    cap = {r["model"]: r for r in rsrc.rsrc_score_csv(text, mode="capped")["rows"]}
    changed = [m for m, r in ref.items() if r["intermediate"].get("flops_cap_changed_value")]
    assert changed == ["Heavy Small"]
    assert ref["Heavy Small"]["intermediate"]["flops_capped"] == pytest.approx(2 ** 0.8 * 1e3)
    assert cap["Heavy Small"]["rsrc_t"] > ref["Heavy Small"]["rsrc_t"]
    assert all(cap[m]["rsrc_t"] == ref[m]["rsrc_t"] for m in ref if m != "Heavy Small")


def test_overrides_and_active_column():
    ref = {r["model"]: r for r in rsrc.rsrc_score_csv(ORIGINAL)["rows"]}
    assert ref["GPT-4o"]["intermediate"]["active_params_b"] == 200
    assert ref["DeepSeek V3"]["intermediate"]["active_params_b"] == 37
    assert ref["Mixtral 8x7B"]["intermediate"]["active_params_b"] == 13
    assert ref["GPT-4"]["intermediate"]["active_params_b"] == pytest.approx(1800 * 0.8)
    col = {r["model"]: r for r in rsrc.rsrc_bundled(active_source="column")["rows"]}
    assert col["DeepSeek v2"]["intermediate"]["active_params_b"] == 21


# ── parameters move scores the way the formula says ──
def scores(**params):
    return {r["model"]: r["rsrc_t"] for r in rsrc.rsrc_score_csv(ORIGINAL, params=params)["rows"]
            if r["rsrc_t"] is not None}


BASE = scores()


def test_arch_score_scales_linearly():
    doubled = scores(ARCH_SCORE=2.0)
    for m, s in BASE.items():
        assert doubled[m] == pytest.approx(2 * s, rel=1e-12)


def test_legacy_penalty_hits_only_old_dense_rows():
    harsher = scores(LEGACY_PENALTY_FACTOR=2.4)
    for m in ("Llama-2-7B", "Mistral 7B", "BLOOM", "PaLM-2-L"):
        assert harsher[m] == pytest.approx(BASE[m] * 2 ** -0.45, rel=1e-12)
    for m in ("GPT-4", "Claude 3 Opus", "DeepSeek V3"):
        assert harsher[m] == BASE[m]


def test_exponents_touch_only_their_architecture():
    moe = scores(MOE_EXPONENT=0.6)
    assert moe["Claude 3 Opus"] == BASE["Claude 3 Opus"] and moe["GPT-4"] != BASE["GPT-4"]
    dense = scores(DENSE_EXPONENT=0.6)
    assert dense["GPT-4"] == BASE["GPT-4"] and dense["Claude 3 Opus"] != BASE["Claude 3 Opus"]


def test_alpha_and_beta_raise_scores_when_e_above_one():
    higher_alpha, higher_beta = scores(ALPHA=0.6), scores(BETA=100.0)
    for m in BASE:
        if m.startswith("Potato"):
            continue
        assert higher_beta[m] == pytest.approx(BASE[m] * 2 ** (0.48 if m in ("GPT-4", "Gemini 1.5 Pro", "DeepSeek v2", "Mistral 8x22B", "DeepSeek R1", "GPT-o1", "GPT-4o", "DeepSeek V3", "Mixtral 8x7B", "Qwen2.5-Max") else 0.45), rel=1e-12)
        assert higher_alpha[m] > BASE[m]  # every real row has Params > 1 B


def test_age_decay_parameters():
    later = scores(CURRENT_YEAR=2025)
    assert later["o3"] == pytest.approx(BASE["o3"] / 1.05 * 1.0)
    flat = scores(AGE_DECAY_SLOPE=0.0)
    assert flat["BLOOM"] == pytest.approx(BASE["BLOOM"] / 0.9)
    floor = scores(AGE_DECAY_FLOOR=0.95)
    assert floor["BLOOM"] == pytest.approx(BASE["BLOOM"] / 0.9 * 0.95)


def test_moe_scale_factor_skips_overridden_rows():
    more = scores(MOE_PARAM_SCALE_FACTOR=0.5)
    assert more["GPT-4o"] == BASE["GPT-4o"]
    assert more["GPT-4"] == pytest.approx(BASE["GPT-4"] * math.log(900) / math.log(1440))


def test_bad_parameters_are_input_errors():
    for bad in ({"ALPHA": "x"}, {"ALPHA": float("nan")}, {"BETA": 0}, {"GAMMA": 1},
                {"ACTIVE_OVERRIDES": "GPT-4o"}):
        with pytest.raises(InputError):
            rsrc.rsrc_score_csv(ORIGINAL, params=bad)


def test_parameters_are_described_in_the_one_metadata_format():
    from taf.params import Param
    meta = rsrc.rsrc_parameters()
    json.dumps(meta, allow_nan=False)  # strict JSON, as the app receives it
    shape = set(Param("x", "number", "h", default=1.0, min=0.0, max=2.0).metadata())
    assert [p["name"] for p in meta["params"]] == list(rsrc.DEFAULTS)
    for p in meta["params"]:
        assert set(p) == shape and p["type"] == "number" and p["group"] == "parameter"
        assert p["min"] <= p["default"] <= p["max"] and p["help"]
    assert {p["name"]: p["default"] for p in meta["options"]} == {
        "mode": "reference", "active_source": "reference", "exclude_implausible": False}
    assert meta["options"][0]["choices"] == list(meta["modes"])
    assert meta["options"][1]["choices"] == list(meta["active_sources"])
    assert meta["overrides"]["name"] == "ACTIVE_OVERRIDES"
    default = rsrc.resolve_params({"ACTIVE_OVERRIDES": meta["overrides"]["default"]})["ACTIVE_OVERRIDES"]
    assert default == meta["active_overrides"] == rsrc.DEFAULT_ACTIVE_OVERRIDES
    board = rsrc.rsrc_score_csv(ORIGINAL)  # the defaults the metadata shows are the ones scored with
    assert (board["mode"], board["active_source"], board["exclude_implausible"]) == (
        "reference", "reference", False)
    for name, value, needle in (("BETA", 0, "BETA"), ("ALPHA", "x", "ALPHA"), ("CURRENT_YEAR", 3000, "CURRENT_YEAR")):
        with pytest.raises(InputError) as err:
            rsrc.rsrc_score_csv(ORIGINAL, params={name: value})
        assert err.value.field == name and needle in err.value.message
    for name, value in (("mode", "x"), ("active_source", "x"), ("exclude_implausible", "x")):
        with pytest.raises(InputError) as err:
            rsrc.rsrc_score_csv(ORIGINAL, **{name: value})
        assert err.value.field == name


def test_chain_steps_name_only_what_a_scored_row_has():
    import re
    chain = rsrc.rsrc_parameters()["chain"]
    assert [step["step"] for step in chain] == list(range(1, len(chain) + 1))
    row = next(r for r in rsrc.rsrc_score_csv(ORIGINAL)["rows"] if r["status"] == "scored")
    known = {**row["values"], **row["intermediate"], "rsrc_t": row["rsrc_t"]}
    for step in chain:
        assert step["name"] and step["formula"] and step["text"]
        for piece in step["row"] or []:
            if isinstance(piece, dict):
                assert isinstance(known[piece["if"]], bool)
                texts = [piece["then"], piece.get("else", "")]
            else:
                texts = [piece]
            for text in texts:
                for key, form in re.findall(r"\{(\w+)(?::(\w+))?\}", text):
                    assert key in known and form in ("", "plain"), (step["name"], key)


# ── malformed files ──
@pytest.mark.parametrize("data,needle", [
    (b"", "empty"), (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("Model,Architecture\nx,y\n".encode("latin-1") + b"\xff\xfe,Dense\n", "line 3"),
    (b"Model;Architecture;Parameters (B);Year\nx;Dense;1;2024\n", "semicolons"),
    (b"Model\tArchitecture\tYear\nx\tDense\t2024\n", "tabs"),
    (b"GPT-4,MoE,1800,120,21500.0,86.4,62.1,2023\n", "holds data, not a header"),
    (b"Model,Architecture,Year\nx,Dense,2024\n", "missing required column(s): Parameters (B)"),
    (b"Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year\n", "no rows"),
])
def test_files_that_cannot_be_a_leaderboard(data, needle):
    with pytest.raises(InputError) as err:
        rsrc.parse_csv_bytes(data)
    assert needle in err.value.message and err.value.field == "file"


def test_non_utf8_names_line_and_column():
    data = b"Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year\nab\xe9,Dense,1,1,1,1,1,2024\n"
    with pytest.raises(InputError) as err:
        rsrc.parse_csv_bytes(data)
    assert "line 2, column 3" in err.value.message


# ── export ──
@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_csv_export_neutralises_formulas(cell):
    assert rsrc.csv_safe(cell).startswith("'")
    board = rsrc.rsrc_score_csv(QUIRKS)
    out = rsrc.to_csv(board)
    assert '\'=HYPERLINK(""http://x"")' in out
    for line in out.splitlines()[1:]:
        assert not line.split(",")[1].startswith(("=", "+", "@"))


def cli(*args):
    return subprocess.run([sys.executable, "-m", "taf", "rsrc", *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "py")},
                          timeout=60)


def test_cli_table_and_json():
    done = cli("--csv", str(FIXTURES / "rsrc_original_leaderboard.csv"))
    assert done.returncode == 0 and "DeepSeek V3" in done.stdout and "Llama-3-70B" in done.stdout
    assert "not scored" in done.stdout
    rows = json.loads(cli("--format", "json").stdout)
    assert {"model", "architecture", "rsrc_t", "status", "reason", "flags"} <= set(rows[0])
    assert any(r["rsrc_t"] is None for r in rows)


def test_cli_csv_out_and_errors(tmp_path):
    out = tmp_path / "board.csv"
    done = cli("--csv", str(FIXTURES / "rsrc_quirks.csv"), "--format", "csv", "--out", str(out),
               "--mode", "capped", "--set", "ALPHA=0.6")
    assert done.returncode == 0 and out.read_text().startswith("rank,model")
    bad = cli("--csv", str(tmp_path / "missing.csv"))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    bad = cli("--set", "ALPHA=abc")
    assert bad.returncode == 2 and "ALPHA" in bad.stderr


def test_build_validation_stops_on_bad_data(tmp_path):
    sys.path.insert(0, str(ROOT))
    import build
    assert build.validate_leaderboard_with_pandas(ROOT / "presets" / "leaderboard.csv") == []
    lines = PROJECT.splitlines()
    bad = lines + [lines[1], lines[2].replace(",1800,", ",abc,").replace("GPT-4,", "GPT-X,", 1)]
    path = tmp_path / "lb.csv"
    path.write_text("\n".join(bad) + "\n")
    problems = build.validate_leaderboard_with_pandas(path)
    assert any("duplicate model name" in p for p in problems)
    path.write_text("\n".join(lines[:3] + [lines[3].replace(",2024,", ",1890,")]) + "\n")
    assert any("Year" in p and "outside" in p for p in build.validate_leaderboard_with_pandas(path))


def test_an_upload_over_the_size_limit_is_refused_with_its_size(monkeypatch):
    import base64
    monkeypatch.setattr(rsrc.parse, "MAX_FILE_BYTES", 1000)  # the module that owns it
    data = base64.b64encode(ORIGINAL.encode()).decode()
    with pytest.raises(InputError) as err:
        rsrc.rsrc_score_upload(data)
    assert err.value.field == "file" and "too large" in err.value.message and "MB" in err.value.message
    assert rsrc.rsrc_parameters()["max_file_bytes"] == 1000
    monkeypatch.setattr(rsrc.parse, "MAX_FILE_BYTES", 10 ** 6)
    assert rsrc.rsrc_score_upload(data)["summary"]["rows_in"] == 25


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_classic_mac_line_ends_read_like_unix(newline):
    unix = rsrc.rsrc_score_csv(ORIGINAL)
    other = rsrc.rsrc_score_csv(ORIGINAL.replace("\n", newline))
    assert json.dumps(other, sort_keys=True) == json.dumps(unix, sort_keys=True)
