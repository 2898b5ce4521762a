"""§17.21 — fine-tuning memory: what one GPU holds at the peak of a training step of a decoder-only
transformer, fully fine-tuned, with LoRA adapters on a frozen bf16 base, or with QLoRA (the base in
4-bit NF4).

Sources, each cited where it is used:
- QLoRA (Dettmers et al. 2023, §2 "Double Quantization"): NF4 stores 4 bits per weight plus a 32-bit
  absmax per block of 64 (0.5 bit per weight); double quantization stores the absmax in 8 bits with a
  32-bit constant per 256 blocks: 8/64 + 32/(64·256) = 0.127 bit, so 4.127 bits per quantized weight.
  bitsandbytes quantizes the Linear layers only: embeddings, the LM head and the norms stay in 16 bits.
- LoRA (Hu et al. 2021): a rank-r adapter on a d_in × d_out weight trains r·(d_in + d_out) parameters.
- Activations: Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer
  Models", §4.1) count the tensors a layer stores for its backward pass (34·s·b·h bytes plus the
  5·a·s²·b of attention scores for a GPT layer). Here, without dropout and with a fused (flash)
  attention that keeps Q, K, V and its output but no s² scores, for a gated (SwiGLU) or plain MLP.
- Mixed precision with AdamW: 16 bytes per trained parameter (ZeRO, Rajbhandari et al. 2020, §3.1:
  2 + 2 + 12); §17.20's 16·N.
- FLOPs per token (§17.10's 6·N + 12·L·d·T, PaLM Appendix B): the forward pass is 2·N + 4·L·d·T, the
  backward pass twice that (gradients for the inputs and for the weights). A frozen weight needs only
  its input gradient (half its backward); activation checkpointing runs each layer's forward again
  (Chen et al. 2016; Korthikanti et al. 2022 §5 count the recomputation the same way). Attention is
  counted over the whole sequence, as PaLM's MFU does: a causal kernel does about half of it, so the
  count runs high at long sequences (the calibrated efficiency absorbs it near the runs' lengths).

Estimates, not engine rules: frameworks store more or fewer tensors (fp32 upcasts in RMSNorm, chunked
losses, fused kernels); the calibration band (taf/accuracy.py) says how far published runs land."""
from __future__ import annotations

from . import _check as c
from . import limits as L

BITS_NF4 = 4 + 32 / 64                            # QLoRA §2: 4-bit NF4 + a fp32 absmax per 64 weights
BITS_NF4_DOUBLE_QUANT = 4 + 8 / 64 + 32 / (64 * 256)  # QLoRA §2: the absmax quantized to 8 bits (4.127)
BASE_BITS = {"lora": 16.0, "qlora": BITS_NF4_DOUBLE_QUANT}

# Bytes of a trained parameter's weight, its gradient and one optimizer-state element.
PRECISION_BYTES = {
    "bf16": (2, 2, 2),    # "bf16-true" (litgpt) / torchtune's default: everything in bf16
    "mixed": (4, 4, 4),   # fp32 weights, gradients and states; bf16 autocast for the maths (ZeRO §3.1)
}
# Optimizer-state elements per trained parameter and bytes each (None: the precision's state bytes).
OPTIMIZERS = {
    "adamw": (2, None),       # first and second moments (Loshchilov & Hutter 2019)
    "adamw_8bit": (2, 1),     # bitsandbytes' block-wise 8-bit moments (Dettmers et al. 2022)
    "sgd": (0, None),         # plain SGD keeps no state
}
LORA_TARGETS = {
    "qv": ("q", "v"),                                        # LoRA paper's choice; litgpt's default
    "qkvo": ("q", "k", "v", "o"),
    "all_linear": ("q", "k", "v", "o", "gate", "up", "down"),  # QLoRA's choice ("all linear layers")
}
# The LM head's bf16 logits and the fp32 copy the loss works on (transformers' causal-LM heads call
# logits.float() before the cross-entropy, whose log-softmax output is kept for its backward)
LOGIT_BYTES_PER_ELEMENT = 2 + 4


def _flag(value, field) -> bool:
    if value is True or value is False:
        return value
    raise c.InputError(field, f"{field} must be true or false; got {value!r}")


def layer_linear_shapes(d_model, n_heads, n_kv_heads, d_head, d_ff, gated=True) -> dict:
    """§17.21 — (d_in, d_out) of each linear of one decoder layer: q, k, v, o, and the MLP's gate and
    up (gated, SwiGLU) or up alone (plain), then down."""
    gated = _flag(gated, "gated")
    d = c.count(d_model, "d_model", 10**7)
    q = c.count(n_heads, "n_attention_heads", L.MAX_HEADS) * c.count(d_head, "d_head", L.MAX_HEAD_DIM)
    kv = c.count(n_kv_heads, "n_kv_heads", L.MAX_HEADS) * d_head
    f = c.count(d_ff, "intermediate_size", 10**8)
    shapes = {"q": (d, q), "k": (d, kv), "v": (d, kv), "o": (q, d)}
    if gated:
        shapes["gate"] = (d, f)
    shapes["up"] = (d, f)
    shapes["down"] = (f, d)
    return shapes


def layer_linear_params(shapes: dict) -> int:
    """§17.21 — weights in one layer's linears: Σ d_in·d_out (shapes from layer_linear_shapes)."""
    if not isinstance(shapes, dict) or not all(isinstance(v, tuple) and len(v) == 2 for v in shapes.values()):
        raise c.InputError("shapes", "shapes must map each linear to its (d_in, d_out), as layer_linear_shapes gives")
    return sum(c.count(a, "d_in", 10**8) * c.count(b, "d_out", 10**8) for a, b in shapes.values())


def lora_params(shapes: dict, n_layers, rank, targets) -> int:
    """§17.21 — LoRA's trained parameters (Hu et al. 2021): n_layers · Σ_targets r·(d_in + d_out); a
    target the layer does not have (gate in a plain MLP) adds nothing."""
    layers = c.count(n_layers, "n_layers", L.MAX_LAYERS)
    r = c.count(rank, "lora_rank", 65536)
    names = LORA_TARGETS[check_choice("lora_targets", targets, LORA_TARGETS)]
    layer_linear_params(shapes)  # checks the shapes
    return layers * sum(r * (shapes[m][0] + shapes[m][1]) for m in names if m in shapes)


def base_weight_bytes(n_params, linear_params, method) -> float:
    """§17.21 — the frozen base of LoRA (16-bit) or QLoRA: the layers' linears at 4.127 bits (NF4 with
    double quantization, QLoRA §2), everything else (embeddings, LM head, norms) at 16 bits."""
    n = c.params(n_params, "n_params")
    quantized = min(c.nonneg(linear_params, "linear_params", L.MAX_PARAMS), n)
    if check_choice("method", method, BASE_BITS) == "lora":
        return n * 2.0
    return quantized * BASE_BITS["qlora"] / 8 + (n - quantized) * 2.0


def trained_state_bytes(trained_params, precision, optimizer) -> dict:
    """§17.20/§17.21 — bytes of the trained parameters: weights, gradients and optimizer states
    (mixed precision + AdamW: 4 + 4 + 8 = 16 bytes per parameter, ZeRO §3.1)."""
    n = c.nonneg(trained_params, "trained_params", L.MAX_PARAMS)
    w, g, s = PRECISION_BYTES[check_choice("precision", precision, PRECISION_BYTES)]
    states, state_bytes = OPTIMIZERS[check_choice("optimizer", optimizer, OPTIMIZERS)]
    return {"weights": n * w, "gradients": n * g, "optimizer": n * states * (s if state_bytes is None else state_bytes)}


def activation_elements_per_token_layer(d_model, q_dim, kv_dim, d_ff, gated=True) -> int:
    """§17.21 — 16-bit elements one layer stores per token for its backward pass (Korthikanti et al. 2022
    §4.1, without dropout, with flash attention): the two norms' inputs and the linears' inputs (4·d),
    Q and the attention output (2·q_dim), K and V (2·kv_dim), and the MLP's gate, up, activation and
    product (4·d_ff; a plain MLP: its pre- and post-activation, 2·d_ff)."""
    d, q = c.count(d_model, "d_model", 10**7), c.count(q_dim, "q_dim", 10**8)
    kv, f = c.count(kv_dim, "kv_dim", 10**8), c.count(d_ff, "intermediate_size", 10**8)
    return 4 * d + 2 * q + 2 * kv + (4 if _flag(gated, "gated") else 2) * f


def activation_bytes(tokens, n_layers, elements_per_token_layer, d_model, checkpointing, bytes_per_element=2.0) -> float:
    """§17.21 — activations held at the start of the backward pass for `tokens` (micro-batch × sequence):
    every layer's stored tensors, or with activation checkpointing each layer's input (d per token)
    plus one layer's tensors while it is recomputed."""
    t = c.positive(tokens, "tokens", L.MAX_TOKENS)
    layers = c.count(n_layers, "n_layers", L.MAX_LAYERS)
    width = c.positive(bytes_per_element, "bytes_per_element", L.MAX_BYTES_PER_ELEMENT)
    per_layer = t * c.count(elements_per_token_layer, "elements_per_token_layer", 10**9) * width
    if _flag(checkpointing, "gradient_checkpointing"):
        return layers * t * c.count(d_model, "d_model", 10**7) * width + per_layer
    return layers * per_layer


def logits_bytes(tokens, vocab_size) -> float:
    """§17.21 — the LM head's logits for every token: bf16, plus the fp32 copy the cross-entropy keeps
    for its backward (2 + 4 bytes per vocabulary entry and token)."""
    return c.positive(tokens, "tokens", L.MAX_TOKENS) * c.count(vocab_size, "vocab_size", 10**8) * \
        LOGIT_BYTES_PER_ELEMENT


def flops_per_token(n_params, trained_params, method, n_layers, attention_dim, seq_len, checkpointing) -> dict:
    """§17.10/§17.21 — FLOPs a fine-tuning step spends per token: forward 2·N + 4·L·d·T (+ 2·P for the
    adapters), backward 4·N + 8·L·d·T when every weight trains, 2·N + 8·L·d·T + 4·P when only P adapter
    parameters do (input gradients through the frozen base), and the forward again under checkpointing."""
    n = c.params(n_params, "n_params")
    method = check_choice("method", method, ("full", *BASE_BITS))
    adapters = 0.0 if method == "full" else c.nonneg(trained_params, "trained_params", L.MAX_PARAMS)
    attention = (4.0 * c.count(n_layers, "n_layers", L.MAX_LAYERS) * c.count(attention_dim, "attention_dim", 10**8)
                 * c.count(seq_len, "seq_len", L.MAX_CONTEXT))
    forward = 2.0 * n + attention + 2.0 * adapters
    backward = 4.0 * n + 2.0 * attention if method == "full" else 2.0 * n + 2.0 * attention + 4.0 * adapters
    recompute = forward if _flag(checkpointing, "gradient_checkpointing") else 0.0
    return {"forward": forward, "backward": backward, "recompute": recompute,
            "flops_per_token": forward + backward + recompute}


def check_choice(field, value, choices):
    """A choice among the formulas' own tables (the recipes validate the person's input first)."""
    if not isinstance(value, str) or value not in choices:
        raise c.InputError(field, f"{field} must be one of {', '.join(choices)}; got {value!r}")
    return value
