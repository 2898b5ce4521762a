"""The model profile ("TAF card"): one model, every viability dimension, key numbers,
Hagedorn safety, phase class, nearest constants, falsification status and recipe verdicts."""
from __future__ import annotations

from . import catalog

from . import formulas as F
from .diagnose import CONSTANTS_TOLERANCE
from .errors import InputError
from .formulas import limits as L
from .formulas.gamma import POST_IH_MIN_PARAMS
from .recipes import KNOWN_NAMES, RECIPES, run_recipe, uncalibrated_reason
from .recipes.base import (CONTEXT_FIELDS, DEFAULT_MODEL, GAMMA_OBS, GPU, GPU_PRICE, KV_BYTES, MFU, N_GPUS, T_EVAL, Caveats, Chain, Param,
                           Recipe, architecture, check_kv_heads, config_caveats, context_support, gate_reason,
                           model_param, preset_for, support_step,
                           resolve, t_eval_defaults_to_t_train)
from .recipes.common import gamma_steps, kv_step
from .recipes.x19_kv_compression import regime_step

PARAMS = [model_param(n) for n in ("theta", "T_train", "n_attention_heads", "n_kv_heads",
                                   "d_head", "n_layers", "n_params", "has_SWA", "position_encoding",
                                   *CONTEXT_FIELDS)]
PARAMS += [T_EVAL, GAMMA_OBS,
           Param("USD_budget", "number", "training budget for X-3", unit="USD", default=5000.0,
                 min=0, max=L.MAX_USD, min_exclusive=True),
           Param("target_tokens_per_day", "number", "serving volume for X-5", unit="tokens/day",
                 default=10_000_000.0, min=0, max=1e18, min_exclusive=True),
           Param("api_model", "choice", "API to compare against in X-1", default="GPT-4o", choices=catalog.api_names,
                 choice_noun="API model"),
           Param("monthly_tokens_M", "number", "monthly volume for X-1", unit="Mtok/month",
                 default=10.0, min=0, max=1e12),
           GPU, N_GPUS, MFU, GPU_PRICE]

PROFILE = Recipe("profile", "TAF card", "One model, every viability dimension.", "profile",
                 ["§17", "§19", "§20", "§24", "§26", "§28", "§29", "§32"], PARAMS,
                 compute=None, checks=[check_kv_heads, t_eval_defaults_to_t_train], needs="rope")

PROFILE_RECIPES = ("X-1", "X-2", "X-3", "X-5", "X-19", "X-FIT")


def _architecture_class(has_gqa, has_swa, n_params):
    if has_swa:
        return "SWA-alternating (gemma/phi family signature)"
    size = "post-IH" if n_params >= POST_IH_MIN_PARAMS else "pre-IH"
    if has_gqa:
        return f"RoPE-GQA {size} (Llama-3 / Mistral / Qwen-style)" if size == "post-IH" \
            else "RoPE-GQA pre-IH (small GQA model)"
    return "RoPE-MHA post-IH (classical Llama-2 / pythia-large)" if size == "post-IH" \
        else "RoPE-MHA pre-IH (small MHA model)"


def _falsification(gamma, dh, regime, has_gqa, has_swa):
    """F1/F2/F10/F11/F17: every claim listed, with a machine-readable state."""
    in_phase_a = 0 < gamma < 1
    rows = [
        ("F1", "γ_Padé median MAE < 5%", "in_scope" if in_phase_a else "not_applicable"),
        ("F2", "d_horizon predicts NIAH ±1%", "applicable" if dh is not None else "not_applicable"),
        ("F17", "Soft KV decay regime", {"applies": "applies", "borderline": "borderline"}.get(
            regime, "not_met") if dh is not None else "not_applicable"),
        ("F10", "GQA Δγ < -0.1 ⇒ post-IH", "in_scope" if has_gqa else "not_applicable"),
        ("F11", "SWA Δγ > +0.3 (gemma signature)", "in_scope" if has_swa else "not_applicable"),
    ]
    words = {"in_scope": "✓ in scope", "applicable": "✓ applicable", "applies": "✓ applies",
             "borderline": "! borderline regime", "not_met": "! regime not met",
             "not_applicable": "— not applicable"}
    return [{"id": i, "claim": claim, "state": state, "status": words[state]} for i, claim, state in rows]


def _recipe_params(rid, p):
    """A sub-recipe's inputs; the memory-reading ones also get the architecture: the preset's id
    (the recipe reads it from the catalog), or the fields of a config or typed model."""
    if rid in ("X-1", "X-2", "X-19", "X-5", "X-FIT"):
        arch = p["arch"] if not p.get("model") else \
            {k: v for k, v in p["arch"].items() if k in p["given"]}  # what the caller changed
        return {**arch, **_recipe_inputs(rid, p)}
    return _recipe_inputs(rid, p)


def _recipe_inputs(rid, p):
    model = {k: p[k] for k in ("theta", "T_train", "n_attention_heads", "n_kv_heads", "d_head",
                               "n_layers", "n_params", "has_SWA", "position_encoding") if p[k] is not None}
    if p.get("model"):
        model["model"] = p["model"]
    training = {"gpu": p["gpu"], "n_gpus": p["n_gpus"], "mfu": p["mfu"],
                "gpu_usd_per_hour": p["gpu_usd_per_hour"]}
    if rid in ("X-2", "X-19"):
        return {**model, "T_eval": p["T_eval"], "gamma_obs": p["gamma_obs"]}
    if rid == "X-1":
        return {"N_params": p["n_params"], "api_model": p["api_model"], "context": p["T_eval"],
                "monthly_tokens_M": p["monthly_tokens_M"], **training,
                **({"model": p["model"]} if p.get("model") else {})}
    if rid == "X-3":
        return {"USD_budget": p["USD_budget"], "target_N_params": p["n_params"], **training}
    if rid == "X-FIT":  # one card of the profile's GPU, with vLLM's rules, at the profile's context
        fit = {"n_params": p["n_params"], "context": p["T_eval"], "n_layers": p["n_layers"], "gpu": p["gpu"],
               "n_kv_heads": p["n_kv_heads"], "d_head": p["d_head"], "model": p.get("model")}
        return {k: v for k, v in fit.items() if v is not None}
    serving = {"N_params": p["n_params"], "context": p["T_eval"], "n_layers": p["n_layers"],
               "n_kv_heads": p["n_kv_heads"], "d_head": p["d_head"], "model": p.get("model"),
               "target_tokens_per_day": p["target_tokens_per_day"]}
    return {k: v for k, v in serving.items() if v is not None}


def _run_recipes(p) -> dict:
    recipes = {}
    for rid in PROFILE_RECIPES:
        try:
            r = run_recipe(rid, summary=True, **_recipe_params(rid, p))
            recipes[rid] = {"verdict": r["verdict"], "level": r["level"], "reason": r["reason"],
                            "mitigation": r["mitigation"], "name": r["recipe_name"], "figures": r["figures"]}
        except InputError as exc:
            recipes[rid] = {"verdict": "NEEDS INPUT", "level": "unknown", "reason": exc.message,
                            "mitigation": "", "name": RECIPES[rid].name, "error": exc.to_dict(), "figures": {}}
    return recipes


def _memory_summary(p, chain) -> dict:
    """Context memory by architecture (the one KV step), stated in words (does it grow with length?)."""
    context = p["T_eval"] or p["T_train"] or 1
    kv = kv_step(p["arch"], context, KV_BYTES.default, chain, name="Context memory (per request)")
    return {"kv_bytes": kv["bytes"], "grows_with_context": kv["grows_with_context"], "statement": kv["growth"]}


def _not_applicable_card(p, echo, reason, chain, caveats, label="NOT APPLICABLE",
                         code="not_applicable_architecture", support=None) -> dict:
    """The card of a model the γ formulas do not describe (no RoPE attention, or a RoPE scaling
    they are not calibrated for): γ sections say why; the rest runs."""
    memory = _memory_summary(p, chain)
    caveats.add(code, reason)
    na = {"applicable": False, "reason": reason}
    safety = {"level": "unknown", "color": "gray", "zone": "not_applicable", "label": label,
              "name": f"γ {label.lower()}", "message": reason, "phase_class": label.lower()}
    arch_class = (f"{p['arch'].get('attention', 'unknown')} (no RoPE attention)" if support is None else
                  f"RoPE with {support['kind']} scaling (γ not calibrated)")
    return {
        "inputs": echo, "gamma_used": None, "gamma_source": label.lower(), "level": "unknown",
        "applicable": False, "not_applicable_reason": reason, "context": _context_block(support),
        "model_summary": {"architecture_class": arch_class,
                          "n_params": p["n_params"], "T_train": p["T_train"], "T_eval": p["T_eval"],
                          "rope_theta": None, "has_GQA": None, "has_SWA": p["has_SWA"]},
        "key_numbers": {"gamma_pade": None, "gamma_decomposed": None, "d_horizon": None,
                        "L_NIAH_ceiling": None, "chi_susceptibility": None, "soft_decay_ratio": None,
                        "soft_decay_regime": "not applicable",
                        "kv_bytes": memory["kv_bytes"], "gamma_random_predicted": None,
                        "compute_invariant_K": None, "K_in_distribution": None, "gamma_sections": na},
        "memory": memory,
        "diagnostics": {"hagedorn_safety": safety, "bimodal_phase_class": safety["phase_class"],
                        "nearest_famous_constants": [], "constants_tolerance": CONSTANTS_TOLERANCE,
                        "imprint_predicted_shift": None, "compute_invariant": na},
        "recipes": _run_recipes(p),
        "falsification_status": [{"id": i, "claim": claim, "state": "not_applicable",
                                  "status": "— not applicable"} for i, claim in
                                 (("F1", "γ_Padé median MAE < 5%"), ("F2", "d_horizon predicts NIAH ±1%"),
                                  ("F17", "Soft KV decay regime"), ("F10", "GQA Δγ < -0.1 ⇒ post-IH"),
                                  ("F11", "SWA Δγ > +0.3 (gemma signature)"))],
        "chain": chain.steps, "figures": chain.figures, "caveats": caveats.items,
    }


def _level_within_support(level, support, caveats) -> str:
    """Beyond the supported context the card never shows Go (the recipes' rule, base.beyond_support)."""
    if not support["beyond"]:
        return level
    s, t = support["supported"], support["t_eval"]
    caveats.add("beyond_supported_context", f"{t:,} tokens is beyond the {s:,} this model supports "
                f"({t / s:,.2g}×): its positions there were never trained, which the γ formulas do not know.")
    return "warning" if level in ("ok", "info", "unknown") else level


def _context_block(support) -> dict:
    """The card's statement of the context the model supports, and whether T_eval is beyond it."""
    if support is None:
        return {"supported_context_tokens": None, "beyond": False, "calibrated": None}
    return {"supported_context_tokens": support["supported"], "beyond": support["beyond"],
            "calibrated": support["calibrated"], "rope_scaling_type": support["kind"]}


def profile_model(**params) -> dict:
    """The TAF card of one model (a preset via model=..., or the architecture fields)."""
    preset = preset_for(params)
    reason = gate_reason(PROFILE, params, preset)
    p, echo = resolve(PROFILE, params, KNOWN_NAMES, lenient=reason is not None, preset=preset)
    p["arch"], p["model"] = architecture(p, preset, params), preset.get("id")
    p["given"] = set(params)
    chain, caveats = Chain(), Caveats()
    config_caveats(preset, caveats)
    if reason:
        return _not_applicable_card(p, echo, reason, chain, caveats)
    support = context_support(p, p["T_eval"])
    support_step(p, support, chain)
    if not support["calibrated"]:
        return _not_applicable_card(p, echo, uncalibrated_reason(preset, support), chain, caveats,
                                    label="NOT CALIBRATED", code="rope_scaling_not_calibrated", support=support)
    recipes = _run_recipes(p)  # with the model's own θ: each recipe applies the scaling itself
    p = {**p, "theta": support["theta"]}  # the card's γ uses the effective θ
    g_pade, decomp = gamma_steps(p, p["T_eval"], chain, caveats)
    gamma = decomp["gamma_corrected"] if p["gamma_obs"] is None else p["gamma_obs"]
    has_gqa = p["n_kv_heads"] < p["n_attention_heads"]
    dh = F.d_horizon(p["theta"], gamma)
    regime, ratio = regime_step(p["theta"], gamma, p["T_train"], chain)
    safety = F.hagedorn_safety_alert(gamma)
    n_m = p["n_params"] / 1e6
    gamma_random = F.gamma_random_predict(p["theta"], p["T_eval"], n_m)
    invariant = F.compute_invariant_K(gamma, n_m)
    memory = _memory_summary(p, chain)
    at = {"context": p["T_eval"], "gamma_obs": p["gamma_obs"]}
    chain.figure("gamma_used", gamma, at)
    chain.figure("d_horizon_tokens", dh, at)
    chain.figure("niah_ceiling_tokens", F.l_niah_c(dh), at)
    chain.figure("chi_susceptibility", F.chi_susceptibility(gamma) if 0 < gamma < 2 else None, at)
    chain.figure("gamma_random_predicted", gamma_random, {"context": p["T_eval"]})
    chain.figure("compute_invariant_k", invariant["K"], {"gamma_used": gamma, "training_tokens": 20 * p["n_params"]})
    if p["gamma_obs"] is None:
        caveats.add("gamma_closed_form", "γ comes from the closed form plus empirical corrections, "
                    "not from a measurement; enter gamma_obs to profile a measured γ.")
    caveats.add("k_uses_gamma_used", "K uses the same γ as the safety light (D = 20·N).")
    return {
        "inputs": echo,
        "gamma_used": gamma,
        "gamma_source": "measured (gamma_obs)" if p["gamma_obs"] is not None else "γ_corrected (closed form)",
        "level": _level_within_support(safety["level"], support, caveats), "applicable": True, "memory": memory,
        "context": _context_block(support),
        "model_summary": {"architecture_class": _architecture_class(has_gqa, p["has_SWA"], p["n_params"]),
                          "n_params": p["n_params"], "T_train": p["T_train"], "T_eval": p["T_eval"],
                          "rope_theta": p["theta"], "has_GQA": has_gqa, "has_SWA": p["has_SWA"]},
        "key_numbers": {
            "gamma_pade": g_pade, "gamma_decomposed": decomp["gamma_corrected"],
            "decomposition_breakdown": decomp, "d_horizon": dh, "L_NIAH_ceiling": F.l_niah_c(dh),
            "chi_susceptibility": F.chi_susceptibility(gamma) if 0 < gamma < 2 else None,
            "soft_decay_ratio": ratio, "soft_decay_regime": regime,
            "kv_bytes": memory["kv_bytes"],
            "gamma_random_predicted": gamma_random, "compute_invariant_K": invariant["K"],
            "K_in_distribution": invariant["in_distribution"],
        },
        "diagnostics": {
            "hagedorn_safety": safety, "bimodal_phase_class": safety["phase_class"],
            "nearest_famous_constants": F.nearest_famous_constant(gamma, max_results=2, tolerance=CONSTANTS_TOLERANCE),
            "constants_tolerance": CONSTANTS_TOLERANCE,
            "imprint_predicted_shift": gamma_random - g_pade, "compute_invariant": invariant,
        },
        "recipes": recipes,
        "falsification_status": _falsification(gamma, dh, regime, has_gqa, p["has_SWA"]),
        "chain": chain.steps,
        "figures": chain.figures,
        "caveats": caveats.items,
    }


def profile_metadata() -> dict:
    return {"id": "profile", "name": "TAF card", "params": [p.metadata() for p in PARAMS],
            "recipes": list(PROFILE_RECIPES), "default_model": DEFAULT_MODEL}
