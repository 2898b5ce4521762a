"""RSRC_t: faithful to the reference, every row kept, parameters move scores as the formula says."""
import csv
import datetime
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
    assert potato["status"] == "scored" and potato["implausible"] and potato["rank"] is None
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
        "mode": "reference", "active_source": "reference", "exclude_implausible": False,
        "rank_implausible": False}
    assert meta["options"][0]["choices"] == list(meta["modes"])
    assert meta["options"][1]["choices"] == list(meta["active_sources"])
    assert meta["overrides"]["name"] == "ACTIVE_OVERRIDES"
    default = rsrc.resolve_params({"ACTIVE_OVERRIDES": meta["overrides"]["default"]})["ACTIVE_OVERRIDES"]
    assert default == meta["active_overrides"] == rsrc.DEFAULT_ACTIVE_OVERRIDES
    board = rsrc.rsrc_score_csv(ORIGINAL)  # the defaults the metadata shows are the ones scored with
    assert (board["mode"], board["active_source"], board["exclude_implausible"], board["rank_implausible"]) == (
        "reference", "reference", False, False)
    for name, value, needle in (("BETA", 0, "BETA"), ("ALPHA", "x", "ALPHA"), ("CURRENT_YEAR", 3000, "CURRENT_YEAR")):
        with pytest.raises(InputError) as err:
            rsrc.rsrc_score_csv(ORIGINAL, params={name: value})
        assert err.value.field == name and needle in err.value.message
    for name, value in (("mode", "x"), ("active_source", "x"), ("exclude_implausible", "x"),
                        ("rank_implausible", "x"), ("today_year", "x"), ("today_year", 10 ** 6)):
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


# ── the leaderboard never overclaims (issue 12, item 4) ──
HEADER = "Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"

# RSRC_t of every row of presets/leaderboard.csv in reference mode, as scored before implausible
# rows lost their rank (commit f092835): the scores may not move, only the ranks.
BUNDLED_SCORES_BEFORE = {
    "Potato AI (Post-Fix)": 14540.730787158425, "DeepSeek V3": 3.496448900811282,
    "o1-mini": 3.1056365238286556, "o3-mini": 2.2452865415190932, "o1": 1.521501525723531,
    "o3": 1.341681042036914, "Claude 3.5 Sonnet": 0.7374556210213415, "DeepSeek R1": 0.6663853144986503,
    "PaLM-2-L": 0.5190698391337732, "Qwen2.5-Max": 0.4114311357152158, "GPT-o1": 0.3937935764026676,
    "BLOOM": 0.3738332552455457, "DeepSeek v2": 0.36404321950476615, "Mixtral 8x7B": 0.3265099683347161,
    "GPT-4": 0.3132693037868323, "Mistral 8x22B": 0.3125122714302348, "GPT-4o": 0.30248233994288776,
    "Llama-2-7B": 0.29020954408205824, "Gemini 1.5 Pro": 0.25676720569262057,
    "Gemini 2.0 Flash": 0.23274457551180783, "Falcon-40B": 0.21818242416325284,
    "Mistral 7B": 0.1762240864741364, "Claude 3 Opus": 0.08997627919383273,
    "Llama-3-70B": None, "Qwen2.5-72B": None,
}


def named(board):
    return {r["model"]: r for r in board["rows"]}


@pytest.mark.parametrize("rank_implausible", [False, True])
@pytest.mark.parametrize("today_year", [None, 2025, 2026, 2100])
def test_bundled_scores_identical_to_before_in_reference_mode(rank_implausible, today_year):
    board = rsrc.rsrc_bundled(rank_implausible=rank_implausible, today_year=today_year)
    assert {r["model"]: r["rsrc_t"] for r in board["rows"]} == BUNDLED_SCORES_BEFORE  # exact
    ranked = [r for r in board["rows"] if r["rank"] is not None]
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert [r["rsrc_t"] for r in ranked] == sorted((r["rsrc_t"] for r in ranked), reverse=True)


def test_potato_unranked_by_default_and_ranked_when_asked():
    board = rsrc.rsrc_bundled()
    rows = board["rows"]
    assert rows[0]["model"] == "DeepSeek V3" and rows[0]["rank"] == 1
    potato = named(board)["Potato AI (Post-Fix)"]
    assert potato["rank"] is None and potato["status"] == "scored" and potato["implausible"]
    assert potato["rsrc_t"] == BUNDLED_SCORES_BEFORE["Potato AI (Post-Fix)"]
    assert "Parameters (B): implausible" in potato["flags"] and "Architecture: unknown architecture" in potato["flags"]
    assert {c["code"] for c in potato["checks"]} == {"out_of_range", "unknown_architecture"}
    assert any("1 M to 100 T" in c["text"] for c in potato["checks"])
    assert potato["reason"].startswith("not ranked: flagged implausible")
    # listed after every ranked row, before the unscored ones
    order = [r["model"] for r in rows]
    assert order.index("Potato AI (Post-Fix)") == max(i for i, r in enumerate(rows) if r["rank"] is not None) + 1
    assert all(r["status"] == "unscored" for r in rows[order.index("Potato AI (Post-Fix)") + 1:])
    s = board["summary"]
    assert (s["ranked"], s["scored_not_ranked"], s["scored"], s["flagged_implausible"]) == (22, 1, 23, 1)
    assert "implausible_not_ranked" in {c["code"] for c in board["caveats"]}
    asked = rsrc.rsrc_bundled(rank_implausible=True)
    assert asked["rows"][0]["model"] == "Potato AI (Post-Fix)" and asked["rows"][0]["rank"] == 1
    assert asked["rows"][0]["implausible"] and asked["summary"]["ranked"] == 23
    assert "implausible_ranked" in {c["code"] for c in asked["caveats"]}
    for r in board["rows"]:  # the other rows keep their order, one rank up
        if r["rank"] is not None:
            assert named(asked)[r["model"]]["rank"] == r["rank"] + 1


def test_exclude_and_rank_implausible_both_mean_something():
    default = named(rsrc.rsrc_bundled())["Potato AI (Post-Fix)"]
    ranked = named(rsrc.rsrc_bundled(rank_implausible=True))["Potato AI (Post-Fix)"]
    excluded_board = rsrc.rsrc_bundled(exclude_implausible=True)
    excluded = named(excluded_board)["Potato AI (Post-Fix)"]
    both_board = rsrc.rsrc_bundled(exclude_implausible=True, rank_implausible=True)
    both = named(both_board)["Potato AI (Post-Fix)"]
    assert (default["rsrc_t"] is not None, default["rank"]) == (True, None)
    assert (ranked["rsrc_t"] is not None, ranked["rank"]) == (True, 1)
    assert (excluded["rsrc_t"], excluded["rank"], excluded["status"]) == (None, None, "unscored")
    assert excluded["reason"].startswith("excluded as implausible") and excluded["flags"]
    assert both == excluded  # a row without a score has no rank: exclude wins, and says so
    assert "rank_implausible_no_effect" in {c["code"] for c in both_board["caveats"]}
    assert "exclude_implausible" in rsrc.RANK_IMPLAUSIBLE.help and "rank_implausible" in rsrc.EXCLUDE_IMPLAUSIBLE.help
    for board in (excluded_board, both_board):
        assert board["summary"]["rows_out"] == 25


def test_future_release_year_is_flagged_and_never_ranks_first():
    # a future year gets an age decay above 1 (no ceiling): this row would be #1 by score
    text = PROJECT + "Tomorrow-70B,Dense,70,80,10.0,80,40.0,2027,,a release year after today,all\n"
    board = rsrc.rsrc_score_csv(text, today_year=2026)
    tomorrow = named(board)["Tomorrow-70B"]
    assert tomorrow["rsrc_t"] > max(r["rsrc_t"] for r in board["rows"] if r["rank"] is not None)
    assert tomorrow["rank"] is None and tomorrow["implausible"] and "Year: after this year" in tomorrow["flags"]
    check = next(c for c in tomorrow["checks"] if c["code"] == "future_year")
    assert check["column"] == "Year" and "2027" in check["text"] and "(2026)" in check["text"]
    assert board["rows"][0]["rank"] == 1 and board["rows"][0]["model"] == "DeepSeek V3"
    assert board["today_year"] == 2026
    # the same row in 2027 is no longer in the future: ranked, unflagged
    later = named(rsrc.rsrc_score_csv(text, today_year=2027))["Tomorrow-70B"]
    assert later["rank"] == 1 and not later["implausible"] and later["rsrc_t"] == tomorrow["rsrc_t"]
    # today_year pins the check; the default is the engine's today
    assert rsrc.rsrc_score_csv(text)["today_year"] == datetime.date.today().year == rsrc.this_year()
    past = named(rsrc.rsrc_bundled(today_year=2024))
    assert past["o3"]["rank"] is None and "Year: after this year" in past["o3"]["flags"]  # a 2025 row in 2024
    assert past["DeepSeek V3"]["rank"] == 1


def test_a_row_without_a_year_or_with_missing_inputs_gets_the_future_flag_but_no_score():
    text = HEADER + "\nNo FLOPs,Dense,7,32,Unknown,60,45,2030\n"
    row = rsrc.rsrc_score_csv(text, today_year=2026)["rows"][0]
    assert row["status"] == "unscored" and row["implausible"] and "Year: after this year" in row["flags"]
    assert "Training FLOPs" in row["reason"]  # the missing input is still the reason it is unscored


def test_negative_score_is_flagged_and_unranked():
    text = HEADER + "\nTiny,Dense,0.001,4,1,30,50,2024\nHalf,Dense,0.5,24,100,40,45,2024\n" \
                    "Seven,Dense,7,32,150,60,45,2024\nOne,Dense,1,16,50,40,45,2024\n"
    board = rsrc.rsrc_score_csv(text, today_year=2026)
    rows = named(board)
    for name in ("Tiny", "Half"):
        row = rows[name]
        assert row["rsrc_t"] < 0 and row["rank"] is None and "RSRC_t: negative" in row["flags"]
        check = next(c for c in row["checks"] if c["code"] == "negative_score")
        assert check["column"] == "RSRC_t" and "ln(active) < 0" in check["text"]
    assert rows["Seven"]["rank"] == 1 and not rows["Seven"]["implausible"]
    assert rows["One"]["rsrc_t"] == 0.0 and rows["One"]["rank"] == 2  # ln(1) = 0: not negative
    assert [r["model"] for r in board["rows"]] == ["Seven", "One", "Half", "Tiny"]  # unranked by score
    assert rsrc.rsrc_score_csv(text, rank_implausible=True)["rows"][-1]["rank"] == 4


def test_parameter_counts_outside_the_plausible_range_are_flagged():
    low, high = rsrc.PARAMS_B_PLAUSIBLE
    assert (low, high) == (1e-3, 1e5)  # 1 M to 100 T parameters (why: taf/rsrc/parse.py)
    text = HEADER + ",Active Parameters (B)\n" + "\n".join([
        "Too Big,Dense,200000,100,1000,60,45,2024,",       # 200 T total
        "Too Small,Dense,0.0005,4,1,30,50,2024,",          # 0.5 M total
        "Small MoE,MoE,0.0011,4,1,30,50,2024,",            # 0.88 M active by the MoE scale factor
        "Huge Active,MoE,1000,100,1000,60,45,2024,2000",   # the file's active count above the total
        "Column Too Big,MoE,1000,100,1000,60,45,2024,200000",
        "Fine MoE,MoE,1000,100,1000,60,45,2024,100",
        "Fine,Dense,70,80,1000,60,45,2024,",
    ]) + "\n"
    rows = named(rsrc.rsrc_score_csv(text, today_year=2026, active_source="column"))
    assert "Parameters (B): implausible" in rows["Too Big"]["flags"] and rows["Too Big"]["rank"] is None
    assert "Parameters (B): implausible" in rows["Too Small"]["flags"] and rows["Too Small"]["rank"] is None
    small = rows["Small MoE"]
    assert "Active parameters: implausible" in small["flags"] and small["rank"] is None
    assert any(c["code"] == "active_out_of_range" and "MoE scale factor" in c["text"] for c in small["checks"])
    huge = rows["Huge Active"]
    assert "Active parameters: above the total" in huge["flags"] and huge["rank"] is None
    assert "Active Parameters (B): implausible" in rows["Column Too Big"]["flags"]
    assert rows["Column Too Big"]["rank"] is None
    assert not rows["Fine MoE"]["implausible"] and not rows["Fine"]["implausible"]
    assert {rows["Fine MoE"]["rank"], rows["Fine"]["rank"]} == {1, 2}
    # an override above the total, in reference mode
    over = named(rsrc.rsrc_score_csv(text, params={"ACTIVE_OVERRIDES": "Fine=100"}))["Fine"]
    assert over["rank"] is None and "Active parameters: above the total" in over["flags"]


@pytest.mark.parametrize("options", [{}, {"rank_implausible": True}, {"exclude_implausible": True},
                                     {"exclude_implausible": True, "rank_implausible": True}])
@pytest.mark.parametrize("text", [ORIGINAL, QUIRKS, PROJECT])
def test_rows_in_equal_rows_out_in_every_output(text, options):
    from taf import api
    board = rsrc.rsrc_score_csv(text, today_year=2026, **options)
    n = board["summary"]["rows_in"]
    assert board["summary"]["rows_out"] == len(board["rows"]) == n
    assert board["summary"]["scored"] + board["summary"]["unscored"] == n
    response = json.loads(api.handle(json.dumps({"call": "rsrc_score_csv",
                                                 "args": {"text": text, "today_year": 2026, **options}})))
    assert response["ok"] and len(response["result"]["rows"]) == n
    exported = list(csv.DictReader(io.StringIO(rsrc.to_csv(board))))
    assert len(exported) == n and sorted(int(r["line"]) for r in exported) == sorted(r["line"] for r in board["rows"])
    for row in exported:
        assert (row["rank"] == "") == (row["status"] == "unscored" or row["implausible"] == "true"
                                       and not options.get("rank_implausible"))
    for markdown in (False, True):
        table = rsrc.to_table(board, markdown=markdown)
        for row in board["rows"]:  # every row is in the table or the list of unscored rows
            assert (row["model"] or "(no name)").replace("|", "\\|" if markdown else "|") in table


def test_rows_in_equal_rows_out_on_the_command_line(tmp_path):
    path = FIXTURES / "rsrc_quirks.csv"
    for flag in ((), ("--rank-implausible",), ("--exclude-implausible",)):
        rows = json.loads(cli("--csv", str(path), "--format", "json", *flag).stdout)
        assert len(rows) == 19
        assert len(list(csv.DictReader(io.StringIO(cli("--csv", str(path), "--format", "csv", *flag).stdout)))) == 19
    rows = json.loads(cli("--format", "json").stdout)
    potato = next(r for r in rows if r["model"].startswith("Potato"))
    assert potato["rank"] is None and potato["implausible"] and potato["checks"]
    assert rows[0]["rank"] == 1 and not rows[0]["model"].startswith("Potato")
    assert json.loads(cli("--format", "json", "--rank-implausible").stdout)[0]["model"].startswith("Potato")
    table = cli().stdout
    assert "—     Potato AI (Post-Fix)" in table and "not ranked (1 flagged implausible" in table


def test_csv_template_has_every_column_with_its_unit_and_parses_back():
    from taf import api
    text = rsrc.rsrc_csv_template()
    response = json.loads(api.handle(json.dumps({"call": "rsrc_csv_template"})))
    assert response["ok"] and response["result"] == text
    header, example = list(csv.reader(io.StringIO(text)))
    assert len(header) == len(example) == len(rsrc.COLUMNS)
    for cell, key in zip(header, rsrc.COLUMNS):
        unit = rsrc.UNITS[key][0]
        assert cell.endswith(f" [{unit}]") and unit, cell
    assert {"Training FLOPs [PF]", "Parameters [B]", "Active Parameters [B]", "MMLU (5-shot) [%]", "Year [year]"} <= set(header)
    table = rsrc.parse_csv_text(text, "template")
    assert table["count"] == 1 and set(table["columns"]) == set(rsrc.COLUMNS)  # zero rows or columns lost
    board = rsrc.score_leaderboard(table, active_source="column")
    row = board["rows"][0]
    assert row["status"] == "scored" and row["rank"] == 1 and row["flags"] == () and not row["implausible"]
    assert row["values"]["active_b"] == 12.9 and row["intermediate"]["active_basis"] == "Active Parameters (B) column"
    assert row["basis"] == rsrc.TEMPLATE_EXAMPLE["basis"]


@pytest.mark.parametrize("cell,needle", [
    ("Training FLOPs [FLOPs]", "Training FLOPs is read in [PF]"),
    ("Parameters [M]", "Parameters (B) is read in [B]"),
])
def test_a_header_with_another_unit_is_refused_with_both_units(cell, needle):
    header = HEADER.replace("Training FLOPs", cell) if "FLOPs" in cell else HEADER.replace("Parameters (B)", cell)
    with pytest.raises(InputError) as err:
        rsrc.parse_csv_text(header + "\nx,Dense,7,32,150,60,45,2024\n")
    assert err.value.field == "file" and needle in err.value.message and "line 1" in err.value.message


def test_check_texts_and_codes_are_strict_json_and_chain_names_the_rule():
    from taf import api
    text = HEADER + "\nTiny,Dense,0.001,4,1,30,50,2030\nPotato AI (Post-Fix),Potato,1000000000000,1000000,1.0,99.9,50.0,2025\n"
    response = json.loads(api.handle(json.dumps({"call": "rsrc_score_csv", "args": {"text": text, "today_year": 2026}})))
    assert response["ok"]
    for row in response["result"]["rows"]:
        assert row["implausible"] and row["rank"] is None
        for check in row["checks"]:
            assert set(check) == {"code", "column", "text"} and check["text"]
    chain = rsrc.rsrc_parameters()["chain"]
    assert chain[-1]["name"] == "Plausibility" and "Year > this year" in chain[-1]["formula"]


def test_cli_prints_the_template(tmp_path):
    done = cli("--template")
    assert done.returncode == 0 and done.stdout == rsrc.rsrc_csv_template()
    out = tmp_path / "template.csv"
    assert cli("--template", "--out", str(out)).returncode == 0
    assert rsrc.rsrc_score_csv(out.read_text())["summary"]["ranked"] == 1


# ── issue 15: RSRC at any size ───────────────────────────────────────────────────────────────
HEADER_LINE = "Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"


def test_ten_thousand_duplicate_names_score_in_linear_time_with_one_note_per_group():
    """Issue 15 item 1: each duplicate used to list every other line (O(k²): 7.9 s and 596 MB of JSON
    for 10,000 identical names). Now one note per name group, the lines capped."""
    import time
    text = HEADER_LINE + "\n" + "".join(f"Same,Dense,7,32,{150 + i % 7},60,45,2023\n" for i in range(10_000))
    t0 = time.perf_counter()
    board = rsrc.rsrc_score_csv(text)
    seconds = time.perf_counter() - t0
    assert seconds < 1.0, seconds
    s = board["summary"]
    assert (s["rows_in"], s["rows_out"], s["duplicates"], s["duplicate_groups"], s["duplicate_rows"]) == \
        (10_000, 10_000, ["Same"], 1, 10_000)
    (note,) = s["duplicate_notes"]
    assert note["count"] == 10_000 and note["lines"] == list(range(2, 22)) and note["more_lines"] == 9_980
    assert "… and 9,980 more" in note["text"]
    assert [c["code"] for c in board["caveats"]].count("duplicate_names") == 1
    row_flags = {f for r in board["rows"] for f in r["flags"]}
    assert row_flags == {"duplicate model name (10,000 rows share it; first on line 2)"}
    size = len(json.dumps(board))
    assert size < 12_000_000, size  # every row with its intermediates: ~1 KB a row, not 60 KB


def test_many_duplicate_groups_are_listed_up_to_a_cap():
    from taf.rsrc import parse
    text = HEADER_LINE + "\n" + "".join(f"m{i % 500},Dense,7,32,150,60,45,2023\n" for i in range(2_000))
    board = rsrc.rsrc_score_csv(text)
    s = board["summary"]
    assert s["duplicate_groups"] == 500 and s["duplicate_rows"] == 2_000
    assert len(s["duplicate_notes"]) == len(s["duplicates"]) == parse.DUPLICATE_GROUPS_LISTED
    assert s["duplicate_notes"][0]["lines"] == [2, 502, 1002, 1502]
    assert any("and 480 more duplicate name group" in c["text"] for c in board["caveats"])
    assert "… and 480 more duplicate name group(s)" in rsrc.to_table(board)


def _numbered_rows(n):
    return [f"model-{i},Dense,{7 + i},32,{150 + i},60,45,2023" for i in range(n)]


def test_a_stray_quote_is_refused_with_its_line_never_swallowing_the_rest():
    """Issue 15 item 3: a stray quote on line 5 of a 24-row file gave "4 rows in, 4 out" and the
    last model held the rest of the file. The file is now refused, naming the line."""
    rows = _numbered_rows(24)
    rows[3] = '"' + rows[3]  # line 5: a quote that is never closed
    with pytest.raises(InputError) as err:
        rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    assert err.value.field == "file"
    assert err.value.message.startswith("line 5: a quote") and "never closed" in err.value.message
    assert "lines 5–25" in err.value.message
    rows = _numbered_rows(24)
    rows[3], rows[9] = '"' + rows[3], 'x",' + rows[9]  # closed by another stray quote on line 11
    with pytest.raises(InputError, match=r"^line 5: a quoted cell runs from line 5 to line 11"):
        rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    rows[9] = 'x"' + rows[9][3:]  # closed, with text after the closing quote
    with pytest.raises(InputError, match=r"^line 5: a quote \(\"\) opens a cell on this line and closes on line 11"):
        rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    rows = _numbered_rows(24)
    rows[6] = rows[6].replace("model-6", '"model-6"x')  # text after a closing quote
    with pytest.raises(InputError, match=r"^line 8: a quoted cell has text after its closing quote"):
        rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"^line 1: a quote"):
        rsrc.rsrc_score_csv('"Model,Architecture\n' + "\n".join(_numbered_rows(3)))
    # a quoted cell over several lines that keeps the header's field count is a cell, not an error
    rows = _numbered_rows(5)
    rows[2] = rows[2].replace("model-2", '"model\n2, with a comma"')
    board = rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    assert board["summary"]["rows_in"] == board["summary"]["rows_out"] == 5
    assert [r["line"] for r in by_line(board)] == [2, 3, 4, 6, 7]


@pytest.mark.parametrize("quoted", [False, True])
def test_blank_records_are_counted_and_reported_with_their_lines(quoted):
    rows = _numbered_rows(6)
    rows[1:1] = [",,,,,,,"]
    rows[4:4] = ["", " , , ,,,,,"]
    if quoted:
        rows[0] = rows[0].replace("model-0", '"model-0"')
    board = rsrc.rsrc_score_csv(HEADER_LINE + "\n" + "\n".join(rows) + "\n")
    s = board["summary"]
    assert (s["rows_in"], s["rows_out"], s["blank_records"], s["blank_record_lines"]) == (6, 6, 2, [3, 7])
    (caveat,) = [c for c in board["caveats"] if c["code"] == "blank_records"]
    assert "2 blank record(s)" in caveat["text"] and "line(s) 3, 7" in caveat["text"]
    assert "2 blank record(s) of only commas or spaces, on line(s) 3, 7" in rsrc.to_table(board)
    with pytest.raises(InputError, match=r"no rows \(2 blank record"):
        rsrc.rsrc_score_csv(HEADER_LINE + "\n,,,\n\n , ,\n")


def _b64(text):
    import base64
    return base64.b64encode(text.encode()).decode()


def _js_sort(rows, key, descending):
    """The leaderboard view's sort of a small board (static/js/views/leaderboard.js), in Python."""
    def value(r):
        return len(r["flags"]) if key == "flags" else r["status"] + r["reason"] if key == "status" else r[key]
    known = [r for r in rows if value(r) is not None]
    return sorted(known, key=value, reverse=descending) + [r for r in rows if value(r) is None]


def test_an_upload_returns_the_summary_and_one_page_and_the_rest_on_demand():
    """Issue 15 item 2: only what is shown crosses into the page. The pages, in every sort, hold
    exactly the rows of the complete board; the CSV export holds every row."""
    rng = random.Random(15)
    lines = [HEADER_LINE]
    for i in range(1_500):  # quirks, implausible and unscored rows, duplicate names, ties
        flops = rng.choice([f"{rng.uniform(1, 5e4):.1f}", "Unknown", f"~{rng.uniform(1, 5e4):.0f}", "150"])
        lines.append(f"{rng.choice(['model-', 'Model-', 'm'])}{rng.randint(0, 900)},{rng.choice(['Dense', 'MoE', 'SSM', ''])},"
                     f"{rng.choice(['7', '0.0001', f'{rng.uniform(0.5, 2000):.1f}', 'n/a'])},{rng.randint(8, 150)},{flops},"
                     f"{rng.uniform(30, 95):.1f}%,{rng.choice(['45', f'{rng.uniform(5, 100):.1f}'])},{rng.randint(2018, 2027)}")
    text = "\n".join(lines) + "\n,,,,\n"
    full = rsrc.rsrc_score_csv(text, today_year=2025)
    first = rsrc.rsrc_score_upload(_b64(text), today_year=2025)
    assert first["summary"] == full["summary"] and first["caveats"] == full["caveats"]
    assert first["summary"]["rows_in"] == first["summary"]["rows_out"] == 1_500
    page = first["page"]
    assert (page["offset"], page["limit"], page["total"], page["sort"]) == (0, rsrc.PAGE_ROWS, 1_500, "rank")
    assert first["rows"] == full["rows"][:rsrc.PAGE_ROWS]
    assert rsrc.rsrc_parameters()["page_rows"] == rsrc.PAGE_ROWS
    for key in rsrc.SORT_KEYS:
        for descending in (False, True):
            rows = []
            for offset in range(0, 1_500, 700):
                rows += rsrc.rsrc_rows(page["handle"], offset, 700, key, descending)["rows"]
            assert rows == _js_sort(full["rows"], key, descending), (key, descending)
    assert rsrc.rsrc_csv_export(handle=page["handle"]) == rsrc.to_csv(full)
    assert rsrc.rsrc_csv_export(first) == rsrc.to_csv(full)  # a paged board exports every row
    import taf.api
    answer = json.loads(taf.api.handle(json.dumps({"call": "rsrc_rows", "args": {
        "handle": page["handle"], "offset": 1_400, "sort": "model", "descending": True}})))
    assert answer["ok"] and len(answer["result"]["rows"]) == 100
    for args, field in (({"handle": "rsrc-0"}, "handle"), ({"handle": page["handle"], "sort": "x"}, "sort"),
                        ({"handle": page["handle"], "limit": 0}, "limit"),
                        ({"handle": page["handle"], "offset": -1}, "offset")):
        answer = json.loads(taf.api.handle(json.dumps({"call": "rsrc_rows", "args": args})))
        assert not answer["ok"] and answer["error"]["type"] == "input" and answer["error"]["field"] == field


def test_an_upload_of_ten_thousand_duplicates_crosses_as_a_small_result():
    text = HEADER_LINE + "\n" + "".join(f"Same,Dense,7,32,{150 + i % 7},60,45,2023\n" for i in range(10_000))
    page = rsrc.rsrc_score_upload(_b64(text))
    assert page["summary"]["rows_in"] == page["summary"]["rows_out"] == 10_000
    assert len(json.dumps(page)) < 400_000  # the summary and one page of 200 rows
    assert len(rsrc.rsrc_csv_export(handle=page["page"]["handle"]).splitlines()) == 10_001


def test_the_progress_hook_counts_up_to_the_total_and_is_silent_when_unset(monkeypatch):
    """Issue 15 item 1: a host (the browser's worker) may install a progress hook; the parse and the
    score of an upload call it every PROGRESS_EVERY records with increasing counts, ending at the
    total; with no hook nothing is called and the answer is the same."""
    import base64
    header = "Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"
    rows = [f"m{i},{'MoE' if i % 3 else 'Dense'},{7 + i % 50},32,{150 + i},60,45,{2018 + i % 8}" for i in range(2_000)]
    data = base64.b64encode(("\n".join([header] + rows) + "\n").encode()).decode()
    monkeypatch.setattr(rsrc.parse, "CHUNK_ROWS", 100)
    monkeypatch.setattr(rsrc.progress, "PROGRESS_EVERY", 500)  # a file of a few progress steps
    assert rsrc.progress.hook() is None  # none by default: CPython, the CLI and the tests run without one
    plain = rsrc.rsrc_score_upload(data, source="f")
    calls = []
    assert rsrc.set_progress(lambda done, total, stage: calls.append((stage, done, total))) is None
    try:
        hooked = rsrc.rsrc_score_upload(data, source="g")
    finally:
        rsrc.set_progress(None)
    assert rsrc.progress.hook() is None
    for stage in ("parse", "score"):
        seen = [(done, total) for s, done, total in calls if s == stage]
        assert len(seen) >= 3, calls
        dones = [done for done, _ in seen]
        assert dones == sorted(set(dones)) and all(done <= total for done, total in seen)
        assert seen[-1] == (2_000, 2_000)
        assert all(b - a >= 500 for a, b in zip(dones, dones[1:-1]))  # not more often than every 500
    assert [s for s, _, _ in calls] == sorted(s for s, _, _ in calls)  # the parse, then the score
    assert hooked["summary"] == plain["summary"] and hooked["rows"] == plain["rows"]
    calls.clear()
    rsrc.rsrc_score_upload(data, source="h")  # unset again: not called
    assert calls == []
    def broken(*_):
        raise RuntimeError("a broken hook")
    rsrc.set_progress(broken)
    try:  # progress is advisory: a hook that fails never fails the call
        assert rsrc.rsrc_score_upload(data, source="i")["summary"] == plain["summary"]
    finally:
        rsrc.set_progress(None)
