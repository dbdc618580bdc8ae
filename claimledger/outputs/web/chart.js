/* claimledger page: the "what each source said" chart of the event panel.
 *
 * One row per claim of the chosen measure, on a LOG scale: tolls of 5, 300 and 800,000 sit in one
 * event's reports (a town's dead, a region's, a war's), and on a linear axis the small ones all
 * collapse onto zero. Ticks are whole powers of ten ("1", "10", "1k"...), which cannot overlap.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, svg = CL.svg, clear = CL.clear, fmt = CL.fmt;

  function renderChartControls(box, detail) {
    var measures = [];
    detail.claims.forEach(function (it) {
      var m = (it.reviewed || it.claim).measure;
      if (measures.indexOf(m) < 0) measures.push(m);
    });
    if (!measures.length) { box.appendChild(el("p", { cls: "muted", text: "no figures" })); return; }
    measures.sort(function (a, b) { return (a === "killed" ? -1 : 0) - (b === "killed" ? -1 : 0); });
    var bar = el("div", { cls: "chart-measures" }), holder = el("div");
    box.appendChild(bar);
    box.appendChild(holder);
    function pick(mName) {
      Array.prototype.forEach.call(bar.children, function (b) { b.setAttribute("aria-pressed", String(b.value === mName)); });
      clear(holder);
      holder.appendChild(sourceChart(detail, mName));
    }
    measures.forEach(function (mName) {
      var b = el("button", { type: "button", value: mName, text: mName });
      b.addEventListener("click", function () { pick(mName); });
      bar.appendChild(b);
    });
    pick(measures[0]);
  }

  /** One row per claim: a dot for an exact figure, a bar for a range (open-ended bars fade to
   *  the edge), hollow for hedged wording; revisions drawn as arrows; reconciled figures as
   *  dashed lines. */
  function sourceChart(detail, measure) {
    var ev = detail.event;
    var shown = function (it) { return it.reviewed || it.claim; };   // a corrected claim's values
    var rows = detail.claims.filter(function (it) { return shown(it).measure === measure; }).map(function (it) {
      var c = shown(it), q = c.quantity, rejected = it.review_status === "rejected";
      return { label: (c.source.name || c.source.mention || "outlet") + (rejected ? " (rejected)" : ""),
               side: c.source.side, value: q.value, min: q.min, max: q.max, approx: q.approximate, text: q.text,
               stance: c.stance, rejected: rejected };
    });
    var revs = (ev.revisions || []).filter(function (r) { return r.measure === measure; });
    var ref = measure === "killed" ? ev.deaths : measure === "wounded" ? ev.wounded : null;
    var top = 0;
    rows.forEach(function (r) { [r.value, r.min, r.max].forEach(function (v) { if (v !== null && v > top) top = v; }); });
    revs.forEach(function (r) { [r.from, r.to].forEach(function (v) { if (v !== null && v > top) top = v; }); });
    if (ref) [ref.low, ref.best, ref.high].forEach(function (v) { if (v !== null && v > top) top = v; });
    top = Math.max(top, 1) * 1.15;
    var left = 168, right = 16, rowH = 20, W = 440, H = 52 + rowH * (rows.length + revs.length);
    var plotW = W - left - right, base = 42;
    var root = svg("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "figures for " + measure + " by source" });
    var x = logScale(top, left, plotW);
    var defs = svg("defs");
    var marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#555" }));
    defs.appendChild(marker);
    root.appendChild(defs);
    root.appendChild(svg("line", { x1: left, x2: W - right, y1: H - 14, y2: H - 14, "class": "axis" }));
    for (var p = 1; p <= top; p *= 10) {   // 1, 10, 100...: evenly spaced on this axis, never overlapping
      root.appendChild(svg("line", { x1: x(p), x2: x(p), y1: H - 16, y2: H - 12, "class": "axis" }));
      root.appendChild(svg("text", { x: x(p), y: H - 2, "text-anchor": "middle", "class": "tick", text: shortNumber(p) }));
    }
    root.appendChild(svg("text", { x: left, y: H - 2, "text-anchor": "middle", "class": "tick", text: "0" }));
    if (ref) {
      var refs = {};  // equal figures share one line: "low=best"
      [["low", ref.low], ["best", ref.best], ["high", ref.high]].forEach(function (p) {
        if (p[1] === null || p[1] === undefined) return;
        refs[p[1]] = refs[p[1]] ? refs[p[1]] + "=" + p[0] : p[0];
      });
      var lastX = -1e9, lane = 0;   // labels of close lines go on a second or third lane
      Object.keys(refs).map(Number).sort(function (a, b) { return a - b; }).forEach(function (v) {
        var px = x(v);
        lane = px - lastX < 60 ? (lane + 1) % 3 : 0;
        lastX = px;
        root.appendChild(svg("line", { x1: px, x2: px, y1: 2 + lane * 12, y2: H - 14, "class": "ref" }));
        var right = px > W - 110;   // near the right edge the label goes to the line's left
        root.appendChild(svg("text", { x: right ? px - 3 : px + 3, y: 10 + lane * 12, "class": "ref-label",
          "text-anchor": right ? "end" : "start", text: refs[v] + " " + fmt(v) }));
      });
    }
    rows.forEach(function (r, i) {
      var y = base + i * rowH, col = CL.SIDE_COLOUR[r.side] || CL.SIDE_COLOUR.unknown;
      var g = svg("g", { "class": "chart-row" + (r.rejected ? " rejected" : ""), "data-side": r.side });
      g.appendChild(svg("text", { x: 2, y: y + 4, text: (r.label.length > 26 ? r.label.slice(0, 25) + "…" : r.label) }));
      var title = svg("title", { text: r.label + ": " + r.text + " (" + r.stance + ")" });
      g.appendChild(title);
      var lo = r.min !== null ? r.min : (r.value !== null && r.max === null ? r.value : 0);
      var hi = r.max !== null ? r.max : null;
      var exact = r.value !== null && r.min === r.value && r.max === r.value;
      if (!exact) {
        var x0 = x(lo), x1 = hi !== null ? x(hi) : W - right;
        g.appendChild(svg("rect", { x: x0, y: y - 3, width: Math.max(2, x1 - x0), height: 6, fill: col,
          "fill-opacity": hi === null ? 0.25 : 0.45 }));
      }
      if (r.value !== null) {
        g.appendChild(svg("circle", { cx: x(r.value), cy: y, r: 4.5, fill: r.approx ? "#fff" : col, stroke: col,
          "stroke-width": 2 }));
      }
      root.appendChild(g);
    });
    revs.forEach(function (r, i) {
      var y = base + (rows.length + i) * rowH;
      root.appendChild(svg("text", { x: 2, y: y + 4, text: "revised: " + (r.source.length > 15 ? r.source.slice(0, 14) + "…" : r.source) }));
      if (r.from !== null && r.to !== null) {
        root.appendChild(svg("line", { x1: x(r.from), x2: x(r.to), y1: y, y2: y, "class": "rev", "stroke-width": 2,
          "marker-end": "url(#arrow)" }));
      }
    });
    var note = el("div", { cls: "muted" }, "log scale · ● exact  ○ hedged  ▬ range (faded: open-ended)  → revision  ┆ reconciled");
    return el("div", null, root, note);
  }


  /** Position on a log axis: log10(1 + v), so 0 has a place at the left edge. */
  function logScale(top, left, plotW) {
    var span = Math.log10(1 + top);
    return function (v) { return left + (Math.log10(1 + Math.max(0, v)) / span) * plotW; };
  }

  function shortNumber(v) {
    if (v >= 1e6) return (v / 1e6) + "M";
    if (v >= 1e3) return (v / 1e3) + "k";
    return String(v);
  }

  CL.renderChartControls = renderChartControls;
})();
