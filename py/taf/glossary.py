"""The glossary: every term the app uses, one plain paragraph each (what it is, what it means for
a decision, how far to trust it) with its paper section and a stable id.

The UI links its jargon here without holding a mapping of its own: each term lists the
`phrases` it explains (as they appear in step names and titles) and the `figures` it explains
(names from figures.py); `MATCH_RULE` says how a text is matched. Thresholds and panel figures
in the text are read from the formulas, so the words cannot drift from the numbers.
"""
from __future__ import annotations

from .formulas.diagnostics import GAMMA_AT_SUSC_MIN, GAMMA_ZONES
from .formulas.gamma import (DELTA_GQA, DELTA_POST_IH, DF_GAMMA_RANGE, POST_IH_MIN_PARAMS,
                             SOFT_DECAY_APPLIES, SOFT_DECAY_BORDERLINE)
from .formulas.imprint import (IH_PANEL, IMPRINT_CI_95, K_PANEL_MEAN, K_PANEL_STD, NU_IMPRINT,
                               P_0_IMPRINT_M)

ANCHOR_PREFIX = "term-"
MATCH_RULE = ("A phrase matches where it occurs in the text as a whole word (not inside a longer "
              "word; case-sensitive). The earliest match in the text wins, then the longest phrase. "
              "Without a phrase match, a figure name the text produced matches its term exactly.")
GROUPS = {
    "framework": "The framework and γ",
    "memory": "Memory, serving and compression",
    "training": "Training",
    "diagnostics": "Diagnostics",
    "leaderboard": "Leaderboard",
}

_ZONE = {zone: lower for lower, zone, _level, _phase in GAMMA_ZONES}
_HAGEDORN, _BOUNDARY, _GAP, _NORMAL = (_ZONE[z] for z in ("hagedorn", "boundary", "gap", "normal"))
_DF_LO, _DF_HI = DF_GAMMA_RANGE


def _n(x) -> str:
    return f"{x:g}"


def _term(id, term, section, group, text, reliability, phrases=(), figures=()):
    return {"id": id, "anchor": ANCHOR_PREFIX + id, "term": term, "section": section, "group": group,
            "text": text, "reliability": reliability, "phrases": list(phrases), "figures": list(figures)}


TERMS = (
    _term("taf", "TAF (Thermodynamic Attention Framework)", "§17–§34", "framework",
          "The framework behind every γ figure in this app. It describes how a transformer's attention "
          "weight falls off with the distance between tokens as a power law, weight ∝ d^−γ, and derives "
          "from the RoPE base θ and the context length where attention stops reaching (the horizon), how "
          "likely a long-range lookup fails and how much of the KV cache a model really uses. The same "
          "paper sections also collect standard engineering arithmetic — Chinchilla scaling, memory, "
          "speed and cost (§17–§24) — which this app uses for every step that is not about γ. For a "
          "decision: the memory, speed and cost steps are ordinary arithmetic and dependable; the γ steps "
          "are the framework's predictions, calibrated on panels of about 22–25 models, with several "
          "corrections marked exploratory, so treat a γ-based verdict as a hypothesis to test, not a "
          "measurement.",
          "γ steps: a framework's predictions (panels of ~22–25 models); memory and cost steps: standard "
          "arithmetic", phrases=("TAF",)),
    _term("gamma", "γ (attention decay exponent)", "§26", "framework",
          "The exponent of the power law by which attention weight falls with distance: a token d "
          "positions back gets weight roughly proportional to d^−γ. A small γ (between 0 and about "
          f"{_n(_GAP)}) means attention still reaches far back (Phase A, long-range); a γ near or above "
          f"{_n(_HAGEDORN)} means attention stays local (the Hagedorn zone), so a fact far back in a long "
          "prompt is likely to be missed. The app uses either a γ you measured on a real model (by fitting "
          "its attention on text) or the closed-form γ_Padé predicted from θ and the context length; only "
          "a measured γ tests the model itself. The zone boundaries come from a panel of 25 models, so a "
          "γ within a few hundredths of a boundary is borderline either way.",
          "a measured γ is evidence; a predicted γ is the framework's estimate",
          phrases=("γ", "gamma", "γ_used", "γ_text", "γ_obs"), figures=("gamma_used",)),
    _term("rope-theta", "θ (RoPE base) and RoPE scaling", "§26.1", "framework",
          "Rotary position embeddings (RoPE) mark each token's position by rotating its query and key "
          "vectors at frequencies set by a base θ (rope_theta in a config.json: 10,000 in Pythia, 500,000 "
          "in Llama 3, 1,000,000 in Qwen2.5). A larger θ rotates more slowly, so positions stay "
          "distinguishable further and γ_Padé falls for a given context. RoPE scaling (linear, dynamic "
          "NTK, YaRN, llama3, LongRoPE) stretches positions beyond the trained context; linear and "
          "dynamic-NTK scaling are equivalent to one larger θ (the effective θ), while YaRN, llama3 and "
          "LongRoPE treat frequencies unequally and have no single θ, so beyond their original context the "
          "γ steps say NOT CALIBRATED instead of judging from the raw θ. θ itself is read from the "
          "config and exact; what it implies about long-context quality is the framework's prediction.",
          "θ: exact (from the config); its consequences: the framework's prediction",
          phrases=("θ", "RoPE", "rope_theta", "RoPE scaling", "effective θ", "θ_design", "α_opt")),
    _term("gamma-pade", "γ_Padé (the Padé γ)", "§26.1", "framework",
          "The framework's closed-form prediction of γ from two numbers only, the RoPE base θ and the "
          "context length T: γ_Padé = (2θ − T√2)/(2θ + T√2). It falls as T grows, reaches 0 at T = θ√2 "
          "and is negative beyond (no decay at all: a bad operating point). It needs no measurement, "
          "which is also its weakness: it ignores everything about a model except θ, so two models with "
          "the same θ get the same γ, and X-2's horizon test computed from it is circular (d_horizon of "
          "γ_Padé(θ, T) equals T exactly). Use it as a first estimate, and enter a measured γ for a real "
          "test (the Padé Deviation Index then says how far the model departs from it).",
          "a closed-form estimate; not a measurement of the model",
          phrases=("γ_Padé", "Padé γ", "Padé", "gamma_pade"), figures=("gamma_pade",)),
    _term("gamma-decomposition", "γ decomposition (δ_GQA, δ_SWA, δ_post_IH)", "§26.10", "framework",
          "Corrections the framework adds to γ_Padé for architecture and size: δ_GQA = "
          f"{DELTA_GQA:+g} for grouped-query attention (it replicated when the panel was re-checked), δ_SWA "
          "for sliding-window attention (disabled: it was fitted on a single model) and δ_post_IH = "
          f"{DELTA_POST_IH:+g} for models of at least {POST_IH_MIN_PARAMS / 1e6:g} M parameters (it did not "
          "replicate and is marked exploratory). The corrected γ (γ_corrected) is what X-2, X-19 and the "
          "profile use. For a decision this means the verdict for a large GQA model leans on one solid and "
          "one exploratory correction; the caveats under the verdict say which ones applied.",
          "δ_GQA replicates; δ_post_IH exploratory; δ_SWA disabled (n = 1)",
          phrases=("γ-decomposition", "γ decomposition", "γ_corrected", "δ_GQA", "δ_SWA", "δ_post_IH"),
          figures=("gamma_corrected",)),
    _term("phases", "Phases A and B (phase class)", "§32.2", "framework",
          f"Phase A is γ between 0 and {_n(_HAGEDORN)}: attention decays slowly enough that distant tokens "
          "still count, a horizon exists and long-context retrieval can work. Phase B is γ above "
          f"{_n(_HAGEDORN)}, past the Hagedorn point: attention is local, there is no horizon and the Phase A "
          "formulas flip sign (the PDI turns negative). Inside Phase A the panel's γ values form two "
          f"peaks, near 0.75 and near 1.0, with a sparsely populated gap from {_n(_GAP)} to {_n(_BOUNDARY)}; "
          "the phase class names the part a γ sits in. The two-peak picture rests on 25 models and its "
          "statistical test is still pending, so the class names describe the panel; they are not a law.",
          "descriptive, from a panel of 25 models",
          phrases=("Phase A", "Phase B", "phase class", "Phase class", "bimodal")),
    _term("hagedorn", "Hagedorn zone and Hagedorn boundary", "§32.1", "framework",
          "Named after the Hagedorn temperature in physics, where a system's behaviour changes abruptly. "
          f"The Hagedorn zone is γ ≥ {_n(_HAGEDORN)}: attention concentrates on nearby tokens, and the "
          "framework predicts that long-context retrieval fails unless θ is extended (NTK scaling, "
          f"α_opt > 1). The boundary, {_n(_BOUNDARY)} ≤ γ < {_n(_HAGEDORN)}, is the edge: contexts longer "
          "than the trained length are risky there, so run X-2 before deploying one. The safety light "
          "(red zone, orange boundary, green normal, blue wide-field, dark red for γ ≤ 0) reads one zone "
          "table, the same one as the phase class. The boundaries were drawn from a panel of 25 models; "
          "a γ just either side of one is borderline.",
          "empirical boundaries from a panel of 25 models",
          phrases=("Hagedorn", "Hagedorn zone", "Hagedorn boundary", "safety zone", "Safety zone",
                   "safety light")),
    _term("chi", "χ (susceptibility)", "§26.16", "framework",
          "χ = 1/|γ − 1|: how strongly the model's attention reacts to a change as γ nears 1. It grows "
          f"without bound at the Hagedorn point γ = {_n(_HAGEDORN)} (the app then shows it as unbounded), "
          "which is why a small change of context length or θ matters most for a model near the boundary. "
          "It enters P_hallucinate as a weight. It is a derived quantity of the framework, borrowed from "
          "statistical physics, not something measured on its own.",
          "derived from γ; as reliable as the γ it comes from",
          phrases=("χ", "susceptibility"), figures=("chi_susceptibility",)),
    _term("d-horizon", "d_horizon (attention horizon)", "§26.2", "framework",
          "The distance in tokens beyond which, by the framework, attention is too weak to retrieve a fact "
          f"reliably: d_horizon = θ(1 − γ)√2/(1 + γ), defined for γ between 0 and {_n(_HAGEDORN)}. X-2 "
          "compares your context length with it: a context inside the horizon passes, one beyond it is "
          "predicted to miss facts. One caveat decides how much it tells you: computed from the "
          "closed-form γ_Padé, d_horizon equals the context length exactly (an algebraic identity), and "
          "the γ decomposition's corrections move it only by what they add, so without a measured γ X-2 "
          "says UNVERIFIED and shows the framework's prediction as a step.",
          "circular with the closed-form γ; informative with a measured γ",
          phrases=("d_horizon", "horizon", "Framework prediction"), figures=("d_horizon_tokens",)),
    _term("l-niah", "L_NIAH (needle-in-a-haystack ceiling)", "§26.5", "framework",
          "NIAH, “needle in a haystack”, is the standard long-context test: hide one fact in a long "
          "document and ask for it. L_NIAH^c = 2·d_horizon is the context length at which the framework "
          "predicts about 50 % NIAH success: below it retrieval should mostly work, above it mostly fail. "
          "It is twice the horizon by definition, so it is exactly as reliable as d_horizon: a prediction, "
          "not a benchmark score. Run a real NIAH test at your length before relying on a long context.",
          "a prediction (2·d_horizon), not a measured score",
          phrases=("L_NIAH", "L_NIAH^c", "NIAH", "needle in a haystack"), figures=("niah_ceiling_tokens",)),
    _term("p-hallucinate", "P_hallucinate (horizon-overshoot score)", "§26.9", "framework",
          "The framework's score for the chance that a query at length L misses a fact because it lies "
          "beyond the horizon: zero while L is inside d_horizon, rising as L goes beyond it, weighted by "
          "the susceptibility χ. It is a heuristic between 0 and 1, not a probability measured on models; "
          "computed from γ_Padé itself it is 0 up to rounding at the length evaluated (the horizon "
          "identity). Read it as “inside or outside the horizon, and by how much”.",
          "heuristic; not a calibrated probability",
          phrases=("P_hallucinate",), figures=("p_hallucinate",)),
    _term("supported-context", "Supported context", "§26 (precondition)", "framework",
          "The longest context a model was built for: its trained context, or its original context times "
          "the factor of a RoPE scaling declared in its config.json (at most its position limit, "
          "max_position_embeddings), whichever is larger. Beyond it, positions lie outside anything seen "
          "in training and quality usually collapses however much memory is free, so the γ recipes never "
          "give a Go there (BEYOND SUPPORTED CONTEXT) and X-FIT caps its largest context at it. It is "
          "read from the config and exact as a number, but a declared scaling says what the model's "
          "authors intended, not how well retrieval works near its end.",
          "exact from the config; quality near the limit untested",
          phrases=("Supported context", "supported context", "trained context", "max_position_embeddings",
                   "rope_scaling", "position limit")),
    _term("kv-cache", "KV cache", "§19.1", "memory",
          "While generating, a model keeps the keys and values of every past token in every layer so it "
          "does not recompute them: 2 · layers · KV heads · head size · tokens · bytes per value for "
          "ordinary attention. It grows linearly with the context length and with the number of "
          "concurrent requests, and it is usually what limits long-context serving on a GPU. The app "
          "counts each layer kind (full, sliding-window, MLA latent, recurrent state). It is standard "
          "arithmetic and dependable, except for the serving stack's own overheads (paging, "
          "fragmentation, activations), which it does not model.",
          "standard arithmetic",
          phrases=("KV cache", "KV", "KV memory", "Context memory"),
          figures=("kv_bytes", "kv_bytes_per_token", "kv_bytes_total")),
    _term("gqa-mqa", "GQA / MQA (grouped- and multi-query attention)", "§19.1", "memory",
          "Attention variants in which several query heads share one key/value head — all of them in "
          "MQA, groups of them in GQA — so a model has fewer KV heads than attention heads and its KV "
          "cache shrinks by that ratio. Memory figures use the number of KV heads directly (exact). The "
          f"framework also adds δ_GQA = {DELTA_GQA:+g} to γ for GQA models; that correction replicated "
          "when the panel was re-checked.",
          "memory: exact; the γ correction: replicated on the panel",
          phrases=("GQA", "MQA", "grouped-query", "multi-query", "n_kv")),
    _term("mla", "MLA (multi-head latent attention)", "§19.1", "memory",
          "The attention of DeepSeek-V2 and V3: instead of full keys and values, each layer caches one "
          "compressed latent vector per token (kv_lora_rank numbers plus a small RoPE part), many times "
          "smaller than an ordinary KV cache. The app sizes an MLA cache from those two numbers in the "
          "config, so memory and fit figures for such models are exact arithmetic; the serving engine's "
          "own handling of the latent can add overheads the app does not model.",
          "standard arithmetic",
          phrases=("MLA", "latent attention", "kv_lora_rank")),
    _term("sliding-window", "Sliding-window attention", "§19.1", "memory",
          "A layer with a sliding window attends only to the last W tokens, so its KV cache stops growing "
          "at W tokens (Mistral-7B-v0.1; the local layers of Gemma 2 and 3, which alternate with global "
          "layers that keep a full cache). The app counts each layer kind, so the memory is exact. A "
          "window also limits how far back that layer can look, whatever the memory allows. The "
          "framework's δ_SWA correction to γ is disabled because it was fitted on a single model.",
          "memory: exact; no γ correction (n = 1)",
          phrases=("sliding window", "sliding-window", "Sliding window", "SWA")),
    _term("d-f-window", "D_f window (KV compression window)", "§26.7", "memory",
          "The smallest window D of the most recent tokens that holds a fraction f of all attention "
          "weight, assuming weight ∝ d^−γ over N tokens: the smallest D with Σ_{d≤D} d^−γ ≥ f·Σ_{d≤N} "
          "d^−γ (computed exactly). It suggests how much of the KV cache a hard window could keep while "
          f"keeping most of the attention. It is computed only for γ in [{_n(_DF_LO)}, {_n(_DF_HI)}], the "
          "range the framework calibrated it on; elsewhere the app says not applicable. It describes "
          "where attention weight lies, not task accuracy: check any compression on your own tasks.",
          f"calibrated only for γ in [{_n(_DF_LO)}, {_n(_DF_HI)}]; not an accuracy guarantee",
          phrases=("D_f", "D_f window"), figures=("df_window_tokens",)),
    _term("soft-decay", "Soft-decay regime", "§26.8", "memory",
          "Whether old KV entries can be down-weighted smoothly instead of cut: soft decay applies when "
          "the horizon reaches well past half the trained context, r = d_horizon ÷ (T_train/2) ≥ "
          f"{_n(SOFT_DECAY_APPLIES)}, is borderline for r ≥ {_n(SOFT_DECAY_BORDERLINE)}, and otherwise a hard "
          "cutoff (a D_f window) is the safer choice. X-19 and the profile use this one rule. The "
          "thresholds are the framework's rule of thumb, not fitted values.",
          "a rule of thumb",
          phrases=("Soft-decay", "soft-decay", "soft decay", "Soft decay"), figures=("soft_decay_ratio",)),
    _term("decode-speed", "Decode speed (memory-bound)", "§19.7", "memory",
          "Generating one token needs every active weight, and the request's KV cache, read from GPU "
          "memory once, so tokens per second ≈ memory bandwidth × the fraction a serving stack achieves ÷ "
          "bytes read per token, plus a fixed time every step adds whatever it reads (kernel launches, "
          "sampling, scheduling — it dominates small models on fast memory). The achieved fraction and the "
          "overhead are calibrated on published measurements for the engine (the fraction also for the "
          "weight format and memory kind; or set them yourself), and every figure carries the 80 % "
          "band of the calibration's errors. Many concurrent requests share each weight read, so the total "
          "rises until decode becomes compute-bound (the roofline). The Accuracy view shows how far "
          "predictions were from published measurements.",
          "calibrated estimate with an 80 % band; see the Accuracy view",
          phrases=("Decode speed", "decode speed", "Predicted vs measured"),
          figures=("decode_tokens_per_s", "decode_tokens_per_s_total")),
    _term("finetune-memory", "Fine-tuning peak memory (full, LoRA, QLoRA)", "§17.21", "training",
          "What one GPU holds at the peak of a training step: the weights; the gradients and optimizer states "
          "of the parameters being trained (AdamW keeps two per parameter: 8 bytes each in fp32, 2 in bf16, 1 "
          "in 8-bit); the activations the layers store for the backward pass (proportional to micro-batch × "
          "sequence length, and cut to each layer's input by gradient checkpointing, which recomputes the rest); "
          "and the logits over the vocabulary. Full fine-tuning trains every weight. LoRA freezes the model and "
          "trains small rank-r adapters, r·(d_in + d_out) weights per adapted layer, so gradients and optimizer "
          "states nearly vanish. QLoRA also stores the frozen weights in 4-bit NF4 (4.127 bits with double "
          "quantization). FSDP splits weights, gradients and optimizer states across GPUs but not the "
          "activations. The count is multiplied by what published runs of the same method measured against "
          "it; the Accuracy view shows those runs.",
          "counted from the tensors a step keeps, calibrated on published peaks, with an 80 % band; frameworks "
          "differ (fp32 norms, chunked losses, compilation)",
          phrases=("Peak memory per GPU", "Counted peak per GPU", "Trained parameters", "Longest sequence that fits",
                   "Stored activations per GPU"),
          figures=("finetune_peak_memory_bytes", "finetune_trained_params", "finetune_activation_bytes",
                   "finetune_optimizer_bytes", "finetune_gradient_bytes", "finetune_largest_seq_len_tokens")),
    _term("finetune-speed", "Fine-tuning speed and run time", "§17.10, §20.11", "training",
          "How many tokens a fine-tuning run trains per second on all its GPUs, and how long and how much one "
          "pass over your data takes. Each token costs a forward pass (2 FLOPs per parameter, plus attention "
          "over the sequence) and a backward pass: twice the forward when every weight trains, about the "
          "forward alone when only LoRA adapters train (the frozen base needs only the gradients that flow "
          "through it); gradient checkpointing runs each layer's forward again. Speed is the GPUs' dense bf16 "
          "peak times the share of it that published runs of the same method reached on these FLOPs, divided "
          "by the FLOPs per token. QLoRA reaches a smaller share: its 4-bit weights are unpacked at every "
          "use. Padding tokens cost compute too: unpacked batches of short examples train fewer real tokens.",
          "calibrated on published fine-tuning speeds, with an 80 % band; kernels, compilation and packing "
          "move it",
          phrases=("FLOPs per trained token", "Training speed (all GPUs)", "Time and cost of the run"),
          figures=("finetune_flops_per_token", "finetune_tokens_per_s", "finetune_step_s", "finetune_s",
                   "finetune_gpu_hours", "finetune_usd")),
    _term("chinchilla", "Chinchilla scaling (20 tokens per parameter)", "§17.30", "training",
          "The compute-optimal rule of Hoffmann et al. (2022): for the lowest loss per training FLOP, train "
          "on about 20 tokens per parameter (D = 20·N). X-1 and X-3 size training runs with it, and K "
          "uses it when no token count is given. Many current models are trained far longer (hundreds of "
          "tokens per parameter) to be cheaper to serve, so treat it as a baseline, not as how a given "
          "model was trained.",
          "an established rule for compute-optimal training",
          phrases=("Chinchilla", "Chinchilla-optimal"), figures=("training_tokens", "chinchilla_params")),
    _term("mfu", "MFU (model FLOPs utilisation)", "§20.11", "training",
          "The share of a GPU's peak FLOPs a training run actually achieves: training time = FLOPs ÷ (peak "
          "× MFU × number of GPUs). Published large runs report roughly 0.3–0.5. Time and cost scale "
          "inversely with it, so it moves X-1's and X-3's answers most. X-1 without an MFU uses the "
          "calibrated one (throughput against model size, times a goodput fitted on published GPU-hours against model size and the GPU's dense peak — in the published runs, H100-class GPUs were kept about half as busy as A100s) "
          "and a band, and so does X-3; set it from your own stack if you know it (then no band: it describes the "
          "calibrated MFU).",
          "calibrated in X-1 and X-3 (wide band) unless you set it; time and cost scale with 1/MFU",
          phrases=("MFU",), figures=("training_s", "training_gpu_hours")),
    _term("invariant-k", "K (compute-context invariant)", "§29", "training",
          "K = γ·ln(N²·D), with N the parameter count and D the training tokens (20·N, the Chinchilla "
          f"ratio, unless given). On a panel of 22 models K came out at {_n(K_PANEL_MEAN)} ± "
          f"{_n(K_PANEL_STD)}, which the framework reads as roughly conserved; X-22 says whether your "
          "model lies within one standard deviation of that mean. The band is wide (a third of the mean) "
          "and rests on 22 models, so “outside the band” is a prompt to re-check the measured γ or the "
          "token count, not a verdict on the model.",
          "empirical, panel of 22 models, wide band",
          phrases=("K", "invariant K", "compute-context invariant", "Compute-context invariant"),
          figures=("compute_invariant_k",)),
    _term("pdi", "PDI (Padé Deviation Index)", "§33.2", "diagnostics",
          "PDI = θ(1 − γ_obs)√2 / ((1 + γ_obs)·T): the horizon implied by a measured γ divided by the "
          "context length it was measured at. PDI = 1 means the model behaves exactly as γ_Padé predicts; "
          "0.5–1.5 is green; above 1.5 the measured γ is well below the prediction (attention more "
          "long-range than θ suggests, often attention sinks); below 0.5 it is more concentrated than "
          "predicted; a measured γ at or beyond the Hagedorn point is red. It is the real test of the "
          "framework for your model because it needs a measured γ; the band limits are the framework's "
          "rule of thumb.",
          "needs a measured γ; bands are a rule of thumb",
          phrases=("PDI", "Padé Deviation Index", "γ deviation from Padé")),
    _term("imprint", "Learned imprint and imprint purity", "§28", "diagnostics",
          "γ measured on random tokens (γ_random) drifts with model size as ν·log10(P/P₀), with ν = −1/(2π) "
          f"≈ {NU_IMPRINT:.3f} and P₀ = {_n(P_0_IMPRINT_M)} M parameters — a shift θ alone does not explain, "
          "read as position bias learned in training. Imprint purity compares a measured γ_random with "
          f"that prediction: within ±{_n(IMPRINT_CI_95)} it is “clean”, below “over-imprinted”, above "
          f"“under-imprinted”. The law was fitted on 22 models; the ±{_n(IMPRINT_CI_95)} band is wide, so "
          "purity flags outliers rather than ranking models.",
          "fitted on 22 models; wide band",
          phrases=("Imprint", "imprint", "Imprint purity", "Imprint shift", "γ_random", "learned imprint"),
          figures=("gamma_random_predicted",)),
    _term("post-ih", "Induction heads (pre-IH / post-IH)", "§30", "diagnostics",
          "Induction heads are attention circuits that continue a pattern seen earlier in the context "
          "(after “A B … A” they predict “B”); they form during training and go with in-context learning. "
          "Pre-IH and post-IH mark a model or checkpoint before and after they formed. The framework "
          "reads it from the sign of Δγ = γ_text − γ_random (positive: post-IH) and, by size alone, "
          f"expects post-IH from {POST_IH_MIN_PARAMS / 1e6:g} M parameters up. For one model this is weak "
          f"evidence: the panel means ({IH_PANEL['pre_IH_mean']:+g} pre, {IH_PANEL['post_IH_mean']:+g} "
          f"post) are closer together than their spread ({_n(IH_PANEL['std'])}), and the δ_post_IH "
          "correction to γ did not replicate. Use X-23 to follow a training run's trend, not to certify "
          "one checkpoint.",
          "weak for one model; panel of 22 with overlapping groups",
          phrases=("post-IH", "pre-IH", "IH", "IH phase", "Induction-head phase", "induction heads",
                   "Δγ", "phase prediction"),
          figures=("delta_gamma",)),
    _term("critical-exponents", "Critical exponents (ν, β, η, α, γ_χ)", "§33.4", "diagnostics",
          "In the language of phase transitions, the framework derives from γ the exponents ν = 1/(1 − γ) "
          "(correlation length), β = η = γ − 1 (order parameter, anomalous dimension), α = 2 − ν "
          "(specific heat) and γ_χ = 1/(1 − γ) + 2(1 − γ) (susceptibility), which never falls below 2√2 "
          f"(its minimum is at γ = 1 − 1/√2 ≈ {GAMMA_AT_SUSC_MIN:.3f}). They all diverge as γ approaches "
          f"{_n(_HAGEDORN)}. They describe the framework's mathematical structure; no recipe verdict uses "
          "them, so they matter for reading the paper, not for a deployment decision. Paper 1's η = 2γ "
          "is refuted (see the 12 identities).",
          "pure mathematics of the framework; no verdict depends on it",
          phrases=("Critical exponents", "critical exponents", "γ_χ", "γ_susc", "η")),
    _term("identities", "The 12 identities (algebraic consistency)", "§34", "diagnostics",
          "Twelve algebraic relations, most of them among the critical exponents (for example β·χ = −1 "
          "and α + χ = 2), "
          "that the paper reports as checked with the Sage computer-algebra system and proved in the "
          "Lean theorem prover; the app re-checks them numerically for your γ. Because they are "
          "identities in γ, they hold for every γ between 0 and 1, whatever model it came from: 12 of 12 "
          "passing confirms that the formulas and their arithmetic agree, not that a γ was measured well "
          "or that the framework predicts real models. Two entries read differently: Fisher's scaling law "
          "is expected to fail in a known way, and “η = 2γ refuted” passes when Paper 1's claim is shown "
          "wrong.",
          "algebra; says nothing about a model",
          phrases=("identities", "12 identities", "D-SAGE", "algebraic consistency")),
    _term("famous-constants", "Famous constants", "§31", "diagnostics",
          "Whether γ lies within a small tolerance of a well-known constant (1/√2, 1/π, ln 2, the golden "
          "ratio's conjugate 1 − 1/φ, …). The paper noticed four panel models close to such constants. "
          "With γ values spread continuously, some near-misses are expected by chance; treat a hit as a "
          "curiosity. It affects no verdict.",
          "a curiosity (n = 4 hits); likely coincidence",
          phrases=("Famous constants", "famous constants", "famous constant", "nearest constants")),
    _term("rsrc", "RSRC_t (training-efficiency score)", "RSRC paper (separate from TAF)", "leaderboard",
          "From the Recursive Self-Referential Compression paper, a separate work from TAF: a training-"
          "efficiency score per model from its parameter count, training FLOPs, an energy index and its "
          "release year — RSRC_t = ln(active parameters) × ARCH_SCORE ÷ E^k × an age factor, where E "
          "grows with training FLOPs per parameter^α and with the energy index. Higher is better; the "
          "leaderboard ranks by it, and every parameter is a control. The inputs are approximate (many "
          "FLOPs and energy figures are estimates, flagged as such) and the units loose, so small "
          "differences mean nothing. The score reproduces the reference calculator, quirks included.",
          "approximate inputs; a rough ranking",
          phrases=("RSRC", "RSRC_t")),
)


def glossary() -> dict:
    """Every term (id, anchor, term, section, group, text, reliability, phrases, figures), the
    groups' titles in order and the rule the UI matches its jargon by."""
    return {"terms": [dict(t, phrases=list(t["phrases"]), figures=list(t["figures"])) for t in TERMS],
            "groups": [{"id": key, "title": title} for key, title in GROUPS.items()],
            "match_rule": MATCH_RULE}


def term(term_id: str) -> dict | None:
    """One term by id (None if there is none)."""
    return next((dict(t) for t in TERMS if t["id"] == term_id), None)


__all__ = ["glossary", "term", "TERMS", "ANCHOR_PREFIX"]
