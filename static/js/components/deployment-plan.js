// X-FIT's deployment plan beside the chain: what one card holds (each engine item with its rule)
// and the launch command, copyable. Data from the engine (result.plan); nothing computed here.
import { h } from "../dom.js";
import { formatCount, fullPrecision } from "../format.js";

const GIB = 2 ** 30;
const GIB_2DP = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function gib(bytes) {
  return `${GIB_2DP.format(bytes / GIB)} GiB`;
}

export function deploymentPlan(plan) {
  const split = plan.pipeline_parallel > 1
    ? `tensor parallel ${plan.tensor_parallel} × pipeline ${plan.pipeline_parallel}`
    : `tensor parallel ${plan.tensor_parallel}`;
  const rows = plan.breakdown.map((item) => h("tr", {},
    h("th", { scope: "row", text: item.item }),
    h("td", { class: "num", title: `${fullPrecision(item.bytes)} bytes`, text: gib(item.bytes) }),
    h("td", { class: "small", text: item.rule })));
  const table = h("table", { class: "plan-table", "data-testid": "plan-breakdown" },
    h("caption", { text: `What one ${plan.gpu} holds (${plan.engine_label}, ${split}) — of ${gib(plan.card_bytes)}` }),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "item" }), h("th", { scope: "col", text: "per card" }),
      h("th", { scope: "col", text: "rule" }))),
    h("tbody", {}, rows));
  const pool = plan.kv_pool_tokens === null ? null : h("p", { class: "small", "data-testid": "plan-pool" },
    `KV pool: ${formatCount(plan.kv_pool_tokens)} tokens`
    + (plan.max_concurrent_sequences === null ? "" : ` — ${formatCount(plan.max_concurrent_sequences)} concurrent sequences at this context`));
  let launch = null;
  if (plan.launch) {
    const status = h("span", { class: "small", role: "status" });
    launch = h("div", { class: "launch" },
      h("h4", { text: `Launch with ${plan.engine_label}` }),
      h("pre", {}, h("code", { "data-testid": "launch-command", text: plan.launch })),
      h("button", {
        type: "button", "data-testid": "copy-launch",
        onclick: async () => {
          try { await navigator.clipboard.writeText(plan.launch); status.textContent = " copied"; }
          catch { status.textContent = " select the command and copy it"; }
        },
      }, "Copy command"), status);
  }
  return h("section", { class: "deployment-plan", "data-testid": "deployment-plan", "aria-label": "Deployment plan" },
    h("h3", { text: `Plan: ${plan.n_gpus}× ${plan.gpu}` }), table, pool, launch);
}
