"""The GPU catalog (presets/gpus.json): every entry complete, typed, sane and sourced (issue 10, item 1)."""
import json
import pathlib

import pytest

CATALOG = json.loads((pathlib.Path(__file__).resolve().parent.parent / "presets" / "gpus.json").read_text())
GPUS = CATALOG["gpus"]
BY_NAME = {g["name"]: g for g in GPUS}

REQUIRED = [
    "H100 SXM", "H100 PCIe", "H200", "B200", "A100 80GB", "A100 40GB", "L40S", "MI300X", "RTX 4090", "RTX 5090",
    "RTX 5060Ti", "GB200 (per GPU)", "MI325X", "L4", "Apple M4 Max (128 GB)", "Apple M3 Ultra (512 GB)",
    "DGX Spark (GB10)", "RTX 3060 12GB", "RTX 3080", "RTX 3090", "RTX 4060 Ti 16GB", "RTX 4070 Ti Super", "RTX 4080", "RTX 5080",
    "RTX A6000", "RTX 6000 Ada", "RTX PRO 6000", "A10G", "A40", "A100 PCIe 40GB", "A100 PCIe 80GB", "H100 NVL", "H20",
    "H800", "T4", "V100 32GB", "MI250X", "MI355X", "Gaudi 3", "Apple M1 Max (64 GB)", "Apple M1 Ultra (128 GB)",
    "Apple M2 Max (96 GB)", "Apple M2 Ultra (192 GB)", "Apple M3 Max (128 GB)",
]
EXISTING_KEYS = ["name", "bf16_tflops", "vram_gb", "hbm_gb_per_s", "usd_per_hour", "tdp_w", "source", "memory_kind"]
NEW_KEYS = ["memory_bytes", "memory_bytes_basis", "gpu_usable_share", "peak_tflops", "interconnect", "sources"]
DTYPES = ["bf16", "fp16", "fp8", "fp4", "int8"]
NUM = (int, float)


def test_names_unique_and_required_present():
    names = [g["name"] for g in GPUS]
    assert len(names) == len(set(names))
    assert [n for n in REQUIRED if n not in BY_NAME] == []


@pytest.mark.parametrize("g", GPUS, ids=lambda g: g["name"])
def test_schema_and_ranges(g):
    assert list(g)[:len(EXISTING_KEYS)] == EXISTING_KEYS  # existing key order kept
    for k in NEW_KEYS:
        assert k in g, k
    assert isinstance(g["bf16_tflops"], NUM) and 1 <= g["bf16_tflops"] <= 20000
    assert isinstance(g["vram_gb"], NUM) and 1 <= g["vram_gb"] <= 1024
    assert isinstance(g["hbm_gb_per_s"], NUM) and 50 <= g["hbm_gb_per_s"] <= 30000
    assert g["usd_per_hour"] is None or (isinstance(g["usd_per_hour"], NUM) and 0 < g["usd_per_hour"] < 100)
    assert g["tdp_w"] is None or (isinstance(g["tdp_w"], NUM) and 10 <= g["tdp_w"] <= 2000)
    assert isinstance(g["source"], str) and g["source"].strip()
    assert g["memory_kind"] in ("hbm", "gddr", "unified")

    assert isinstance(g["memory_bytes"], int) and not isinstance(g["memory_bytes"], bool)
    assert g["memory_bytes_basis"] in ("reported", "nominal")
    nominal = g["vram_gb"] * 2**30
    if g["memory_kind"] == "unified":
        assert 0.85 * nominal <= g["memory_bytes"] <= 1.1 * nominal
        assert g["gpu_usable_share"] is None or 0.5 <= g["gpu_usable_share"] <= 1.0
    else:
        assert 0.85 * nominal <= g["memory_bytes"] <= 1.1 * nominal, g["memory_bytes"] / nominal
        assert g["gpu_usable_share"] is None
    if g["memory_bytes_basis"] == "nominal":
        assert g["memory_bytes"] % 2**30 == 0  # nominal means marketed GiB x 2^30

    pk = g["peak_tflops"]
    assert sorted(pk) == sorted(DTYPES)
    for dt in DTYPES:
        assert pk[dt] is None or (isinstance(pk[dt], NUM) and pk[dt] > 0), dt
    assert pk["bf16"] is not None or pk["fp16"] is not None
    if pk["bf16"] is not None and pk["fp8"] is not None:
        assert pk["fp8"] >= pk["bf16"]
    if pk["fp8"] is not None and pk["fp4"] is not None:
        assert pk["fp4"] >= pk["fp8"]
    # bf16_tflops agrees with the table: bf16 when the hardware has it, else fp16 (T4, V100)
    table = pk["bf16"] if pk["bf16"] is not None else pk["fp16"]
    assert abs(g["bf16_tflops"] - table) <= 0.01 * table  # MI300X/MI325X: datasheet 1307 vs table 1300

    ic = g["interconnect"]
    assert sorted(ic) == ["direction", "gb_per_s", "kind"]
    assert isinstance(ic["kind"], str) and ic["kind"].strip()
    assert ic["direction"] in ("bidirectional", "unidirectional")
    assert ic["gb_per_s"] is None or (isinstance(ic["gb_per_s"], NUM) and ic["gb_per_s"] >= 0)

    src = g["sources"]
    for k in ("memory_bytes", "peak_tflops", "bandwidth", "interconnect"):
        assert isinstance(src.get(k), str) and src[k].strip(), k
    for k, v in src.items():
        assert isinstance(v, str) and v.strip(), k
    if g["memory_kind"] == "unified":
        assert src.get("gpu_usable_share", "").strip()
    if g["usd_per_hour"] is not None and g["name"] not in _PRICED_BEFORE:
        assert g.get("usd_per_hour_source", "").strip()


_PRICED_BEFORE = {"H100 SXM", "H100 PCIe", "H200", "B200", "A100 80GB", "A100 40GB", "L40S", "MI300X", "RTX 4090",
                  "RTX 5090", "GB200 (per GPU)", "MI325X", "L4"}


def test_driver_reports_used_where_found():
    # A few driver-reported totals quoted in public logs (see sources.memory_bytes).
    mib = {"H100 SXM": 81559, "T4": 15360, "L4": 23034, "A10G": 23028, "RTX 3060 12GB": 12288, "RTX A6000": 49140,
           "H200": 143771, "B200": 183359, "L40S": 46068, "RTX 4090": 24564, "RTX 5090": 32607, "RTX 3090": 24576,
           "A100 40GB": 40960, "A100 80GB": 81920}
    for name, m in mib.items():
        assert BY_NAME[name]["memory_bytes"] == m * 2**20 and BY_NAME[name]["memory_bytes_basis"] == "reported", name
