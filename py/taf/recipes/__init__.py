"""The recipe registry: one module per decision, run through one validated entry point."""
from __future__ import annotations

from .. import catalog, validate
from ..errors import InputError
from .base import (ALWAYS_ACCEPTED, ARCH_FIELDS, Caveats, Chain, Verdict, architecture, beyond_support,
                   config_caveats, context_support, gate_reason, make_result, preset_for, resolve, support_step)
from .common import kv_step
from . import (x1_custom_vs_api, x2_long_context, x3_budget, x5_serving_hardware,
               x19_kv_compression, x21_imprint, x22_invariant, x23_ih_phase, x_fit, x_tune)

RECIPES = {m.RECIPE.id: m.RECIPE for m in (
    x1_custom_vs_api, x2_long_context, x3_budget, x5_serving_hardware,
    x19_kv_compression, x21_imprint, x22_invariant, x23_ih_phase, x_fit, x_tune)}

KNOWN_NAMES = set(ALWAYS_ACCEPTED) | set(catalog.MODEL_FIELDS) | set(ARCH_FIELDS) | {
    name for r in RECIPES.values() for p in r.params for name in (p.name, *p.aliases)}


def get_recipe(recipe_id):
    return RECIPES[validate.choice("recipe_id", recipe_id, RECIPES, "recipe")]


def list_recipes() -> list:
    """Every recipe with the metadata a form is generated from."""
    return [r.metadata() for r in RECIPES.values()]


def run_recipe(recipe_id, *, summary=False, **params) -> dict:
    """Run one recipe: validated inputs → numbered step chain → verdict, level, caveats, and its charts.
    summary=True (the profile, compare: they keep verdicts and figures) leaves out the charts and
    X-FIT's rescue search."""
    recipe = get_recipe(recipe_id)
    preset = preset_for(params)
    reason = gate_reason(recipe, params, preset)
    values, echo = resolve(recipe, params, KNOWN_NAMES, lenient=reason is not None, preset=preset)
    values["arch"] = architecture(values, preset, params)
    values["model_id"] = preset.get("id")
    values["model_record"] = preset
    values["_summary"] = bool(summary)
    chain, caveats = Chain(), Caveats()
    config_caveats(preset, caveats)
    if reason:
        return not_applicable(recipe, values, echo, chain, caveats, reason)
    support = None
    if recipe.needs == "rope":
        support = context_support(values, values.get("T_eval"))
        support_step(values, support, chain)
        if not support["calibrated"]:
            return not_applicable(recipe, values, echo, chain, caveats, uncalibrated_reason(preset, support),
                                  verdict="NOT CALIBRATED", code="rope_scaling_not_calibrated")
        values["theta"] = support["theta"]  # the effective θ under a linear or dynamic scaling
    verdict = recipe.compute(values, chain, caveats)
    if support is not None:
        verdict = beyond_support(verdict, support, caveats)
    return make_result(recipe, echo, chain, caveats, verdict)


def uncalibrated_reason(preset, support) -> str:
    name = preset.get("label") or "This model"
    factor = "?" if support["factor"] is None else f"{support['factor']:g}"
    original = "its original context" if support["original"] is None else f"{support['original']:,}"
    supported = "an unknown number of" if support["supported"] is None else f"{support['supported']:,}"
    return (f"{name} stretches RoPE with {support['kind']} scaling (×{factor} from {original} tokens): it "
            f"scales frequencies unequally, so there is no single θ, and the Padé γ formulas — derived for "
            f"plain RoPE — are not calibrated beyond {original} tokens. No γ verdict either way; the model "
            f"supports {supported} tokens, and memory figures still hold.")


def not_applicable(recipe, values, echo, chain, caveats, reason, verdict="NOT APPLICABLE",
                   code="not_applicable_architecture") -> dict:
    """The γ steps marked not applicable (with the reason); the memory step still runs."""
    for section, name in recipe.gated_steps:
        chain.add(section, name, "not applicable", {}, None, reason, applicable=False)
    context = values.get("T_eval") or values.get("T_train")
    if context:
        kv_step(values["arch"], context, values.get("bytes_per_element") or 2.0, chain, name="Context memory")
    caveats.add(code, reason)
    return make_result(recipe, echo, chain, caveats, Verdict(
        verdict, "unknown", reason, "Compute, cost, memory and serving still apply: use X-1, X-3, X-5 or X-FIT."))


def applicable_recipes(preset_fields: dict) -> list:
    """Recipe ids a model preset alone can run (a recipe needing a measurement is left out)."""
    out = []
    for recipe in RECIPES.values():
        try:
            resolve(recipe, dict(preset_fields), KNOWN_NAMES)
        except InputError:
            continue
        out.append(recipe.id)
    return out
