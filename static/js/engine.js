// The engine client: Pyodide runs in a Web Worker; this side speaks a small typed protocol
//   page → worker  {type: "init", wheel, debug}  {type: "call", id, request}  {type: "ping", id}
//   worker → page  {type: "status", stage}       {type: "ready", ms, stages, locked}
//                  {type: "failed", reason}      {type: "result", id, text}   {type: "pong", id}
//                  {type: "progress", id, done, total, stage}: how far the call in flight has got
//                  (a large upload's parse and score); given to the caller's onProgress
// Until the worker is ready, results come from the prerendered table when it has them.
//
// Deadlines and liveness (all the numbers are here):
// - start-up: the worker must be ready within timeoutMs (clamped by startTimeoutMs below);
// - each call: one call is with the worker at a time, and it must answer within its deadline
//   (CALL_DEADLINE_MS, plus 1 s per MB of request; a caller may pass {deadlineMs});
// - while idle the worker is pinged every PING_EVERY_MS and must answer within PING_DEADLINE_MS;
//   a progress message is a sign of life too (it clears a ping still waiting for its answer), but
//   never extends a call's deadline.
// Anything else — no answer in time, a worker `error`/`messageerror` event, a reply that is not
// JSON, a crash Pyodide reports — marks the engine "failed": the worker is stopped, every pending
// call is rejected, and Retry starts a new worker. Never a spinner under "Engine ready".
import { canonicalKey } from "./canonical.js";

export const START_TIMEOUT_MS = { fallback: 30000, min: 5000, max: 300000 };
export const CALL_DEADLINE_MS = { fallback: 30000, min: 1000, max: 600000, perMegabyte: 1000 };
export const PING_EVERY_MS = 15000;
export const PING_DEADLINE_MS = 10000;

const clamp = (value, { min, max }) => Math.min(max, Math.max(min, value));

// The start-up timeout from the URL (?engine_timeout=, in ms): a finite positive number is clamped
// to 5–300 s; anything else (Infinity, -1, abc, empty) is ignored.
export function startTimeoutMs(text) {
  const value = text === null || text === undefined || String(text).trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) return START_TIMEOUT_MS.fallback;
  return clamp(value, START_TIMEOUT_MS);
}

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

export class Engine extends EventTarget {
  constructor({ wheel, timeoutMs, callDeadlineMs, debug = false }) {
    super();
    this.prerendered = {};
    this.fullTable = null;
    this.wheel = wheel;
    this.timeoutMs = clamp(Number.isFinite(timeoutMs) ? timeoutMs : START_TIMEOUT_MS.fallback, START_TIMEOUT_MS);
    this.setCallDeadline(callDeadlineMs);
    this.debug = debug;  // test hooks in the worker: only when the page was opened by a test harness
    this.state = "loading";
    this.queue = [];      // calls waiting to go to the worker (before ready, or behind the one in flight)
    this.inflight = null; // the one call the worker is answering
    this.nextId = 1;
  }

  // The default deadline of one call (from the engine's metadata when it states one).
  setCallDeadline(ms) {
    this.callDeadlineMs = Number.isFinite(ms) && ms > 0 ? clamp(ms, CALL_DEADLINE_MS) : CALL_DEADLINE_MS.fallback;
  }

  // Precomputed results: a small table for the first views now, the full one when it arrives.
  // Anything that is not a table of {ok: boolean, …} responses is ignored (live results instead).
  addPrerendered(table) {
    if (!table || typeof table !== "object" || Array.isArray(table)) return;
    for (const [key, value] of Object.entries(table)) {
      if (value && typeof value === "object" && typeof value.ok === "boolean") this.prerendered[key] = value;
    }
  }

  // The full table is fetched only if a request misses the small one while the engine loads.
  loadPrerenderedLazily(fetchTable) {
    this.fetchFullTable = fetchTable;
  }

  fullTableOnce() {
    if (!this.fullTable) {
      this.fullTable = this.fetchFullTable ? this.fetchFullTable().then((t) => this.addPrerendered(t)).catch(() => {}) : Promise.resolve();
    }
    return this.fullTable;
  }

  // Start the worker once the first view is painted: compiling Pyodide's WebAssembly takes a core
  // from layout, paint and raster (on 2 cores the first verdict was painted ~45 ms later). A call
  // that needs the worker, firstDrawn() (the first result drawn: start after its paint) or
  // maxWaitMs start it sooner.
  startAfterFirstPaint(maxWaitMs) {
    this.deferredStart = setTimeout(() => this.startOnce(), maxWaitMs);
  }

  firstDrawn() {
    requestAnimationFrame(() => setTimeout(() => this.startOnce(), 0));
  }

  startOnce() {
    clearTimeout(this.deferredStart);
    if (!this.worker && this.state !== "failed") this.start();
  }

  start() {
    clearTimeout(this.deferredStart);
    this.stopWorker();
    this.setState("loading", "starting the Python runtime");
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.worker = worker;
    const mine = (handler) => (event) => { if (this.worker === worker) handler(event); };  // ignore a stopped worker
    worker.addEventListener("message", mine((event) => this.onMessage(event.data)));
    worker.addEventListener("error", mine((event) => { event.preventDefault(); this.fail(`the engine worker stopped: ${event.message || "unknown error"}`); }));
    worker.addEventListener("messageerror", mine(() => this.fail("the engine sent a message that could not be read")));
    this.timer = setTimeout(() => this.fail(`the engine did not start within ${seconds(this.timeoutMs)}`), this.timeoutMs);
    this.startedAt = performance.now();
    worker.postMessage({ type: "init", wheel: this.wheel, debug: this.debug });
  }

  retry() {
    this.start();
  }

  stopWorker() {
    clearTimeout(this.timer);
    clearTimeout(this.pingTimer);
    clearInterval(this.heartbeat);
    this.timer = this.pingTimer = this.heartbeat = null;
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }

  setState(state, detail) {
    this.state = state;
    this.detail = detail;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, detail } }));
  }

  fail(reason) {
    if (this.state === "failed") return;
    this.stopWorker();
    this.setState("failed", reason);
    const jobs = this.inflight ? [this.inflight, ...this.queue] : this.queue;
    this.inflight = null;
    this.queue = [];
    for (const job of jobs) { clearTimeout(job.timer); job.reject(new Error(reason)); }
  }

  onMessage(message) {
    if (!message || typeof message !== "object") return this.fail("the engine sent a message that could not be read");
    if (message.type === "status") this.setState("loading", String(message.stage));
    else if (message.type === "failed") this.fail(String(message.reason || "the engine stopped"));
    else if (message.type === "ready") {
      clearTimeout(this.timer);
      this.readyMs = message.ms;
      this.stages = message.stages;
      this.locked = message.locked;
      performance.mark("taf:engine-ready");
      this.setState("ready", `ready in ${(performance.now() - this.startedAt).toFixed(0)} ms`);
      this.heartbeat = setInterval(() => this.ping(), PING_EVERY_MS);
      this.pump();
    } else if (message.type === "progress") {
      clearTimeout(this.pingTimer);  // alive: the worker is busy with a call, not stuck
      this.pingTimer = null;
      const job = this.inflight;
      if (!job || job.id !== message.id || typeof job.onProgress !== "function") return;
      const done = Number(message.done), total = Number(message.total);
      if (!Number.isFinite(done) || !Number.isFinite(total) || done < 0 || total < 0) return;
      try {
        job.onProgress({ done, total: Math.max(done, total), stage: String(message.stage || "") });
      } catch (error) { /* a caller's display never fails the call */ }
    } else if (message.type === "pong") {
      clearTimeout(this.pingTimer);
      this.pingTimer = null;
    } else if (message.type === "result") {
      const job = this.inflight;
      if (!job || job.id !== message.id) return;
      clearTimeout(job.timer);
      let response;
      try {
        response = JSON.parse(message.text);
      } catch (error) {
        response = null;
      }
      if (!response || typeof response !== "object" || typeof response.ok !== "boolean") {
        return this.fail("the engine answered with something that is not valid JSON");
      }
      this.inflight = null;
      job.resolve({ ...response, source: "live" });
      this.pump();
    } else if (message.type === "debug-result") {
      const job = this.inflight;
      if (!job || job.id !== message.id) return;
      clearTimeout(job.timer);
      this.inflight = null;
      job.resolve(message.value);
      this.pump();
    }
  }

  // Liveness while idle: the worker answers a ping at once unless it is dead or stuck.
  ping() {
    if (this.state !== "ready" || this.inflight || this.pingTimer) return;
    this.pingTimer = setTimeout(() => this.fail(`the engine stopped answering (no reply within ${seconds(PING_DEADLINE_MS)})`), PING_DEADLINE_MS);
    this.worker.postMessage({ type: "ping", id: this.nextId++ });
  }

  pump() {
    if (this.state !== "ready" || this.inflight || !this.queue.length) return;
    const job = this.queue.shift();
    job.id = this.nextId++;
    this.inflight = job;
    job.timer = setTimeout(() => this.fail(`the engine did not answer within ${seconds(job.deadlineMs)}`), job.deadlineMs);
    this.worker.postMessage({ ...job.message, id: job.id });
  }

  enqueue(message, deadlineMs, onProgress) {
    return new Promise((resolve, reject) => {
      if (this.state === "failed") return reject(new Error(this.detail));
      if (!this.worker) this.startOnce();  // a call needs the engine now
      this.queue.push({ message, deadlineMs, onProgress, resolve, reject });
      this.pump();
    });
  }

  // Resolve with the engine's response ({ok, result|error, source}); reject only if the engine failed.
  // deadlineMs: how long this call may take once the worker has it (default: callDeadlineMs plus
  // 1 s per MB of request, for large uploads). onProgress({done, total, stage}): called with the
  // worker's progress messages for this call (stage "parse" or "score" of an upload), if any.
  async call(call, args = {}, { allowPrerendered = true, deadlineMs, onProgress } = {}) {
    const request = { call, args };
    if (this.state !== "ready" && allowPrerendered) {
      const key = canonicalKey(request);
      if (!(key in this.prerendered)) await this.fullTableOnce();
      const hit = this.state !== "ready" && this.prerendered[key];
      if (hit) return { ...hit, source: "prerendered" };
    }
    const text = JSON.stringify(request);
    const deadline = Number.isFinite(deadlineMs) && deadlineMs > 0 ? clamp(deadlineMs, CALL_DEADLINE_MS)
      : Math.min(CALL_DEADLINE_MS.max, this.callDeadlineMs + CALL_DEADLINE_MS.perMegabyte * (text.length / 1e6));
    return this.enqueue({ type: "call", request: text }, deadline, onProgress);
  }
}

// Test harnesses only (Playwright sets window.__TAF_TEST_HOOKS__ before the page's scripts run;
// nothing in the URL or a parent frame can): run Python in the worker (top-level await allowed
// unless sync), resolve with its result.
Engine.prototype.debugRunPython = function (code, { deadlineMs = 20000, sync = false } = {}) {
  if (!this.debug) return Promise.reject(new Error("test hooks are off"));
  return this.enqueue({ type: "debug-run-python", code, sync }, deadlineMs);
};
