/* claimledger page: what every part of the page shares (loaded first, before the other scripts).
 *
 * Security rule for every script of the page: a string that came from the ledger (article text,
 * titles, source names, URLs) reaches the page through textContent / createTextNode /
 * setAttribute on a known-safe attribute, never through innerHTML or an HTML string handed to a
 * library. The server's Content-Security-Policy forbids inline scripts as a second line of defence.
 *
 * window.CL holds the helpers (CL.el, CL.fetchJson...), the page state (CL.state), the filters
 * and their URL form (CL.filters), and the hooks by which the map, the table, the event panel and
 * the review controls tell each other what changed (CL.on / CL.emit).
 */
(function () {
  "use strict";

  var CL = window.CL = {};
  var SIDES = CL.SIDES = ["russia", "ukraine", "third_party", "unknown"];
  var SIDE_LABEL = { russia: "Russia", ukraine: "Ukraine", third_party: "third party", unknown: "unknown" };
  CL.SIDE_COLOUR = { russia: "#c0392b", ukraine: "#1f6fd1", third_party: "#8e44ad", unknown: "#7f8c8d" };

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

  CL.svg = function (tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = String(attrs[k]);
      else node.setAttribute(k, String(attrs[k]));
    });
    return node;
  };

  CL.el = el;
  CL.clear = function (node) { while (node.firstChild) node.removeChild(node.firstChild); };
  CL.$ = function (id) { return document.getElementById(id); };

  /** Only web links become anchors: javascript:, data: and friends stay inert text. */
  CL.safeUrl = function (url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url, window.location.href);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  };

  CL.showMessage = function (text, isError) {
    var box = CL.$("message");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = "message" + (isError ? " error" : "");
  };

  /** GET or send JSON; rejects with the API's own error message. ``opts.raw`` resolves to
   *  {body, response} so a caller can read headers (the poller reads Date). */
  CL.fetchJson = function (url, opts) {
    opts = opts || {};
    var init = { method: opts.method || "GET", headers: { Accept: "application/json" } };
    if (opts.body !== undefined) { init.body = JSON.stringify(opts.body); init.headers["Content-Type"] = "application/json"; }
    if (opts.token) init.headers.Authorization = "Bearer " + opts.token;
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return { error: "unreadable answer (" + r.status + ")" }; })
        .then(function (body) {
          if (!r.ok) {
            var err = new Error(body && body.error ? body.error : "request failed (" + r.status + ")");
            err.status = r.status;
            throw err;
          }
          return opts.raw ? { body: body, response: r } : body;
        });
    });
  };

  CL.fmt = function (n) {
    if (n === null || n === undefined) return "–";
    return Number(n).toLocaleString("en-GB", { maximumFractionDigits: 2 });
  };

  // A place as people read it (outputs/table.py place_name): a settlement the gazetteer lacks is
  // shown with the area it lies in, so nobody takes the area's point for the village's.
  CL.placeName = function (p) {
    if (!p) return null;
    if (p.unresolved) return p.name + " (not in the gazetteer; " + (p.admin1 || p.country || "area unknown") + ")";
    return p.name + (p.admin1 && p.admin1 !== p.name ? ", " + p.admin1 : "");
  };

  CL.sideLabel = function (side) { return SIDE_LABEL[side] || String(side || "").replace(/_/g, " "); };

  CL.sideBadge = function (side) {
    if (side && SIDES.indexOf(side) < 0 && /^[a-z][a-z0-9_]*$/.test(side)) {
      return el("span", { cls: "side side-party", text: side.replace(/_/g, " ") });  // another war's party
    }
    side = SIDES.indexOf(side) >= 0 ? side : "unknown";
    return el("span", { cls: "side side-" + side, text: SIDE_LABEL[side] });
  };

  // ------------------------------------------------------------------ hooks between the parts

  var hooks = {};
  /** "filters" (the selection changed), "event" (an event was opened: id), "reviewed" (a claim's
   *  review changed: event id), "data" (the map rows were (re)loaded). */
  CL.on = function (name, fn) { (hooks[name] = hooks[name] || []).push(fn); };
  CL.emit = function (name, arg) { (hooks[name] || []).forEach(function (fn) { fn(arg); }); };

  // ------------------------------------------------------------------ the filters and the URL

  var ID = /^[a-z][a-z0-9_]{0,60}$/, ISO = /^\d{4}-\d{2}-\d{2}$/, INT = /^\d{1,9}$/;
  /** Every filter the page has, with the rule its URL value must pass. ``server`` filters are sent
   *  to /api/map (the map reloads); the others are applied to the loaded rows at once (brushing the
   *  timeline must not wait for the network). The table and the downloads send all of them. */
  CL.FILTERS = [
    { key: "q", server: true, ok: function (v) { return v.length <= 200; } },
    { key: "conflict", server: true, ok: function (v) { return ID.test(v); } },
    { key: "initiator_side", server: true, ok: function (v) { return ID.test(v); } },
    { key: "target_side", server: true, ok: function (v) { return ID.test(v); } },
    { key: "source_side", server: true, ok: function (v) { return ID.test(v); } },   // who says it
    { key: "subject_side", server: true, ok: function (v) { return ID.test(v); } },  // whose losses
    { key: "source_kind", server: true, ok: function (v) { return ID.test(v); } },
    { key: "outlet", server: true, ok: function (v) { return v.length <= 200; } },
    { key: "country", server: true, ok: function (v) { return /^[A-Za-z]{2}$/.test(v); } },
    { key: "admin1", server: true, ok: function (v) { return v.length <= 200; } },
    { key: "min_deaths", server: true, ok: function (v) { return INT.test(v); } },
    { key: "max_deaths", server: true, ok: function (v) { return INT.test(v); } },
    { key: "reviewed", server: true, ok: function (v) { return v === "true" || v === "false"; } },
    { key: "side", server: false, ok: function (v) { return ID.test(v); } },   // party involved
    { key: "since", server: false, ok: function (v) { return ISO.test(v); } },
    { key: "until", server: false, ok: function (v) { return ISO.test(v); } }
  ];

  CL.state = {
    filter: { types: [] },   // key -> value for every CL.FILTERS key that is set, and the types
    selected: null,          // event id shown in the panel
    view: null,              // [lat, lon, zoom] from the URL, applied once
    table: "",               // "", "events" or "claims"
    sort: "",                // the table's sort key ("-deaths"); "" = the API's default
    page: 0,
    inView: false            // the table lists only what the map shows
  };

  CL.readUrl = function () {
    var q = new URLSearchParams(window.location.search), st = CL.state;
    st.filter = { types: q.getAll("type").filter(function (t) { return t && t.length <= 100; }) };
    CL.FILTERS.forEach(function (f) {
      var v = (q.get(f.key) || "").trim();
      if (v && f.ok(v)) st.filter[f.key] = v;
    });
    st.selected = q.get("event") || null;
    var v = (q.get("view") || "").split(",").map(Number);
    st.view = v.length === 3 && v.every(isFinite) ? v : null;
    st.table = /^(events|claims)$/.test(q.get("table") || "") ? q.get("table") : "";
    st.sort = /^-?[a-z]{1,20}$/.test(q.get("sort") || "") ? q.get("sort") : "";
    st.page = INT.test(q.get("page") || "") ? Number(q.get("page")) : 0;
    st.inView = q.get("inview") === "1";
    st.poll = INT.test(q.get("poll") || "") ? Math.max(2, Number(q.get("poll"))) : 30;
  };

  /** The filters as query parameters: ``which`` "server" (what /api/map takes), else all. */
  CL.filterParams = function (which) {
    var q = new URLSearchParams(), f = CL.state.filter;
    if (which !== "server") f.types.forEach(function (t) { q.append("type", t); });
    CL.FILTERS.forEach(function (d) {
      if (f[d.key] && (which !== "server" || d.server)) q.set(d.key, f[d.key]);
    });
    return q;
  };

  CL.writeUrl = function () {
    var st = CL.state, q = CL.filterParams("all");
    if (st.selected) q.set("event", st.selected);
    if (st.table) q.set("table", st.table);
    if (st.table && st.sort) q.set("sort", st.sort);
    if (st.table && st.page) q.set("page", String(st.page));
    if (st.table && st.inView) q.set("inview", "1");
    var rows = new URLSearchParams(window.location.search).get("rows");
    if (st.table && rows && INT.test(rows)) q.set("rows", rows);
    if (CL.mapView) { var v = CL.mapView(); if (v) q.set("view", v); }
    var s = q.toString();
    history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
  };

  /** /api/map for the server filters (``extra``: more parameters, e.g. updated_since). */
  CL.mapUrl = function (extra) {
    var q = CL.filterParams("server");
    if (extra) Object.keys(extra).forEach(function (k) { q.set(k, extra[k]); });
    var s = q.toString();
    return "/api/map" + (s ? "?" + s : "");
  };

  var PAGE = 50;   // table rows a page; ?rows=N (1-500) in the URL for another size
  CL.pageSize = function () {
    var n = Number(new URLSearchParams(window.location.search).get("rows"));
    return n >= 1 && n <= 500 ? Math.floor(n) : PAGE;
  };

  /** The table's request (table.js) for the page's state; ``bounds``: the map's box when the table
   *  lists only what the map shows. */
  CL.tableUrl = function (bounds) {
    var st = CL.state, q = CL.filterParams("all");
    if (st.table === "claims" && q.has("side")) {   // the party involved: /api/claims' side is the source's
      q.set("event_side", q.get("side"));
      q.delete("side");
    }
    if (bounds) q.set("bbox", bounds);
    if (st.sort) q.set("order", st.sort);
    q.set("limit", String(CL.pageSize()));
    q.set("offset", String(st.page * CL.pageSize()));
    return "/api/" + st.table + "?" + q.toString();
  };

  CL.filtersActive = function () {
    var f = CL.state.filter;
    return f.types.length > 0 || CL.FILTERS.some(function (d) { return !!f[d.key]; });
  };

  // The map rows are the page's longest wait: asked now, as soon as this first script has run,
  // while Leaflet and the other scripts are still arriving (app.js takes the answer, CL.mapRows).
  CL.readUrl();
  CL.mapRows = CL.fetchJson(CL.mapUrl(), { raw: true });
  CL.mapRows.catch(function () { /* app.js reports it */ });
  if (CL.state.table && !CL.state.inView) {   // a table of what the map shows waits for the map's box
    var first = CL.tableUrl(null);
    CL.earlyTable = { url: first, answer: CL.fetchJson(first) };
    CL.earlyTable.answer.catch(function () { /* table.js reports it */ });
  }
})();
