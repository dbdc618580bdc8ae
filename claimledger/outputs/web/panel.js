/* claimledger page: the event panel (type, place, actors, the reconciled toll and its reasoning,
 * the source chart, every claim with its evidence and review controls, the documents).
 *
 * Reasoning lines come from the reconciliation as text ending in "[claim id, date]" brackets; the
 * panel shows the source and the date and puts the id behind a link that scrolls to the claim,
 * so a reader sees "Kharkiv governor: 'five' (12 Jan 2023)" instead of a hash.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, clear = CL.clear, fmt = CL.fmt, sideBadge = CL.sideBadge, $ = CL.$;
  var REF = /\s*\[([^\[\],\s]+:[^\[\],\s]+),\s*([^\]]*)\]/g;   // "[9c1e...:4, 2022-05-03]"

  /** One reasoning line as nodes: the text, and each "[claim id, date]" as the date with a link. */
  function reasoningLine(text) {
    var li = el("li"), pos = 0, m;
    REF.lastIndex = 0;
    while ((m = REF.exec(text)) !== null) {
      li.appendChild(document.createTextNode(text.slice(pos, m.index)));
      var claimId = m[1], a = el("a", { href: "#", cls: "claim-ref", title: "claim " + claimId, "data-claim": claimId,
        text: m[2] ? " (" + m[2] + ")" : " (claim)" });
      a.addEventListener("click", function (id) {
        return function (ev) { ev.preventDefault(); showClaim(id); };
      }(claimId));
      li.appendChild(a);
      pos = m.index + m[0].length;
    }
    li.appendChild(document.createTextNode(text.slice(pos)));
    return li;
  }

  function showClaim(id) {
    var li = document.querySelector('ul.claims > li[data-claim="' + CSS.escape(id) + '"]');
    if (!li) return;
    Array.prototype.forEach.call(document.querySelectorAll("ul.claims > li.flash"), function (n) { n.classList.remove("flash"); });
    li.classList.add("flash");
    li.scrollIntoView({ block: "center" });
  }

  function actor(a) {
    if (!a) return el("span", { cls: "muted", text: "not stated" });
    return el("span", null, (a.name || "unnamed") + " ", sideBadge(a.side));
  }

  CL.renderEvent = function (detail) {
    var ev = detail.event, body = $("panel-body");
    clear(body);
    body.setAttribute("data-event", ev.id);
    var when = ev.date ? (ev.date.start === ev.date.end || !ev.date.end ? ev.date.start : ev.date.start + " – " + ev.date.end) : null;
    var where = CL.placeName(ev.place);
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
        body.appendChild(el("ul", { cls: "reasoning" }, d.reasoning.map(reasoningLine)));
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
    CL.renderChartControls(chartBox, detail);

    body.appendChild(el("h3", { text: "Claims (" + detail.claims.length + ")" }));
    var docs = {};
    detail.documents.forEach(function (doc) { docs[doc.id] = doc; });
    var list = el("ul", { cls: "claims" });
    detail.claims.forEach(function (item) {
      var c = item.reviewed || item.claim, src = c.source, was = item.claim.source;   // a correction shows its values
      var renamed = item.reviewed && (was.name || was.mention) !== (src.name || src.mention);
      var li = el("li", { cls: src.side, "data-claim": item.claim.id },
        el("div", { cls: "claim-head" }, (src.name || src.mention || "the outlet itself") + " ", sideBadge(src.side),
          " " + c.stance, renamed ? el("span", { cls: "muted", text: " (extracted as " + (was.name || was.mention) + ")" }) : null),
        el("div", null, c.measure + ": " + c.quantity.text + (c.subject && c.subject.text ? " " + c.subject.text : "") +
          (c.date && c.date.start ? " · " + c.date.start : "")),
        docs[item.doc] ? el("div", { cls: "muted", text: "reported by " + [docs[item.doc].outlet || "an unnamed outlet",
          docs[item.doc].published].filter(Boolean).join(", ") }) : null,
        el("div", { cls: "evidence", text: "“" + c.evidence.text + "”" }));
      li.addEventListener("click", function (ev) {
        if (ev.target.closest && ev.target.closest(".review")) return;   // the review controls' own clicks
        showEvidence(item.doc, item.claim.id);
      });
      if (CL.reviewControls) CL.reviewControls(li, item, detail);
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
  };

  function renderDocument(doc, claims) {
    var href = CL.safeUrl(doc.url);
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
    box.loaded = CL.fetchJson("/api/documents/" + encodeURIComponent(docId)).then(function (res) {
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


  CL.showClaim = showClaim;
})();
