"""An independent, vectorised RSRC_t with pandas/numpy — the cross-check, never the browser path.

Written from rsrc-formula.md directly (not from taf.rsrc): cleaning with pandas string methods,
every step a column operation."""
import io

import numpy as np
import pandas as pd

MISSING = ["", "N/A", "NA", "n/a", "Unknown", "unknown", "?", "-"]
OVERRIDES = {"GPT-4o": 200.0, "DeepSeek V3": 37.0, "Mixtral 8x7B": 13.0}


def _numeric(series):
    s = series.astype(str).str.strip().str.lstrip("~").str.rstrip("%").str.strip()
    s = s.where(~s.isin(MISSING + ["nan", "None"]))
    return pd.to_numeric(s, errors="coerce")


def rsrc_scores(csv_text, alpha=0.5, beta=50.0, arch_score=1.0, moe_scale=0.8, legacy=1.2,
                moe_exp=0.48, dense_exp=0.45, current_year=2024, slope=0.05, floor=0.8,
                capped=False):
    df = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False, skipinitialspace=False)
    df.columns = [c.strip() for c in df.columns]
    name = df["Model"].str.strip()
    arch = df["Architecture"].str.strip()
    params = _numeric(df["Parameters (B)"])
    flops = _numeric(df["Training FLOPs"])
    energy = _numeric(df["Energy/pFLOP"])
    year = _numeric(df["Year"])
    cap = params ** 0.8 * 1e3
    used_flops = np.minimum(flops, cap) if capped else flops
    eff = (used_flops / params ** alpha) * (energy / beta)
    eff = eff.where(~((arch == "Dense") & (year < 2024)), eff * legacy)
    active = params.where(arch != "MoE", params * moe_scale)
    for model, value in OVERRIDES.items():
        active = active.where(name != model, value)
    age = np.maximum(floor, 1 - (current_year - year) * slope)
    k = np.where(arch == "MoE", moe_exp, dense_exp)
    score = (np.log(active) * arch_score / eff ** k) * age
    return list(zip(name, score.where(np.isfinite(score))))
