"""config.json import: every listed family, partial and hostile configs, the CLI."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import taf
from taf import InputError, api
from taf.config_import import import_config

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "fixtures" / "configs"


def load(name):
    return import_config((CONFIGS / f"{name}.json").read_text())


EXPECTED = {  # name: (family, attention, position encoding, key fields)
    "llama2-7b": ("llama", "full", "rope", {"n_kv_heads": 32, "theta": 10000.0, "T_train": 4096}),
    "llama3-8b": ("llama", "full", "rope", {"n_kv_heads": 8, "theta": 500000.0, "d_head": 128}),
    "llama3.1-8b": ("llama", "full", "rope", {"rope_scaling_type": "llama3", "rope_scaling_factor": 8.0}),
    "mistral-7b-v0.1": ("mistral", "sliding", "rope", {"sliding_window": 4096, "has_SWA": True}),
    "mixtral-8x7b": ("mixtral", "full", "rope", {"n_experts": 8, "experts_per_token": 2}),
    "qwen2-7b": ("qwen2", "full", "rope", {"n_kv_heads": 4, "theta": 1000000.0}),
    "qwen2.5-7b": ("qwen2", "full", "rope", {"T_train": 131072}),
    "qwen3-8b": ("qwen3", "full", "rope", {"d_head": 128, "n_layers": 36}),
    "qwen3-30b-a3b": ("qwen3-moe", "full", "rope", {"n_experts": 128, "experts_per_token": 8}),
    "qwen1.5-moe-a2.7b": ("qwen2-moe", "full", "rope", {"n_experts": 60}),
    "gemma2-9b": ("gemma2", "alternating", "rope", {"sliding_window": 4096, "global_every": 2, "d_head": 256}),
    "gemma3-27b": ("gemma3", "alternating", "rope", {"sliding_window": 1024, "global_every": 6, "n_layers": 62}),
    "phi3-mini-4k": ("phi3", "sliding", "rope", {"sliding_window": 2047}),
    "pythia-1b": ("gpt-neox", "full", "rope", {"n_kv_heads": 8, "d_head": 256}),
    "gpt2": ("gpt2", "full", "absolute", {"n_attention_heads": 12, "T_train": 1024}),
    "falcon-7b": ("falcon", "full", "rope", {"n_kv_heads": 1, "d_head": 64}),
    "deepseek-v2-lite": ("deepseek-v2", "mla", "rope", {"kv_lora_rank": 512, "qk_rope_head_dim": 64}),
    "deepseek-v3": ("deepseek-v3", "mla", "rope", {"kv_lora_rank": 512, "n_experts": 256}),
    "mamba-2.8b": ("mamba", "recurrent", "none", {"n_layers": 64, "ssm_state_size": 16}),
    "mamba2-2.7b": ("mamba2", "recurrent", "none", {"ssm_state_size": 128}),
    "rwkv-4-169m": ("rwkv", "recurrent", "none", {"n_layers": 12}),
    "jamba-v0.1": ("jamba", "hybrid", "nope", {"n_attention_layers": 4, "n_experts": 16}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_family_imports_with_the_right_class_and_fields(name):
    family, attention, encoding, fields = EXPECTED[name]
    out = load(name)
    assert out["family"] == family and out["missing"] == []
    assert out["params"]["attention"] == attention
    assert out["params"]["position_encoding"] == encoding
    for key, value in fields.items():
        assert out["params"][key] == value, key
    assert out["fields_used"] and out["params"]["n_params"] > 0
    json.dumps(api.sanitize(out, "r", []), allow_nan=False)


@pytest.mark.parametrize("name,total,active", [
    ("llama3-8b", 8.03e9, None), ("mixtral-8x7b", 46.7e9, 12.9e9), ("deepseek-v3", 671e9, 37e9),
    ("gpt2", 124e6, None), ("gemma2-9b", 9.24e9, None), ("qwen3-30b-a3b", 30.5e9, 3.3e9),
    ("mamba-2.8b", 2.77e9, None), ("jamba-v0.1", 51.6e9, 12e9),  # Jamba: 4 attention + 28 Mamba mixers
])
def test_parameter_estimates_near_published_counts(name, total, active):
    out = load(name)
    assert out["parameter_count_estimated"] is True
    assert out["params"]["n_params"] == pytest.approx(total, rel=0.03)
    if active:
        assert out["params"]["n_params_active"] == pytest.approx(active, rel=0.05)


def test_reference_kv_bytes_from_configs():
    assert load("llama3-8b")["kv_bytes_per_token_bf16"] == 131_072
    assert load("deepseek-v3")["kv_bytes_per_token_bf16"] == 70_272
    assert load("mamba-2.8b")["kv_bytes_per_token_bf16"] == 0


def test_partial_config_lists_what_is_missing_and_fills_the_rest():
    out = import_config(json.dumps({"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32}))
    assert any("layers" in m for m in out["missing"]) and any("vocabulary" in m for m in out["missing"])
    assert out["params"]["d_head"] == 128 and "n_params" not in out["params"]
    assert any("not estimated" in n for n in out["notes"])
    unknown = import_config(json.dumps({"model_type": "brand_new", "hidden_size": 64}))
    assert unknown["family"] == "brand_new" and any("unknown model_type" in n for n in unknown["notes"])


@pytest.mark.parametrize("text,field", [
    ("", "config"), ("[1, 2]", "config"), ("{", "config"), ('{"hidden_size": NaN}', "config"),
    ('{"model_type": "llama", "num_hidden_layers": "many"}', "num_hidden_layers"),
    ('{"model_type": "llama", "num_hidden_layers": 1e30}', "num_hidden_layers"),
    ('{"model_type": "llama", "rope_theta": -5}', "rope_theta"),
    ('{"model_type": "llama", "num_key_value_heads": true}', "num_key_value_heads"),
])
def test_malformed_configs_name_the_problem(text, field):
    with pytest.raises(InputError) as err:
        import_config(text)
    assert err.value.field == field and err.value.message


def test_dense_first_layers_beyond_the_layer_count_are_refused_not_counted_negative():
    config = json.loads((CONFIGS / "deepseek-v3.json").read_text())  # 61 layers
    config["first_k_dense_replace"] = 61  # every layer dense: no MoE layer, nothing negative
    out = import_config(json.dumps(config))
    assert out["params"]["n_params"] == out["params"]["n_params_active"] > 0
    config["first_k_dense_replace"] = 64  # would count -3 MoE layers
    with pytest.raises(InputError) as err:
        import_config(json.dumps(config))
    assert err.value.field == "first_k_dense_replace" and "61" in err.value.message


def test_markup_in_strings_stays_text():
    out = import_config(json.dumps({"model_type": "<img src=x onerror=alert(1)>", "hidden_size": 8}))
    assert out["family"] == "<img src=x onerror=alert(1)>"  # data, rendered as text by the UI


config_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
                             lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=3)),
                             max_leaves=8)
KEYS = ["model_type", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim",
        "vocab_size", "rope_theta", "rope_scaling", "sliding_window", "use_sliding_window", "num_local_experts",
        "num_experts_per_tok", "kv_lora_rank", "qk_rope_head_dim", "state_size", "text_config", "architectures",
        "max_position_embeddings", "intermediate_size", "multi_query", "attn_layer_period", "tie_word_embeddings"]


@settings(max_examples=int(os.environ.get("TAF_HYPOTHESIS_EXAMPLES", "150")), deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), config_values, max_size=10),
       st.sampled_from(list(__import__("taf.config_import", fromlist=["FAMILIES"]).FAMILIES) + ["x"]))
def test_hostile_configs_give_a_result_or_an_input_error(config, model_type):
    config.setdefault("model_type", model_type)
    try:
        out = import_config(json.dumps(config))
    except InputError as exc:
        assert exc.message
        return
    json.dumps(api.sanitize(out, "r", []), allow_nan=False)
    response = json.loads(api.handle(json.dumps({"call": "import_config", "args": {"text": json.dumps(config)}})),
                          parse_constant=lambda c: pytest.fail(c))
    assert response["ok"] is True


def cli(*args):
    return subprocess.run([sys.executable, "-m", "taf", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "py")}, timeout=60)


def test_cli_import_config_and_fit_with_config():
    done = cli("import-config", str(CONFIGS / "deepseek-v3.json"))
    assert done.returncode == 0 and "deepseek-v3" in done.stdout and "70,272 bytes" in done.stdout
    assert json.loads(cli("import-config", str(CONFIGS / "gemma2-9b.json"), "--format", "json").stdout)["family"] == "gemma2"
    done = cli("recipe", "X-FIT", "--config", str(CONFIGS / "mixtral-8x7b.json"), "--set", "gpu=H100 SXM",
               "--set", "context=32768")
    assert done.returncode == 0 and "VERDICT: DOES NOT FIT" in done.stdout
    done = cli("profile", "--config", str(CONFIGS / "mamba-2.8b.json"))
    assert done.returncode == 0 and "not applicable" in done.stdout.lower()
    bad = cli("import-config", str(CONFIGS / "nope.json"))
    assert bad.returncode == 2 and bad.stderr.startswith("taf: error:")
