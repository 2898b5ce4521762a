// Runs first (listed before main.js, with only tiny dependencies): starts the engine worker and
// the fetches of precomputed results while the view modules are still loading.
import { Engine, startTimeoutMs } from "./engine.js";
import { ENGINE_WHEEL } from "./build-info.js";

async function fetchJson(path) {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// ?engine_timeout=<ms> is clamped to 5–300 s; Infinity, negatives and text are ignored.
const timeoutMs = startTimeoutMs(new URLSearchParams(location.search).get("engine_timeout"));
export const engine = new Engine({ wheel: ENGINE_WHEEL, timeoutMs, debug: window.__TAF_TEST_HOOKS__ === true });
engine.startAfterFirstPaint(600);  // the first view's verdict paints first (engine.js)
export const metadata = fetchJson("data/metadata.json");
metadata.then((meta) => { if (meta && Number.isFinite(meta.engine_call_deadline_ms)) engine.setCallDeadline(meta.engine_call_deadline_ms); }, () => {});
// The precomputed tables only make the first views faster: missing or invalid, the app starts
// anyway and every answer comes from the engine.
export const firstTable = fetchJson("data/prerendered-first.json").catch(() => ({}));
engine.loadPrerenderedLazily(() => fetchJson("data/prerendered.json"));
window.__taf = { engine }; // a handle for tests and the curious: the same calls the views make
