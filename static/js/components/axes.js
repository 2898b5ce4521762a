// Draws an axis the engine laid out (scale, range, ticks with their labels): positions only.
// Labels that would overlap at this width are left out (their tick marks stay); none is clipped.
import { svg } from "../dom.js";

export const CHAR = 6.4;  // px per character of an 11 px label (a generous average)

export function scaleOf(axis, from, to) {
  const f = axis.scale === "linear" ? (v) => v : axis.scale === "log2" ? Math.log2 : Math.log10;
  const a = f(axis.min), b = f(axis.max);
  return (v) => from + ((f(Math.max(v, axis.scale === "linear" ? -Infinity : axis.min)) - a) / Math.max(1e-12, b - a)) * (to - from);
}

// The chart's width in CSS pixels: the room it has (text stays 11 px, readable on a phone). Reading
// a width while the page is being built would force a layout of the whole page (≈ 40 ms on the
// first view), so a chart is drawn at the room the last laid-out chart had — before any, a guess
// from the window — and a ResizeObserver redraws it if, once laid out, its room gives another width
// (also when the window is resized). The observer runs after layout and before paint: never seen.
let lastRoom = null;

const clampWidth = (room, max) => Math.max(260, Math.min(max, Math.floor(room)));

function chartWidth(max) {
  const guess = window.innerWidth <= 820 ? window.innerWidth - 64 : Math.min(window.innerWidth, 1280) - 450;
  return clampWidth(lastRoom ?? guess, max);
}

const fitted = new Map();  // figure → { plot, draw, width, max }; figures no longer in the page are dropped
let observer = null;

// A chart: draw(W) gives its <svg> at width W, frame(svg) the <figure> around it; kept fitted.
export function fittedChart(draw, frame, max = 680) {
  const width = chartWidth(max), plot = draw(width), figure = frame(plot);
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) {
      const state = fitted.get(entry.target);
      if (!state || !entry.target.isConnected) continue;
      state.shown = true;
      const room = entry.contentRect.width;
      if (!(room > 0)) continue;  // hidden (an embed without line charts)
      lastRoom = room;
      const W = clampWidth(room, state.max);
      if (W === state.width) continue;
      const next = state.draw(W);
      state.plot.replaceWith(next);
      Object.assign(state, { plot: next, width: W });
    }
  });
  for (const [old, state] of fitted) {  // charts shown once and since replaced: stop watching them
    if (state.shown && !old.isConnected) { observer.unobserve(old); fitted.delete(old); }
  }
  fitted.set(figure, { plot, draw, width, max });
  observer.observe(figure);
  return figure;
}

export function xAxis(axis, x, y0, { minX, maxX }) {
  const parts = [];
  let lastRight = -Infinity;
  const ticks = axis.ticks.filter((t) => t.value >= axis.min && t.value <= axis.max);
  ticks.forEach((t, i) => {
    const px = x(t.value);
    parts.push(svg("line", { x1: px, x2: px, y1: y0, y2: y0 + 4, class: "chart-tick" }));
    const half = (t.label.length * CHAR) / 2;
    const left = Math.max(minX, px - half), right = Math.min(maxX, left + 2 * half);
    const last = i === ticks.length - 1;
    if (left < lastRight + 6 && !last) return;
    if (left < lastRight + 6 && last) parts.splice(parts.findLastIndex((p) => p.tagName === "text"), 1);  // the end label wins
    parts.push(svg("text", { x: (left + right) / 2, y: y0 + 18, "text-anchor": "middle", class: "chart-label", "data-tick": t.value, text: t.label }));
    lastRight = right;
  });
  return parts;
}

export function yAxis(axis, y, x0, x1) {
  const parts = [];
  let lastTop = Infinity;
  for (const t of axis.ticks) {
    const py = y(t.value);
    parts.push(svg("line", { x1: x0, x2: x1, y1: py, y2: py, class: "chart-grid" }));
    if (py > lastTop - 13) continue;
    parts.push(svg("text", { x: x0 - 6, y: py + 4, "text-anchor": "end", class: "chart-label", "data-ytick": t.value, text: t.label }));
    lastTop = py;
  }
  return parts;
}

// The left margin a y axis needs for its longest label.
export function yMargin(axis) {
  return 12 + Math.max(...axis.ticks.map((t) => t.label.length)) * CHAR;
}
