// The 适老化 switches of the public pages: larger text and high contrast, remembered in
// this browser. Without script the pages work unchanged (the switches do nothing).
(function () {
  "use strict";
  var root = document.documentElement;
  var keys = { larger: "gongkai.portal.larger", contrast: "gongkai.portal.contrast" };
  function stored(k) {
    try { return window.localStorage.getItem(keys[k]) === "1"; } catch (e) { return false; }
  }
  function apply(k, on) {
    root.classList.toggle(k, on);
    var b = document.querySelector('[data-a11y="' + k + '"]');
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  Object.keys(keys).forEach(function (k) { apply(k, stored(k)); });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-a11y]");
    if (!b) return;
    var k = b.getAttribute("data-a11y");
    var on = !root.classList.contains(k);
    apply(k, on);
    try { window.localStorage.setItem(keys[k], on ? "1" : "0"); } catch (e) { /* private mode */ }
  });
})();
