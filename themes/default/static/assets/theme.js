/* briefgen default theme: the light/dark switch.
   The reader's choice is kept in localStorage ("briefgen-theme": "light" or "dark") and
   applied by a one-line script in <head> before the first paint; with no choice saved
   (or without JavaScript) the system's setting applies. The button says "Dark mode"
   and is pressed (aria-pressed="true") while the dark scheme is shown. */
(function () {
  "use strict";
  var KEY = "briefgen-theme";
  var root = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  var button = document.querySelector(".theme-toggle");
  if (!button) return;

  function isDark() {
    var chosen = root.dataset.theme;
    return chosen ? chosen === "dark" : system.matches;
  }
  function show() { button.setAttribute("aria-pressed", String(isDark())); }

  button.addEventListener("click", function () {
    var next = isDark() ? "light" : "dark";
    root.dataset.theme = next;
    try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
    show();
  });
  if (system.addEventListener) system.addEventListener("change", show);
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    if (event.newValue === "light" || event.newValue === "dark") root.dataset.theme = event.newValue;
    else delete root.dataset.theme;
    show();
  });
  show();
})();
