"""Line charts a recipe returns beside its chain (`result["charts"]`): the series, their bands, the
marked answer and the axes, all decided here; the front end only positions them
(static/js/components/line-chart.js)."""
from __future__ import annotations

from .. import axes


def line_chart(chart_id: str, title: str, x_label: str, x_unit: str, x_scale: str, y_label: str, y_unit: str,
               series: list, marks=(), zones=(), y_scale="linear") -> dict:
    """series: [{"name", "label", "points": [{"x", "y", "low"?, "high"?}]}]; marks: [{"x", "label"}] (an
    answer on the x axis); zones: [{"from", "to", "label", "level"}] (bands of y)."""
    xs = [p["x"] for s in series for p in s["points"]] + [m["x"] for m in marks if m.get("x")]
    ys = [v for s in series for p in s["points"] for v in (p["y"], p.get("high")) if v is not None]
    if zones:  # a zone chart shows its zones' range too
        lo, hi = min(min(ys), *(z["from"] for z in zones)), max(max(ys), *(z["to"] for z in zones))
        y_axis = axes.linear(lo, hi, y_unit, zero=False)
    else:
        y_axis = axes.axis_for([min(ys), max(ys)] if y_scale != "linear" else [0.0, max(ys) * 1.05], y_unit, y_scale)
    return {"id": chart_id, "title": title, "x_label": x_label, "y_label": y_label,
            "x_axis": axes.axis_for(xs, x_unit, x_scale), "y_axis": y_axis, "series": series,
            "marks": [m for m in marks if m.get("x")], "zones": list(zones)}
