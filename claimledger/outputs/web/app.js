/* claimledger page: the map, its markers, legend and timeline, and the start-up that loads them.
 *
 * Data flow: /api/map is loaded with the "server" filters (search, conflict, parties, sources,
 * outlet, place, toll, reviewed: core.js CL.FILTERS); type, side and dates are applied here to
 * the loaded rows so that brushing the timeline redraws at once. The table (table.js), the event
 * panel (panel.js) and the downloads (filters.js) ask the API with every filter. New events are
 * polled with ``updated_since`` and marked as they arrive.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, svg = CL.svg, clear = CL.clear, $ = CL.$, state = CL.state;
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

  var data = {
    events: [],        // rows of /api/map, each with .marker once drawn
    types: [],         // distinct types of the loaded rows, most frequent first
    fresh: {}          // ids of events that arrived since the page loaded (issue 16)
  };
  var map, cluster, layers = {};
  var clustering = false, whenClustered = [];   // markercluster's chunked loading: done after the last chunk

  /** ``fn`` once every marker of the last applyFilters is clustered and on the map. */
  function afterClustering(fn) { if (clustering) whenClustered.push(fn); else fn(); }

  function clustered(done, total) {
    if (done < total) return;
    clustering = false;
    whenClustered.splice(0).forEach(function (fn) { fn(); });
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
    data.events.forEach(function (e) {
      if (!passesTypeSide(e) || !passesDate(e)) return;
      inRange++;
      deaths += e.deaths || 0;
      if (e.marker) shown.push(e.marker); else unplaced++;
    });
    cluster.clearLayers();
    clustering = !!cluster._map;   // chunkProgress ends it; a map without a view clusters on its first view
    cluster.addLayers(shown, true);   // true: no "layeradd" event per marker (10,000 events nobody hears)
    $("map").setAttribute("data-shown", String(shown.length));
    var total = data.events.length;
    $("counts").textContent = inRange === total
      ? total.toLocaleString("en-GB") + " events, " + deaths.toLocaleString("en-GB") + " deaths (best)"
      : inRange.toLocaleString("en-GB") + " of " + total.toLocaleString("en-GB") + " events, " +
        deaths.toLocaleString("en-GB") + " deaths (best)";
    if (unplaced) $("counts").textContent += " · " + unplaced + " without a place";
    if (data.freshCount) $("counts").textContent += " · " + data.freshCount + " new";
    CL.drawTimeline();
    CL.writeUrl();
    CL.emit("filters");
  }

  /** The parties present in the ledger (any war's: israel, hamas, saf, rsf...) join the side filter. */
  function addSideOptions() {
    var sel = $("side"), have = {}, seen = {};
    Array.prototype.forEach.call(sel.options, function (o) { have[o.value] = true; });
    data.events.forEach(function (e) { [e.initiator, e.target].forEach(function (s) { if (s) seen[s] = true; }); });
    if (state.filter.side) seen[state.filter.side] = true;
    Object.keys(seen).sort().forEach(function (s) {
      if (!have[s]) sel.appendChild(el("option", { value: s, text: s.replace(/_/g, " ") }));
    });
  }

  function syncControls() {
    $("side").value = state.filter.side || "";
    $("since").value = state.filter.since || "";
    $("until").value = state.filter.until || "";
    if (CL.syncMore) CL.syncMore();
    var boxes = $("type-options").querySelectorAll("input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (b) { b.checked = state.filter.types.indexOf(b.value) >= 0; });
    $("type-label").textContent = state.filter.types.length ? state.filter.types.length + " selected" : "all";
  }

  function buildTypeOptions() {
    var box = $("type-options");
    clear(box);
    var names = data.types.slice();
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
        state.page = 0;
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
        // one canvas, not 241 SVG paths of the 50m outlines: the first view drew in ~100 ms, not ~160
        renderer: L.canvas({ pane: "base" }),
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
      chunkedLoading: true, chunkProgress: clustered, chunkDelay: 1,   // between chunks: a frame, not 50 ms idle
      maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
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

  /** Every type present, with its count; folded away when long, so it never hides the markers. */
  function addLegend() {
    if (layers.legend) layers.legend.remove();
    var legend = layers.legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var counts = {};
      data.events.forEach(function (e) { counts[e.type] = (counts[e.type] || 0) + 1; });
      var box = el("details", { cls: "legend", id: "legend" },
        el("summary", { text: "Legend: " + data.types.length + " type" + (data.types.length === 1 ? "" : "s") }));
      if (data.types.length <= 6 && !state.legendClosed) box.open = true;
      data.types.forEach(function (t) {
        var sw = el("span", { cls: "swatch" });
        sw.style.background = typeColour(t);
        box.appendChild(el("div", { cls: "legend-row" }, sw, t + " (" + counts[t] + ")"));
      });
      if (data.types.length) box.appendChild(el("div", { cls: "muted", text: "size: reconciled deaths · ringed: new" }));
      box.addEventListener("toggle", function () { state.legendClosed = !box.open; });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);
  }

  function countTypes() {
    var freq = {};
    data.events.forEach(function (e) { freq[e.type] = (freq[e.type] || 0) + 1; });
    data.types = Object.keys(freq).sort(function (a, b) { return freq[b] - freq[a] || (a < b ? -1 : 1); });
  }

  /** The markers' handlers, one function each for all of them (``this`` is the marker): a closure
   *  per marker and event was 30,000 functions made on every load of 10,000 events. */
  var markerEvents = {
    mouseover: function () {   // the tooltip is bound on first hover: 10,000 up front cost the load
      if (this.getTooltip()) return;
      var e = data.byId[this.eventId];
      if (!e) return;
      this.bindTooltip(function () {
        return el("div", null, el("b", { text: e.type }), el("br"),
          (e.place || "unknown place") + " · " + (e.date || "undated"), el("br"),
          e.deaths ? e.deaths + " killed (best estimate)"
            : e.high ? "deaths unknown (high estimate " + e.high + ")" : "no deaths reported");
      }, { className: "event-tip", direction: "top" }).openTooltip();
    },
    click: function () { selectEvent(this.eventId, false); },
    add: function () {
      var path = this.getElement();
      if (path) path.setAttribute("data-event", this.eventId);
    }
  };

  function makeMarkers() {
    data.events.forEach(function (e) {
      if (e.lat === null || e.lon === null || e.lat === undefined) return;
      var fresh = !!data.fresh[e.id];
      var m = L.circleMarker([e.lat, e.lon], {
        radius: radius(e.deaths), color: fresh ? "#f5a300" : "#222", weight: fresh ? 3 : 1,
        fillColor: typeColour(e.type), fillOpacity: 0.85, className: "ev-marker" + (fresh ? " fresh" : ""),
        deaths: e.deaths || 0
      });
      m.eventId = e.id;
      m.on(markerEvents);
      e.marker = m;
    });
  }

  // ------------------------------------------------------------------ the event panel

  function highlightMarker(id) {
    data.events.forEach(function (e) {
      if (!e.marker) return;
      var on = e.id === id;
      if (on !== !!e.marker.selected) {
        e.marker.selected = on;
        e.marker.setStyle(on ? { weight: 3, color: "#000" } : { weight: 1, color: "#222" });
        if (on && e.marker._map) e.marker.bringToFront();
      }
    });
  }

  var EVENT_ZOOM = [8, 10];   // a town and its neighbours: wide enough for the towns' labels (zoom 7+)

  /** Bring the chosen event into sight at a zoom between EVENT_ZOOM's, out from under the panel;
   *  if it is still inside a cluster there, the cluster spreads its markers out. */
  function revealMarker(id) {
    var e = data.events.filter(function (x) { return x.id === id; })[0];
    if (!e || !e.marker) return;
    var panelW = $("panel").offsetWidth || 0;
    var z = Math.min(EVENT_ZOOM[1], Math.max(EVENT_ZOOM[0], map.getZoom()));
    map.setView(e.marker.getLatLng(), z, { animate: false });
    map.panInside(e.marker.getLatLng(), { paddingTopLeft: [40, 40], paddingBottomRight: [panelW + 40, 40], animate: false });
    var parent = cluster.getVisibleParent(e.marker);
    if (parent && parent !== e.marker && parent.spiderfy) parent.spiderfy();
    highlightMarker(id);
  }

  function selectEvent(id, reveal) {
    state.selected = id;
    CL.writeUrl();
    CL.emit("event", id);
    highlightMarker(id);
    var panel = $("panel"), body = $("panel-body");
    panel.hidden = false;
    clear(body);
    body.appendChild(el("p", { cls: "muted", text: "loading…" }));
    if (reveal) revealMarker(id);
    CL.fetchJson("/api/events/" + encodeURIComponent(id)).then(function (detail) {
      if (state.selected !== id) return;
      CL.renderEvent(detail);
    }).catch(function (err) {
      clear(body);
      body.appendChild(el("p", { cls: "message error", text: err.message }));
    });
  }

  function closePanel() {
    state.selected = null;
    highlightMarker(null);
    $("panel").hidden = true;
    CL.writeUrl();
    CL.emit("event", null);
  }

  // ------------------------------------------------------------------ loading and polling

  /** (Re)load the map rows for the server filters (or take ``pending``, a request already made);
   *  resolves when the markers are drawn. */
  function reload(pending, first) {
    return (pending || CL.fetchJson(CL.mapUrl(), { raw: true })).then(function (res) {
      data.stamp = serverTime(res.response);
      if (!first) return setRows(res.body.items || []);
      setView(res.body.items || []);
      showLabels();   // the towns' labels measure themselves: cheaper before 10,000 markers are in the page
      return nextFrame().then(function () { setRows(res.body.items || []); });
    }).catch(function (err) {
      CL.showMessage(err.message, true);
      if (first) setView([]);
      if (!data.events.length) setRows([]);
    });
  }

  /** After the browser has painted what is drawn so far: on the first load, the base map shows
   *  before the 10,000 markers are made and clustered (half a second of script), not with them. */
  function nextFrame() {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () {
        performance.mark("claimledger-basemap");
        window.setTimeout(resolve, 0);
      });
    });
  }

  /** The first view, set before any marker is added (clustering 10,000 markers twice, once for
   *  no view and once for the real one, cost the page about a second): the URL's, or the data's
   *  extent (not the whole world, not a fixed country). */
  function setView(rows) {
    if (state.view) { map.setView([state.view[0], state.view[1]], state.view[2]); return; }
    var pts = rows.filter(function (e) { return e.lat !== null && e.lat !== undefined && e.lon !== null; })
      .map(function (e) { return [e.lat, e.lon]; });
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.1), { maxZoom: 9 }); else map.fitBounds(UKRAINE);
  }

  function setRows(rows) {
    data.events = rows;
    data.byId = {};
    rows.forEach(function (e) { data.byId[e.id] = e; });
    countTypes();
    makeMarkers();
    addSideOptions();
    buildTypeOptions();
    syncControls();
    addLegend();
    applyFilters();
    CL.emit("data");
  }

  /** The server's clock from the Date header (what ``updated_since`` compares with), else ours. */
  function serverTime(response) {
    var d = response && response.headers.get("Date");
    var t = d ? new Date(d) : new Date();
    return isNaN(t) ? new Date().toISOString().slice(0, 19) + "Z" : t.toISOString().slice(0, 19) + "Z";
  }

  /** Issue 16: events that arrived or changed since the last look are merged in and ringed. */
  function poll() {
    if (!data.stamp || document.hidden) return;
    CL.fetchJson(CL.mapUrl({ updated_since: data.stamp }), { raw: true }).then(function (res) {
      data.stamp = serverTime(res.response);
      var rows = res.body.items || [];
      if (!rows.length) return;
      rows.forEach(function (r) {
        if (!data.byId[r.id]) { data.fresh[r.id] = true; data.freshCount = (data.freshCount || 0) + 1; }
      });
      var merged = data.events.filter(function (e) { return !rows.some(function (r) { return r.id === e.id; }); });
      setRows(merged.concat(rows));
      if (state.selected && rows.some(function (r) { return r.id === state.selected; })) selectEvent(state.selected, false);
    }).catch(function () { /* the next poll tries again; the page keeps what it has */ });
  }

  // ------------------------------------------------------------------ start

  function wire() {
    var local = function (key) {
      return function () { state.filter[key] = this.value; state.page = 0; applyFilters(); };
    };
    $("side").addEventListener("change", local("side"));
    $("since").addEventListener("change", local("since"));
    $("until").addEventListener("change", local("until"));
    $("reset").addEventListener("click", function () {
      state.filter = { types: [] };
      state.page = 0;
      syncControls();
      reload();
    });
    $("share").addEventListener("click", function () {
      CL.writeUrl();
      var url = window.location.href;
      if (navigator.clipboard) navigator.clipboard.writeText(url).catch(function () {});
      CL.showMessage("Link to this view: " + url, false);
    });
    $("close-panel").addEventListener("click", closePanel);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });
  }

  CL.reload = reload;
  CL.selectEvent = selectEvent;
  CL.typeColour = typeColour;
  CL.mapView = function () {
    if (!map || !map._loaded) return null;
    var c = map.getCenter();
    return [c.lat.toFixed(4), c.lng.toFixed(4), map.getZoom()].join(",");
  };
  CL.mapBounds = function () {
    if (!map || !map._loaded) return null;
    var b = map.getBounds();
    var clamp = function (v, m) { return Math.max(-m, Math.min(m, v)).toFixed(4); };
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
  };
  CL.passes = function (e) { return passesTypeSide(e) && passesDate(e); };

  function start() {
    CL.readUrl();
    wire();
    CL.initTimeline({ rows: function () { return data.events; }, passesTypeSide: passesTypeSide, passesDate: passesDate,
                      changed: function () { syncControls(); applyFilters(); } });
    var optional = function (p) { return p.catch(function () { return null; }); };
    var rows = CL.mapRows;   // asked by core.js while the scripts were arriving
    if (CL.prepareTable) CL.prepareTable();
    Promise.all([
      optional(CL.fetchJson("/api/config")),
      optional(CL.fetchJson("/static/vendor/world-atlas/countries-50m.json")),
      optional(CL.fetchJson("/static/places.json"))
    ]).then(function (res) {
      CL.config = res[0] || {};
      initMap(CL.config, res[1], res[2]);
      if (CL.initFilters) CL.initFilters();
      return reload(rows, true);
    }).then(function () {
      map.on("moveend", function () { CL.writeUrl(); CL.emit("moved"); });
      showLabels();
      if (!data.events.length && !CL.filtersActive()) {
        $("map").appendChild(el("div", { cls: "empty-note" },
          el("b", { text: "The ledger is empty." }), el("br"),
          "Add reports with claimledger ingest, or POST them to /api/documents, then reload."));
      }
      if (state.selected) selectEvent(state.selected, !state.view);
      if (CL.initTable) CL.initTable();
      if (CL.loadFacets) CL.loadFacets();
      window.setInterval(poll, state.poll * 1000);
      afterClustering(function () {   // every marker clustered and on the map, not only the first chunk
        document.body.setAttribute("data-ready", "1");
        if (window.performance && performance.mark) performance.mark("claimledger-ready");
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
