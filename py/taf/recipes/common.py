"""Steps more than one recipe (and the profile) take, written once."""
from __future__ import annotations

from .. import formulas as F
from .base import Chain, Caveats

CAVEAT_TEXT = {
    "swa_correction_disabled": "The sliding-window correction δ_SWA is disabled: it was fit on one "
                               "model (n=1). γ for this SWA model carries no SWA adjustment.",
    "post_ih_correction_exploratory": "The post-induction-head correction δ_post_IH = −0.15 is "
                                      "exploratory: it did not replicate (group mean ≈ 0).",
    "decode_upper_bound": "Decode speed is memory-bound: bandwidth ÷ bytes read per token (weights, "
                          "plus the KV cache where stated). Measured on an H200, real stacks reach "
                          "12–67% of the peak-bandwidth figure; X-5 applies an achieved-bandwidth "
                          "fraction (default 0.6).",
    "flops_convention_6nd": "Training FLOPs use C = 6·N·D, which leaves out attention FLOPs "
                            "(≈ +22% for a 1.2B model at 4K context).",
}


def phase_label(gamma: float) -> str:
    """The seed's one-line phase wording, read off the one zone table."""
    zone = F.gamma_zone(gamma)["zone"]
    if zone == "negative":
        return "Phase B / catastrophic (γ ≤ 0 — T too large for θ)"
    if zone == "hagedorn":
        return "Phase B / Hagedorn"
    return "Phase A (long-range OK)"


def gamma_steps(p: dict, t_eval: int, chain: Chain, caveats: Caveats):
    """γ_Padé then the v1 decomposition; returns (γ_Padé, decomposition dict)."""
    g_pade = chain.add("§26.1", "γ_Padé", "γ = (2θ − T√2)/(2θ + T√2)",
                       {"theta": p["theta"], "T_eval": t_eval},
                       F.gamma_pade(p["theta"], t_eval), phase_label(F.gamma_pade(p["theta"], t_eval)))
    has_gqa = p["n_kv_heads"] < p["n_attention_heads"]
    decomp = F.gamma_decompose(g_pade, has_GQA=has_gqa, has_SWA=p["has_SWA"], n_params=p["n_params"])
    chain.add("§26.10", "γ-decomposition",
              f"γ_corrected = γ_Padé + δ_GQA ({decomp['delta_GQA']:+.2f}) + δ_SWA (0, disabled)"
              f" + δ_post_IH ({decomp['delta_post_IH']:+.2f})",
              {"gamma_pade": g_pade, "has_GQA": has_gqa, "has_SWA": p["has_SWA"],
               "n_params": p["n_params"]},
              decomp["gamma_corrected"], phase_label(decomp["gamma_corrected"]),
              breakdown=decomp)
    if p["has_SWA"]:
        caveats.add("swa_correction_disabled", CAVEAT_TEXT["swa_correction_disabled"])
    if decomp["delta_post_IH"]:
        caveats.add("post_ih_correction_exploratory", CAVEAT_TEXT["post_ih_correction_exploratory"])
    return g_pade, decomp


def kv_step(p: dict, seq_len: int, bytes_per_element: float, chain: Chain, name="KV cache memory"):
    kv = F.kv_cache_memory(p["n_layers"], p["n_kv_heads"], p["d_head"], seq_len, bytes_per_element)
    chain.add("§19.1", name, "bytes = 2·L·n_kv·d_head·seq·B",
              {"n_layers": p["n_layers"], "n_kv_heads": p["n_kv_heads"], "d_head": p["d_head"],
               "seq_len": seq_len, "bytes_per_element": bytes_per_element},
              kv, f"{kv['GB']:.2f} GB per request", unit="bytes")
    return kv


def fmt_usd(x) -> str:
    """Dollars for a sentence: cents below $10, whole dollars above."""
    return f"${x:,.2f}" if x < 10 else f"${x:,.0f}"


def fmt_tokens(x) -> str:
    return "n/a" if x is None else f"{x:,.0f}"
