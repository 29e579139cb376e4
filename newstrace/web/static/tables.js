/* Listing tables: click (or Enter on) a column heading to sort the rows shown by it, again to reverse;
 * numbers sort as numbers, dates as text (ISO dates sort right). Also sizes the bars of bar tables
 * (set here because the Content-Security-Policy allows no inline styles). */
(function () {
  "use strict";

  function cellValue(row, index) {
    const cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    const x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { sensitivity: "base" });
  }

  function sortBy(table, index, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    rows.sort((r1, r2) => compare(cellValue(r1, index), cellValue(r2, index)) * (ascending ? 1 : -1));
    for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    body.replaceChildren(...rows);
  }

  for (const table of document.querySelectorAll("table.sortable")) {
    if (!table.tHead || !table.tBodies.length) continue;
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.title = "sort by " + th.textContent;
      button.addEventListener("click", () => sortBy(table, index, th));
      th.replaceChildren(button);
    });
  }
  for (const bar of document.querySelectorAll(".bar-h[data-width]")) {
    bar.style.width = 0.75 * Math.max(0, Math.min(100, Number(bar.dataset.width) || 0)) + "%"; // room for the number
  }
})();
