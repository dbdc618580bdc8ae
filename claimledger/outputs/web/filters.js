/* claimledger page: the search box, the "More filters" panel and the download links.
 *
 * The option lists come from /api/facets (what this ledger holds, with counts), so a filter never
 * offers a value that matches nothing. Every change goes into the URL (core.js CL.writeUrl) and
 * reloads the map rows (the server applies these filters); the downloads are links to
 * /api/export with every filter of the page, so the file is exactly the selection on screen.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, $ = CL.$, state = CL.state;
  var KIND_LABEL = { government: "government", military: "military", official: "official", person: "person",
    media: "media", ngo: "NGO", intl_org: "international organisation", unattributed: "unattributed" };

  function controls() { return document.querySelectorAll("[data-filter]"); }

  function fill(select, pairs, label) {
    pairs.forEach(function (p) {
      if (!select.querySelector('option[value="' + CSS.escape(String(p[0])) + '"]')) {
        select.appendChild(el("option", { value: p[0], text: (label ? label(p[0]) : p[0]) + " (" + p[1] + ")" }));
      }
    });
  }

  function fillList(list, pairs) {
    pairs.forEach(function (p) { list.appendChild(el("option", { value: p[0] })); });
  }

  function countryName(cc) {
    try { return new Intl.DisplayNames(["en"], { type: "region" }).of(cc) || cc; } catch (e) { return cc; }
  }

  function addFacets(f) {
    fill($("f-conflict"), f.conflicts, function (v) { return v.replace(/_/g, " "); });
    fill($("f-initiator_side"), f.initiators, CL.sideLabel);
    fill($("f-target_side"), f.targets, CL.sideLabel);
    fill($("f-source_side"), f.source_sides, CL.sideLabel);
    fill($("f-subject_side"), f.subject_sides || [], CL.sideLabel);
    fill($("f-source_kind"), f.source_kinds, function (v) { return KIND_LABEL[v] || v; });
    fill($("f-country"), f.countries, function (v) { return countryName(v) + " (" + v + ")"; });
    fillList($("outlets"), f.outlets);
    fillList($("regions"), f.admin1);
  }

  /** Keep a value from the URL selectable even when the ledger has no such value (yet). */
  function keepChosen() {
    Array.prototype.forEach.call(controls(), function (c) {
      var v = state.filter[c.getAttribute("data-filter")];
      if (c.tagName === "SELECT" && v && !c.querySelector('option[value="' + CSS.escape(v) + '"]')) {
        c.appendChild(el("option", { value: v, text: v }));
      }
    });
  }

  CL.syncMore = function () {
    keepChosen();
    $("q").value = state.filter.q || "";
    var n = 0;
    Array.prototype.forEach.call(controls(), function (c) {
      var v = state.filter[c.getAttribute("data-filter")] || "";
      if (c.getAttribute("data-filter") === "country") v = v.toUpperCase();
      c.value = v;
      if (v) n++;
    });
    $("more-count").textContent = n ? " (" + n + ")" : "";
  };

  function setFilter(key, value) {
    value = (value || "").trim();
    if ((state.filter[key] || "") === value) return;
    if (value) state.filter[key] = value; else delete state.filter[key];
    state.page = 0;
    CL.syncMore();
    CL.reload();
  }

  function updateDownloads() {
    var all = CL.filterParams("all");
    Array.prototype.forEach.call(document.querySelectorAll("#download a[data-format]"), function (a) {
      var q = new URLSearchParams(all);
      q.set("format", a.getAttribute("data-format"));
      if (state.table && state.inView && CL.mapBounds()) q.set("bbox", CL.mapBounds());
      a.setAttribute("href", "/api/export?" + q.toString());
    });
  }

  CL.initFilters = function () {
    var timer = null;
    $("q").addEventListener("input", function () {
      var box = this;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { setFilter("q", box.value); }, 350);
    });
    $("q").addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); window.clearTimeout(timer); setFilter("q", this.value); }
    });
    Array.prototype.forEach.call(controls(), function (c) {
      c.addEventListener("change", function () { setFilter(c.getAttribute("data-filter"), c.value); });
    });
    $("filters").addEventListener("submit", function (ev) { ev.preventDefault(); });
    Array.prototype.forEach.call(document.querySelectorAll("#download a"), function (a) {
      a.addEventListener("click", function () { $("download").open = false; });
    });
    CL.on("filters", updateDownloads);
    CL.on("moved", updateDownloads);
    CL.syncMore();
    updateDownloads();
  };

  /** The option lists, asked once the map is drawn (they must not slow the page's first view). */
  CL.loadFacets = function () {
    return CL.fetchJson("/api/facets").then(function (f) {
      addFacets(f);
      // only the lists' chosen values: what a person is typing meanwhile is left alone
      keepChosen();
      Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), function (c) {
        var v = state.filter[c.getAttribute("data-filter")] || "";
        c.value = c.getAttribute("data-filter") === "country" ? v.toUpperCase() : v;
      });
    }).catch(function () {
      keepChosen();   // an empty or missing ledger: the lists stay short; the page says why elsewhere
    });
  };
})();
