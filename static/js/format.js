// Presentation only: how a number the engine computed is written (units, SI prefixes).
// Full precision goes in the title attribute; no formula is evaluated here.
const SI = [[1e24, "Y"], [1e21, "Z"], [1e18, "E"], [1e15, "P"], [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
const SI_UNITS = { bytes: "B", "bytes/token": "B/token", FLOPs: "FLOP", "FLOPs/token": "FLOP/token", "FLOP/s": "FLOP/s", params: "", "tokens/day": "tok/day", "tokens/s": "tok/s" };

// One formatter each, made once: toLocaleString builds a new Intl.NumberFormat on every call
// (about 20 µs, dozens per result).
const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });
const WHOLE = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function sig(x, digits = 4) {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return x.toExponential(digits - 1);
  return GROUPED.format(Number(x.toPrecision(digits)));
}

// A duration the engine gives in seconds, in the unit a person reads (the seconds on hover).
const DURATIONS = [[365.25 * 86400, "years"], [86400, "days"], [3600, "hours"], [60, "minutes"]];
function formatDuration(seconds) {
  for (const [scale, name] of DURATIONS) if (Math.abs(seconds) >= 2 * scale) return `${sig(seconds / scale, 3)} ${name}`;
  return `${sig(seconds, 3)} s`;
}

export function formatNumber(value, unit = "") {
  if (value === null || value === undefined) return "n/a";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value !== "number") return String(value);
  if (unit === "s") return formatDuration(value);
  // a whole number is written exactly (32,768, not 32,770); SI prefixes only for large figures in SI units
  const whole = Number.isInteger(value) && Math.abs(value) < 1e15;
  if (whole && !(unit in SI_UNITS && Math.abs(value) >= 1e6)) return unit ? `${formatCount(value)} ${unit}` : formatCount(value);
  if (unit in SI_UNITS && Math.abs(value) >= 1e3) {
    for (const [scale, prefix] of SI) {
      if (Math.abs(value) >= scale) return `${sig(value / scale)} ${prefix}${SI_UNITS[unit]}`.trim()
        + (unit === "params" ? " params" : "");
    }
  }
  if (unit === "tokens" && Math.abs(value) < 1e15) return `${formatCount(value)} tokens`;
  const text = sig(value);
  return unit ? `${text} ${unit}` : text;
}

// A whole count with thousands separators: 100,000 rows, 70,272 bytes.
export function formatCount(value) {
  return WHOLE.format(Math.round(value));
}

// Bounds in help texts: 1e12 rather than 1000000000000.
export function formatBound(value) {
  return Math.abs(value) >= 1e6 ? value.toExponential().replace("e+", "e") : String(value);
}

export function fullPrecision(value) {
  return typeof value === "number" ? String(value) : "";
}

// A step result is a number (its unit beside it), a list (rows, shown as a count) or text.
export function formatResult(result, unit) {
  if (Array.isArray(result)) return { text: `${result.length} item(s)`, title: "" };
  return { text: formatNumber(result, unit), title: fullPrecision(result) };
}
