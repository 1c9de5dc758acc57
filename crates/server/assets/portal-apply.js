// The online application form's proof-of-work (portal/apply.rs): find a nonce such that
// SHA-256("{challenge}:{nonce}") starts with the required zero bits, then fill it in.
// Without script, or without crypto.subtle (plain http off localhost), the visitor answers
// the arithmetic question instead; the server accepts either.
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow-bits]");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 14;
  var challenge = form.querySelector("input[name=challenge]").value;
  var out = form.querySelector("input[name=nonce]");
  var status = document.getElementById("pow-status");
  var enc = new TextEncoder();
  function zeros(buf) {
    var b = new Uint8Array(buf), n = 0;
    for (var i = 0; i < b.length; i++) {
      if (b[i] === 0) { n += 8; continue; }
      var x = b[i];
      while ((x & 0x80) === 0) { n++; x <<= 1; }
      return n;
    }
    return n;
  }
  var nonce = 0;
  function batch() {
    var tries = [];
    for (var i = 0; i < 256; i++, nonce++) {
      tries.push((function (n) {
        return crypto.subtle.digest("SHA-256", enc.encode(challenge + ":" + n)).then(function (d) {
          return zeros(d) >= bits ? n : -1;
        });
      })(nonce));
    }
    return Promise.all(tries).then(function (r) {
      for (var j = 0; j < r.length; j++) if (r[j] >= 0) return r[j];
      return batch();
    });
  }
  batch().then(function (n) {
    out.value = String(n);
    form.setAttribute("data-pow-done", "true");
    if (status) status.textContent = "已自动完成人机验证，可以不回答算术题。";
  });
})();
