// Wide tables become stacked cards on narrow screens (CSS, under 600 px): each cell carries its
// column's name in data-label, which the narrow layout shows beside the value.
export function stackable(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.replace(/[▲▼]/g, "").trim());
  table.classList.add("stack");
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => { if (heads[i] && cell.tagName === "TD") cell.setAttribute("data-label", heads[i]); });
  }
  return table;
}
