// The engine worker: boots Pyodide from this site (never a CDN), unpacks the taf wheel into
// site-packages (measured ~30 ms, against ~500 ms for micropip.install) and answers calls
// through taf.api.handle, which always returns strict JSON text; while a call runs, the engine's
// progress hook (taf.rsrc.set_progress) posts {type: "progress", id, done, total, stage}.
//
// Nothing leaves the origin, enforced here where Python runs: once the worker has loaded its own
// files, lockDown() removes every network path from this worker's global scope — which is also
// what Python sees as its `js` module and what Pyodide's pyfetch/open_url use — before the
// engine answers anything (see NETWORK_APIS). Hosts that send headers add the page's
// Content-Security-Policy to this script too (the `_headers` file at the repository root).
//
// A crash Pyodide reports (e.g. a stack overflow on input nested thousands deep) is fatal: the
// worker says "failed" and answers nothing more; the page stops it and offers Retry.
import { loadPyodide } from "../../pyodide/pyodide.mjs";

let handle = null;
let pyodide = null;
let debug = false;
let dead = null;  // the reason, once Pyodide has crashed: no later call gets an answer
// Progress of the call being answered (a large upload: taf.rsrc.set_progress calls `progress`
// every 64k records); posted as {type: "progress", id, done, total, stage}, at most one message
// per PROGRESS_EVERY_MS so a fast parse does not flood the page.
const PROGRESS_EVERY_MS = 100;
let progressId = null;
let progressAt = -Infinity;
const post = (message) => self.postMessage(message);
function progress(done, total, stage) {
  try {
    if (progressId === null) return;
    const now = performance.now();
    if (now - progressAt < PROGRESS_EVERY_MS) return;
    progressAt = now;
    post({ type: "progress", id: progressId, done: Number(done), total: Number(total), stage: String(stage) });
  } catch (error) { /* progress is advisory: never fail the call for it */ }
}
const firstLine = (error) => String(error && error.message ? error.message : error).split("\n")[0].slice(0, 300);

// Every way a script in a dedicated worker can make a request (or run source text that could):
// removed from the global object and its prototype chain, or replaced by a function that throws.
const NETWORK_APIS = ["fetch", "XMLHttpRequest", "WebSocket", "WebSocketStream", "EventSource", "WebTransport",
  "importScripts", "Worker", "SharedWorker", "caches", "CacheStorage", "Cache", "FontFace", "fonts",
  "BackgroundFetchManager", "ServiceWorkerContainer"];
const refuse = (name) => function blocked() { throw new Error(`${name} is disabled in the TAF engine (nothing leaves this tab)`); };

function removeEverywhere(target, name, replacement) {
  for (let object = target; object; object = Object.getPrototypeOf(object)) {
    if (Object.prototype.hasOwnProperty.call(object, name)) {
      if (!Reflect.deleteProperty(object, name)) Object.defineProperty(object, name, { value: replacement, writable: false, configurable: false });
    }
  }
  if (name in target && target[name] !== replacement) {
    Object.defineProperty(target, name, { value: replacement, writable: false, configurable: false });
  }
}

function lockDown() {
  for (const name of NETWORK_APIS) removeEverywhere(self, name, undefined);
  if (self.navigator) removeEverywhere(self.navigator, "serviceWorker", undefined);
  // Source text → code would reach dynamic import(): eval, the Function constructors (also as
  // any function's .constructor) and string handlers of setTimeout/setInterval.
  removeEverywhere(self, "eval", refuse("eval"));
  const blockedConstructor = new Proxy(Function, { apply: refuse("Function"), construct: refuse("Function") });
  for (const fn of [function () {}, async function () {}, function* () {}, async function* () {}]) {
    Object.defineProperty(Object.getPrototypeOf(fn), "constructor", { value: blockedConstructor, writable: false, configurable: false });
  }
  Object.defineProperty(self, "Function", { value: blockedConstructor, writable: false, configurable: false });
  for (const name of ["setTimeout", "setInterval"]) {
    const original = self[name].bind(self);
    Object.defineProperty(self, name, { value: (callback, ...rest) => {
      if (typeof callback !== "function") throw new TypeError(`${name} with source text is disabled in the TAF engine`);
      return original(callback, ...rest);
    }, writable: false, configurable: false });
  }
  return NETWORK_APIS.filter((name) => !(name in self) || self[name] === undefined);
}

async function boot(wheel) {
  const started = performance.now();
  const stages = {};
  const lap = (name) => { stages[name] = Math.round(performance.now() - started); };
  try {
    post({ type: "status", stage: "loading the Python runtime" });
    // the engine's wheel downloads while the runtime boots (the two are independent)
    const wheelResponse = fetch(new URL(`../../py/${wheel}`, import.meta.url));
    wheelResponse.catch(() => {});  // a failure is reported below, once the runtime is up
    pyodide = await loadPyodide({
      indexURL: new URL("../../pyodide/", import.meta.url).href,
      stdout: () => {},
      stderr: () => {},
    });
    lap("runtime");
    post({ type: "status", stage: "loading the TAF engine" });
    const response = await wheelResponse;
    if (!response.ok) throw new Error(`the engine package could not be fetched (HTTP ${response.status})`);
    pyodide.unpackArchive(await response.arrayBuffer(), "wheel");
    lap("wheel");
    handle = pyodide.pyimport("taf.api").handle;
    pyodide.pyimport("taf.rsrc").set_progress(progress);  // posts only while a call is answered
    lap("import");
    const locked = lockDown();  // the worker's own files are loaded: from here on, no network at all
    lap("lockdown");
    const probe = JSON.parse(handle('{"call": "list_levels"}'));
    if (!probe.ok) throw new Error("the engine did not answer a test call");
    lap("probe");
    post({ type: "ready", ms: performance.now() - started, stages, locked });
  } catch (error) {
    post({ type: "failed", reason: firstLine(error) });
  }
}

function crashed(error) {
  dead = `the engine crashed (${firstLine(error)}); the input may be too large or nested too deeply`;
  handle = null;
  post({ type: "failed", reason: dead });
}

async function debugRunPython(id, code, sync) {
  try {
    const value = sync ? pyodide.runPython(code) : await pyodide.runPythonAsync(code);
    post({ type: "debug-result", id, value: value && value.toJs ? value.toJs() : value });
  } catch (error) {
    if (error && error.pyodide_fatal_error) return crashed(error);
    post({ type: "debug-result", id, value: `error: ${firstLine(error)}` });
  }
}

self.onmessage = (event) => {
  const message = event.data;
  if (dead) return post({ type: "failed", reason: dead });
  if (message.type === "init") { debug = message.debug === true; boot(message.wheel); }
  else if (message.type === "ping") post({ type: "pong", id: message.id });
  else if (message.type === "debug-run-python" && debug && pyodide) debugRunPython(message.id, String(message.code), message.sync === true);
  else if (message.type === "call") {
    let text;
    try {
      if (!handle) throw new Error("the engine is not loaded");
      progressId = message.id;
      progressAt = -Infinity;
      try {
        text = handle(message.request);
      } finally {
        progressId = null;
      }
      if (typeof text !== "string") throw new Error("the engine returned no text");
    } catch (error) {
      if (error && error.pyodide_fatal_error) return crashed(error);
      text = JSON.stringify({ ok: false, error: { type: "internal", field: null, message: "the engine could not answer this request" } });
    }
    post({ type: "result", id: message.id, text });
  }
};
