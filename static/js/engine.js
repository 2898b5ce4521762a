// The engine client: Pyodide runs in a Web Worker; this side speaks a small typed protocol
//   page → worker  {type: "init", wheel}        {type: "call", id, request}
//   worker → page  {type: "status", stage}      {type: "ready", ms}
//                  {type: "failed", reason}     {type: "result", id, text}
// Until the worker is ready, results come from the prerendered table when it has them.
import { canonicalKey } from "./canonical.js";

export class Engine extends EventTarget {
  constructor({ wheel, timeoutMs }) {
    super();
    this.prerendered = {};
    this.fullTable = null;
    this.wheel = wheel;
    this.timeoutMs = timeoutMs;
    this.state = "loading";
    this.pending = new Map();
    this.waiting = [];
    this.nextId = 1;
  }

  // Precomputed results: a small table for the first views now, the full one when it arrives.
  addPrerendered(table) {
    Object.assign(this.prerendered, table);
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

  start() {
    this.setState("loading", "starting the Python runtime");
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (event) => this.onMessage(event.data);
    this.worker.onerror = (event) => { event.preventDefault(); this.fail(`the engine worker stopped: ${event.message || "unknown error"}`); };
    this.timer = setTimeout(() => this.fail(`the engine did not start within ${Math.round(this.timeoutMs / 1000)} s`), this.timeoutMs);
    this.startedAt = performance.now();
    this.worker.postMessage({ type: "init", wheel: this.wheel });
  }

  retry() {
    if (this.worker) this.worker.terminate();
    clearTimeout(this.timer);
    this.start();
  }

  setState(state, detail) {
    this.state = state;
    this.detail = detail;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, detail } }));
  }

  fail(reason) {
    if (this.state === "failed") return;
    clearTimeout(this.timer);
    if (this.worker) this.worker.terminate();
    this.setState("failed", reason);
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    for (const { reject } of this.waiting) reject(new Error(reason));
    this.waiting = [];
  }

  onMessage(message) {
    if (message.type === "status") this.setState("loading", message.stage);
    else if (message.type === "failed") this.fail(message.reason);
    else if (message.type === "ready") {
      clearTimeout(this.timer);
      this.readyMs = message.ms;
      this.stages = message.stages;
      performance.mark("taf:engine-ready");
      this.setState("ready", `ready in ${(performance.now() - this.startedAt).toFixed(0)} ms`);
      const waiting = this.waiting;
      this.waiting = [];
      for (const job of waiting) this.send(job);
    } else if (message.type === "result") {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      try {
        job.resolve({ ...JSON.parse(message.text), source: "live" });
      } catch (error) {
        job.reject(new Error("the engine answered with invalid JSON"));
      }
    }
  }

  send(job) {
    const id = this.nextId++;
    this.pending.set(id, job);
    this.worker.postMessage({ type: "call", id, request: JSON.stringify(job.request) });
  }

  // Resolve with the engine's response ({ok, result|error, source}); reject only if the engine failed.
  async call(call, args = {}, { allowPrerendered = true } = {}) {
    const request = { call, args };
    if (this.state !== "ready" && allowPrerendered) {
      const key = canonicalKey(request);
      if (!(key in this.prerendered)) await this.fullTableOnce();
      const hit = this.state !== "ready" && this.prerendered[key];
      if (hit) return { ...hit, source: "prerendered" };
    }
    return new Promise((resolve, reject) => {
      const job = { request, resolve, reject };
      if (this.state === "ready") this.send(job);
      else if (this.state === "failed") reject(new Error(this.detail));
      else this.waiting.push(job);
    });
  }
}
