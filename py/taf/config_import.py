"""Import a Hugging Face config.json: detect the family and architecture class, fill the engine's
model fields, say which config keys were used and which were missing, and estimate the parameter
count (total and active) when the config does not give one. Nothing is guessed silently: every
assumption is listed in `notes`.

Standard library only (runs in the browser); the text never leaves the tab.
"""
from __future__ import annotations

import math

from . import validate
from .errors import InputError
from .formulas import limits as L
from .formulas.memory import kv_bytes_per_token

MAX_CONFIG_CHARS = 1_000_000
FAMILIES = {  # model_type → (family, architecture class)
    "llama": ("llama", "dense transformer"), "mistral": ("mistral", "dense transformer"),
    "mixtral": ("mixtral", "MoE transformer"), "qwen2": ("qwen2", "dense transformer"),
    "qwen2_moe": ("qwen2-moe", "MoE transformer"), "qwen3": ("qwen3", "dense transformer"),
    "qwen3_moe": ("qwen3-moe", "MoE transformer"), "gemma": ("gemma", "dense transformer"),
    "gemma2": ("gemma2", "dense transformer (alternating local/global)"),
    "gemma3": ("gemma3", "dense transformer (interleaved local/global)"),
    "gemma3_text": ("gemma3", "dense transformer (interleaved local/global)"),
    "phi3": ("phi3", "dense transformer"), "gpt_neox": ("gpt-neox", "dense transformer"),
    "gpt2": ("gpt2", "dense transformer (absolute positions)"),
    "falcon": ("falcon", "dense transformer"), "deepseek_v2": ("deepseek-v2", "MLA + MoE transformer"),
    "deepseek_v3": ("deepseek-v3", "MLA + MoE transformer"), "mamba": ("mamba", "state-space (no attention)"),
    "mamba2": ("mamba2", "state-space (no attention)"), "rwkv": ("rwkv", "recurrent (no attention)"),
    "jamba": ("jamba", "hybrid attention + state-space, MoE"),
}
GATED_MLP = {"llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2",
             "gemma3", "gemma3_text", "phi3", "deepseek_v2", "deepseek_v3", "jamba"}


class _Reader:
    """Reads config keys with type checks that name the key, and records what it used."""

    def __init__(self, config: dict):
        self.config, self.used, self.missing, self.notes = config, [], [], []

    def get(self, *keys, kind="int", lo=0, hi=L.MAX_CONTEXT, required=True, what=None):
        for key in keys:
            if key in self.config and self.config[key] is not None:
                value = self.config[key]
                self.used.append(key)
                if kind == "int":
                    return validate.integer(key, value, lo=lo, hi=hi)
                if kind == "number":
                    return validate.number(key, value, lo=lo, hi=hi)
                if kind == "bool":
                    return validate.boolean(key, value)
                if kind == "dict":
                    return validate.mapping(key, value)
                return validate.text(key, value if isinstance(value, str) else str(value), max_len=200)
        if required:
            self.missing.append(" / ".join(keys) + (f" ({what})" if what else ""))
        return None


def _flatten(config: dict, r: _Reader) -> dict:
    """Multimodal configs keep the language model under text_config: read that."""
    text_config = config.get("text_config")
    if not isinstance(text_config, dict):
        return config
    r.notes.append("read the language model from text_config")
    return {**config, **text_config}


def import_config(text) -> dict:
    """A config.json (text) → family, class, filled fields, used/missing keys, parameter estimate."""
    config = validate.json_object("config", text, max_len=MAX_CONFIG_CHARS, what="config")
    r = _Reader(config)
    config = _flatten(config, r)
    r.config = config
    model_type = r.get("model_type", kind="text", what="the family")
    architectures = config.get("architectures")
    if model_type is None and isinstance(architectures, list) and architectures:
        guess = str(architectures[0]).lower()
        for known in sorted(FAMILIES, key=len, reverse=True):
            if known.replace("_", "") in guess.replace("_", ""):
                model_type = known
                r.notes.append(f"model_type missing: taken from architectures[0] = {architectures[0]!r}")
                break
    family, arch_class = FAMILIES.get(model_type, (model_type or "unknown", "unknown"))
    if model_type not in FAMILIES:
        r.notes.append(f"unknown model_type {model_type!r}: read as a dense RoPE transformer; check the result")
    fields = _read_fields(model_type, r)
    counts = _param_counts(model_type, fields, r)
    fields.update({k: v for k, v in counts.items() if k != "estimated"})
    kv = None
    try:
        kv = kv_bytes_per_token(fields, 2.0)
    except InputError as exc:
        r.notes.append(f"KV bytes per token not computed: {exc.message}")
    return {"family": family, "model_type": model_type, "architecture_class": arch_class,
            "params": {k: v for k, v in fields.items() if v is not None},
            "fields_used": sorted(set(r.used)), "missing": r.missing, "notes": r.notes,
            "parameter_count_estimated": counts.pop("estimated"), "kv_bytes_per_token_bf16": kv}


def _read_fields(model_type, r: _Reader) -> dict:
    f = {"d_model": r.get("hidden_size", "n_embd", "d_model", lo=1, hi=10**6, what="hidden size"),
         "vocab_size": r.get("vocab_size", lo=1, hi=10**8, what="vocabulary")}
    n_layers = r.get("num_hidden_layers", "n_layer", "n_layers", "num_layers", lo=1, hi=L.MAX_LAYERS,
                     what="layers")
    f["n_layers"] = n_layers
    if model_type in ("mamba", "mamba2"):
        expand = r.get("expand", lo=1, hi=64, required=False) or 2
        d_inner = r.get("intermediate_size", lo=1, hi=10**7, required=False) or (expand * (f["d_model"] or 0))
        d_state = r.get("state_size", "d_state", lo=1, hi=10**5, what="SSM state size")
        d_conv = r.get("conv_kernel", "d_conv", lo=1, hi=1000, required=False) or 4
        f.update(attention="recurrent", position_encoding="none", d_inner=d_inner, ssm_state_size=d_state,
                 d_conv=d_conv, T_train=r.get("max_position_embeddings", required=False) or None)
        if n_layers and d_inner and d_state:
            f["recurrent_state_elements"] = n_layers * d_inner * (d_state + d_conv)
        return f
    if model_type == "rwkv":
        f.update(attention="recurrent", position_encoding="none",
                 T_train=r.get("context_length", "ctx_len", required=False))
        if n_layers and f["d_model"]:
            f["recurrent_state_elements"] = n_layers * f["d_model"] * 5  # RWKV-4: 5 vectors per layer
            r.notes.append("RWKV state taken as 5 vectors of hidden_size per layer (RWKV-4)")
        return f
    heads = r.get("num_attention_heads", "n_head", "num_heads", lo=1, hi=L.MAX_HEADS, what="attention heads")
    f["n_attention_heads"] = heads
    kv_heads = r.get("num_key_value_heads", "num_kv_heads", lo=1, hi=L.MAX_HEADS, required=False)
    if model_type == "falcon" and kv_heads is None:
        if r.get("multi_query", kind="bool", required=False):
            kv_heads = 1
        elif not r.get("new_decoder_architecture", kind="bool", required=False):
            kv_heads = heads
    if kv_heads is None and heads:
        kv_heads = heads
        r.notes.append("no num_key_value_heads: multi-head attention (kv heads = heads)")
    f["n_kv_heads"] = kv_heads
    head_dim = r.get("head_dim", lo=1, hi=L.MAX_HEAD_DIM, required=False)
    if head_dim is None and heads and f["d_model"]:
        head_dim = f["d_model"] // heads
    f["d_head"] = head_dim
    f["T_train"] = r.get("max_position_embeddings", "n_positions", "n_ctx", "seq_length", lo=1,
                         what="training context")
    f["intermediate_size"] = r.get("intermediate_size", "n_inner", "ffn_hidden_size", lo=1, hi=10**7,
                                   required=model_type not in ("gpt2", "falcon"))
    # positions
    if model_type == "gpt2":
        f["position_encoding"] = "absolute"
    elif model_type == "falcon" and r.get("alibi", kind="bool", required=False):
        f["position_encoding"] = "alibi"
    elif model_type == "jamba":
        pass  # NoPE: set with the layer pattern below; no θ to read
    else:
        f["position_encoding"] = "rope"
        theta = r.get("rope_theta", "rotary_emb_base", "rope_embedding_base", kind="number", lo=1, hi=L.MAX_THETA,
                      required=False)
        if theta is None:
            theta = 10000.0
            r.notes.append("no rope_theta: the usual default 10,000 assumed")
        f["theta"] = theta
        scaling = r.get("rope_scaling", kind="dict", required=False)
        if scaling:
            f["rope_scaling_type"] = validate.text("rope_scaling.type", str(scaling.get("rope_type", scaling.get("type", "?"))))
            factor = scaling.get("factor")
            f["rope_scaling_factor"] = None if factor is None else validate.number("rope_scaling.factor", factor, lo=0, hi=1e6)
    # attention layout
    window = r.get("sliding_window", lo=1, required=False)
    use_window = config_flag(r, "use_sliding_window", default=window is not None)
    if model_type in ("gemma2",) and window:
        f.update(attention="alternating", sliding_window=window, global_every=2)
    elif model_type in ("gemma3", "gemma3_text") and window:
        pattern = r.get("sliding_window_pattern", lo=1, hi=1000, required=False) or 6
        f.update(attention="alternating", sliding_window=window, global_every=pattern)
    elif model_type in ("deepseek_v2", "deepseek_v3"):
        f.update(attention="mla", kv_lora_rank=r.get("kv_lora_rank", lo=1, hi=10**6, what="MLA latent rank"),
                 qk_rope_head_dim=r.get("qk_rope_head_dim", lo=0, hi=10**6, what="MLA rope dims"),
                 q_lora_rank=r.get("q_lora_rank", lo=1, hi=10**6, required=False),
                 qk_nope_head_dim=r.get("qk_nope_head_dim", lo=0, hi=10**6, required=False),
                 v_head_dim=r.get("v_head_dim", lo=1, hi=10**6, required=False))
    elif model_type == "jamba":
        period = r.get("attn_layer_period", lo=1, hi=1000, required=False) or 8
        f.update(attention="hybrid", n_attention_layers=(n_layers or 0) // period, position_encoding="nope")
        r.notes.append("Jamba's attention layers use no positional encoding (NoPE): the RoPE γ formulas do not apply")
        d_state = r.get("mamba_d_state", lo=1, hi=10**5, required=False) or 16
        d_conv = r.get("mamba_d_conv", lo=1, hi=1000, required=False) or 4
        expand = r.get("mamba_expand", lo=1, hi=64, required=False) or 2
        if n_layers and f["d_model"]:
            f.update(d_inner=expand * f["d_model"], ssm_state_size=d_state, d_conv=d_conv)
            f["recurrent_state_elements"] = (n_layers - f["n_attention_layers"]) * expand * f["d_model"] * (d_state + d_conv)
    elif window and use_window:
        f.update(attention="sliding", sliding_window=window)
    else:
        f["attention"] = "full"
    f["has_SWA"] = f["attention"] in ("sliding", "alternating")
    # experts
    experts = r.get("num_local_experts", "num_experts", "n_routed_experts", lo=1, hi=10**5, required=False)
    if experts:
        f["n_experts"] = experts
        f["experts_per_token"] = r.get("num_experts_per_tok", "num_experts_per_token", "moe_topk", lo=1, hi=experts,
                                       what="experts per token")
        f["moe_intermediate_size"] = r.get("moe_intermediate_size", lo=1, hi=10**7, required=False)
        f["shared_experts"] = r.get("n_shared_experts", lo=0, hi=1000, required=False)
        f["shared_expert_intermediate_size"] = r.get("shared_expert_intermediate_size", lo=1, hi=10**7, required=False)
        f["first_dense_layers"] = r.get("first_k_dense_replace", lo=0, hi=L.MAX_LAYERS, required=False)
        f["expert_layer_period"] = r.get("expert_layer_period", lo=1, hi=1000, required=False)
    return f


def config_flag(r: _Reader, key, default):
    value = r.get(key, kind="bool", required=False)
    return default if value is None else value


def _mamba_block_params(d: int, f: dict) -> int:
    """One Mamba block: in-proj d→2·d_inner, depthwise conv, x-proj to (dt_rank + 2·d_state), dt-proj,
    A and D, out-proj d_inner→d (dt_rank = ⌈d/16⌉; norms left out)."""
    di, ds, conv = f.get("d_inner") or 2 * d, f.get("ssm_state_size") or 16, f.get("d_conv") or 4
    dt_rank = math.ceil(d / 16)
    return d * 2 * di + di * conv + di * (dt_rank + 2 * ds) + dt_rank * di + di * ds + di + di * d


def _param_counts(model_type, f, r: _Reader) -> dict:
    """Total and active parameters from the shapes (embeddings, attention, MLP/experts, SSM)."""
    given = r.get("num_parameters", "n_params", kind="number", lo=1, hi=L.MAX_PARAMS, required=False)
    d, v, n = f.get("d_model"), f.get("vocab_size"), f.get("n_layers")
    if given:
        return {"n_params": given, "n_params_active": None, "estimated": False}
    if not (d and v and n):
        r.notes.append("parameter count not estimated: hidden size, vocabulary or layers missing")
        return {"n_params": None, "n_params_active": None, "estimated": False}
    tied = r.get("tie_word_embeddings", kind="bool", required=False)
    if tied is None:
        tied = model_type in ("gpt2", "gpt_neox", "mamba", "mamba2", "gemma", "gemma2", "gemma3", "gemma3_text", "rwkv")
    embed = v * d * (1 if tied else 2)
    if model_type in ("mamba", "mamba2"):
        total = embed + n * _mamba_block_params(d, f)
        r.notes.append("parameter count estimated from the Mamba block shapes")
        return {"n_params": float(total), "n_params_active": None, "estimated": True}
    if model_type == "rwkv":
        total = embed + n * 13 * d * d
        r.notes.append("parameter count estimated as 13·d² per layer (RWKV-4 time- and channel-mixing)")
        return {"n_params": float(total), "n_params_active": None, "estimated": True}
    h, kv, hd = f.get("n_attention_heads") or 1, f.get("n_kv_heads") or 1, f.get("d_head") or d // max(1, f.get("n_attention_heads") or 1)
    if f.get("attention") == "mla":
        rope, nope, vd = f.get("qk_rope_head_dim") or 0, f.get("qk_nope_head_dim") or hd, f.get("v_head_dim") or hd
        q = d * f["q_lora_rank"] + f["q_lora_rank"] * h * (nope + rope) if f.get("q_lora_rank") else d * h * (nope + rope)
        attn = q + d * ((f.get("kv_lora_rank") or 0) + rope) + (f.get("kv_lora_rank") or 0) * h * (nope + vd) + h * vd * d
    else:
        attn = d * h * hd + 2 * d * kv * hd + h * hd * d
    mixers = n * attn  # the token mixer of every layer: attention, or a Mamba block in Jamba
    if model_type == "jamba" and f.get("n_attention_layers") is not None:
        mixers = f["n_attention_layers"] * attn + (n - f["n_attention_layers"]) * _mamba_block_params(d, f)
    mats = 3 if model_type in GATED_MLP else 2
    inter = f.get("intermediate_size") or 4 * d
    dense_mlp = mats * d * inter
    if not f.get("n_experts"):
        total = embed + mixers + n * dense_mlp
        r.notes.append("parameter count estimated from the layer shapes (norms and biases left out)")
        return {"n_params": float(total), "n_params_active": None, "estimated": True}
    e, k = f["n_experts"], f.get("experts_per_token") or 1
    expert = mats * d * (f.get("moe_intermediate_size") or inter)
    shared = (f.get("shared_experts") or 0) * mats * d * (f.get("moe_intermediate_size") or inter) + \
        (mats * d * f["shared_expert_intermediate_size"] if f.get("shared_expert_intermediate_size") else 0)
    dense_layers = f.get("first_dense_layers") or 0
    moe_layers = n - dense_layers
    if f.get("expert_layer_period"):
        moe_layers = n // f["expert_layer_period"]
        dense_layers = n - moe_layers
    total = embed + mixers + dense_layers * dense_mlp + moe_layers * (e * expert + shared)
    active = embed + mixers + dense_layers * dense_mlp + moe_layers * (k * expert + shared)
    r.notes.append(f"parameter count estimated from the layer shapes: {e} experts, {k} active per token")
    return {"n_params": float(total), "n_params_active": float(active), "estimated": True}
