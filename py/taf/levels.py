"""Traffic-light levels: the one vocabulary for the severity of a verdict or a γ zone.

The UI maps each level to a colour, an icon and a word; it never parses verdict text."""
LEVELS = {
    "ok": {"word": "Go", "meaning": "the plan works as stated"},
    "info": {"word": "Note", "meaning": "no risk found, but the answer is a prediction or needs a measurement"},
    "warning": {"word": "Caution", "meaning": "works with a condition, a workaround or reduced quality"},
    "critical": {"word": "Stop", "meaning": "the plan does not work as stated"},
    "catastrophic": {"word": "Broken", "meaning": "the operating point is pathological (e.g. γ ≤ 0)"},
    "unknown": {"word": "Unknown", "meaning": "not enough input to judge"},
}
