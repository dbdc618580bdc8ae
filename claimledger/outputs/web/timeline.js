/* claimledger page: the timeline under the map (events and deaths per day, week or month).
 *
 * It spans the data's dates with outliers clipped (see dataRange) and counted above it; dragging
 * across it sets the date filter, a click clears it. app.js gives it the rows and the filters
 * (CL.initTimeline) and redraws it after every filter change (CL.drawTimeline).
 */
(function () {
  "use strict";

  var CL = window.CL, svg = CL.svg, clear = CL.clear, $ = CL.$, state = CL.state;
  var MS_DAY = 86400000;
  var src = null;   // {rows(), passesTypeSide(e), passesDate(e), changed()} from app.js

  var tl = { x0: 0, x1: 0, pad: 30, drag: null };

  function dayNum(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / MS_DAY); }
  /** A row's day number, parsed once (three Date.parse per row and redraw: ~15 ms over 10,000). */
  function rowDay(e) {
    if (e.dayN === undefined || e.dayOf !== e.date) { e.dayN = dayNum(e.date); e.dayOf = e.date; }
    return e.dayN;
  }
  function isoDay(n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); }

  function drawTimeline() {
    var root = $("timeline");
    clear(root);
    var w = root.clientWidth || 800, h = root.clientHeight || 110;
    var rows = src.rows().filter(function (e) { return e.date && src.passesTypeSide(e); });
    if (!rows.length) {
      root.appendChild(svg("text", { x: 10, y: h / 2, text: src.rows().length ? "no dated events match the filters" : "no events yet" }));
      tl.x0 = tl.x1 = 0;
      $("clipped").textContent = "";
      return;
    }
    var range = dataRange(rows.map(rowDay));
    var lo = range.lo - 1, hi = range.hi + 1;
    rows = rows.filter(function (e) { var d = rowDay(e); return d >= range.lo && d <= range.hi; });
    $("clipped").textContent = clippedLabel(range);
    var span = hi - lo;
    var binDays = span <= 120 ? 1 : span <= 900 ? 7 : 30;
    var nBins = Math.ceil((span + 1) / binDays);
    var counts = new Array(nBins).fill(0), deaths = new Array(nBins).fill(0), inRange = new Array(nBins).fill(0);
    rows.forEach(function (e) {
      var b = Math.floor((rowDay(e) - lo) / binDays);
      counts[b]++;
      deaths[b] += e.deaths || 0;
      if (src.passesDate(e)) inRange[b]++;
    });
    var pad = tl.pad, plotW = w - 2 * pad, plotH = h - 18;
    tl.lo = lo; tl.hi = lo + nBins * binDays; tl.plotW = plotW; tl.w = w;
    var maxC = Math.max.apply(null, counts), maxD = Math.max(1, Math.max.apply(null, deaths));
    var bw = plotW / nBins;
    root.appendChild(svg("line", { x1: pad, x2: w - pad, y1: plotH + 0.5, y2: plotH + 0.5, "class": "axis" }));
    for (var i = 0; i < nBins; i++) {
      if (!counts[i]) continue;
      var bh = Math.max(1.5, (counts[i] / maxC) * (plotH - 8));
      var cls = inRange[i] ? "bar" : "bar out";
      root.appendChild(svg("rect", { x: pad + i * bw + 0.5, y: plotH - bh, width: Math.max(1, bw - 1), height: bh,
        "class": cls }));
    }
    var pts = [];
    for (var j = 0; j < nBins; j++) pts.push((pad + (j + 0.5) * bw).toFixed(1) + "," + (plotH - (deaths[j] / maxD) * (plotH - 8)).toFixed(1));
    root.appendChild(svg("polyline", { points: pts.join(" "), "class": "deaths-line" }));
    root.appendChild(svg("text", { x: 2, y: 10, text: maxC + " ev" }));
    root.appendChild(svg("text", { x: w - pad + 2, y: 10, text: "†" + maxD }));
    // date ticks: about one every 110 px
    var ticks = Math.max(2, Math.floor(plotW / 110));
    for (var t = 0; t <= ticks; t++) {
      var day = Math.round(tl.lo + (tl.hi - tl.lo) * t / ticks);
      var x = pad + plotW * t / ticks;
      root.appendChild(svg("text", { x: Math.min(x, w - 60), y: h - 3, text: isoDay(day) }));
    }
    var f = state.filter;
    if (f.since || f.until) {
      var a = f.since ? xOf(dayNum(f.since)) : pad, b2 = f.until ? xOf(dayNum(f.until) + 1) : w - pad;
      a = Math.max(pad, Math.min(w - pad, a)); b2 = Math.max(pad, Math.min(w - pad, b2));
      root.appendChild(svg("rect", { x: a, y: 0, width: Math.max(2, b2 - a), height: plotH, "class": "brush" }));
      $("brush-label").textContent = (f.since || "start") + " → " + (f.until || "end") + " (click the timeline to clear)";
    } else {
      $("brush-label").textContent = "drag across the timeline to filter by date";
    }
    if (tl.drag) {
      var x0 = Math.min(tl.drag.a, tl.drag.b), x1 = Math.max(tl.drag.a, tl.drag.b);
      root.appendChild(svg("rect", { x: x0, y: 0, width: Math.max(1, x1 - x0), height: plotH, "class": "brush" }));
    }
  }

  /** The span the timeline draws: the data's dates, with outliers (a report dated 1920 in a 2022
   *  war) clipped by a fence of three interquartile ranges (at least 60 days) around the middle
   *  half, and counted instead of squeezing every real bar into a few pixels. */
  function dataRange(days) {
    days = days.slice().sort(function (a, b) { return a - b; });
    var n = days.length, q1 = days[Math.floor(n / 4)], q3 = days[Math.floor(3 * (n - 1) / 4)];
    var fence = Math.max(60, 3 * (q3 - q1));
    var lo = Math.max(days[0], q1 - fence), hi = Math.min(days[n - 1], q3 + fence);
    var before = 0, after = 0;
    days.forEach(function (d) { if (d < lo) before++; else if (d > hi) after++; });
    if (before) lo = days[before];          // start at the first date kept
    if (after) hi = days[n - 1 - after];
    return { lo: lo, hi: hi, before: before, after: after, first: days[0], last: days[n - 1] };
  }

  function clippedLabel(r) {
    var parts = [];
    if (r.before) parts.push(r.before + " earlier (from " + isoDay(r.first) + ")");
    if (r.after) parts.push(r.after + " later (to " + isoDay(r.last) + ")");
    return parts.length ? "not drawn: " + parts.join(", ") + " · " : "";
  }

  function xOf(day) { return tl.pad + (day - tl.lo) / (tl.hi - tl.lo) * tl.plotW; }
  function dayOf(x) { return Math.floor(tl.lo + (x - tl.pad) / tl.plotW * (tl.hi - tl.lo)); }

  function initTimeline() {
    var root = $("timeline");
    function localX(ev) { return ev.clientX - root.getBoundingClientRect().left; }
    root.addEventListener("pointerdown", function (ev) {
      if (!tl.plotW) return;
      root.setPointerCapture(ev.pointerId);
      tl.drag = { a: localX(ev), b: localX(ev) };
    });
    root.addEventListener("pointermove", function (ev) {
      if (!tl.drag) return;
      tl.drag.b = localX(ev);
      drawTimeline();
    });
    root.addEventListener("pointerup", function () {
      if (!tl.drag) return;
      var a = Math.min(tl.drag.a, tl.drag.b), b = Math.max(tl.drag.a, tl.drag.b);
      tl.drag = null;
      if (b - a < 4) {
        state.filter.since = state.filter.until = "";
      } else {
        var d0 = Math.max(tl.lo, dayOf(a)), d1 = Math.min(tl.hi - 1, dayOf(b));
        state.filter.since = isoDay(d0);
        state.filter.until = isoDay(Math.max(d0, d1));
      }
      state.page = 0;
      src.changed();
    });
    window.addEventListener("resize", drawTimeline);
  }


  CL.drawTimeline = function () { if (src) drawTimeline(); };
  /** ``source``: rows() (the map rows), passesTypeSide(e), passesDate(e), changed() (the dates moved). */
  CL.initTimeline = function (source) { src = source; initTimeline(); };
})();
