/* newstrace charts: a timeline, an actor network and a world map, drawn as plain SVG with no library.
 * Everything that comes from the data is set with setAttribute or textContent, never parsed as HTML.
 * Charts take a callback that a click (or a drag on the timeline) calls, so the page can filter by it; the
 * map pans and zooms. Exposes window.NewstraceViz = {drawTimeline, drawNetwork, drawMap, decodeTopology, zoom}. */
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

  /** A diagonal hatch per colour, for the part of a bar that is not asserted (alleged, denied, ...). */
  function hatch(svg, id, colour) {
    const defs = svg.querySelector("defs") || svgEl("defs", {}, svg);
    const pattern = svgEl("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)" }, defs);
    svgEl("rect", { width: 6, height: 6, fill: "#ffffff" }, pattern);
    svgEl("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: colour, "stroke-width": 3 }, pattern);
    return `url(#${id})`;
  }

  /** The SVG x of a pointer event. */
  function svgX(svg, event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  }

  function addDays(iso, days) {
    return new Date(Date.parse(iso + "T00:00:00Z") + days * DAY_MS).toISOString().slice(0, 10);
  }

  /** Bars per period, stacked by quad class, the not-asserted part hatched on top. A click on a bar calls
   * onRange(first day, last day) for its period; a drag across the chart calls it for the range swept. */
  function drawTimeline(svg, timeline, quad, quadNames, onRange) {
    clear(svg);
    if (!timeline.rows.length) return showEmpty(svg, "No events with an exact date.");
    const counts = {}; // period -> quad -> {total, types}; quad "u": not asserted
    for (const row of timeline.rows) {
      const q = quad[row.type] || 0;
      const byQuad = (counts[row.period] = counts[row.period] || {});
      const factual = row.events - (row.uncertain || 0);
      if (factual > 0) {
        const cell = (byQuad[q] = byQuad[q] || { total: 0, types: [] });
        cell.total += factual;
        cell.types.push(row.type + " " + factual);
      }
      if (row.uncertain) {
        const cell = (byQuad.u = byQuad.u || { total: 0, types: [] });
        cell.total += row.uncertain;
        cell.types.push(row.type + " " + row.uncertain);
      }
    }
    const periods = periodsBetween(timeline.rows[0].period, timeline.rows[timeline.rows.length - 1].period,
      timeline.bucket);
    const totals = periods.map((p) => Object.values(counts[p] || {}).reduce((n, c) => n + c.total, 0));
    const max = Math.max(1, ...totals);
    const box = viewBox(svg);
    const left = 34, right = 8, top = 10, bottom = 30;
    const plotW = box.w - left - right, plotH = box.h - top - bottom;
    const barW = Math.min(plotW / periods.length, 48); // a lone day should not fill the whole chart
    const uncertainFill = hatch(svg, "hatch-uncertain", "#98a2b3");
    const lastDay = (period) => (timeline.bucket === "week" ? addDays(period, 6) : period);
    let drawn = 0;
    periods.forEach((period, i) => {
      let y = top + plotH;
      for (const q of [1, 2, 3, 4, 0, "u"]) {
        const cell = (counts[period] || {})[q];
        if (!cell) continue;
        const h = (cell.total / max) * plotH;
        y -= h;
        const rect = svgEl("rect", {
          x: left + i * barW + Math.min(1, barW * 0.1), y, width: Math.max(1, barW - Math.min(2, barW * 0.2)),
          height: h, fill: q === "u" ? uncertainFill : QUAD_COLOURS[q] || "#999",
          class: q === "u" ? "bar bar-uncertain" : "bar",
        }, svg);
        rect.dataset.since = period;
        rect.dataset.until = lastDay(period);
        const label = q === "u" ? "not asserted (alleged, denied, hypothetical, ...)" : quadNames[q] || "other";
        addTitle(rect, `${period} · ${label}: ${cell.total} (${cell.types.join(", ")}) · click to show only this ${timeline.bucket}`);
        drawn += 1;
      }
    });
    svgEl("line", { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: "axis" }, svg);
    svgEl("text", { x: left - 6, y: top + 10, "text-anchor": "end", class: "tick" }, svg).textContent = String(max);
    svgEl("text", { x: left - 6, y: top + plotH, "text-anchor": "end", class: "tick" }, svg).textContent = "0";
    const every = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor(plotW / 90))));
    periods.forEach((period, i) => {
      const isLast = i === periods.length - 1;
      if (i % every !== 0 && !(isLast && i % every >= every * 0.75)) return; // the last one, unless it would overlap
      const atEnd = isLast && periods.length > 1 && (i + 1) * barW > plotW - 40; // keep the last label inside
      svgEl("text", { x: left + (atEnd ? i + 1 : i + 0.5) * barW, y: top + plotH + 18,
        "text-anchor": atEnd ? "end" : "middle", class: "tick" }, svg).textContent = period;
    });
    if (onRange) brush(svg, { left, top, plotH, barW, periods, lastDay, onRange });
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(drawn);
  }

  /** Click a bar, or drag across the timeline, to choose a date range. */
  function brush(svg, chart) {
    const { left, top, plotH, barW, periods, lastDay, onRange } = chart;
    const band = svgEl("rect", { x: 0, y: top, width: 0, height: plotH, class: "brush", visibility: "hidden" }, svg);
    const index = (x) => Math.max(0, Math.min(periods.length - 1, Math.floor((x - left) / barW)));
    let from = null, pressed = null; // pressed: what the pointer went down on (capture retargets later events)
    svg.addEventListener("pointerdown", (event) => {
      from = svgX(svg, event);
      pressed = event.target;
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", (event) => {
      if (from === null) return;
      const x = svgX(svg, event);
      band.setAttribute("x", String(Math.min(from, x)));
      band.setAttribute("width", String(Math.abs(x - from)));
      band.setAttribute("visibility", Math.abs(x - from) > 4 ? "visible" : "hidden");
    });
    svg.addEventListener("pointerup", (event) => {
      if (from === null) return;
      const x = svgX(svg, event);
      const start = from;
      from = null;
      if (Math.abs(x - start) > 4) {
        const a = index(Math.min(start, x)), b = index(Math.max(start, x));
        onRange(periods[a], lastDay(periods[b]));
      } else if (pressed && pressed.classList && pressed.classList.contains("bar")) {
        onRange(pressed.dataset.since, pressed.dataset.until);
      } else {
        band.setAttribute("visibility", "hidden");
      }
    });
    svg.addEventListener("pointercancel", () => { from = null; band.setAttribute("visibility", "hidden"); });
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
    const margin = Math.min(90, width * 0.16); // room for labels
    const sx = (width - 2 * margin) / Math.max(1e-6, maxX - minX), sy = (height - 2 * margin) / Math.max(1e-6, maxY - minY);
    return pos.map((p) => ({
      x: names.length === 1 ? width / 2 : margin + (p.x - minX) * sx,
      y: names.length === 1 ? height / 2 : margin + (p.y - minY) * sy,
    }));
  }

  function drawNetwork(svg, network, onPick) {
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
        "marker-end": `url(#arrow-${key})`, class: e.uncertain === e.events ? "edge edge-uncertain" : "edge",
      }, svg);
      const unsure = e.uncertain ? `, ${e.uncertain} not asserted` : "";
      addTitle(path, `${e.source} → ${e.target}: ${e.events} event(s), ${e.cooperation} cooperation, ${e.conflict} conflict${unsure}`);
    }
    const labels = [];
    for (const name of names) {
      const g = svgEl("g", { class: "node", tabindex: 0, role: "button" }, svg);
      g.dataset.actor = name;
      svgEl("circle", { cx: at[name].x, cy: at[name].y, r: radius(name), class: "node-dot" }, g);
      // Labels sit under their node, centred, so neither edge of the drawing cuts them; long names are cut.
      const short = name.length > 24 ? name.slice(0, 23) + "…" : name;
      const label = svgEl("text", {
        x: at[name].x, y: at[name].y + radius(name) + 13, class: "node-label", "text-anchor": "middle",
      }, g);
      label.textContent = short;
      labels.push(label);
      addTitle(g, `${name}: ${weight[name]} event(s) · click to show the events it acts in`);
      if (onPick) {
        g.addEventListener("click", () => onPick(name));
        g.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onPick(name); }
        });
      }
    }
    separateLabels(labels, box);
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(edges.length + names.length);
  }

  /** Move overlapping labels apart vertically (a few passes), then keep them inside the drawing. */
  function separateLabels(labels, box) {
    const boxes = labels.map((label) => {
      const b = label.getBBox();
      return { label, x: b.x, y: b.y, w: b.width, h: b.height, dy: 0 };
    });
    for (let pass = 0; pass < 40; pass += 1) {
      let moved = false;
      for (let i = 0; i < boxes.length; i += 1) {
        for (let j = i + 1; j < boxes.length; j += 1) {
          const a = boxes[i], b = boxes[j];
          const overlapX = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const overlapY = Math.min(a.y + a.dy + a.h, b.y + b.dy + b.h) - Math.max(a.y + a.dy, b.y + b.dy);
          if (overlapX <= 0 || overlapY <= 0) continue;
          const lower = a.y + a.dy >= b.y + b.dy ? a : b;
          const upper = lower === a ? b : a;
          lower.dy += overlapY / 2 + 1;
          upper.dy -= overlapY / 2 + 1;
          moved = true;
        }
      }
      if (!moved) break;
    }
    for (const b of boxes) {
      const y = Math.max(box.y + b.h, Math.min(box.y + box.h - 2, Number(b.label.getAttribute("y")) + b.dy));
      b.label.setAttribute("y", y.toFixed(1));
      // Keep the label's ends inside the drawing.
      const half = b.w / 2, x = Number(b.label.getAttribute("x"));
      b.label.setAttribute("x", Math.max(box.x + half + 2, Math.min(box.x + box.w - half - 2, x)).toFixed(1));
    }
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

  /** The world map with one dot per place (hollow and dashed where none of its events is asserted). A click
   * on a dot calls onPick(place name). Drag to pan; wheel or zoom(svg, factor) to zoom; zoom(svg, 0) resets. */
  function drawMap(svg, topology, points, quad, onPick) {
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
      const r = 4 + 2.5 * Math.sqrt(p.events);
      const unsure = p.uncertain === p.events;
      const circle = svgEl("circle", {
        cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1),
        fill: unsure ? "none" : QUAD_COLOURS[dominantQuad(p.types, quad)] || "#999",
        class: unsure ? "event-dot event-dot-uncertain" : "event-dot", tabindex: 0, role: "button",
      }, dots);
      circle.dataset.r = String(r);
      circle.dataset.place = p.place;
      const types = Object.entries(p.types).map(([t, n]) => `${t} ${n}`).join(", ");
      const note = p.uncertain ? `; ${p.uncertain} not asserted` : "";
      addTitle(circle, `${p.place}${p.country ? " (" + p.country + ")" : ""}: ${p.events} event(s): ${types}${note} · click to show its events`);
      if (onPick) {
        circle.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onPick(p.place); }
        });
      }
    }
    panAndZoom(svg, onPick);
    fitPoints(svg, points);
    svg.dataset.ready = "true";
    svg.dataset.drawn = String(countries.childNodes.length + dots.childNodes.length);
  }

  /** Open the map on the region of the events (at most FIT_ZOOM times closer); "reset" shows the world. */
  const FIT_ZOOM = 6;
  function fitPoints(svg, points) {
    if (!points.length) return setView(svg, { ...MAP_VIEW });
    const xy = points.map((p) => project(p.lon, p.lat));
    const xs = xy.map((q) => q[0]), ys = xy.map((q) => q[1]);
    const pad = 40;
    let w = Math.max(...xs) - Math.min(...xs) + 2 * pad;
    let h = Math.max(...ys) - Math.min(...ys) + 2 * pad;
    w = Math.max(w, (h * MAP_VIEW.w) / MAP_VIEW.h, MAP_VIEW.w / FIT_ZOOM);
    w = Math.min(w, MAP_VIEW.w);
    h = (w / MAP_VIEW.w) * MAP_VIEW.h;
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2, cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    setView(svg, { x: cx - w / 2, y: cy - h / 2, w, h });
  }

  const MAP_VIEW = { x: 0, y: 20, w: 960, h: 400 };
  const MAX_ZOOM = 16;

  function setView(svg, view) {
    const k = MAP_VIEW.w / view.w;
    view.x = Math.max(MAP_VIEW.x - view.w * 0.25, Math.min(MAP_VIEW.x + MAP_VIEW.w - view.w * 0.75, view.x));
    view.y = Math.max(MAP_VIEW.y - view.h * 0.25, Math.min(MAP_VIEW.y + MAP_VIEW.h - view.h * 0.75, view.y));
    svg.setAttribute("viewBox", `${view.x.toFixed(2)} ${view.y.toFixed(2)} ${view.w.toFixed(2)} ${view.h.toFixed(2)}`);
    svg.dataset.zoom = k.toFixed(2);
    // Dots keep their size on screen as the map grows.
    for (const dot of svg.querySelectorAll(".event-dot")) {
      dot.setAttribute("r", (Number(dot.dataset.r) / Math.sqrt(k)).toFixed(2));
    }
  }

  /** Zoom the map by ``factor`` around an SVG point (default: the centre); factor 0 resets the view. */
  function zoom(svg, factor, cx, cy) {
    const v = viewBox(svg);
    if (!factor) return setView(svg, { ...MAP_VIEW });
    const w = Math.max(MAP_VIEW.w / MAX_ZOOM, Math.min(MAP_VIEW.w, v.w / factor));
    const h = (w / MAP_VIEW.w) * MAP_VIEW.h;
    const px = cx === undefined ? v.x + v.w / 2 : cx, py = cy === undefined ? v.y + v.h / 2 : cy;
    setView(svg, { x: px - ((px - v.x) * w) / v.w, y: py - ((py - v.y) * h) / v.h, w, h });
  }

  function panAndZoom(svg, onPick) {
    if (svg.dataset.panZoom) return; // the listeners stay across redraws
    svg.dataset.panZoom = "on";
    let drag = null;
    const toSvg = (event) => {
      const point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      return point.matrixTransform(svg.getScreenCTM().inverse());
    };
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const at = toSvg(event);
      zoom(svg, event.deltaY < 0 ? 1.25 : 0.8, at.x, at.y);
    }, { passive: false });
    svg.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, view: viewBox(svg), moved: false, target: event.target };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const scale = drag.view.w / svg.getBoundingClientRect().width;
      const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (drag.moved) setView(svg, { ...drag.view, x: drag.view.x - dx * scale, y: drag.view.y - dy * scale });
    });
    svg.addEventListener("pointerup", () => {
      if (drag && !drag.moved && onPick && drag.target.classList && drag.target.classList.contains("event-dot")) {
        onPick(drag.target.dataset.place);
      }
      drag = null;
    });
    svg.addEventListener("pointercancel", () => { drag = null; });
  }

  window.NewstraceViz = { drawTimeline, drawNetwork, drawMap, decodeTopology, zoom };
})();
