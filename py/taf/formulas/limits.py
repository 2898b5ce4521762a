"""Plausibility bounds shared by every formula: wide enough for any real model, tight enough
that no arithmetic can overflow. A value outside them is refused with the field's name."""
MAX_PARAMS = 1e16          # parameters (10 quadrillion)
MAX_TOKENS = 1e18          # training tokens
MAX_CONTEXT = 1_000_000_000  # tokens in one sequence
MAX_THETA = 1e12           # RoPE base
MAX_GAMMA = 100.0          # |γ|; measured γ lie within ±3
MAX_LAYERS = 100_000
MAX_HEADS = 100_000
MAX_HEAD_DIM = 100_000
MAX_BYTES_PER_ELEMENT = 16.0
MAX_GPUS = 1_000_000
MAX_USD = 1e15
MAX_USD_PER_HOUR = 1e6
MAX_BANDWIDTH_GB_S = 1e9
MAX_FLOPS = 1e40
MAX_MEMORY_GB = 1e12
