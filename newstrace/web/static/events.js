/* The events page: fetch the overview for the current filters, then draw the timeline, network and map. */
(function () {
  "use strict";

  const V = window.NewstraceViz;
  const summary = document.getElementById("events-summary");
  if (!summary || !V) return;

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then((response) => {
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return response.json();
    });
  }

  function note(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text;
  }

  getJSON(summary.dataset.overview)
    .then((overview) => {
      const { timeline, network, map } = overview;
      summary.textContent = `${overview.total} event(s) match.`;
      note("timeline-note", `Events per ${timeline.bucket}, stacked by cooperation and conflict` +
        (timeline.undated ? `; ${timeline.undated} without an exact day are not shown.` : "."));
      note("map-note", `${map.points.length} place(s)` +
        (map.unplaced ? `; ${map.unplaced} event(s) without coordinates are not shown.` : "."));
      V.drawTimeline(document.getElementById("timeline"), timeline, overview.quad, overview.quad_names);
      V.drawNetwork(document.getElementById("network"), network);
      return getJSON("/static/vendor/world-atlas/countries-110m.json").then((topology) => {
        V.drawMap(document.getElementById("map"), topology, map.points, overview.quad);
      });
    })
    .catch((error) => {
      summary.textContent = "Could not draw the overview: " + error.message;
      summary.classList.add("error");
    });
})();
