// Runs first (listed before main.js, with only tiny dependencies): starts the engine worker and
// the fetches of precomputed results while the view modules are still loading.
import { Engine } from "./engine.js";
import { ENGINE_WHEEL } from "./build-info.js";

const DEFAULT_TIMEOUT_MS = 30000;

async function fetchJson(path) {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

const timeout = Number(new URLSearchParams(location.search).get("engine_timeout")) || DEFAULT_TIMEOUT_MS;
export const engine = new Engine({ wheel: ENGINE_WHEEL, timeoutMs: timeout });
engine.start();
export const metadata = fetchJson("data/metadata.json");
export const firstTable = fetchJson("data/prerendered-first.json");
engine.loadPrerenderedLazily(() => fetchJson("data/prerendered.json"));
window.__taf = { engine }; // a handle for tests and the curious: the same calls the views make
