#!/usr/bin/env python3
"""How right the app is: per category, the median and 90th-percentile |error| and the 80 % band's
coverage, leave-one-source-out (each independent source predicted by a calibration fitted without
it; its band from the other sources' such predictions) beside the in-sample figures (the shipped band:
from every source's leave-one-source-out predictions). Targets (issue 11): decode median ≤ 10 %, p90 ≤ 25 %; KV-pool
median ≤ 10 %; weights median ≤ 2 %; training GPU-hours median ≤ 25 %; bands cover 70–90 %."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "py"))

from taf import accuracy, corpus  # noqa: E402

TARGETS = {"decode_tokens_per_s": (0.10, 0.25), "kv_pool_tokens": (0.10, None), "weights_bytes": (0.02, None),
           "training_gpu_hours": (0.25, None)}


def pct(x):
    return "   n/a" if x is None else f"{x * 100:5.1f}%"


def main():
    points = corpus.points()
    cal = accuracy.calibrate()  # what `python -m taf calibrate` writes, recomputed from the corpus
    inside, loso = cal["in_sample"], cal["leave_one_source_out"]
    print(f"corpus: {len(points)} points, {cal['n_sources']} independent sources; predicted: {cal['n_predicted']}")
    print(f"{'category':<32}{'n':>5}  {'LOSO median':>11} {'p90':>7} {'cover':>7}   {'in-sample median':>16} {'p90':>7} {'cover':>7}  target")
    for cat in sorted(set(inside) | set(loso)):
        a, b = loso.get(cat, {}), inside.get(cat, {})
        target = TARGETS.get(cat)
        verdict = ""
        if target and a.get("median_abs_error") is not None:
            ok = a["median_abs_error"] <= target[0] and (target[1] is None or (a["p90_abs_error"] or 0) <= target[1])
            verdict = ("met" if ok else "MISSED") + f" (median ≤ {target[0] * 100:g}%" + \
                (f", p90 ≤ {target[1] * 100:g}%)" if target[1] else ")")
        print(f"{cat:<32}{a.get('n', 0):>5}  {pct(a.get('median_abs_error')):>11} {pct(a.get('p90_abs_error')):>7} "
              f"{pct(a.get('band_coverage')):>7}   {pct(b.get('median_abs_error')):>16} {pct(b.get('p90_abs_error')):>7} "
              f"{pct(b.get('band_coverage')):>7}  {verdict}")


if __name__ == "__main__":
    main()
