/* Keeps what someone typed when sending a form fails because their session ended or the form
   went stale: the text is kept in this tab's sessionStorage when a form is sent, carried over
   the sign-in page (or the "form had expired" page, both marked data-keeps-drafts), and put
   back into the same form (same page, same field names) on the way back. A form whose sending
   reached any other page (done, or answered with the text kept by the server) forgets it. */
(function () {
  "use strict";
  var SENT = "premierdesk:sent-form";
  var KEPT = "premierdesk:kept-form";
  var TEXT_TYPES = ["text", "email", "search", "url", "tel", "number", "date", "datetime-local", "time"];

  function here() { return location.pathname + location.search; }

  function read(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function write(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage full or refused: nothing to keep */ }
  }

  function keepsDrafts() { return document.querySelector("[data-keeps-drafts]") !== null; }

  function isText(field) {
    if (!field.name || field.disabled || field.name === "csrfmiddlewaretoken") return false;
    if (field.tagName === "TEXTAREA" || field.tagName === "SELECT") return true;
    return field.tagName === "INPUT" && TEXT_TYPES.indexOf(field.type) !== -1;
  }

  function actionOf(form) {
    return new URL(form.getAttribute("action") || location.href, location.href).pathname;
  }

  function remember(form) {
    var fields = {};
    var typed = false;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!isText(field)) return;
      fields[field.name] = field.value;
      if (field.tagName !== "SELECT" && field.value.trim() !== "") typed = true;
    });
    write(SENT, typed ? { page: here(), action: actionOf(form), fields: fields } : null);
  }

  function restore(kept) {
    var form = Array.prototype.find.call(document.forms, function (candidate) {
      return actionOf(candidate) === kept.action;
    });
    if (!form) return false;
    Object.keys(kept.fields).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && isText(field) && (field.tagName === "SELECT" || field.value === "")) {
        field.value = kept.fields[name];
      }
    });
    var notice = document.createElement("p");
    notice.className = "draft-kept";
    notice.setAttribute("role", "status");
    notice.textContent = "What you typed before signing in again is back in the form: check it and send it again.";
    form.insertBefore(notice, form.firstChild);
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (keepsDrafts() || (form.method || "").toLowerCase() !== "post") return;
    remember(form);
  }, true);

  // htmx: a 401/403 with HX-Redirect leaves for the sign-in (or expired-form) page, which
  // carries the text over; any other answer means the sending is over.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Redirect")) return;
    write(SENT, null);
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (keepsDrafts()) {
      var sent = read(SENT);
      if (sent) write(KEPT, sent);
      write(SENT, null);
      return;
    }
    write(SENT, null);
    var kept = read(KEPT);
    if (kept && kept.page === here() && restore(kept)) write(KEPT, null);
  });
})();
