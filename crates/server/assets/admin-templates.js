// The letter template editor: the preview follows the text as it is typed (debounced).
// Without this file the 预览 button posts the form and the page shows the same preview.
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  var out = document.getElementById("template-preview");
  if (!form || !out || !window.fetch || !window.FormData) return;
  var url = out.getAttribute("data-preview-url");
  var timer = null;
  var seq = 0;
  function run() {
    var n = ++seq;
    var body = new URLSearchParams(new FormData(form));
    out.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
      .then(function (res) {
        if (n !== seq) return; // a later request is under way
        out.innerHTML = res.text; // the server's escaped fragment
        out.setAttribute("data-state", res.ok ? "ok" : "error");
        out.removeAttribute("aria-busy");
        out.setAttribute("data-preview-seq", String(n));
      })
      .catch(function () { out.removeAttribute("aria-busy"); });
  }
  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(run, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
