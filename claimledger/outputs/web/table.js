/* claimledger page: the table of the selection beside the map (events or claims).
 *
 * Paged, sorted and filtered on the SERVER (/api/events and /api/claims take every filter of the
 * page, ``order``, ``limit`` and ``offset``): a ledger of 100,000 events pages as fast as one of
 * 100. Synchronised with the map: the same filters, a click on a row opens the event on the map,
 * opening an event on the map marks its row, and "only what the map shows" sends the map's box.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, $ = CL.$, clear = CL.clear, fmt = CL.fmt, state = CL.state;
  var COLUMNS = {
    events: [
      { key: "date", label: "Date", cell: function (e) { return e.date ? e.date.start : "undated"; } },
      { key: "type", label: "Type", cell: function (e) { return e.type; } },
      { key: "place", label: "Place", cell: function (e) {
        return CL.placeName(e.place) || "–";
      } },
      { key: null, label: "Initiator → target", cell: function (e) {
        return el("span", null, e.initiator ? CL.sideBadge(e.initiator.side) : "?", " → ",
          e.target ? CL.sideBadge(e.target.side) : "?");
      } },
      { key: "deaths", label: "Killed (low/best/high)", num: true, cell: function (e) {
        var d = e.deaths;
        return d ? fmt(d.low) + " / " + fmt(d.best) + " / " + fmt(d.high) : "–";
      } },
      { key: "documents", label: "Reports", num: true, cell: function (e) { return e.documents.length; } },
      { key: "claims", label: "Claims", num: true, cell: function (e) { return e.claims.length; } }
    ],
    claims: [
      { key: "published", label: "Reported", cell: function (c, ctx) { return (ctx.doc && ctx.doc.published) || "–"; } },
      { key: "source", label: "Source", hint: "who says it, and their side", cell: function (c) {
        return el("span", null, (c.source.name || c.source.mention || "the outlet itself") + " ", CL.sideBadge(c.source.side));
      } },
      { key: null, label: "Whose losses", hint: "what the claim counts, and whose side they are on", cell: function (c) {
        var s = c.subject || {};
        return el("span", { cls: "subject" }, (s.text || "–") + " ", CL.sideBadge(s.side));
      } },
      { key: "measure", label: "Measure", cell: function (c) { return c.measure; } },
      { key: "value", label: "Figure", num: true, cell: function (c) { return c.quantity.text; } },
      { key: null, label: "Stance", cell: function (c) { return c.stance; } },
      { key: null, label: "Evidence", cell: function (c) {
        var t = c.evidence.text || "";
        return el("span", { cls: "evidence", title: t, text: t.length > 90 ? t.slice(0, 89) + "…" : t });
      } },
      { key: null, label: "Outlet", cell: function (c, ctx) { return (ctx.doc && ctx.doc.outlet) || "–"; } }
    ]
  };

  var pending = null, seq = 0, early = null;

  function requestUrl() { return CL.tableUrl(state.inView ? CL.mapBounds() : null); }

  function refresh() {
    if (!state.table) return;
    window.clearTimeout(pending);
    pending = window.setTimeout(load, 60);   // a brush or a typed search: one request, not ten
  }

  function load() {
    var mine = ++seq, kind = state.table, body = $("table-body");
    body.setAttribute("aria-busy", "true");
    var url = requestUrl();
    var answer = early && early.url === url ? early.answer : CL.fetchJson(url);
    early = null;
    answer.then(function (page) {
      if (mine !== seq) return;   // an older answer arriving after a newer request
      body.removeAttribute("aria-busy");
      render(kind, page);
    }).catch(function (err) {
      if (mine !== seq) return;
      body.removeAttribute("aria-busy");
      clear(body);
      body.appendChild(el("p", { cls: "message error", text: err.message }));
    });
  }

  function header(kind) {
    return el("tr", null, COLUMNS[kind].map(function (col) {
      if (!col.key) return el("th", { scope: "col", text: col.label, title: col.hint || null });
      var dir = state.sort === col.key ? "ascending" : state.sort === "-" + col.key ? "descending" : "none";
      var th = el("th", { scope: "col", "aria-sort": dir, "data-sort": col.key, cls: "sortable" + (col.num ? " num" : ""),
                          title: col.hint || null },
        el("button", { type: "button", text: col.label + (dir === "ascending" ? " ▲" : dir === "descending" ? " ▼" : "") }));
      th.addEventListener("click", function () {
        // first click: the natural direction (largest tolls, newest dates first for numbers and dates)
        var first = col.num || col.key === "date" || col.key === "published" ? "-" + col.key : col.key;
        state.sort = state.sort === first ? (first[0] === "-" ? col.key : "-" + col.key) : first;
        state.page = 0;
        CL.writeUrl();
        load();
      });
      return th;
    }));
  }

  function render(kind, page) {
    var body = $("table-body");
    clear(body);
    var table = el("table", { cls: "grid-table", "data-kind": kind, "data-total": page.total });
    table.appendChild(el("thead", null, header(kind)));
    var tbody = el("tbody");
    page.items.forEach(function (item, i) {
      var eventId = kind === "events" ? item.id : page.events[i];
      var ctx = { doc: kind === "claims" ? page.documents[item.id.split(":")[0]] || findDoc(page, item) : null };
      var tr = el("tr", { "data-event": eventId || "", "data-id": item.id, tabindex: 0 },
        COLUMNS[kind].map(function (col) { return el("td", { cls: col.num ? "num" : null }, col.cell(item, ctx)); }));
      if (eventId && eventId === state.selected) tr.classList.add("selected");
      var open = function () { if (eventId) CL.selectEvent(eventId, true); };
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", function (ev) { if (ev.key === "Enter") open(); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    body.appendChild(page.items.length ? table : el("p", { cls: "muted", text: "nothing matches these filters" }));
    pager(page);
  }

  /** A claim's report: claim ids begin with their document's id, but the API names it anyway. */
  function findDoc(page, claim) {
    var ids = Object.keys(page.documents || {});
    for (var i = 0; i < ids.length; i++) if (claim.id.indexOf(ids[i] + ":") === 0) return page.documents[ids[i]];
    return null;
  }

  function pager(page) {
    var box = $("pager");
    clear(box);
    var first = page.total ? page.offset + 1 : 0, last = page.offset + page.items.length;
    var prev = el("button", { type: "button", id: "page-prev", text: "‹ previous" });
    var next = el("button", { type: "button", id: "page-next", text: "next ›" });
    prev.disabled = page.offset === 0;
    next.disabled = last >= page.total;
    prev.addEventListener("click", function () { state.page = Math.max(0, state.page - 1); CL.writeUrl(); load(); });
    next.addEventListener("click", function () { state.page += 1; CL.writeUrl(); load(); });
    box.appendChild(el("span", { id: "page-label", text: fmt(first) + "–" + fmt(last) + " of " + fmt(page.total) + " " + state.table }));
    box.appendChild(prev);
    box.appendChild(next);
  }

  function layout(kind) {
    $("table-pane").hidden = !kind;
    document.body.classList.toggle("with-table", !!kind);
  }

  /** Before the map is made, when the URL opens a table: the map gets its final width at once
   *  (made full width and then narrowed, its 10,000 markers were clustered and drawn twice); the
   *  table's first page was asked by core.js beside the map's rows (CL.earlyTable). */
  CL.prepareTable = function () {
    if (!state.table) return;
    layout(state.table);
    early = CL.earlyTable || null;
  };

  /** ``initial``: the page's start, whose layout prepareTable set before the map was made, so
   *  nothing changed size (a resize event there redrew the timeline and measured the map again). */
  function show(kind, initial) {
    state.table = kind;
    layout(kind);
    $("toggle-table").setAttribute("aria-pressed", String(!!kind));
    ["events", "claims"].forEach(function (k) {
      $("tab-" + k).setAttribute("aria-selected", String(k === kind));
    });
    CL.writeUrl();
    if (!initial) window.dispatchEvent(new Event("resize"));   // the map and the timeline take the new width
    if (kind) load();
  }

  CL.initTable = function () {
    $("toggle-table").addEventListener("click", function () { state.sort = ""; state.page = 0; show(state.table ? "" : "events"); });
    ["events", "claims"].forEach(function (k) {
      $("tab-" + k).addEventListener("click", function () {
        if (state.table !== k) { state.sort = ""; state.page = 0; show(k); }
      });
    });
    $("in-view").checked = state.inView;
    $("in-view").addEventListener("change", function () { state.inView = this.checked; state.page = 0; CL.writeUrl(); refresh(); });
    CL.on("filters", refresh);
    CL.on("moved", function () { if (state.inView) { state.page = 0; refresh(); } });
    CL.on("reviewed", refresh);
    CL.on("event", function (id) {
      Array.prototype.forEach.call(document.querySelectorAll("#table-body tr[data-event]"), function (tr) {
        tr.classList.toggle("selected", !!id && tr.getAttribute("data-event") === id);
      });
    });
    show(state.table, true);
  };
})();
