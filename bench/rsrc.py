#!/usr/bin/env python3
"""RSRC scale: parse + score generated leaderboards of 1k, 10k and 100k rows in CPython.
Target: 100k rows under 1 s, linear growth. Medians of 5 runs."""
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "py"))
from taf import rsrc  # noqa: E402

HEADER = "Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"


def generate(n, seed=0):
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(n):
        flops = rng.choice([f"{rng.uniform(1, 5e4):.1f}", "Unknown", f"~{rng.uniform(1, 5e4):.0f}"])
        lines.append(f"model-{i},{rng.choice(['Dense', 'MoE'])},{rng.uniform(0.5, 2000):.1f},"
                     f"{rng.randint(8, 150)},{flops},{rng.uniform(30, 95):.1f}%,{rng.uniform(5, 100):.1f},"
                     f"{rng.randint(2018, 2026)}")
    return "\n".join(lines) + "\n"


def main():
    print("every generated row carries quirks (~, %, Unknown): a worst case for the parser")
    print(f"{'rows':>8} {'rsrc_score_csv s':>17} {'parse s':>9} {'score s':>9} {'µs/row':>8}")
    results = {}
    for n in (1_000, 10_000, 100_000):
        text = generate(n)
        totals, parses, scores = [], [], []
        for _ in range(5):
            t0 = time.perf_counter()
            board = rsrc.rsrc_score_csv(text)  # the one call the CLI and the app make
            totals.append(time.perf_counter() - t0)
            del board
            t0 = time.perf_counter()
            parsed = rsrc.parse_csv_text(text)
            t1 = time.perf_counter()
            board = rsrc.score_leaderboard(parsed)
            parses.append(t1 - t0), scores.append(time.perf_counter() - t1)
            del parsed, board
        results[n] = statistics.median(totals)
        print(f"{n:>8,} {results[n]:>17.3f} {statistics.median(parses):>9.3f} {statistics.median(scores):>9.3f} "
              f"{results[n] / n * 1e6:>8.2f}")
    growth = results[100_000] / results[1_000] / 100
    print(f"\n100k rows: {results[100_000]:.3f} s → target < 1 s: {'PASS' if results[100_000] < 1 else 'MISS'}; "
          f"per-row cost 100k vs 1k: ×{growth:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
