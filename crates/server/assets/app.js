// gongkai: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // The few words this script writes itself, in the page's language (<html lang>, set by
  // the language switch; the page's own texts come translated from the server).
  var english = document.documentElement.lang === "en";
  var BLANK = english ? "blank" : "空白";

  // Clicking a value in the national layout picks the cell in the correction form
  // instead of reloading the page.
  var form = document.getElementById("correct");
  if (form) {
    var select = form.querySelector("select[name=cell]");
    var value = form.querySelector("input[name=value]");
    var current = form.querySelector("[data-current]");
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest("td.v a.val");
      if (!a || !select) return;
      var td = a.closest("td.v");
      var id = td.getAttribute("data-cell");
      if (!id) return;
      ev.preventDefault();
      select.value = id;
      document.querySelectorAll("td.picked").forEach(function (el) { el.classList.remove("picked"); });
      td.classList.add("picked");
      var shown = a.textContent.trim();
      if (value) { value.value = td.classList.contains("blank") ? "" : shown; }
      if (current) { current.textContent = td.classList.contains("blank") ? BLANK : shown; }
      form.scrollIntoView({ behavior: "smooth", block: "center" });
      if (value) { value.focus({ preventScroll: true }); value.select(); }
    });
    if (select) {
      select.addEventListener("change", function () {
        var td = document.getElementById("c-" + select.value);
        document.querySelectorAll("td.picked").forEach(function (el) { el.classList.remove("picked"); });
        if (td) {
          td.classList.add("picked");
          var v = td.querySelector(".val");
          var shown = v ? v.textContent.trim() : "";
          if (value) { value.value = td.classList.contains("blank") ? "" : shown; }
          if (current) { current.textContent = td.classList.contains("blank") ? BLANK : shown; }
        }
      });
    }
  }

  // Buttons that change something hard to undo ask first.
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter || ev.target.querySelector("[data-confirm]");
    var msg = btn && btn.getAttribute && btn.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // Event forms: show only the fields of the chosen event type.
  var kind = document.getElementById("event-type");
  if (kind) {
    var sync = function () {
      document.querySelectorAll("[data-for]").forEach(function (el) {
        var types = el.getAttribute("data-for").split(" ");
        var on = types.indexOf(kind.value) >= 0;
        el.hidden = !on;
        el.querySelectorAll("input, select, textarea").forEach(function (i) { i.disabled = !on; });
      });
    };
    kind.addEventListener("change", sync);
    sync();
  }
})();
