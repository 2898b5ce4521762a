"""The recipe registry: one module per decision, run through one validated entry point."""
from __future__ import annotations

from .. import catalog, validate
from ..errors import InputError
from .base import ALWAYS_ACCEPTED, Caveats, Chain, make_result, resolve
from . import (x1_custom_vs_api, x2_long_context, x3_budget, x5_serving_hardware,
               x19_kv_compression, x21_imprint, x22_invariant, x23_ih_phase)

RECIPES = {m.RECIPE.id: m.RECIPE for m in (
    x1_custom_vs_api, x2_long_context, x3_budget, x5_serving_hardware,
    x19_kv_compression, x21_imprint, x22_invariant, x23_ih_phase)}

KNOWN_NAMES = set(ALWAYS_ACCEPTED) | set(catalog.MODEL_FIELDS) | {
    name for r in RECIPES.values() for p in r.params for name in (p.name, *p.aliases)}


def get_recipe(recipe_id):
    return RECIPES[validate.choice("recipe_id", recipe_id, RECIPES, "recipe")]


def list_recipes() -> list:
    """Every recipe with the metadata a form is generated from."""
    return [r.metadata() for r in RECIPES.values()]


def run_recipe(recipe_id, **params) -> dict:
    """Run one recipe: validated inputs → numbered step chain → verdict, level, caveats."""
    recipe = get_recipe(recipe_id)
    values, echo = resolve(recipe, params, KNOWN_NAMES)
    chain, caveats = Chain(), Caveats()
    verdict, level, reason, mitigation = recipe.compute(values, chain, caveats)
    return make_result(recipe, echo, chain, caveats, verdict, level, reason, mitigation)


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
