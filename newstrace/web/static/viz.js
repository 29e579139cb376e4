/* newstrace charts: a timeline, an actor network and a world map, drawn as plain SVG with no library.
 * Everything that comes from the data is set with setAttribute or textContent, never parsed as HTML.
 * Exposes window.NewstraceViz = {drawTimeline, drawNetwork, drawMap, decodeTopology}. */
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  // QuadClass-like colours: greens for cooperation, orange and red for conflict (verbal, material).
  const QUAD_COLOURS = { 1: "#74c476", 2: "#238b45", 3: "#fd8d3c", 4: "#d7301f" };
  const DAY_MS = 86400000;

  function svgEl(tag, attrs, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      node.setAttribute(key, String(value));
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function addTitle(node, text) {
    svgEl("title", {}, node).textContent = text;
  }

  function clear(svg) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
  }

  function viewBox(svg) {
    const [x, y, w, h] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
    return { x, y, w, h };
  }

  function showEmpty(svg, message) {
    clear(svg);
    const box = viewBox(svg);
    svgEl("text", { x: box.x + box.w / 2, y: box.y + box.h / 2, "text-anchor": "middle", class: "viz-empty" }, svg)
      .textContent = message;
    svg.dataset.ready = "true";
    svg.dataset.drawn = "0";
  }

  // --- timeline ---------------------------------------------------------------------------------------

  /** Every period from first to last (ISO dates, one day or one week apart), so gaps show as gaps. */
  function periodsBetween(first, last, bucket) {
    const step = bucket === "week" ? 7 * DAY_MS : DAY_MS;
    const out = [];
    for (let t = Date.parse(first + "T00:00:00Z"); t <= Date.parse(last + "T00:00:00Z"); t += step) {
      out.push(new Date(t).toISOString().slice(0, 10));
    }
    return out;
  }

  function drawTimeline(svg, timeline, quad, quadNames) {
    clear(svg);
    if (!timeline.rows.length) return showEmpty(svg, "No events with an exact date.");
    const counts = {}; // period -> quad -> {total, types}
    for (const row of timeline.rows) {
      const q = quad[row.type] || 0;
      const byQuad = (counts[row.period] = counts[row.period] || {});
      const cell = (byQuad[q] = byQuad[q] || { total: 0, types: [] });
      cell.total += row.events;
      cell.types.push(row.type + " " + row.events);
    }
    const periods = periodsBetween(timeline.rows[0].period, timeline.rows[timeline.rows.length - 1].period,
      timeline.bucket);
    const totals = periods.map((p) => Object.values(counts[p] || {}).reduce((n, c) => n + c.total, 0));
    const max = Math.max(1, ...totals);
    const box = viewBox(svg);
    const left = 40, right = 10, top = 10, bottom = 34;
    const plotW = box.w - left - right, plotH = box.h - top - bottom;
    const barW = Math.min(plotW / periods.length, 48); // a lone day should not fill the whole chart
    let drawn = 0;
    periods.forEach((period, i) => {
      let y = top + plotH;
      for (const q of [1, 2, 3, 4, 0]) {
        const cell = (counts[period] || {})[q];
        if (!cell) continue;
        const h = (cell.total / max) * plotH;
        y -= h;
        const rect = svgEl("rect", {
          x: left + i * barW + Math.min(1, barW * 0.1), y, width: Math.max(1, barW - Math.min(2, barW * 0.2)),
          height: h, fill: QUAD_COLOURS[q] || "#999", class: "bar",
        }, svg);
        addTitle(rect, `${period} · ${quadNames[q] || "other"}: ${cell.total} (${cell.types.join(", ")})`);
        drawn += 1;
      }
    });
    // Axes: the largest count, and a handful of period labels.
    svgEl("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: "axis" }, svg);
    svgEl("text", { x: left - 6, y: top + 10, "text-anchor": "end", class: "tick" }, svg).textContent = String(max);
    svgEl("text", { x: left - 6, y: top + plotH, "text-anchor": "end", class: "tick" }, svg).textContent = "0";
    const every = Math.max(1, Math.ceil(periods.length / 8));
    periods.forEach((period, i) => {
      const isLast = i === periods.length - 1;
      if (i % every !== 0 && !(isLast && i % every >= every * 0.75)) return; // the last one, unless it would overlap
      const atEnd = isLast && periods.length > 1 && (i + 1) * barW > plotW - 40; // keep the last label inside
      svgEl("text", { x: left + (atEnd ? i + 1 : i + 0.5) * barW, y: top + plotH + 18,
        "text-anchor": atEnd ? "end" : "middle", class: "tick" }, svg).textContent = period;
    });
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(drawn);
  }

  // --- network ----------------------------------------------------------------------------------------

  /** Red for net conflict, green for net cooperation, grey between. */
  function netColour(edge) {
    const net = (edge.conflict - edge.cooperation) / Math.max(1, edge.events); // -1 .. 1
    if (net > 0.2) return { colour: "#d7301f", key: "conflict" };
    if (net < -0.2) return { colour: "#238b45", key: "cooperation" };
    return { colour: "#888888", key: "mixed" };
  }

  /** A small deterministic force layout: nodes start on a circle, edges pull, every pair pushes. */
  function layout(names, edges, width, height) {
    const pos = names.map((_, i) => {
      const angle = (2 * Math.PI * i) / names.length;
      return { x: Math.cos(angle), y: Math.sin(angle) };
    });
    const index = Object.fromEntries(names.map((n, i) => [n, i]));
    const k = Math.sqrt(4 / Math.max(1, names.length));
    for (let step = 0; step < 300; step += 1) {
      const cool = 0.1 * (1 - step / 300);
      const force = pos.map(() => ({ x: 0, y: 0 }));
      for (let i = 0; i < pos.length; i += 1) {
        for (let j = i + 1; j < pos.length; j += 1) {
          const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
          const d2 = Math.max(1e-4, dx * dx + dy * dy);
          const push = (k * k) / d2;
          force[i].x += dx * push; force[i].y += dy * push;
          force[j].x -= dx * push; force[j].y -= dy * push;
        }
      }
      for (const e of edges) {
        const a = index[e.source], b = index[e.target];
        if (a === b) continue;
        const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
        const d = Math.sqrt(dx * dx + dy * dy) || 1e-4;
        const pull = d / (3 * k); // weak springs: linked nodes stay apart enough for their labels
        force[a].x -= dx * pull; force[a].y -= dy * pull;
        force[b].x += dx * pull; force[b].y += dy * pull;
      }
      pos.forEach((p, i) => {
        const fx = force[i].x - p.x * 0.4, fy = force[i].y - p.y * 0.4; // gravity keeps unconnected parts close
        const f = Math.sqrt(fx * fx + fy * fy) || 1;
        p.x += (fx / f) * Math.min(f, cool);
        p.y += (fy / f) * Math.min(f, cool);
      });
    }
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const margin = 90; // room for labels
    const sx = (width - 2 * margin) / Math.max(1e-6, maxX - minX), sy = (height - 2 * margin) / Math.max(1e-6, maxY - minY);
    return pos.map((p) => ({
      x: names.length === 1 ? width / 2 : margin + (p.x - minX) * sx,
      y: names.length === 1 ? height / 2 : margin + (p.y - minY) * sy,
    }));
  }

  function drawNetwork(svg, network) {
    clear(svg);
    const edges = network.edges;
    if (!edges.length) return showEmpty(svg, "No events with both a source and a target.");
    const weight = {};
    for (const e of edges) {
      weight[e.source] = (weight[e.source] || 0) + e.events;
      weight[e.target] = (weight[e.target] || 0) + e.events;
    }
    const names = Object.keys(weight).sort((a, b) => weight[b] - weight[a] || a.localeCompare(b));
    const box = viewBox(svg);
    const pos = layout(names, edges, box.w, box.h);
    const at = Object.fromEntries(names.map((n, i) => [n, pos[i]]));
    const radius = (name) => 5 + 2 * Math.sqrt(weight[name]);
    const defs = svgEl("defs", {}, svg);
    for (const [key, colour] of [["conflict", "#d7301f"], ["cooperation", "#238b45"], ["mixed", "#888888"]]) {
      const marker = svgEl("marker", {
        // Fixed-size arrows: by default a marker grows with the stroke width, and thick edges got huge heads.
        id: "arrow-" + key, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, orient: "auto",
        markerUnits: "userSpaceOnUse",
      }, defs);
      svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, marker);
    }
    const maxEvents = Math.max(...edges.map((e) => e.events));
    for (const e of edges) {
      const a = at[e.source], b = at[e.target];
      const { colour, key } = netColour(e);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      // Stop at the target's rim so the arrow shows; bend a little so A→B and B→A do not overlap.
      const ex = b.x - (dx / d) * (radius(e.target) + 2), ey = b.y - (dy / d) * (radius(e.target) + 2);
      const cx = (a.x + ex) / 2 - (dy / d) * 18, cy = (a.y + ey) / 2 + (dx / d) * 18;
      const path = svgEl("path", {
        d: `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
        stroke: colour, "stroke-width": (1 + 4 * (e.events / maxEvents)).toFixed(2), fill: "none",
        "marker-end": `url(#arrow-${key})`, class: "edge",
      }, svg);
      addTitle(path, `${e.source} → ${e.target}: ${e.events} event(s), ${e.cooperation} cooperation, ${e.conflict} conflict`);
    }
    for (const name of names) {
      const g = svgEl("g", { class: "node" }, svg);
      svgEl("circle", { cx: at[name].x, cy: at[name].y, r: radius(name), class: "node-dot" }, g);
      // Labels sit under their node, centred, so neither edge of the drawing cuts them.
      svgEl("text", {
        x: at[name].x, y: at[name].y + radius(name) + 13, class: "node-label", "text-anchor": "middle",
      }, g).textContent = name;
      addTitle(g, `${name}: ${weight[name]} event(s)`);
    }
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(edges.length + names.length);
  }

  // --- map --------------------------------------------------------------------------------------------

  /** TopoJSON arcs as absolute [lon, lat] points (undoing the delta encoding and quantisation). */
  function decodeTopology(topology) {
    const transform = topology.transform;
    return topology.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map((point) => {
        if (!transform) return [point[0], point[1]];
        x += point[0];
        y += point[1];
        return [x * transform.scale[0] + transform.translate[0], y * transform.scale[1] + transform.translate[1]];
      });
    });
  }

  /** One ring's points from its arc indexes (a negative index ~i means arc i reversed). */
  function ringPoints(arcs, indexes) {
    const out = [];
    for (const index of indexes) {
      const arc = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
      arc.forEach((point, k) => {
        if (k > 0 || out.length === 0) out.push(point); // consecutive arcs share their joining point
      });
    }
    return out;
  }

  // Equirectangular: longitude and latitude map straight to x and y.
  const MAP_W = 960, MAP_H = 480;
  function project(lon, lat) {
    return [((lon + 180) / 360) * MAP_W, ((90 - lat) / 180) * MAP_H];
  }

  function ringPath(points) {
    let previous = null;
    const parts = points.map(([lon, lat], i) => {
      // Keep a ring continuous where it crosses the antimeridian; the overflow is clipped by the view.
      if (previous !== null && lon - previous > 180) lon -= 360;
      if (previous !== null && lon - previous < -180) lon += 360;
      previous = lon;
      const [x, y] = project(lon, lat);
      return (i === 0 ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
    });
    return parts.join("") + "Z";
  }

  function geometryPath(arcs, geometry) {
    const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.type === "MultiPolygon" ? geometry.arcs : [];
    return polygons.map((rings) => rings.map((ring) => ringPath(ringPoints(arcs, ring))).join("")).join("");
  }

  function dominantQuad(types, quad) {
    const byQuad = {};
    for (const [type, n] of Object.entries(types)) byQuad[quad[type] || 0] = (byQuad[quad[type] || 0] || 0) + n;
    return Number(Object.keys(byQuad).sort((a, b) => byQuad[b] - byQuad[a])[0]);
  }

  function drawMap(svg, topology, points, quad) {
    clear(svg);
    const arcs = decodeTopology(topology);
    const countries = svgEl("g", { class: "countries" }, svg);
    for (const geometry of topology.objects.countries.geometries) {
      const d = geometryPath(arcs, geometry);
      if (!d) continue;
      const path = svgEl("path", { d, class: "country" }, countries);
      addTitle(path, (geometry.properties && geometry.properties.name) || "");
    }
    const dots = svgEl("g", { class: "points" }, svg);
    const sorted = points.slice().sort((a, b) => b.events - a.events); // small dots on top of big ones
    for (const p of sorted) {
      const [x, y] = project(p.lon, p.lat);
      const circle = svgEl("circle", {
        cx: x.toFixed(1), cy: y.toFixed(1), r: (4 + 2.5 * Math.sqrt(p.events)).toFixed(1),
        fill: QUAD_COLOURS[dominantQuad(p.types, quad)] || "#999", class: "event-dot",
      }, dots);
      const types = Object.entries(p.types).map(([t, n]) => `${t} ${n}`).join(", ");
      addTitle(circle, `${p.place}${p.country ? " (" + p.country + ")" : ""}: ${p.events} event(s): ${types}`);
    }
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(countries.childNodes.length + dots.childNodes.length);
  }

  window.NewstraceViz = { drawTimeline, drawNetwork, drawMap, decodeTopology };
})();
