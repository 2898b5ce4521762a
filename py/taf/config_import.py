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
import re
from typing import Any, Callable

from . import validate
from .errors import InputError
from .formulas import limits as L
from .formulas.memory import kv_bytes_per_token
from .records import record, replace

MAX_CONFIG_CHARS = 1_000_000
HUB = "https://huggingface.co"
_HUB_PART = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$")
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

@record(frozen=True)
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


@record(frozen=True)
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


@record(frozen=True)
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


# older spellings of the same methods; "mrope" (Qwen2-VL's multimodal sections) is plain RoPE for text
ROPE_TYPE_NAMES = {"su": "longrope", "default": "none", "mrope": "none"}


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


def _layer_types_layout(f, r):
    """layer_types lists each layer's attention: a full layer every k-th with sliding ones between →
    alternating (global every k); otherwise sliding-or-full as the window keys say."""
    types = r.config.get("layer_types")
    if isinstance(types, list) and types and f["_window"] and f["_use_window"] is not False:
        full = [i for i, t in enumerate(types) if t == "full_attention"]
        if full and len(full) < len(types) and len(types) % len(full) == 0:
            every = len(types) // len(full)
            if all(i % every == every - 1 for i in full):
                r.used.append("layer_types")
                f.update(attention="alternating", sliding_window=f["_window"], global_every=every)
                return
    _sliding_or_full(f, r)


@record(frozen=True)
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


def _llama4_layout(f, r):
    """Llama 4: the RoPE layers attend within chunks of attention_chunk_size tokens (counted here as a
    window of that size: a chunk never holds more); every no_rope_layer_interval-th layer is a global
    layer without positions (NoPE)."""
    f.update(attention="alternating", sliding_window=f["_chunk"], global_every=f["_nope_every"])
    r.notes.append(f"Llama 4: chunked attention ({f['_chunk']:,}-token chunks, counted as a window) on the RoPE "
                   f"layers, a global NoPE layer every {f['_nope_every']}")


LLAMA4 = (Key("_chunk", ("attention_chunk_size",), lo=1, required=False, fallback=8192),
          Key("_nope_every", ("no_rope_layer_interval",), lo=1, hi=1000, required=False, fallback=4),
          _llama4_layout)
LLAMA4_MOE = (  # one shared expert in every MoE layer; the dense layers' MLP is intermediate_size_mlp wide
    Key("expert_layer_period", ("interleave_moe_layer_step",), lo=1, hi=1000, required=False),
    Key("dense_intermediate_size", ("intermediate_size_mlp",), lo=1, hi=10**7, required=False),
    lambda f, r: f.update(shared_experts=1) if f.get("n_experts") else None)


def _gated_deltanet_layers(f, r):
    """Qwen3-Next / Qwen3.5: a full (gated) attention layer every full_attention_interval layers, Gated
    DeltaNet linear attention in the others (transformers' Qwen3NextGatedDeltaNet): its state per sequence
    is one head_k_dim × head_v_dim matrix per value head plus the convolution's last kernel columns."""
    n, d = f["n_layers"] or 0, f["d_model"] or 0
    nk, dk, nv, dv, kernel = f["_nk"], f["_dk"], f["_nv"], f["_dv"], f["_kernel"]
    if None in (nk, dk, nv, dv):  # listed as missing: the linear layers' state and size are unknown
        f.update(attention="hybrid", n_attention_layers=n // f["_full_every"], attn_output_gate=True)
        return
    key_dim, value_dim = nk * dk, nv * dv
    conv_dim = 2 * key_dim + value_dim
    n_attn = n // f["_full_every"]
    f.update(attention="hybrid", n_attention_layers=n_attn, attn_output_gate=True,
             recurrent_state_elements=(n - n_attn) * (nv * dk * dv + conv_dim * kernel),
             linear_mixer_params=d * (2 * key_dim + 2 * value_dim) + d * 2 * nv + conv_dim * kernel + 2 * nv + dv
             + value_dim * d)
    r.notes.append(f"{n_attn} of {n} layers attend (gated attention); the others are Gated DeltaNet linear "
                   "attention with a constant state")


GATED_DELTANET = (Key("_full_every", ("full_attention_interval",), lo=1, hi=1000, required=False, fallback=4),
                  Key("_nk", ("linear_num_key_heads",), lo=1, hi=10**4, what="linear-attention key heads"),
                  Key("_dk", ("linear_key_head_dim",), lo=1, hi=10**5, what="linear-attention key head size"),
                  Key("_nv", ("linear_num_value_heads",), lo=1, hi=10**4, what="linear-attention value heads"),
                  Key("_dv", ("linear_value_head_dim",), lo=1, hi=10**5, what="linear-attention value head size"),
                  Key("_kernel", ("linear_conv_kernel_dim",), lo=1, hi=1000, required=False, fallback=4),
                  _gated_deltanet_layers)
QWEN3_NEXT_MOE = (  # every decoder_sparse_step-th layer has experts (1: all), each with one gated shared expert
    Key("expert_layer_period", ("decoder_sparse_step",), lo=1, hi=1000, required=False),)


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
    Key("shared_expert_intermediate_size", ("shared_expert_intermediate_size",), lo=0, hi=10**7, required=False),
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
    q_out = 2 if f.get("attn_output_gate") else 1  # a gated attention's q_proj also makes the gate
    if f.get("attention") == "mla":
        rope, nope, vd = f.get("qk_rope_head_dim") or 0, f.get("qk_nope_head_dim") or hd, f.get("v_head_dim") or hd
        q = d * f["q_lora_rank"] + f["q_lora_rank"] * h * (nope + rope) if f.get("q_lora_rank") else d * h * (nope + rope)
        attn = q + d * ((f.get("kv_lora_rank") or 0) + rope) + (f.get("kv_lora_rank") or 0) * h * (nope + vd) + h * vd * d
    else:
        attn = q_out * d * h * hd + 2 * d * kv * hd + h * hd * d
    mixers = n * attn  # the token mixer of every layer: attention, or a Mamba / linear-attention block in a hybrid
    if f.get("attention") == "hybrid" and f.get("n_attention_layers") is not None:
        other = f["linear_mixer_params"] if f.get("linear_mixer_params") else _mamba_block_params(d, f)
        mixers = f["n_attention_layers"] * attn + (n - f["n_attention_layers"]) * other
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
    if f.get("dense_intermediate_size"):  # dense layers of an MoE model with their own width (Llama 4)
        dense_mlp = mats * d * f["dense_intermediate_size"]
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
    Family("qwen2", ("qwen2", "qwen2_vl", "qwen2_5_vl"), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen2MoeConfig
    Family("qwen2-moe", ("qwen2_moe",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen3Config
    Family("qwen3", ("qwen3", "qwen3_vl", "qwen3_vl_text"), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Qwen3MoeConfig
    Family("qwen3-moe", ("qwen3_moe", "qwen3_vl_moe", "qwen3_vl_moe_text"), "MoE transformer", attention(), transformer_count, gated_mlp=True),
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
    Family("phi3", ("phi3", "phi4mm"), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Llama4TextConfig (the text_config of Llama4Config): chunked + NoPE attention, MoE with a shared expert
    Family("llama4", ("llama4", "llama4_text"), "MoE transformer (chunked local / global NoPE attention)",
           attention(layout=LLAMA4) + LLAMA4_MOE, transformer_count, gated_mlp=True),
    # PhiConfig (phi-1.5, phi-2): MHA with partial rotary, a plain fc1/fc2 MLP
    Family("phi", ("phi",), "dense transformer", attention(), transformer_count),
    # OlmoConfig
    Family("olmo", ("olmo",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # Olmo2Config
    Family("olmo2", ("olmo2",), "dense transformer", attention(), transformer_count, gated_mlp=True),
    # CohereConfig (Command-R, Command-R+, Aya 23): embeddings tied unless the config says otherwise
    Family("cohere", ("cohere",), "dense transformer", attention(), transformer_count, gated_mlp=True, tied=True),
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
    # the DeepSeek-V3 layout under other names: Kimi K2, DeepSeek-V3.2 (its sparse-attention indexer not
    # counted), GLM-5 (MLA + DSA)
    Family("kimi-k2", ("kimi_k2",), "MLA + MoE transformer", attention(layout=MLA), transformer_count, gated_mlp=True),
    Family("deepseek-v3.2", ("deepseek_v32",), "MLA + MoE transformer (sparse attention indexer not counted)",
           attention(layout=MLA), transformer_count, gated_mlp=True),
    Family("glm-moe-dsa", ("glm_moe_dsa",), "MLA + MoE transformer (sparse attention indexer not counted)",
           attention(layout=MLA), transformer_count, gated_mlp=True),
    # DeepseekConfig (DeepSeek-MoE 16B): GQA attention, shared + routed experts, dense first layers
    Family("deepseek-moe", ("deepseek",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # GptOssConfig: experts every layer, sliding and full attention alternating (layer_types)
    Family("gpt-oss", ("gpt_oss",), "MoE transformer (alternating sliding/full attention)",
           attention(layout=(_layer_types_layout,)), transformer_count, gated_mlp=True),
    # MiniMaxM2Config
    Family("minimax-m2", ("minimax_m2",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # GraniteMoeConfig
    Family("granite-moe", ("granitemoe",), "MoE transformer", attention(), transformer_count, gated_mlp=True),
    # Glm4MoeConfig (GLM-4.5; "glm" in some copies) and GlmConfig (GLM-4 dense): gated MLP, experts when present
    Family("glm4-moe", ("glm4_moe", "glm", "glm4"), "transformer (MoE when the config has experts)", attention(),
           transformer_count, gated_mlp=True),
    # Qwen3NextConfig (and Qwen3.5, read with the same layer shapes): gated attention every few layers,
    # Gated DeltaNet linear attention between, MoE with a shared expert (or a dense MLP)
    Family("qwen3-next", ("qwen3_next", "qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text"),
           "hybrid attention + linear attention (Gated DeltaNet), MoE",
           attention(layout=GATED_DELTANET, mlp_required=False) + QWEN3_NEXT_MOE, transformer_count, gated_mlp=True),
    # MambaConfig
    Family("mamba", ("mamba", "falcon_mamba"), "state-space (no attention)", MAMBA, mamba_count, tied=True),
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


def hub_config_url(model_id) -> dict:
    """The one address the app may ask the Hugging Face Hub for: a model's config.json on its main
    branch. The id is "<owner>/<name>" (letters, digits, '.', '_', '-'; no "..", no other path)."""
    model_id = validate.text("model_id", model_id if isinstance(model_id, str) else model_id, max_len=200).strip()
    parts = model_id.split("/")
    if len(parts) != 2 or not all(_HUB_PART.match(p) for p in parts) or ".." in model_id:
        raise InputError("model_id", f"a Hugging Face model id is <owner>/<name> (letters, digits, '.', '_', '-'); "
                                     f"got {model_id!r}")
    return {"model_id": model_id, "url": f"{HUB}/{model_id}/resolve/main/config.json"}


def import_config(text) -> dict:
    """A config.json (text) → family, class, filled fields, used/missing keys, parameter estimate."""
    config = validate.json_object("config", text, max_len=MAX_CONFIG_CHARS, what="config")
    r = _Reader(config)
    name = config.get("_name_or_path")  # the model's name where the file records it (a label only)
    name = name.strip()[:200] if isinstance(name, str) and name.strip() else None
    raw = config
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
    if fam.count is transformer_count and fields.get("n_attention_heads"):
        fields["mlp"] = "gated" if fam.gated_mlp else "plain"  # what the family's MLP is (X-TUNE's activations)
    counts = _param_counts(fam, fields, r)
    fields.update({k: v for k, v in counts.items() if k != "estimated"})
    fields.update(_as_shipped(raw, r))
    _vision_tower(raw, fields, r)
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
    tied = fam.tied if tied is None else tied
    f["tie_word_embeddings"] = tied
    embed = v * d * (1 if tied else 2)
    total, active, note = fam.count(fam, f, d, n)
    r.notes.append(note)
    return {"n_params": float(embed + total), "n_params_active": None if active is None else float(embed + active),
            "estimated": True}


# ---- weights as shipped: the checkpoint's dtype and quantisation, and a vision tower -------------------

DTYPES = {"bfloat16": "bf16", "float16": "fp16", "half": "fp16", "float32": "fp32", "float": "fp32",
          "float8_e4m3fn": "fp8"}


def _as_shipped(config: dict, r: _Reader) -> dict:
    """torch_dtype and quantization_config → {"shipped": {torch_dtype, quant_method, bits, group_size,
    modules_to_not_convert, weight_block_size, load_in_4bit}} (read by deployment.weights_as_shipped)."""
    shipped = {}
    dtype = config.get("torch_dtype", config.get("dtype"))
    if isinstance(dtype, str):
        shipped["torch_dtype"] = DTYPES.get(dtype.lower(), dtype.lower())
    quant = config.get("quantization_config")
    if isinstance(quant, dict):
        method = quant.get("quant_method")
        if isinstance(method, str):
            shipped["quant_method"] = method.lower()
            r.used.append("quantization_config")
        bits = quant.get("bits", quant.get("w_bit"))
        groups = quant.get("config_groups")
        if bits is None and isinstance(groups, dict):  # compressed-tensors: the first group's weights
            first = next(iter(groups.values()), {})
            weights = first.get("weights") if isinstance(first, dict) else None
            bits = weights.get("num_bits") if isinstance(weights, dict) else None
        if bits is not None:
            shipped["bits"] = validate.integer("quantization_config.bits", bits, lo=1, hi=32)
        group = quant.get("group_size", quant.get("q_group_size"))
        if group is not None:
            shipped["group_size"] = validate.integer("quantization_config.group_size", group, lo=-1, hi=10**6)
        skipped = quant.get("modules_to_not_convert", quant.get("ignore"))
        if isinstance(skipped, list):
            shipped["modules_to_not_convert"] = tuple(str(m)[:200] for m in skipped[:100_000])
        block = quant.get("weight_block_size")
        if isinstance(block, list) and len(block) == 2:
            shipped["weight_block_size"] = tuple(validate.integer("quantization_config.weight_block_size", b,
                                                                  lo=1, hi=10**6) for b in block)
        if quant.get("load_in_4bit") is True:
            shipped["load_in_4bit"] = True
    return {"shipped": shipped} if shipped else {}


def _vision_tower(config: dict, f: dict, r: _Reader):
    """A vision-language checkpoint carries its vision encoder in the same weights: its transformer
    blocks (4·h² attention + 2·h·ff MLP per layer) are added to the total, not to the active count."""
    vision = config.get("vision_config")
    if not isinstance(vision, dict) or not f.get("n_params"):
        return
    h = vision.get("hidden_size", vision.get("embed_dim"))
    layers = vision.get("num_hidden_layers", vision.get("depth"))
    if not isinstance(h, int) or not isinstance(layers, int) or h <= 0 or layers <= 0:
        r.notes.append("vision_config without hidden_size and layers: the vision tower is not counted")
        return
    ff = vision.get("intermediate_size")
    ff = ff if isinstance(ff, int) and ff > 0 else 4 * h
    tower = float(layers * (4 * h * h + 2 * h * ff))
    f["vision_params"] = tower
    if f.get("n_params_active") is None:
        f["n_params_active"] = f["n_params"]
    f["n_params"] = f["n_params"] + tower
    r.used.append("vision_config")
    r.notes.append(f"vision tower: about {tower / 1e9:,.2f} B parameters counted in the weights (not in decode)")
