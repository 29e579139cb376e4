/* The events page: fetch the overview for the current filters, then draw the timeline, network and map at
 * the size they are shown (so their text stays legible on a phone). A click on a bar, node or place, or a
 * drag across the timeline, reloads the page with that filter added, so the table, the charts and the
 * export buttons all follow it. A filter the server refuses is shown next to its field. */
(function () {
  "use strict";

  const V = window.NewstraceViz;
  const summary = document.getElementById("events-summary");
  if (!summary || !V) return;

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then((response) => {
      if (!response.ok) {
        return response.json().then((body) => {
          throw new Error(body.detail || `${url} answered ${response.status}`);
        });
      }
      return response.json();
    });
  }

  function note(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text;
  }

  /** Reload with these filters changed (a new filter starts again at the first page). */
  function filterBy(changes) {
    const params = new URLSearchParams(window.location.search);
    params.delete("cursor");
    for (const [key, value] of Object.entries(changes)) {
      if (value) params.set(key, value);
      else params.delete(key);
    }
    window.location.assign(window.location.pathname + "?" + params.toString());
  }

  /** Give an SVG a viewBox of its shown width (in CSS pixels), so 12px text stays 12px. */
  function fit(svg, height) {
    const width = Math.max(280, Math.round(svg.getBoundingClientRect().width || 600));
    svg.setAttribute("viewBox", `0 0 ${width} ${height(width)}`);
  }

  const timelineSvg = document.getElementById("timeline");
  const networkSvg = document.getElementById("network");
  const mapSvg = document.getElementById("map");
  fit(timelineSvg, (w) => (w < 600 ? 180 : 220));
  fit(networkSvg, (w) => Math.round(Math.min(460, Math.max(320, w * 0.75))));

  const scopeBox = document.getElementById("filter-scope");
  if (scopeBox) scopeBox.addEventListener("change", () => filterBy({ scope: scopeBox.checked ? "all" : "" }));

  for (const [id, factor] of [["map-zoom-in", 1.5], ["map-zoom-out", 1 / 1.5], ["map-reset", 0]]) {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", () => V.zoom(mapSvg, factor));
  }

  getJSON(summary.dataset.overview)
    .then((overview) => {
      const { timeline, network, map } = overview;
      const other = Object.entries(overview.statuses || {}).map(([s, n]) => `${n} ${s}`).join(", ");
      summary.textContent = `${overview.total} event(s) match` + (other ? ` (${other}).` : ".");
      note("timeline-note", `Events per ${timeline.bucket}, stacked by cooperation and conflict` +
        (timeline.undated ? `; ${timeline.undated} without an exact day are not shown.` : "."));
      note("map-note", `${map.points.length} place(s)` +
        (map.unplaced ? `; ${map.unplaced} event(s) without coordinates are not shown.` : "."));
      V.drawTimeline(timelineSvg, timeline, overview.quad, overview.quad_names,
        (since, until) => filterBy({ since, until }));
      V.drawNetwork(networkSvg, network, (actor) => filterBy({ actor }));
      return getJSON("/static/vendor/world-atlas/countries-110m.json").then((topology) => {
        V.drawMap(mapSvg, topology, map.points, overview.quad, (place) => filterBy({ place }));
      });
    })
    .catch((error) => {
      summary.textContent = "Could not draw the overview: " + error.message;
      summary.classList.add("error");
    });
})();
