"""§20 — hardware: training-run cost and self-hosted $/Mtok from a GPU's figures.

Pure: a GPU is passed as its record ({"name", "bf16_tflops", "hbm_gb_per_s", "usd_per_hour"}, as
the catalog hands it out). The seed's call by catalog name (gpu="H100 SXM") is `taf.seed`'s."""
from __future__ import annotations

from .. import validate
from . import _check as c
from .pretraining import training_flops

SECONDS_PER_HOUR = 3600.0


def _gpu(gpu, needs: str) -> dict:
    """A GPU record with the figure a formula needs (bf16_tflops or hbm_gb_per_s), validated."""
    if gpu is None or isinstance(gpu, str):
        raise c.InputError("gpu", f"taf.formulas takes a GPU record, not a name ({gpu!r}); "
                           "taf.seed and the recipes look names up in the catalog")
    record = dict(validate.mapping("gpu", gpu))
    if record.get(needs) is None:
        raise c.InputError("gpu", f"the GPU record needs {needs}")
    hi = c.L.MAX_BANDWIDTH_GB_S if needs == "hbm_gb_per_s" else c.L.MAX_FLOPS
    record[needs] = c.positive(record[needs], f"gpu.{needs}", hi)
    return record


def resolve_gpu_price(gpu, override=None, field: str = "gpu_usd_per_hour"):
    """§20 — the hourly price used: the override if given, else the GPU record's (None = unpriced)."""
    if override is not None:
        return c.nonneg(override, field, c.L.MAX_USD_PER_HOUR)
    price = validate.mapping("gpu", gpu).get("usd_per_hour")
    return None if price is None else c.nonneg(price, "gpu.usd_per_hour", c.L.MAX_USD_PER_HOUR)


def training_seconds(total_flops, peak_tflops, mfu, n_gpus) -> float:
    """§20.11 — wall time = C ÷ (peak TFLOP/s·1e12·MFU·n_gpus)."""
    return total_flops / (peak_tflops * 1e12 * mfu * n_gpus)


def cost_for_flops(total_flops, gpu=None, n_gpus=8, mfu=0.45, gpu_usd_per_hour=None) -> dict:
    """§20.11 — hours = C ÷ (peak·1e12·MFU·n_gpus·3600); USD = hours·USD/h·n_gpus (None if unpriced)."""
    info = _gpu(gpu, "bf16_tflops")
    n_gpus = c.count(n_gpus, "n_gpus", c.L.MAX_GPUS)
    mfu = c.fraction(mfu, "mfu")
    price = resolve_gpu_price(info, gpu_usd_per_hour)
    total_flops = c.positive(total_flops, "total_flops", c.L.MAX_FLOPS)
    hours = training_seconds(total_flops, info["bf16_tflops"], mfu, n_gpus) / SECONDS_PER_HOUR
    return {"total_FLOPs": total_flops, "hours": hours, "days": hours / 24,
            "GPU_hours": hours * n_gpus,
            "USD": None if price is None else hours * price * n_gpus,
            "usd_per_gpu_hour": price, "gpu": info.get("name"), "n_gpus": n_gpus, "mfu": mfu}


def cost_per_training_run(N_params, D_tokens, gpu=None, n_gpus=8, mfu=0.45, gpu_usd_per_hour=None) -> dict:
    """§20.11 — cost = 6ND ÷ (peak·MFU·n_gpus) → hours → hours·USD/h·n_gpus (USD None if unpriced)."""
    return cost_for_flops(training_flops(N_params, D_tokens), gpu, n_gpus, mfu, gpu_usd_per_hour)


def cost_per_inference_token(model_GB, gpu=None, batch=1, gpu_usd_per_hour=None) -> dict:
    """§19.9 / §20.12 — tok/s = HBM GB/s ÷ model GB × batch; $/Mtok = USD/h ÷ (tok/s·3600 ÷ 1e6)."""
    info = _gpu(gpu, "hbm_gb_per_s")
    model_gb = c.positive(model_GB, "model_GB", c.L.MAX_MEMORY_GB)
    batch = c.count(batch, "batch", 1_000_000)
    price = resolve_gpu_price(info, gpu_usd_per_hour)
    tok_per_sec = info["hbm_gb_per_s"] / model_gb * batch
    hours_per_mtok = 1e6 / tok_per_sec / SECONDS_PER_HOUR
    return {"tok_per_sec": tok_per_sec,
            "USD_per_Mtok": None if price is None else hours_per_mtok * price,
            "usd_per_gpu_hour": price, "gpu": info.get("name"), "batch": batch}
