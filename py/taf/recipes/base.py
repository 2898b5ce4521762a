"""What every recipe shares: parameter metadata (enough to generate a form), input resolution
and validation, the numbered step chain, machine-readable caveats and the result shape."""
from __future__ import annotations

from functools import cached_property
from typing import Callable, NamedTuple

from .. import catalog, validate
from .. import quantities as Q
from .. import formulas as F
from ..config_import import import_config
from ..errors import InputError
from ..formulas import limits as L
from ..formulas.context import NO_SINGLE_THETA as F_NO_SINGLE_THETA
from ..formulas.context import SCALING_TYPES
from ..figures import FIGURES, figure
from ..params import Param
from ..records import Factory, record

DEFAULT_MODEL = "meta-llama/Meta-Llama-3-8B"


def model_param(field, **overrides) -> Param:
    """The architecture fields every γ recipe reads, declared once (overrides rename or re-default)."""
    return MODEL_PARAMS[field].renamed(**overrides)


MODEL_PARAMS = {p.name: p for p in (
    Param("theta", "number", "RoPE base θ (rope_theta in config.json)", unit="",
          min=0, max=L.MAX_THETA, min_exclusive=True, group="model"),
    Param("T_train", "integer", "context length the model was trained at", unit="tokens",
          min=1, max=L.MAX_CONTEXT, group="model"),
    Param("n_attention_heads", "integer", "number of query heads", unit="heads",
          min=1, max=L.MAX_HEADS, group="model"),
    Param("n_kv_heads", "integer", "number of key/value heads (fewer than query heads = GQA)",
          unit="heads", min=1, max=L.MAX_HEADS, group="model"),
    Param("d_head", "integer", "dimension of one attention head", unit="",
          min=1, max=L.MAX_HEAD_DIM, group="model"),
    Param("n_layers", "integer", "number of transformer layers", unit="layers",
          min=1, max=L.MAX_LAYERS, group="model"),
    Param("n_params", "number", "total parameter count", unit="params",
          min=1, max=L.MAX_PARAMS, group="model", aliases=("N_params",)),
    Param("has_SWA", "boolean", "uses sliding-window attention in some layers",
          default=False, group="model"),
    Param("position_encoding", "choice", "how the model encodes position: the γ formulas are derived for RoPE",
          default="rope", choices=("rope", "alibi", "absolute", "nope", "none"), group="model"),
    Param("max_position_embeddings", "integer", "the model's position limit (max_position_embeddings in config.json)",
          unit="tokens", optional=True, min=1, max=L.MAX_CONTEXT, group="model"),
    Param("rope_scaling_type", "choice", "RoPE scaling in config.json (rope_scaling.rope_type); none = plain RoPE",
          default="none", choices=SCALING_TYPES, group="model"),
    Param("rope_scaling_factor", "number", "RoPE scaling factor (rope_scaling.factor)", optional=True,
          min=1, max=1e6, group="model"),
    Param("rope_original_context", "integer", "context before the RoPE scaling "
          "(rope_scaling.original_max_position_embeddings)", unit="tokens", optional=True, min=1,
          max=L.MAX_CONTEXT, group="model"),
)}
CONTEXT_FIELDS = ("max_position_embeddings", "rope_scaling_type", "rope_scaling_factor", "rope_original_context")

# Architecture fields a preset record may carry for memory (see formulas/memory.py).
ARCH_FIELDS = ("attention", "n_layers", "n_kv_heads", "d_head", "sliding_window", "global_every",
               "kv_lora_rank", "qk_rope_head_dim", "n_attention_layers", "recurrent_state_elements",
               "d_model", "vocab_size", "n_params_active", "position_encoding")

T_EVAL = Param("T_eval", "integer", "context length to serve or evaluate at; empty = T_train",
               unit="tokens", optional=True, min=1, max=L.MAX_CONTEXT)
KV_BYTES = Param("bytes_per_element", "number", "bytes per KV-cache element (bf16 2, fp8/int8 1, int4 0.5)",
                 unit="bytes", default=2.0, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True)
GPU = Param("gpu", "choice", "GPU from the catalog", default="H100 SXM", choices=catalog.gpu_names,
            choice_noun="GPU")
GPU_PRICE = Param("gpu_usd_per_hour", "number",
                  "your own price per GPU-hour; empty = the catalog's rental price",
                  unit="USD/h", optional=True, min=0, max=L.MAX_USD_PER_HOUR)
N_GPUS = Param("n_gpus", "integer", "number of GPUs", unit="GPUs", default=8, min=1, max=L.MAX_GPUS)
SERVING_CONTEXT = Param("context", "integer", "tokens in each request's KV cache while it decodes (prompt + output)",
                        unit="tokens", default=4096, min=1, max=L.MAX_CONTEXT, aliases=("T_eval",))
BYTES_PER_WEIGHT = Param("bytes_per_weight", "number", "serving precision in bytes per weight (bf16 2, int8 1, int4 0.5)",
                         unit="bytes", default=2.0, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True)
KV_BYTES_SERVING = Param("kv_bytes_per_element", "number", "bytes per KV-cache element; empty = same as the weights",
                         unit="bytes", optional=True, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True)
ACHIEVED_BANDWIDTH = Param("achieved_bandwidth_fraction", "number",
                           "share of peak memory bandwidth decode reaches; empty = calibrated on published "
                           "measurements for this weight format and memory kind (presets/calibration.json)",
                           optional=True, min=1e-3, max=1)
MEMORY_UTILIZATION = Param("memory_utilization", "number",
                           "share of GPU memory the serving stack may use (the rest: CUDA context, activations, "
                           "fragmentation; vLLM's default is 0.9)", default=0.9, min=1e-3, max=1)
MFU = Param("mfu", "number", "model FLOPs utilisation: achieved ÷ peak FLOP/s (0.45 measured on H200 with attention FLOPs counted)",
            default=Q.DEFAULT_MFU, min=1e-3, max=1)
GAMMA_OBS = Param("gamma_obs", "number", "γ you measured on the model (leave empty to use the closed form)",
                  optional=True, min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement")

ALWAYS_ACCEPTED = {"model", "config", "label"}


class Verdict(NamedTuple):
    """What a recipe concludes: the verdict words, the traffic-light level (levels.py), why, what
    to do, and extra result keys (a chart, say)."""
    verdict: str
    level: str
    reason: str
    mitigation: str
    extras: dict = {}


class Chain:
    """The numbered step chain of a recipe, and the figures its steps produce."""

    def __init__(self):
        self.steps: list = []
        self.figures: dict = {}
        self.banded: set = set()  # calibration categories whose band a figure carries

    def add(self, section, name, formula, inputs, result, interpretation, unit="", figures=None, at=None,
            **extra):
        """One step. `figures` {canonical name: value} are the quantities this step produces
        (taf/figures.py), holding under the conditions `at` (a figure given as (value, at) holds
        under its own conditions); the step lists their names."""
        step = {"step": len(self.steps) + 1, "section": section, "name": name,
                "formula": formula, "inputs": inputs, "result": result,
                "interpretation": interpretation, "unit": unit, "applicable": True}
        if extra:
            step.update(extra)
        if figures:
            step["figures"] = list(figures)
            store, number = self.figures, step["step"]
            for key, value in figures.items():
                if value.__class__ is tuple:
                    store[key] = figure(key, value[0], number, value[1])
                else:
                    store[key] = figure(key, value, number, at)
        self.steps.append(step)
        return result

    def figure(self, name, value, at=None):
        """A figure no step of the chain produces (the profile's key numbers): it names no step."""
        self.figures[name] = figure(name, value, None, at)


class Caveats:
    """Machine-readable caveats: a code and its plain-English text, each once."""

    def __init__(self):
        self.items: list = []
        self.codes: set = set()

    def add(self, code, text):
        if code not in self.codes:
            self.codes.add(code)
            self.items.append({"code": code, "text": text})


@record
class Recipe:
    id: str
    name: str
    description: str
    category: str
    uses_sections: list
    params: list
    compute: Callable        # (p: dict, chain: Chain, caveats: Caveats) -> Verdict
    needs: str | None = None  # "rope" (γ formulas) or "attention" (measured γ); None: any model
    gated_steps: tuple = ()   # the steps a model without what `needs` cannot have
    checks: list = Factory(list)  # cross-field checks: (p) -> None or raise

    @cached_property
    def resolution(self) -> tuple:
        """What resolve reads of each input, gathered once: (param, name, spellings, default, whether
        blank text means absent, its checker)."""
        return tuple((p, p.name, p.keys, p.default, p.optional or p.default is not None, p.checker)
                     for p in self.params)

    @property
    def accepts_model(self) -> bool:
        """True if a model preset can fill some of its inputs."""
        return any(p.group == "model" for p in self.params)

    def metadata(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "category": self.category, "uses_sections": self.uses_sections,
                "accepts_model": self.accepts_model,
                "default_model": DEFAULT_MODEL if self.accepts_model else None,
                "params": [p.metadata() for p in self.params]}


def context_support(p: dict, t_eval) -> dict:
    """What the model supports at t_eval: the supported context, whether t_eval is beyond it, and
    the θ the γ formulas may use (None: the RoPE scaling has no single θ — not calibrated)."""
    kind = p.get("rope_scaling_type") or "none"
    supported = F.supported_context(p.get("T_train"), kind, p.get("rope_scaling_factor"),
                                    p.get("rope_original_context"), p.get("max_position_embeddings"))
    original = p.get("rope_original_context")
    d_head = p.get("d_head") or (p.get("arch") or {}).get("d_head")
    theta = None
    if p.get("theta") is not None and t_eval is not None:
        try:
            theta = F.effective_theta(p["theta"], t_eval, d_head, kind, p.get("rope_scaling_factor"), original)
        except InputError as exc:
            if exc.field != "d_head":
                raise
    uncalibrated = t_eval is not None and p.get("theta") is not None and theta is None and not (
        kind in F_NO_SINGLE_THETA and original is not None and t_eval <= original)
    if kind in F_NO_SINGLE_THETA and not uncalibrated:
        theta = p.get("theta")  # within the original context the scaling leaves positions as trained
    return {"supported": supported, "t_eval": t_eval, "kind": kind, "factor": p.get("rope_scaling_factor"),
            "original": original, "theta": theta, "calibrated": not uncalibrated,
            "beyond": supported is not None and t_eval is not None and t_eval > supported}


def support_step(p: dict, support: dict, chain: "Chain"):
    """The chain step stating the supported context (and the effective θ under a RoPE scaling)."""
    how = "trained context (T_train)" if support["kind"] == "none" else \
        f"the larger of T_train and {support['original'] or '?'} × {support['factor'] or '?'} ({support['kind']} RoPE scaling)"
    s, t = support["supported"], support["t_eval"]
    words = "unknown: enter T_train" if s is None else (
        f"{s:,} tokens; {t:,} is {t / s:,.2g}× beyond it" if support["beyond"] else f"{s:,} tokens; {t:,} is within it")
    chain.add("§26", "Supported context", how,
              {"T_train": p.get("T_train"), "rope_scaling_type": support["kind"],
               "rope_scaling_factor": support["factor"], "rope_original_context": support["original"],
               "max_position_embeddings": p.get("max_position_embeddings")}, s, words, unit="tokens",
              figures={"supported_context_tokens": s})
    if support["kind"] in ("linear", "dynamic") and support["theta"] is not None:
        rule = ("θ·factor (position interpolation: γ_Padé depends on T/θ only)" if support["kind"] == "linear" else
                "θ·((s·T/T₀) − (s − 1))^(d/(d−2)) beyond T₀ (dynamic NTK, Hugging Face transformers)")
        chain.add("§26.1 (scaled RoPE)", "Effective θ", rule,
                  {"theta": p["theta"], "T_eval": t, "factor": support["factor"], "original": support["original"]},
                  support["theta"], f"the γ formulas use θ = {support['theta']:,.0f}",
                  figures={"theta_effective": support["theta"]}, at={"context": t})


def beyond_support(verdict: "Verdict", support: dict, caveats: "Caveats") -> "Verdict":
    """Beyond the supported context a γ recipe never says Go: at least a warning, saying why."""
    if not support["beyond"]:
        return verdict
    s, t = support["supported"], support["t_eval"]
    why = (f"{t:,} tokens is beyond the {s:,} this model supports ({t / s:,.2g}×): its positions there were "
           "never trained, which the γ formulas do not know.")
    caveats.add("beyond_supported_context", why)
    if verdict.level not in ("ok", "info", "unknown"):
        return verdict
    prediction = verdict.extras.get("framework_prediction")  # X-2's untested closed-form prediction
    level = prediction["level"] if prediction and prediction["level"] in ("critical", "catastrophic") else "warning"
    alone = (f"From closed-form γ alone (untested) the framework predicts {prediction['verdict']}."
             if prediction else f"The recipe alone would answer {verdict.verdict}: {verdict.reason}")
    return Verdict("BEYOND SUPPORTED CONTEXT", level, f"{why} {alone}", f"Stay within {s:,} tokens, or use a variant trained or scaled for "
                   "longer contexts and run this recipe with its config.json.", verdict.extras)


def check_kv_heads(p):
    if p.get("n_kv_heads") is not None and p.get("n_attention_heads") is not None \
            and p["n_kv_heads"] > p["n_attention_heads"]:
        raise InputError("n_kv_heads", f"n_kv_heads ({p['n_kv_heads']}) cannot exceed "
                         f"n_attention_heads ({p['n_attention_heads']})")


def t_eval_defaults_to_t_train(p):
    """The stated rule for γ recipes: no T_eval means 'evaluate at the training length'."""
    if p.get("T_eval") is None and p.get("T_train") is not None:
        p["T_eval"] = p["T_train"]


def preset_for(given: dict) -> dict:
    """The model record the inputs name: the preset given['model'], or the config.json text in
    given['config'] read by the importer (one path with a pasted config); {} when neither."""
    has_model, has_config = given.get("model") not in (None, ""), given.get("config") not in (None, "")
    if has_model and has_config:
        raise InputError("config", "give either model (a preset) or config (a config.json), not both")
    if has_config:
        return config_record(given["config"])
    if not has_model:
        return {}
    return catalog.preset_record(given["model"])


def config_record(text) -> dict:
    """A config.json as a model record: the importer's fields, labelled by its family. An import
    problem is an input error on `config` whose message names the config key."""
    try:
        imported = import_config(text)
    except InputError as exc:
        if exc.field == "config":
            raise
        raise InputError("config", f"config.json key {exc.field!r}: {exc.message}") from None
    label = f"{imported['family']} (config.json)"
    return {**imported["params"], "id": None, "label": label, "config_family": imported["family"],
            "config_notes": tuple(imported["notes"]), "config_missing": tuple(imported["missing"])}


def config_caveats(preset: dict, caveats: "Caveats"):
    """What the importer noticed in a config.json (assumed defaults, an unknown family, missing keys)."""
    notes = list(preset.get("config_notes") or ())
    if preset.get("config_missing"):
        notes.append("keys not in the config: " + ", ".join(preset["config_missing"]))
    if notes:
        caveats.add("config_import_notes", f"{preset['label']}: " + "; ".join(notes) + ".")


ARCH_TEXT = {"attention": ("full", "sliding", "alternating", "mla", "recurrent", "hybrid"),
             "position_encoding": ("rope", "alibi", "absolute", "nope", "none")}
ARCH_BOUNDS = {  # field: (lowest, highest); counts of zero are meaningful only where stated
    "n_layers": (1, L.MAX_LAYERS), "n_kv_heads": (1, L.MAX_HEADS), "d_head": (1, L.MAX_HEAD_DIM),
    "sliding_window": (1, L.MAX_CONTEXT), "global_every": (1, L.MAX_LAYERS), "kv_lora_rank": (1, 10**6),
    "qk_rope_head_dim": (0, 10**6), "n_attention_layers": (0, L.MAX_LAYERS), "d_model": (1, 10**7),
    "vocab_size": (1, 10**8)}
ARCH_REAL = {"recurrent_state_elements": (0, 1e15), "n_params_active": (1, L.MAX_PARAMS)}


def _arch_value(key, value):
    """One architecture field from the caller (often text from a URL or a config), validated."""
    if key in ARCH_TEXT:
        return validate.choice(key, value, ARCH_TEXT[key], key)
    if key in ARCH_REAL:
        return validate.number(key, value, lo=ARCH_REAL[key][0], hi=ARCH_REAL[key][1])
    lo, hi = ARCH_BOUNDS[key]
    return validate.integer(key, value, lo=lo, hi=hi)


def architecture(values: dict, preset: dict, given: dict | None = None) -> dict:
    """The architecture a memory formula reads: the preset's fields, then the caller's architecture
    fields (e.g. from an imported config.json, validated here), then the recipe's validated inputs."""
    arch = {k: preset[k] for k in ARCH_FIELDS if preset.get(k) is not None}
    arch.update({k: _arch_value(k, v) for k, v in (given or {}).items()
                 if k in ARCH_FIELDS and v not in (None, "")})
    arch.update({k: values[k] for k in ARCH_FIELDS if values.get(k) is not None})
    if "attention" not in arch:
        arch["attention"] = "sliding" if values.get("sliding_window") else "full"
    return arch


def gate_reason(recipe: Recipe, given: dict, preset: dict):
    """Why this recipe does not apply to this model (None if it does)."""
    if recipe.needs is None:
        return None
    encoding = given.get("position_encoding") or preset.get("position_encoding") or "rope"
    encoding = validate.choice("position_encoding", encoding, MODEL_PARAMS["position_encoding"].choices,
                               "position encoding")
    name = preset.get("label") or "This model"
    if encoding == "none":
        return (f"{name} has no attention (an O(N) recurrent or state-space core): γ, d_horizon and "
                "NIAH describe how attention decays with distance and say nothing about it.")
    if recipe.needs == "rope" and encoding != "rope":
        how = "no positional encoding (NoPE)" if encoding == "nope" else f"{encoding} positions"
        return (f"{name} uses {how}, not RoPE: the Padé γ formulas are derived from "
                "RoPE's rotation base θ and do not apply.")
    return None


def resolve(recipe: Recipe, given: dict, known_names: set, lenient: bool = False, preset=None) -> tuple:
    """Validate the caller's inputs against the recipe's params; returns (values, inputs_echo).
    lenient: a missing required input becomes None (for a gated recipe that will not use it).
    preset: the model record already read from given (read here when None)."""
    given = validate.mapping("params", given)
    for key in given:
        if key not in known_names:
            names = ", ".join(p.name for p in recipe.params)
            raise InputError(key, f"unknown input {key!r} for {recipe.id}; its inputs are: {names}")
    preset = preset_for(given) if preset is None else preset
    values = {}
    preset_value = preset.get
    for param, name, keys, default, blank_is_absent, checker in recipe.resolution:
        for key in keys:  # what the caller gave under any spelling, else the preset's value (None there: absent)
            if key in given:
                raw = given[key]
                break
        else:
            raw = None
            for key in keys:
                raw = preset_value(key)
                if raw is not None:
                    break
        if isinstance(raw, str) and not raw.strip() and param.type != "choice":
            raw = None if blank_is_absent else raw
        if raw is None:
            if default is not None:  # declared valid (tests/test_recipes.py checks every default)
                values[name] = default
                continue
            if param.optional or lenient:
                values[name] = None
                continue
            hint = " (or choose a model preset)" if param.group == "model" else ""
            raise InputError(name, f"{name} is required: {param.help}{hint}")
        values[name] = checker(raw)
    for check in ([] if lenient else recipe.checks):
        check(values)
    if preset.get("id"):
        echo = {"model": preset["id"], **values}
    elif preset.get("config_family"):
        echo = {"config": preset["label"], **values}
    else:
        echo = dict(values)
    return values, echo


def uncertainty_caveats(chain: Chain, caveats: Caveats):
    """A banded figure whose category is predicted poorly for setups the fit has not seen says so."""
    for category in sorted(chain.banded):
        unseen = Q.unseen_prediction_error(category)
        if unseen is None or unseen[0] <= Q.UNSEEN_ERROR_LIMIT:
            continue
        label = FIGURES[category][1] if category in FIGURES else category.replace("_", " ")
        caveats.add(f"uncertain_{category}", f"{label} is predicted poorly for setups unlike the measured ones: "
                    f"predicting each source of measurements from the others, the median error is "
                    f"{unseen[0] * 100:,.0f}% ({unseen[1]} measurements; the Accuracy view). Its band comes "
                    f"from those errors; read the figure as a rough estimate.")


def make_result(recipe: Recipe, inputs: dict, chain: Chain, caveats: Caveats, verdict: Verdict) -> dict:
    uncertainty_caveats(chain, caveats)
    result = {"recipe_id": recipe.id, "recipe_name": recipe.name, "inputs": inputs,
              "chain": chain.steps, "figures": chain.figures, "verdict": verdict.verdict, "level": verdict.level,
              "reason": verdict.reason, "mitigation": verdict.mitigation, "caveats": caveats.items}
    result.update(verdict.extras)
    return result
