/* claimledger page: reviewing claims in the event panel (reject, correct, accept, undo).
 *
 * The reviews API (docs/reviews.md) records who, when, why and the value replaced; the event's
 * reconciled figures are recomputed by the server and the panel reloads to show them. The write
 * token is asked once, kept in sessionStorage (gone when the tab closes) and sent only in the
 * Authorization header: never in a URL, where it would land in history, logs and shared links.
 */
(function () {
  "use strict";

  var CL = window.CL, el = CL.el, clear = CL.clear;
  var TOKEN = "claimledger.token", BY = "claimledger.by";
  var STATUS_LABEL = { rejected: "rejected", corrected: "corrected", moved: "moved", accepted: "accepted" };

  function store(key, value) {
    try { if (value === undefined) return window.sessionStorage.getItem(key) || ""; window.sessionStorage.setItem(key, value); }
    catch (e) { return ""; }   // storage off (private mode): the form asks again next time
    return value;
  }

  /** The token and name fields, shown until a token is kept for this tab. */
  function credentials(form) {
    if (store(TOKEN)) return null;
    var box = el("div", { cls: "review-auth" },
      el("label", null, "Write token ", el("input", { type: "password", name: "token", autocomplete: "off", required: "required" })),
      el("label", null, "Your name ", el("input", { type: "text", name: "by", maxlength: 200, value: store(BY) })));
    form.insertBefore(box, form.firstChild);
    return box;
  }

  function field(label, name, attrs) {
    return el("label", null, label + " ", el("input", Object.assign({ name: name }, attrs || {})));
  }

  function reviewForm(item, action, done) {
    var c = item.claim, q = c.quantity;
    var form = el("form", { cls: "review-form", "data-action": action });
    if (action === "set") {
      form.appendChild(el("div", { cls: "review-fields" },
        field("Source", "source", { value: c.source.name || "", maxlength: 300 }),
        field("Side", "side", { value: c.source.side || "", maxlength: 60 }),
        field("Measure", "measure", { value: c.measure, maxlength: 32 }),
        field("Value", "value", { type: "number", min: 0, step: "any", value: q.value === null ? "" : q.value }),
        field("Date", "date", { type: "date", value: c.date && c.date.start ? c.date.start : "" })));
    }
    form.appendChild(field("Reason", "reason", { required: "required", maxlength: 2000, cls: "reason",
      placeholder: action === "reject" ? "why this claim is wrong" : action === "set" ? "what was wrong" : "why it is right" }));
    var error = el("div", { cls: "review-error", role: "alert" });
    form.appendChild(el("div", { cls: "review-buttons" },
      el("button", { type: "submit", text: action === "reject" ? "Reject claim" : action === "set" ? "Save correction" : "Accept claim" }),
      el("button", { type: "button", cls: "cancel", text: "Cancel" }), error));
    var auth = credentials(form);
    form.querySelector(".cancel").addEventListener("click", function () { done(false); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (auth) {
        store(TOKEN, form.elements.token.value.trim());
        store(BY, form.elements.by.value.trim());
      }
      var body = { action: action, reason: form.elements.reason.value.trim() };
      if (store(BY)) body.by = store(BY);
      if (action === "set") changedFields(form, item, body);
      send("POST", "/api/claims/" + encodeURIComponent(c.id) + "/reviews", body).then(function () { done(true); })
        .catch(function (err) { error.textContent = err.message; });
    });
    return form;
  }

  /** Only what the analyst changed goes into a correction. */
  function changedFields(form, item, body) {
    var c = item.claim, f = form.elements;
    if (f.source.value.trim() && f.source.value.trim() !== (c.source.name || "")) body.source = f.source.value.trim();
    if (f.side.value.trim() && f.side.value.trim() !== c.source.side) body.side = f.side.value.trim();
    if (f.measure.value.trim() && f.measure.value.trim() !== c.measure) body.measure = f.measure.value.trim();
    if (f.value.value !== "" && Number(f.value.value) !== c.quantity.value) body.value = Number(f.value.value);
    if (f.date.value && f.date.value !== (c.date && c.date.start)) body.date = f.date.value;
  }

  function send(method, url, body) {
    return CL.fetchJson(url, { method: method, body: body, token: store(TOKEN) }).catch(function (err) {
      if (err.status === 401) store(TOKEN, "");   // a wrong token is forgotten: the next try asks again
      throw err;
    });
  }

  function refresh(detail) {
    CL.emit("reviewed", detail.event.id);
    CL.reload().then(function () { CL.selectEvent(CL.state.selected || detail.event.id, false); });
  }

  function reviewsOf(detail, claimId) {
    return (detail.reviews || []).filter(function (r) { return (r.now_claim || r.claim) === claimId; });
  }

  /** Under each claim: its review history, and (when the server takes writes) Undo for an active
   *  review and the Reject / Correct buttons. */
  CL.reviewControls = function (li, item, detail) {
    var writes = !!(CL.config && CL.config.writes), history = reviewsOf(detail, item.claim.id);
    if (!writes && !history.length && !item.review_status) return;
    var box = el("div", { cls: "review" });
    var status = item.review_status;
    if (status) {
      li.classList.add("reviewed", "review-" + status);
      box.appendChild(el("span", { cls: "review-status", text: STATUS_LABEL[status] || status }));
    }
    history.forEach(function (r) {
      var line = el("div", { cls: "review-line" + (r.status === "undone" ? " undone" : ""), "data-review": r.id },
        "review " + r.id + ": " + r.action + " · " + r.reason + (r.by ? " · " + r.by : "") + " · " + (r.at || "").slice(0, 10) +
        (r.status === "undone" ? " (undone)" : ""));
      if (r.status === "active" && writes) {
        var undo = el("button", { type: "button", cls: "undo", text: "Undo" });
        undo.addEventListener("click", function () {
          var by = store(BY);
          send("DELETE", "/api/reviews/" + encodeURIComponent(r.id) + (by ? "?by=" + encodeURIComponent(by) : ""))
            .then(function () { refresh(detail); })
            .catch(function (err) { line.appendChild(el("span", { cls: "review-error", text: " " + err.message })); });
        });
        line.appendChild(undo);
      }
      box.appendChild(line);
    });
    if (!writes) { li.appendChild(box); return; }
    var buttons = el("div", { cls: "review-actions" }), holder = el("div");
    (CL.reviewActions || ["accept", "reject", "set"]).forEach(function (action) {
      var b = el("button", { type: "button", "data-action": action,
        text: action === "reject" ? "Reject" : action === "set" ? "Correct" : "Accept" });
      b.addEventListener("click", function () {
        clear(holder);
        holder.appendChild(reviewForm(item, action, function (saved) { clear(holder); if (saved) refresh(detail); }));
        var reason = holder.querySelector("input[name=token]") || holder.querySelector("input.reason");
        if (reason) reason.focus();
      });
      buttons.appendChild(b);
    });
    box.appendChild(buttons);
    box.appendChild(holder);
    li.appendChild(box);
  };
})();
