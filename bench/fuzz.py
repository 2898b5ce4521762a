#!/usr/bin/env python3
"""The JSON boundary under hostile input: N requests over every call name with hostile numbers
(range edges, subnormals, huge and over-long integers), strings, shapes and nesting, each answered
by taf.api.handle. Prints the count per outcome: result, input error, internal error, non-strict
JSON, slow (> 100 ms). Target: 0 internal, 0 non-strict, 0 slow.

    python bench/fuzz.py [N=100000] [seed=1]
"""
from __future__ import annotations

import inspect
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "py"))

from taf import api  # noqa: E402

SLOW_S = 0.1
SKIP = {"rsrc_score_upload", "rsrc_score_csv", "rsrc_csv_export"}  # large-file paths: bench/rsrc.py
NUMBERS = ["0", "-0", "1", "-1", "0.5", "2", "1e-310", "5e-324", "-5e-324", "1e-200", "1e308", "-1e308",
           "1.7976931348623157e308", "1e16", "1e18", "1e40", "4096", "65536", "1000000000", "1000000001",
           "999999999999", "12345678901234567890", "9" * 400, "3.9e-324", "0.999999999999", "1.0000001"]
STRINGS = ['""', '"  "', '"abc"', '"1e400"', '"NaN"', '"Infinity"', '"32k"', '"8B"', '"\\ud800"',
           '"<img src=x onerror=1>"', '"H100 SXM"', '"GPT-4o"', '"X-2"', '"meta-llama/Meta-Llama-3-8B"',
           '"' + "x" * 3000 + '"', '"true"', '"0x10"', '"1_000"', '"1,5"', '"+5"', '" 7 "']
SHAPES = ["null", "true", "false", "[]", "{}", "[1,2]", '{"a":1}', "[[[[[[1]]]]]]"]


def hostile(rng: random.Random, param=None) -> str:
    """One JSON value: mostly edge numbers and strings, sometimes a meta-aware edge of a range."""
    roll = rng.random()
    if param and roll < 0.3:
        for bound in ("min", "max"):
            if param.get(bound) is not None and rng.random() < 0.5:
                b = param[bound]
                return json.dumps(rng.choice([b, b * (1 + 1e-12) if b else 1e-300, b * 0.999999 if b else -1e-300,
                                              -b, b * 10]))
        if param.get("choices"):
            return json.dumps(rng.choice(param["choices"]))
    if roll < 0.6:
        return rng.choice(NUMBERS)
    if roll < 0.85:
        return rng.choice(STRINGS)
    return rng.choice(SHAPES)


def request(rng: random.Random, meta: dict) -> str:
    call = rng.choice([c for c in api.CALLS if c not in SKIP])
    fn = api.CALLS[call]
    args = []
    if call in ("run_recipe", "compare_models"):
        recipe = rng.choice(meta["recipes"])
        params = recipe["params"]
        chosen = [p for p in params if rng.random() < 0.5]
        body = ", ".join(f'"{p["name"]}": {hostile(rng, p)}' for p in chosen)
        if rng.random() < 0.7:
            body = (body + ", " if body else "") + f'"model": {json.dumps(rng.choice(meta["presets"])["id"])}'
        if call == "run_recipe":
            args.append(f'"recipe_id": "{recipe["id"]}"')
            args.append(body)
        else:
            specs = json.dumps([p["id"] for p in rng.sample(meta["presets"], rng.randint(1, 3))])
            args.append(f'"specs": {specs}, "recipe_id": "{recipe["id"]}", "shared_params": {{{body}}}')
    elif call == "profile_model":
        args.append(", ".join(f'"{p["name"]}": {hostile(rng, p)}' for p in meta["profile"]["params"]
                              if rng.random() < 0.4))
    elif call == "import_config":
        depth = rng.choice([1, 5, 200, 3000])
        text = '{"model_type": "llama", "num_hidden_layers": %s, "x": %s%s}' % (
            rng.choice(NUMBERS), "[" * depth, "]" * depth)
        args.append(f'"text": {json.dumps(text)}')
    else:
        for name in inspect.signature(fn).parameters:
            if rng.random() < 0.6:
                args.append(f'"{name}": {hostile(rng)}')
    inner = ", ".join(a for a in args if a)
    return f'{{"call": "{call}", "args": {{{inner}}}}}'


def _field_on_a_form(text: str, field, meta: dict) -> bool:
    """An input error from a recipe, the profile or compare names an input the person can see."""
    request = json.loads(text)
    call = request["call"]
    if call not in ("run_recipe", "profile_model", "compare_models"):
        return True
    args = request.get("args") or {}
    if call == "profile_model":
        params = meta["profile"]["params"]
    else:
        recipe = next((r for r in meta["recipes"] if r["id"] == args.get("recipe_id")), None)
        if recipe is None:
            return field == "recipe_id"
        params = recipe["params"]
    names = {n for p in params for n in (p["name"], *p["aliases"])} | set(meta["arch_fields"])
    names |= {"model", "config", "recipe_id", "specs", "shared_params", "params", "args", "call", "request"}
    return field in names or (isinstance(field, str) and field.startswith("specs["))


def run(n: int, seed: int = 1) -> Counter:
    rng = random.Random(seed)
    run.all_bad = []
    meta = json.loads(api.handle('{"call": "app_metadata", "args": {}}'))["result"]
    outcomes: Counter = Counter()
    examples: dict = {}
    for _ in range(n):
        text = request(rng, meta)
        t0 = time.perf_counter()
        reply = api.handle(text)
        elapsed = time.perf_counter() - t0

        def refuse(name):
            raise ValueError(name)
        try:
            response = json.loads(reply, parse_constant=refuse)
            reply.encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            kind = "non-strict"
        else:
            kind = "result" if response["ok"] else response["error"]["type"]
            if kind == "input" and not _field_on_a_form(text, response["error"]["field"], meta):
                kind = "input, no such field"
        outcomes[kind] += 1
        if elapsed > SLOW_S:
            outcomes["slow"] += 1
            examples.setdefault("slow", (text[:300], f"{elapsed * 1e3:.0f} ms"))
        if kind in ("internal", "non-strict", "input, no such field"):
            examples.setdefault(kind, (text[:300], reply[:300]))
            run.all_bad.append((kind, text, reply))
    run.examples = examples
    return outcomes


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    t0 = time.perf_counter()
    outcomes = run(n, seed)
    print(f"{n:,} requests in {time.perf_counter() - t0:.1f} s (seed {seed})")
    for kind in ("result", "input", "input, no such field", "internal", "non-strict", "slow"):
        print(f"  {kind:<11}{outcomes.get(kind, 0):>9,}")
    for kind, (req, reply) in run.examples.items():
        print(f"\nfirst {kind}:\n  request {ascii(req)}\n  reply   {ascii(reply)}")
    bad = sum(outcomes.get(k, 0) for k in ("internal", "non-strict", "slow", "input, no such field"))
    print("\ntarget 0 internal, 0 non-strict, 0 slow, every input error on a field the form has:",
          "PASS" if not bad else "MISS")


if __name__ == "__main__":
    main()
