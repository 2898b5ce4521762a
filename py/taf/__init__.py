"""TAF engine: the Thermodynamic Attention Framework formulas and decision recipes.

Pure standard-library Python: the same code runs in CPython (tests, CLI, build) and in the
browser under Pyodide. Public entry points validate every input and raise only `InputError`.
"""
from .errors import InputError
from .catalog import list_presets, get_preset, list_gpus, list_apis
from .recipes import run_recipe, list_recipes
from .profile import profile_model
from .compare import compare_models
from .levels import LEVELS
from . import formulas

__version__ = "0.1.0"

__all__ = ["InputError", "run_recipe", "profile_model", "compare_models", "list_recipes",
           "list_presets", "get_preset", "list_gpus", "list_apis", "LEVELS", "formulas"]
