"""Import a Hugging Face config.json: detect the family and architecture class, fill the engine's
model fields, say which config keys were used and which were missing, and estimate the parameter
count (total and active) when the config does not give one. Nothing is guessed silently: every
assumption is listed in `notes`.

The families are a table (`TABLE`, one `Family` each): the `model_type` values that select it, its
architecture class, the config keys it reads — each engine field from a config key and its aliases,
with the fallback used when the config gives none — and its parameter-count rule. `import_config`
is a small generic reader of that table.

Standard library only (runs in the browser); the text never leaves the tab.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from . import validate
from .errors import InputError
from .formulas import limits as L
from .formulas.memory import kv_bytes_per_token

MAX_CONFIG_CHARS = 1_000_000
_NO_FALLBACK = object()


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


# ---- the table's vocabulary: a family reads a sequence of steps, each a Key, a Set, a When or a rule
#      (a function of the fields so far and the reader) -----------------------------------------------

@dataclass(frozen=True)
class Key:
    """One engine field from the config: the first of `keys` present (and not null) wins, checked as
    `kind` within [lo, hi] under its own name (`hi` may be a function of the fields read so far). When
    the config gives none (or a number 0), `fallback` stands in: a value, or a function of (fields,
    reader). A required key that is absent is listed as missing. A field named `_…` is a working value
    that the result does not keep."""
    field: str
    keys: tuple
    kind: str = "int"
    lo: float = 0
    hi: Any = L.MAX_CONTEXT
    required: bool = True
    what: str | None = None
    fallback: Any = _NO_FALLBACK

    def read(self, f: dict, r: _Reader):
        hi = self.hi(f) if callable(self.hi) else self.hi
        value = r.get(*self.keys, kind=self.kind, lo=self.lo, hi=hi, required=self.required, what=self.what)
        if self.fallback is not _NO_FALLBACK and (value is None or (self.kind in ("int", "number") and value == 0)):
            value = self.fallback(f, r) if callable(self.fallback) else self.fallback
        return value

    def __call__(self, f: dict, r: _Reader):
        f[self.field] = self.read(f, r)


class Set:
    """Fixed engine fields (no config key)."""

    def __init__(self, **fields):
        self.fields = fields

    def __call__(self, f: dict, r: _Reader):
        f.update(self.fields)


@dataclass(frozen=True)
class When:
    """Read `key`; if the config gives a true or non-zero value, keep it (unless its field is "") and
    read the `then` steps, otherwise the `otherwise` steps."""
    key: Key
    then: tuple = ()
    otherwise: tuple = ()

    def __call__(self, f: dict, r: _Reader):
        value = self.key.read(f, r)
        if value:
            if self.key.field:
                f[self.key.field] = value
            _run(self.then, f, r)
        else:
            _run(self.otherwise, f, r)


def _run(steps, f: dict, r: _Reader):
    for step in steps:
        step(f, r)


@dataclass(frozen=True)
class Family:
    """One row of the table. `model_types`: the config's model_type values that select it; a config
    without model_type selects it when one of them (underscores ignored) is inside architectures[0]
    (e.g. "LlamaForCausalLM"). `steps`: what is read after the hidden size, vocabulary and layers, in
    order. `count`: the parameter-count rule, (family, fields, d_model, layers) → (total without the
    embeddings, active or None, note); `gated_mlp`: gate + up + down matrices (else up + down);
    `tied`: whether the embeddings are tied when tie_word_embeddings is not given."""
    name: str | None
    model_types: tuple
    arch_class: str
    steps: tuple
    count: Callable
    gated_mlp: bool = False
    tied: bool = False


# ---- the keys and rules the families share -----------------------------------------------------------

BASE = (  # every family, first
    Key("d_model", ("hidden_size", "n_embd", "d_model"), lo=1, hi=10**6, what="hidden size"),
    Key("vocab_size", ("vocab_size",), lo=1, hi=10**8, what="vocabulary"),
    Key("n_layers", ("num_hidden_layers", "n_layer", "n_layers", "num_layers"), lo=1, hi=L.MAX_LAYERS, what="layers"),
)


def _kv_heads_as_heads(f, r):
    """No KV-head count: multi-head attention."""
    if not f["n_attention_heads"]:
        return None
    r.notes.append("no num_key_value_heads: multi-head attention (kv heads = heads)")
    return f["n_attention_heads"]


def _falcon_kv_heads(f, r):
    """Falcon without num_kv_heads: multi_query → 1; the old decoder (no new_decoder_architecture) →
    one per head; else the generic rule."""
    if r.get("multi_query", kind="bool", required=False):
        return 1
    if not r.get("new_decoder_architecture", kind="bool", required=False):
        return f["n_attention_heads"]
    return _kv_heads_as_heads(f, r)


def _theta_default(f, r):
    r.notes.append("no rope_theta: the usual default 10,000 assumed")
    return 10000.0


ROPE_TYPE_NAMES = {"su": "longrope", "default": "none"}  # older spellings of the same methods


def _rope_scaling(f, r):
    f["max_position_embeddings"] = r.get("max_position_embeddings", lo=1, required=False)
    scaling = r.get("rope_scaling", kind="dict", required=False)
    if scaling:
        kind = str(scaling.get("rope_type", scaling.get("type", "?")))
        f["rope_scaling_type"] = validate.text("rope_scaling.type", ROPE_TYPE_NAMES.get(kind, kind))
        factor = scaling.get("factor")
        f["rope_scaling_factor"] = None if factor is None else validate.number("rope_scaling.factor", factor, lo=0, hi=1e6)
        original = scaling.get("original_max_position_embeddings")
        f["rope_original_context"] = None if original is None else \
            validate.integer("rope_scaling.original_max_position_embeddings", original, lo=1, hi=L.MAX_CONTEXT)


HEADS = Key("n_attention_heads", ("num_attention_heads", "n_head", "num_heads"), lo=1, hi=L.MAX_HEADS,
            what="attention heads")
KV_HEADS = Key("n_kv_heads", ("num_key_value_heads", "num_kv_heads"), lo=1, hi=L.MAX_HEADS, required=False,
               fallback=_kv_heads_as_heads)
D_HEAD = Key("d_head", ("head_dim",), lo=1, hi=L.MAX_HEAD_DIM, required=False,
             fallback=lambda f, r: f["d_model"] // f["n_attention_heads"]
             if f["n_attention_heads"] and f["d_model"] else None)
T_TRAIN = Key("T_train", ("max_position_embeddings", "n_positions", "n_ctx", "seq_length"), lo=1,
              what="training context")
MLP = Key("intermediate_size", ("intermediate_size", "n_inner", "ffn_hidden_size"), lo=1, hi=10**7)

ROPE = (Set(position_encoding="rope"),
        Key("theta", ("rope_theta", "rotary_emb_base", "rope_embedding_base"), kind="number", lo=1, hi=L.MAX_THETA,
            required=False, fallback=_theta_default),
        _rope_scaling)
ABSOLUTE = (Set(position_encoding="absolute"),)
ROPE_UNLESS_ALIBI = (When(Key("", ("alibi",), kind="bool", required=False),
                          then=(Set(position_encoding="alibi"),), otherwise=ROPE),)
NOPE = ()  # set by the layout (Jamba): no θ to read

WINDOW = (  # read by every attention family, whatever its layout
    Key("_window", ("sliding_window",), lo=1, required=False),
    Key("_use_window", ("use_sliding_window",), kind="bool", required=False,
        fallback=lambda f, r: f["_window"] is not None),
)


def _sliding_or_full(f, r):
    """Sliding-window attention when the config has a window and does not turn it off, else full."""
    if f["_window"] and f["_use_window"]:
        f.update(attention="sliding", sliding_window=f["_window"])
    else:
        f["attention"] = "full"


@dataclass(frozen=True)
class Alternating:
    """Local sliding-window layers with a global one every `every` layers (a number, or a Key read only
    when there is a window); full attention when the config has no window."""
    every: Any

    def __call__(self, f, r):
        if not f["_window"]:
            f["attention"] = "full"
            return
        every = self.every.read(f, r) if isinstance(self.every, Key) else self.every
        f.update(attention="alternating", sliding_window=f["_window"], global_every=every)


def _jamba_layers(f, r):
    f.update(attention="hybrid", n_attention_layers=(f["n_layers"] or 0) // f["_period"], position_encoding="nope")
    r.notes.append("Jamba's attention layers use no positional encoding (NoPE): the RoPE γ formulas do not apply")


def _jamba_mamba_layers(f, r):
    n, d, expand = f["n_layers"], f["d_model"], f["_expand"]
    if n and d:
        f.update(d_inner=expand * d, ssm_state_size=f["_d_state"], d_conv=f["_d_conv"])
        f["recurrent_state_elements"] = (n - f["n_attention_layers"]) * expand * d * (f["_d_state"] + f["_d_conv"])


WINDOWED = (_sliding_or_full,)
MLA = (Set(attention="mla"),
       Key("kv_lora_rank", ("kv_lora_rank",), lo=1, hi=10**6, what="MLA latent rank"),
       Key("qk_rope_head_dim", ("qk_rope_head_dim",), lo=0, hi=10**6, what="MLA rope dims"),
       Key("q_lora_rank", ("q_lora_rank",), lo=1, hi=10**6, required=False),
       Key("qk_nope_head_dim", ("qk_nope_head_dim",), lo=0, hi=10**6, required=False),
       Key("v_head_dim", ("v_head_dim",), lo=1, hi=10**6, required=False))
JAMBA = (Key("_period", ("attn_layer_period",), lo=1, hi=1000, required=False, fallback=8),
         _jamba_layers,
         Key("_d_state", ("mamba_d_state",), lo=1, hi=10**5, required=False, fallback=16),
         Key("_d_conv", ("mamba_d_conv",), lo=1, hi=1000, required=False, fallback=4),
         Key("_expand", ("mamba_expand",), lo=1, hi=64, required=False, fallback=2),
         _jamba_mamba_layers)


def _has_swa(f, r):
    f["has_SWA"] = f["attention"] in ("sliding", "alternating")


def _dense_layers_within_layers(f, r):
    """first_k_dense_replace beyond the layer count would make the MoE layer count negative."""
    k, n = f["first_dense_layers"], f["n_layers"]
    if k is not None and n and k > n:
        raise InputError("first_k_dense_replace",
                         f"first_k_dense_replace must be at most the number of layers ({n:,}); got {k:,}")


EXPERTS = When(Key("n_experts", ("num_local_experts", "num_experts", "n_routed_experts"), lo=1, hi=10**5,
                   required=False), then=(
    Key("experts_per_token", ("num_experts_per_tok", "num_experts_per_token", "moe_topk"), lo=1,
        hi=lambda f: f["n_experts"], what="experts per token"),
    Key("moe_intermediate_size", ("moe_intermediate_size",), lo=1, hi=10**7, required=False),
    Key("shared_experts", ("n_shared_experts",), lo=0, hi=1000, required=False),
    Key("shared_expert_intermediate_size", ("shared_expert_intermediate_size",), lo=1, hi=10**7, required=False),
    Key("first_dense_layers", ("first_k_dense_replace",), lo=0, hi=L.MAX_LAYERS, required=False),
    _dense_layers_within_layers,
    Key("expert_layer_period", ("expert_layer_period",), lo=1, hi=1000, required=False),
))


def attention(layout=WINDOWED, positions=ROPE, kv_heads=KV_HEADS, mlp_required=True) -> tuple:
    """The steps of an attention family: heads, KV heads, head size, training context, MLP width,
    positions, the window keys and the layout, experts (when the config has any)."""
    return (HEADS, kv_heads, D_HEAD, T_TRAIN, replace(MLP, required=mlp_required), *positions, *WINDOW, *layout,
            _has_swa, EXPERTS)


def _ssm_state(f, r):
    n, di, ds = f["n_layers"], f["d_inner"], f["ssm_state_size"]
    if n and di and ds:
        f["recurrent_state_elements"] = n * di * (ds + f["d_conv"])


def _rwkv_state(f, r):
    if f["n_layers"] and f["d_model"]:
        f["recurrent_state_elements"] = f["n_layers"] * f["d_model"] * 5  # RWKV-4: 5 vectors per layer
        r.notes.append("RWKV state taken as 5 vectors of hidden_size per layer (RWKV-4)")


MAMBA = (Set(attention="recurrent", position_encoding="none"),
         Key("_expand", ("expand",), lo=1, hi=64, required=False, fallback=2),
         Key("d_inner", ("intermediate_size",), lo=1, hi=10**7, required=False,
             fallback=lambda f, r: f["_expand"] * (f["d_model"] or 0)),
         Key("ssm_state_size", ("state_size", "d_state"), lo=1, hi=10**5, what="SSM state size"),
         Key("d_conv", ("conv_kernel", "d_conv"), lo=1, hi=1000, required=False, fallback=4),
         Key("T_train", ("max_position_embeddings",), required=False, fallback=None),
         _ssm_state)
RWKV = (Set(attention="recurrent", position_encoding="none"),
        Key("T_train", ("context_length", "ctx_len"), required=False),
        _rwkv_state)


# ---- parameter-count rules: (family, fields, d_model, layers) → (total without embeddings, active, note) ----

def _mamba_block_params(d: int, f: dict) -> int:
    """One Mamba block: in-proj d→2·d_inner, depthwise conv, x-proj to (dt_rank + 2·d_state), dt-proj,
    A and D, out-proj d_inner→d (dt_rank = ⌈d/16⌉; norms left out)."""
    di, ds, conv = f.get("d_inner") or 2 * d, f.get("ssm_state_size") or 16, f.get("d_conv") or 4
    dt_rank = math.ceil(d / 16)
    return d * 2 * di + di * conv + di * (dt_rank + 2 * ds) + dt_rank * di + di * ds + di + di * d


def mamba_count(fam, f, d, n):
    return n * _mamba_block_params(d, f), None, "parameter count estimated from the Mamba block shapes"


def rwkv_count(fam, f, d, n):
    return n * 13 * d * d, None, "parameter count estimated as 13·d² per layer (RWKV-4 time- and channel-mixing)"


def transformer_count(fam, f, d, n):
    """Attention (MLA, or Q/K/V/O with KV heads) or, in a hybrid, Mamba mixers; a dense MLP, or experts
    (shared, routed, dense first layers or an expert every few layers). Norms and biases left out."""
    h, kv, hd = f.get("n_attention_heads") or 1, f.get("n_kv_heads") or 1, f.get("d_head") or d // max(1, f.get("n_attention_heads") or 1)
    if f.get("attention") == "mla":
        rope, nope, vd = f.get("qk_rope_head_dim") or 0, f.get("qk_nope_head_dim") or hd, f.get("v_head_dim") or hd
        q = d * f["q_lora_rank"] + f["q_lora_rank"] * h * (nope + rope) if f.get("q_lora_rank") else d * h * (nope + rope)
        attn = q + d * ((f.get("kv_lora_rank") or 0) + rope) + (f.get("kv_lora_rank") or 0) * h * (nope + vd) + h * vd * d
    else:
        attn = d * h * hd + 2 * d * kv * hd + h * hd * d
    mixers = n * attn  # the token mixer of every layer: attention, or a Mamba block in a hybrid
    if f.get("attention") == "hybrid" and f.get("n_attention_layers") is not None:
        mixers = f["n_attention_layers"] * attn + (n - f["n_attention_layers"]) * _mamba_block_params(d, f)
    mats = 3 if fam.gated_mlp else 2
    inter = f.get("intermediate_size") or 4 * d
    dense_mlp = mats * d * inter
    if not f.get("n_experts"):
        note = "parameter count estimated from the layer shapes (norms and biases left out)"
        return mixers + n * dense_mlp, None, note
    e, k = f["n_experts"], f.get("experts_per_token") or 1
    expert = mats * d * (f.get("moe_intermediate_size") or inter)
    shared = (f.get("shared_experts") or 0) * mats * d * (f.get("moe_intermediate_size") or inter) + \
        (mats * d * f["shared_expert_intermediate_size"] if f.get("shared_expert_intermediate_size") else 0)
    dense_layers = f.get("first_dense_layers") or 0  # ≤ n (checked when read)
    moe_layers = n - dense_layers
    if f.get("expert_layer_period"):
        moe_layers = n // f["expert_layer_period"]
        dense_layers = n - moe_layers
    common = mixers + dense_layers * dense_mlp
    return (common + moe_layers * (e * expert + shared), common + moe_layers * (k * expert + shared),
            f"parameter count estimated from the layer shapes: {e} experts, {k} active per token")


# ---- the families (each comment names the transformers configuration class its keys come from) -------

TABLE = (
    # LlamaConfig
    Family("llama", ("llama",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # MistralConfig
    Family("mistral", ("mistral",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # MixtralConfig
    Family("mixtral", ("mixtral",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen2Config (Qwen 2 and 2.5)
    Family("qwen2", ("qwen2",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen2MoeConfig
    Family("qwen2-moe", ("qwen2_moe",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen3Config
    Family("qwen3", ("qwen3",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen3MoeConfig
    Family("qwen3-moe", ("qwen3_moe",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # GemmaConfig
    Family("gemma", ("gemma",), "dense transformer", attention(), transformer_count, gated_mlp=True, tied=True),
    # Gemma2Config
    Family("gemma2", ("gemma2",), "dense transformer (alternating local/global)",
           attention(layout=(Alternating(2),)), transformer_count, gated_mlp=True, tied=True),
    # Gemma3TextConfig (also the text_config of Gemma3Config)
    Family("gemma3", ("gemma3", "gemma3_text"), "dense transformer (interleaved local/global)",
           attention(layout=(Alternating(Key("global_every", ("sliding_window_pattern",), lo=1, hi=1000,
                                             required=False, fallback=6)),)),
           transformer_count, gated_mlp=True, tied=True),
    # Phi3Config
    Family("phi3", ("phi3",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # GPTNeoXConfig (Pythia)
    Family("gpt-neox", ("gpt_neox",), "dense transformer", attention(), transformer_count, tied=True),
    # GPT2Config
    Family("gpt2", ("gpt2",), "dense transformer (absolute positions)",
           attention(positions=ABSOLUTE, mlp_required=False), transformer_count, tied=True),
    # FalconConfig
    Family("falcon", ("falcon",), "dense transformer",
           attention(positions=ROPE_UNLESS_ALIBI, kv_heads=replace(KV_HEADS, fallback=_falcon_kv_heads),
                     mlp_required=False),
           transformer_count),
    # DeepseekV2Config
    Family("deepseek-v2", ("deepseek_v2",), "MLA + MoE transformer", attention(layout=MLA), transformer_count,
           gated_mlp=True),
    # DeepseekV3Config
    Family("deepseek-v3", ("deepseek_v3",), "MLA + MoE transformer", attention(layout=MLA), transformer_count,
           gated_mlp=True),
    # MambaConfig
    Family("mamba", ("mamba",), "state-space (no attention)", MAMBA, mamba_count, tied=True),
    # Mamba2Config
    Family("mamba2", ("mamba2",), "state-space (no attention)", MAMBA, mamba_count, tied=True),
    # RwkvConfig
    Family("rwkv", ("rwkv",), "recurrent (no attention)", RWKV, rwkv_count, tied=True),
    # JambaConfig
    Family("jamba", ("jamba",), "hybrid attention + state-space, MoE",
           attention(layout=JAMBA, positions=NOPE), transformer_count, gated_mlp=True),
)
UNKNOWN = Family(None, (), "unknown", attention(), transformer_count)  # any other model_type: a dense RoPE transformer
FAMILIES = {model_type: fam for fam in TABLE for model_type in fam.model_types}  # model_type → Family


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
    name = config.get("_name_or_path")  # the model's name where the file records it (a label only)
    name = name.strip()[:200] if isinstance(name, str) and name.strip() else None
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
    fam = FAMILIES.get(model_type, UNKNOWN)
    if fam is UNKNOWN:
        r.notes.append(f"unknown model_type {model_type!r}: read as a dense RoPE transformer; check the result")
    fields = _read_fields(fam, r)
    counts = _param_counts(fam, fields, r)
    fields.update({k: v for k, v in counts.items() if k != "estimated"})
    kv = None
    try:
        kv = kv_bytes_per_token(fields, 2.0)
    except InputError as exc:
        r.notes.append(f"KV bytes per token not computed: {exc.message}")
    return {"family": fam.name or model_type or "unknown", "model_type": model_type, "name": name,
            "architecture_class": fam.arch_class,
            "params": {k: v for k, v in fields.items() if v is not None},
            "fields_used": sorted(set(r.used)), "missing": r.missing, "notes": r.notes,
            "parameter_count_estimated": counts.pop("estimated"), "kv_bytes_per_token_bf16": kv}


def _read_fields(fam: Family, r: _Reader) -> dict:
    f = {}
    _run(BASE + fam.steps, f, r)
    return {k: v for k, v in f.items() if not k.startswith("_")}


def _param_counts(fam: Family, f: dict, r: _Reader) -> dict:
    """Total and active parameters from the shapes: the embeddings, then the family's rule."""
    given = r.get("num_parameters", "n_params", kind="number", lo=1, hi=L.MAX_PARAMS, required=False)
    d, v, n = f.get("d_model"), f.get("vocab_size"), f.get("n_layers")
    if given:
        return {"n_params": given, "n_params_active": None, "estimated": False}
    if not (d and v and n):
        r.notes.append("parameter count not estimated: hidden size, vocabulary or layers missing")
        return {"n_params": None, "n_params_active": None, "estimated": False}
    tied = r.get("tie_word_embeddings", kind="bool", required=False)
    embed = v * d * (1 if (fam.tied if tied is None else tied) else 2)
    total, active, note = fam.count(fam, f, d, n)
    r.notes.append(note)
    return {"n_params": float(embed + total), "n_params_active": None if active is None else float(embed + active),
            "estimated": True}
