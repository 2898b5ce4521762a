// The one spelling of a request, identical to build.py's canonical_key (json.dumps with sorted
// keys and no spaces), so a prerendered result is found by the request the page would send.
export function canonicalKey(value) {
  if (Array.isArray(value)) return "[" + value.map(canonicalKey).join(",") + "]";
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalKey(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}
