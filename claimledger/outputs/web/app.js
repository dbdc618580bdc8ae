/* claimledger map page.
 *
 * Security rule for this file: every string that came from the ledger (article text, titles,
 * source names, URLs) reaches the page through textContent / createTextNode / setAttribute on a
 * known-safe attribute, never through innerHTML or an HTML string handed to a library. The
 * server's Content-Security-Policy forbids inline scripts as a second line of defence.
 *
 * Data flow: /api/map is loaded once (compact rows for every event); type, side and date filters
 * are applied here so that brushing the timeline redraws the map at once. The event panel loads
 * /api/events/{id} and the documents it cites on demand.
 */
(function () {
  "use strict";

  var SIDES = ["russia", "ukraine", "third_party", "unknown"];
  var SIDE_LABEL = { russia: "Russia", ukraine: "Ukraine", third_party: "third party", unknown: "unknown" };
  var SIDE_COLOUR = { russia: "#c0392b", ukraine: "#1f6fd1", third_party: "#8e44ad", unknown: "#7f8c8d" };
  var TYPE_COLOUR = {
    "Shelling/artillery/missile attack": "#d7301f",
    "Air/drone strike": "#2b8cbe",
    "Armed clash": "#f16913",
    "Remote explosive/landmine/IED": "#8c6bb1",
    "Attack": "#e7298a",
    "Abduction/forced disappearance": "#66a61e",
    "Arrests": "#1b9e77",
    "Agreement": "#737373",
    "Non-violent transfer of territory": "#a6761d",
    "Government regains territory": "#1a9850",
    "Non-state actor overtakes territory": "#b35806",
    "Disrupted weapons use": "#41b6c4",
    "Looting/property destruction": "#bf812d",
    "Peaceful protest": "#fdae61"
  };
  var SPARE = ["#4d9221", "#c51b7d", "#7570b3", "#e6ab02", "#666666", "#01665e", "#8c510a", "#2166ac"];
  var UKRAINE = [[44.2, 22.1], [52.4, 40.3]];
  var MS_DAY = 86400000;

  var state = {
    events: [],        // rows of /api/map, each with .marker once drawn
    types: [],         // distinct types in the ledger, most frequent first
    filter: { types: [], side: "", since: "", until: "" },
    selected: null,    // event id shown in the panel
    view: null         // [lat, lon, zoom] from the URL, applied once
  };
  var map, cluster, layers = {};

  // ------------------------------------------------------------------ DOM helpers (text only)

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined) return;
        if (k === "text") node.textContent = String(attrs[k]);
        else if (k === "cls") node.className = attrs[k];
        else node.setAttribute(k, String(attrs[k]));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = String(attrs[k]);
      else node.setAttribute(k, String(attrs[k]));
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function $(id) { return document.getElementById(id); }

  /** Only web links become anchors: javascript:, data: and friends stay inert text. */
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url, window.location.href);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }

  function showMessage(text, isError) {
    var box = $("message");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = "message" + (isError ? " error" : "");
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().catch(function () { return { error: "unreadable answer (" + r.status + ")" }; })
        .then(function (body) {
          if (!r.ok) throw new Error(body && body.error ? body.error : "request failed (" + r.status + ")");
          return body;
        });
    });
  }

  function typeColour(type) {
    if (TYPE_COLOUR[type]) return TYPE_COLOUR[type];
    var h = 0;
    for (var i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
    return SPARE[h % SPARE.length];
  }

  function radius(deaths) {
    if (!deaths) return 5;
    return Math.min(28, 5 + 2.2 * Math.sqrt(deaths));
  }

  function fmt(n) {
    if (n === null || n === undefined) return "–";
    return Number(n).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }

  // ------------------------------------------------------------------ URL state

  function readUrl() {
    var q = new URLSearchParams(window.location.search);
    var iso = /^\d{4}-\d{2}-\d{2}$/;
    state.filter.types = q.getAll("type").filter(Boolean);
    // any party id of the conflict registry (israel, hamas, saf, rsf...), not only the four below
    state.filter.side = /^[a-z][a-z0-9_]{0,40}$/.test(q.get("side") || "") ? q.get("side") : "";
    state.filter.since = iso.test(q.get("since") || "") ? q.get("since") : "";
    state.filter.until = iso.test(q.get("until") || "") ? q.get("until") : "";
    state.selected = q.get("event") || null;
    var v = (q.get("view") || "").split(",").map(Number);
    state.view = v.length === 3 && v.every(isFinite) ? v : null;
  }

  function writeUrl() {
    var q = new URLSearchParams();
    state.filter.types.forEach(function (t) { q.append("type", t); });
    if (state.filter.side) q.set("side", state.filter.side);
    if (state.filter.since) q.set("since", state.filter.since);
    if (state.filter.until) q.set("until", state.filter.until);
    if (state.selected) q.set("event", state.selected);
    if (map && map._loaded) {
      var c = map.getCenter();
      q.set("view", [c.lat.toFixed(4), c.lng.toFixed(4), map.getZoom()].join(","));
    }
    var s = q.toString();
    history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
  }

  // ------------------------------------------------------------------ filtering

  function passesTypeSide(e) {
    var f = state.filter;
    if (f.types.length && f.types.indexOf(e.type) < 0) return false;
    if (f.side && e.initiator !== f.side && e.target !== f.side) return false;
    return true;
  }

  function passesDate(e) {
    var f = state.filter;
    if (!f.since && !f.until) return true;
    if (!e.date) return false;  // the same rule as the API's since/until: the start date decides
    if (f.since && e.date < f.since) return false;
    if (f.until && e.date > f.until) return false;
    return true;
  }

  function applyFilters() {
    var shown = [], inRange = 0, deaths = 0, unplaced = 0;
    state.events.forEach(function (e) {
      if (!passesTypeSide(e) || !passesDate(e)) return;
      inRange++;
      deaths += e.deaths || 0;
      if (e.marker) shown.push(e.marker); else unplaced++;
    });
    cluster.clearLayers();
    cluster.addLayers(shown);
    $("map").setAttribute("data-shown", String(shown.length));
    var total = state.events.length;
    $("counts").textContent = inRange === total
      ? total.toLocaleString("en-GB") + " events, " + deaths.toLocaleString("en-GB") + " deaths (best)"
      : inRange.toLocaleString("en-GB") + " of " + total.toLocaleString("en-GB") + " events, " +
        deaths.toLocaleString("en-GB") + " deaths (best)";
    if (unplaced) $("counts").textContent += " · " + unplaced + " without a place";
    drawTimeline();
    writeUrl();
  }

  /** The parties present in the ledger (any war's: israel, hamas, saf, rsf...) join the side filter. */
  function addSideOptions() {
    var sel = $("side"), have = {}, seen = {};
    Array.prototype.forEach.call(sel.options, function (o) { have[o.value] = true; });
    state.events.forEach(function (e) { [e.initiator, e.target].forEach(function (s) { if (s) seen[s] = true; }); });
    if (state.filter.side) seen[state.filter.side] = true;
    Object.keys(seen).sort().forEach(function (s) {
      if (!have[s]) sel.appendChild(el("option", { value: s, text: s.replace(/_/g, " ") }));
    });
  }

  function syncControls() {
    $("side").value = state.filter.side;
    $("since").value = state.filter.since;
    $("until").value = state.filter.until;
    var boxes = $("type-options").querySelectorAll("input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (b) { b.checked = state.filter.types.indexOf(b.value) >= 0; });
    $("type-label").textContent = state.filter.types.length ? state.filter.types.length + " selected" : "all";
  }

  function buildTypeOptions() {
    var box = $("type-options");
    clear(box);
    var names = state.types.slice();
    state.filter.types.forEach(function (t) { if (names.indexOf(t) < 0) names.push(t); });
    if (!names.length) box.appendChild(el("span", { cls: "muted", text: "no events yet" }));
    names.forEach(function (t) {
      var sw = el("span", { cls: "swatch" });
      sw.style.background = typeColour(t);
      var input = el("input", { type: "checkbox", value: t });
      input.addEventListener("change", function () {
        var chosen = Array.prototype.filter.call(box.querySelectorAll("input"), function (b) { return b.checked; })
          .map(function (b) { return b.value; });
        state.filter.types = chosen;
        syncControls();
        applyFilters();
      });
      box.appendChild(el("label", null, input, sw, t));
    });
  }

  // ------------------------------------------------------------------ the map

  function initMap(config, countries, places) {
    map = L.map("map", { zoomControl: true, preferCanvas: false, worldCopyJump: false, minZoom: 3, maxZoom: 14 });
    map.createPane("base").style.zIndex = 250;
    map.createPane("labels").style.zIndex = 380;  // under the event markers (overlay pane, 400)
    map.getPane("labels").style.pointerEvents = "none";
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas · Leaflet");

    if (config.tiles) {
      L.tileLayer(config.tiles, { maxZoom: 18, attribution: "tiles: " + new URL(config.tiles.replace(/\{s\}/g, "a")).host })
        .addTo(map);
    }
    if (countries && window.topojson) {
      var geo = window.topojson.feature(countries, countries.objects.countries);
      crimeaToUkraine(geo);
      layers.countries = L.geoJSON(geo, {
        pane: "base", interactive: false,
        style: function (f) {
          var ua = f.id === "804";
          return { color: "#9a9588", weight: ua ? 1.4 : 0.8, fillColor: ua ? "#fbf4dc" : "#f3f1ec",
                   fillOpacity: config.tiles ? 0 : 1 };
        }
      }).addTo(map);
    }
    layers.centres = L.layerGroup();
    layers.towns = L.layerGroup();
    (places || []).forEach(function (p) {
      var centre = p.rank === "centre";
      var dot = L.circleMarker([p.lat, p.lon], { pane: "labels", radius: centre ? 2.5 : 1.8, color: "#555",
        weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false });
      dot.bindTooltip(el("span", { text: p.name }), { permanent: true, direction: "right", offset: [3, 0],
        className: "place-label" + (centre ? " centre" : ""), pane: "labels", interactive: false });
      dot.addTo(centre ? layers.centres : layers.towns);
    });
    map.on("zoomend", showLabels);

    cluster = L.markerClusterGroup({
      chunkedLoading: true, maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      disableClusteringAtZoom: 12,
      iconCreateFunction: function (c) {
        var children = c.getAllChildMarkers(), deaths = 0;
        children.forEach(function (m) { deaths += m.options.deaths || 0; });
        var size = Math.round(Math.min(58, 26 + 4 * Math.log(children.length + 1)));
        var node = el("div", { cls: "cluster", title: children.length + " events, " + deaths + " deaths" },
          el("b", { text: children.length }), deaths ? el("span", { text: "†" + deaths }) : null);
        node.style.width = size + "px";
        node.style.height = size + "px";
        return L.divIcon({ html: node, className: "cluster-icon", iconSize: [size, size] });
      }
    });
    map.addLayer(cluster);
    map.on("moveend", writeUrl);
    L.control.scale({ imperial: false }).addTo(map);
  }

  /** Natural Earth's default worldview draws Crimea inside Russia's outline; a map of this war
   *  shows internationally recognised borders, so the peninsula's polygon moves to Ukraine. */
  function crimeaToUkraine(geo) {
    var ru = null, ua = null;
    geo.features.forEach(function (f) { if (f.id === "643") ru = f; if (f.id === "804") ua = f; });
    if (!ru || !ua || ru.geometry.type !== "MultiPolygon") return;
    var inBox = function (poly) {
      return poly[0].every(function (pt) { return pt[0] > 32.2 && pt[0] < 36.8 && pt[1] > 44.2 && pt[1] < 46.3; });
    };
    var moved = ru.geometry.coordinates.filter(inBox);
    if (!moved.length) return;
    ru.geometry.coordinates = ru.geometry.coordinates.filter(function (p) { return !inBox(p); });
    if (ua.geometry.type === "Polygon") ua.geometry = { type: "MultiPolygon", coordinates: [ua.geometry.coordinates] };
    ua.geometry.coordinates = ua.geometry.coordinates.concat(moved);
  }

  function showLabels() {
    var z = map.getZoom();
    if (z >= 5) layers.centres.addTo(map); else layers.centres.remove();
    if (z >= 7) layers.towns.addTo(map); else layers.towns.remove();
  }

  function addLegend() {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = el("div", { cls: "legend" });
      var counts = {};
      state.events.forEach(function (e) { counts[e.type] = (counts[e.type] || 0) + 1; });
      state.types.slice(0, 10).forEach(function (t) {
        var sw = el("span", { cls: "swatch" });
        sw.style.background = typeColour(t);
        box.appendChild(el("div", null, sw, t + " (" + counts[t] + ")"));
      });
      if (state.types.length) box.appendChild(el("div", { cls: "muted", text: "size: reconciled deaths" }));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  function makeMarkers() {
    state.events.forEach(function (e) {
      if (e.lat === null || e.lon === null || e.lat === undefined) return;
      var m = L.circleMarker([e.lat, e.lon], {
        radius: radius(e.deaths), color: "#222", weight: 1, fillColor: typeColour(e.type), fillOpacity: 0.85,
        className: "ev-marker", deaths: e.deaths || 0
      });
      m.eventId = e.id;
      m.bindTooltip(function () {
        return el("div", null, el("b", { text: e.type }), el("br"),
          (e.place || "unknown place") + " · " + (e.date || "undated"), el("br"),
          e.deaths ? e.deaths + " killed (best estimate)"
            : e.high ? "deaths unknown (high estimate " + e.high + ")" : "no deaths reported");
      }, { className: "event-tip", direction: "top" });
      m.on("click", function () { selectEvent(e.id, true); });
      m.on("add", function () {
        var path = m.getElement();
        if (path) path.setAttribute("data-event", e.id);
      });
      e.marker = m;
    });
  }

  // ------------------------------------------------------------------ timeline

  var tl = { x0: 0, x1: 0, pad: 30, drag: null };

  function dayNum(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / MS_DAY); }
  function isoDay(n) { return new Date(n * MS_DAY).toISOString().slice(0, 10); }

  function drawTimeline() {
    var root = $("timeline");
    clear(root);
    var w = root.clientWidth || 800, h = root.clientHeight || 110;
    var rows = state.events.filter(function (e) { return e.date && passesTypeSide(e); });
    if (!rows.length) {
      root.appendChild(svg("text", { x: 10, y: h / 2, text: state.events.length ? "no dated events match the filters" : "no events yet" }));
      tl.x0 = tl.x1 = 0;
      return;
    }
    var lo = Infinity, hi = -Infinity;
    rows.forEach(function (e) { var d = dayNum(e.date); if (d < lo) lo = d; if (d > hi) hi = d; });
    lo -= 1; hi += 1;
    var span = hi - lo;
    var binDays = span <= 120 ? 1 : span <= 900 ? 7 : 30;
    var nBins = Math.ceil((span + 1) / binDays);
    var counts = new Array(nBins).fill(0), deaths = new Array(nBins).fill(0), inRange = new Array(nBins).fill(0);
    rows.forEach(function (e) {
      var b = Math.floor((dayNum(e.date) - lo) / binDays);
      counts[b]++;
      deaths[b] += e.deaths || 0;
      if (passesDate(e)) inRange[b]++;
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
      syncControls();
      applyFilters();
    });
    window.addEventListener("resize", drawTimeline);
  }

  // ------------------------------------------------------------------ the event panel

  function highlightMarker(id) {
    state.events.forEach(function (e) {
      if (!e.marker) return;
      var on = e.id === id;
      if (on !== !!e.marker.selected) {
        e.marker.selected = on;
        e.marker.setStyle(on ? { weight: 3, color: "#000" } : { weight: 1, color: "#222" });
        if (on && e.marker._map) e.marker.bringToFront();
      }
    });
  }

  /** Keep the chosen event in sight: pan it out from under the panel if needed. */
  function revealMarker(id) {
    var e = state.events.filter(function (x) { return x.id === id; })[0];
    if (!e || !e.marker) return;
    var panelW = $("panel").offsetWidth || 0;
    cluster.zoomToShowLayer(e.marker, function () {
      map.panInside(e.marker.getLatLng(), { paddingTopLeft: [40, 40], paddingBottomRight: [panelW + 40, 40] });
      highlightMarker(id);
    });
  }

  function selectEvent(id, reveal) {
    state.selected = id;
    writeUrl();
    highlightMarker(id);
    var panel = $("panel"), body = $("panel-body");
    panel.hidden = false;
    clear(body);
    body.appendChild(el("p", { cls: "muted", text: "loading…" }));
    if (reveal) revealMarker(id);
    fetchJson("/api/events/" + encodeURIComponent(id)).then(function (detail) {
      if (state.selected !== id) return;
      renderEvent(detail);
    }).catch(function (err) {
      clear(body);
      body.appendChild(el("p", { cls: "message error", text: err.message }));
    });
  }

  function closePanel() {
    state.selected = null;
    highlightMarker(null);
    $("panel").hidden = true;
    writeUrl();
  }

  function sideBadge(side) {
    if (side && SIDES.indexOf(side) < 0 && /^[a-z][a-z0-9_]*$/.test(side)) {
      return el("span", { cls: "side side-party", text: side.replace(/_/g, " ") });  // another war's party
    }
    side = SIDES.indexOf(side) >= 0 ? side : "unknown";
    return el("span", { cls: "side side-" + side, text: SIDE_LABEL[side] });
  }

  function actor(a) {
    if (!a) return el("span", { cls: "muted", text: "not stated" });
    return el("span", null, (a.name || "unnamed") + " ", sideBadge(a.side));
  }

  function renderEvent(detail) {
    var ev = detail.event, body = $("panel-body");
    clear(body);
    body.setAttribute("data-event", ev.id);
    var when = ev.date ? (ev.date.start === ev.date.end || !ev.date.end ? ev.date.start : ev.date.start + " – " + ev.date.end) : null;
    var where = ev.place ? ev.place.name + (ev.place.admin1 && ev.place.admin1 !== ev.place.name ? ", " + ev.place.admin1 : "") : null;
    body.appendChild(el("h2", { text: ev.type }));
    body.appendChild(el("div", { cls: "muted", text: ev.event_type }));
    body.appendChild(el("div", null, (when || "undated") + " · " + (where || "no place")));
    body.appendChild(el("div", null, "Initiator: ", actor(ev.initiator)));
    body.appendChild(el("div", null, "Target: ", actor(ev.target)));

    body.appendChild(el("h3", { text: "Deaths (reconciled)" }));
    var d = ev.deaths;
    if (d) {
      body.appendChild(el("div", { cls: "deaths" },
        el("div", null, el("span", { cls: "n", text: fmt(d.low) }), "low"),
        el("div", { cls: "best" }, el("span", { cls: "n", text: fmt(d.best) }), "best"),
        el("div", null, el("span", { cls: "n", text: fmt(d.high) }), "high")));
      if (d.reasoning && d.reasoning.length) {
        body.appendChild(el("ul", { cls: "reasoning" }, d.reasoning.map(function (r) { return el("li", { text: r }); })));
      }
    } else {
      body.appendChild(el("p", { cls: "muted", text: "no deaths reported" }));
    }
    if (ev.wounded && ev.wounded.best !== null) {
      body.appendChild(el("div", null, "Wounded: " + fmt(ev.wounded.low) + " / " + fmt(ev.wounded.best) + " / " + fmt(ev.wounded.high)));
    }

    body.appendChild(el("h3", { text: "What each source said" }));
    var chartBox = el("div");
    body.appendChild(chartBox);
    renderChartControls(chartBox, detail);

    body.appendChild(el("h3", { text: "Claims (" + detail.claims.length + ")" }));
    var docs = {};
    detail.documents.forEach(function (doc) { docs[doc.id] = doc; });
    var list = el("ul", { cls: "claims" });
    detail.claims.forEach(function (item) {
      var c = item.claim, src = c.source;
      var li = el("li", { cls: src.side, "data-claim": c.id },
        el("div", { cls: "claim-head" }, (src.name || src.mention || "the outlet itself") + " ", sideBadge(src.side),
          " " + c.stance),
        el("div", null, c.measure + ": " + c.quantity.text + (c.subject && c.subject.text ? " " + c.subject.text : "") +
          (c.date && c.date.start ? " · " + c.date.start : "")),
        el("div", { cls: "evidence", text: "“" + c.evidence.text + "”" }));
      li.addEventListener("click", function () { showEvidence(item.doc, c.id); });
      list.appendChild(li);
    });
    body.appendChild(list);

    body.appendChild(el("h3", { text: "Documents (" + detail.documents.length + ")" }));
    detail.documents.forEach(function (doc) {
      var claimsHere = detail.claims.filter(function (it) { return it.doc === doc.id; }).map(function (it) { return it.claim; });
      body.appendChild(renderDocument(doc, claimsHere));
    });
    if (ev.revisions && ev.revisions.length) {
      body.appendChild(el("h3", { text: "Revisions" }));
      body.appendChild(el("ul", { cls: "reasoning" }, ev.revisions.map(function (r) {
        return el("li", { text: r.source + " revised " + r.measure + " from " + fmt(r.from) + " to " + fmt(r.to) });
      })));
    }
  }

  function renderDocument(doc, claims) {
    var href = safeUrl(doc.url);
    var title = doc.title || doc.url || doc.id;
    var head = el("summary", null, el("b", { text: title }),
      " · " + [doc.outlet, doc.published].filter(Boolean).join(" · "));
    var box = el("details", { cls: "doc", "data-doc": doc.id }, head);
    if (href) {
      box.appendChild(el("div", null, el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: href })));
    } else if (doc.url) {
      box.appendChild(el("div", { cls: "muted", text: "link not shown (not a web address): " + doc.url }));
    }
    var textBox = el("div", { cls: "doctext", text: "open to load the text" });
    box.appendChild(textBox);
    box.claims = claims;
    box.addEventListener("toggle", function () {
      if (box.open && !box.loaded) loadDocument(box, textBox, doc.id, claims);
    });
    return box;
  }

  function loadDocument(box, textBox, docId, claims) {
    box.loaded = fetchJson("/api/documents/" + encodeURIComponent(docId)).then(function (res) {
      clear(textBox);
      if (!res.text) { textBox.textContent = "(the ledger holds no text for this document)"; return; }
      highlight(textBox, res.text, claims);
    }).catch(function (err) { textBox.textContent = err.message; });
    return box.loaded;
  }

  /** The body as text nodes, with each claim's evidence span wrapped in a <mark>. */
  function highlight(node, text, claims) {
    var spans = claims.map(function (c) { return { s: c.evidence.start, e: c.evidence.end, id: c.id }; })
      .filter(function (x) { return x.s >= 0 && x.e <= text.length && x.s < x.e; })
      .sort(function (a, b) { return a.s - b.s; });
    var pos = 0;
    spans.forEach(function (sp) {
      if (sp.s < pos) return; // overlapping evidence: the first one wins
      node.appendChild(document.createTextNode(text.slice(pos, sp.s)));
      node.appendChild(el("mark", { "data-claim": sp.id, text: text.slice(sp.s, sp.e) }));
      pos = sp.e;
    });
    node.appendChild(document.createTextNode(text.slice(pos)));
  }

  function showEvidence(docId, claimId) {
    var box = document.querySelector('details.doc[data-doc="' + CSS.escape(docId) + '"]');
    if (!box) return;
    var go = function () {
      var mark = box.querySelector('mark[data-claim="' + CSS.escape(claimId) + '"]');
      Array.prototype.forEach.call(document.querySelectorAll("mark.flash"), function (m) { m.classList.remove("flash"); });
      if (mark) { mark.classList.add("flash"); mark.scrollIntoView({ block: "center" }); }
    };
    if (!box.loaded) loadDocument(box, box.querySelector(".doctext"), docId, box.claims);
    box.open = true;
    box.loaded.then(go);
  }

  // ------------------------------------------------------------------ source chart

  function renderChartControls(box, detail) {
    var measures = [];
    detail.claims.forEach(function (it) { if (measures.indexOf(it.claim.measure) < 0) measures.push(it.claim.measure); });
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
    var rows = detail.claims.filter(function (it) { return it.claim.measure === measure; }).map(function (it) {
      var c = it.claim, q = c.quantity;
      return { label: c.source.name || c.source.mention || "outlet", side: c.source.side, value: q.value,
               min: q.min, max: q.max, approx: q.approximate, text: q.text, stance: c.stance };
    });
    var revs = (ev.revisions || []).filter(function (r) { return r.measure === measure; });
    var ref = measure === "killed" ? ev.deaths : measure === "wounded" ? ev.wounded : null;
    var top = 0;
    rows.forEach(function (r) { [r.value, r.min, r.max].forEach(function (v) { if (v !== null && v > top) top = v; }); });
    revs.forEach(function (r) { [r.from, r.to].forEach(function (v) { if (v !== null && v > top) top = v; }); });
    if (ref) [ref.low, ref.best, ref.high].forEach(function (v) { if (v !== null && v > top) top = v; });
    top = top > 0 ? top * 1.08 : 1;
    var left = 150, right = 16, rowH = 20, W = 420, H = 26 + rowH * (rows.length + revs.length);
    var plotW = W - left - right;
    var root = svg("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "figures for " + measure + " by source" });
    function x(v) { return left + (v / top) * plotW; }
    var defs = svg("defs");
    var marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#555" }));
    defs.appendChild(marker);
    root.appendChild(defs);
    root.appendChild(svg("line", { x1: left, x2: W - right, y1: H - 14, y2: H - 14, "class": "axis" }));
    [0, 0.5, 1].forEach(function (f) {
      root.appendChild(svg("text", { x: x(top / 1.08 * f) - 6, y: H - 2, text: fmt(Math.round(top / 1.08 * f)) }));
    });
    if (ref) {
      var refs = {};  // equal figures share one line: "low=best"
      [["low", ref.low], ["best", ref.best], ["high", ref.high]].forEach(function (p) {
        if (p[1] === null || p[1] === undefined) return;
        refs[p[1]] = refs[p[1]] ? refs[p[1]] + "=" + p[0] : p[0];
      });
      Object.keys(refs).forEach(function (v) {
        root.appendChild(svg("line", { x1: x(+v), x2: x(+v), y1: 2, y2: H - 14, "class": "ref" }));
        root.appendChild(svg("text", { x: Math.min(x(+v) + 2, W - 50), y: 10, text: refs[v] }));
      });
    }
    rows.forEach(function (r, i) {
      var y = 18 + i * rowH, col = SIDE_COLOUR[r.side] || SIDE_COLOUR.unknown;
      var g = svg("g", { "class": "chart-row", "data-side": r.side });
      g.appendChild(svg("text", { x: 2, y: y + 4, text: (r.label.length > 24 ? r.label.slice(0, 23) + "…" : r.label) }));
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
      var y = 18 + (rows.length + i) * rowH;
      root.appendChild(svg("text", { x: 2, y: y + 4, text: "revised: " + (r.source.length > 15 ? r.source.slice(0, 14) + "…" : r.source) }));
      if (r.from !== null && r.to !== null) {
        root.appendChild(svg("line", { x1: x(r.from), x2: x(r.to), y1: y, y2: y, "class": "rev", "stroke-width": 2,
          "marker-end": "url(#arrow)" }));
      }
    });
    var note = el("div", { cls: "muted" }, "● exact  ○ hedged  ▬ range (faded: open-ended)  → revision  ┆ reconciled");
    return el("div", null, root, note);
  }

  // ------------------------------------------------------------------ start

  function wire() {
    $("side").addEventListener("change", function () { state.filter.side = this.value; applyFilters(); });
    $("since").addEventListener("change", function () { state.filter.since = this.value; applyFilters(); });
    $("until").addEventListener("change", function () { state.filter.until = this.value; applyFilters(); });
    $("reset").addEventListener("click", function () {
      state.filter = { types: [], side: "", since: "", until: "" };
      syncControls();
      applyFilters();
    });
    $("share").addEventListener("click", function () {
      writeUrl();
      var url = window.location.href;
      if (navigator.clipboard) navigator.clipboard.writeText(url).catch(function () {});
      showMessage("Link to this view: " + url, false);
    });
    $("close-panel").addEventListener("click", closePanel);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });
  }

  function start() {
    readUrl();
    wire();
    initTimeline();
    var optional = function (p) { return p.catch(function () { return null; }); };
    Promise.all([
      optional(fetchJson("/api/config")),
      optional(fetchJson("/static/vendor/world-atlas/countries-50m.json")),
      optional(fetchJson("/static/places.json")),
      fetchJson("/api/map").catch(function (err) { showMessage(err.message, true); return { items: [] }; })
    ]).then(function (res) {
      var config = res[0] || {}, data = res[3];
      initMap(config, res[1], res[2]);
      state.events = data.items || [];
      var freq = {};
      state.events.forEach(function (e) { freq[e.type] = (freq[e.type] || 0) + 1; });
      state.types = Object.keys(freq).sort(function (a, b) { return freq[b] - freq[a] || (a < b ? -1 : 1); });
      makeMarkers();
      addSideOptions();
      buildTypeOptions();
      syncControls();
      addLegend();
      if (state.view) {
        map.setView([state.view[0], state.view[1]], state.view[2]);
      } else {
        var pts = state.events.filter(function (e) { return e.marker; }).map(function (e) { return [e.lat, e.lon]; });
        if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.15), { maxZoom: 8 }); else map.fitBounds(UKRAINE);
      }
      showLabels();
      applyFilters();
      if (!state.events.length) {
        $("map").appendChild(el("div", { cls: "empty-note" },
          el("b", { text: "The ledger is empty." }), el("br"),
          "Add reports with claimledger ingest, or POST them to /api/documents, then reload."));
      }
      if (state.selected) selectEvent(state.selected, !state.view);
      document.body.setAttribute("data-ready", "1");
      if (window.performance && performance.mark) performance.mark("claimledger-ready");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
