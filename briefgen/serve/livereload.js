// briefgen serve: live reload and the build-error overlay.
// Added to pages by the preview server only; never part of a built site.
(function () {
  "use strict";

  var script = document.currentScript;
  var build = (script && script.getAttribute("data-build")) || "";
  var OVERLAY_ID = "briefgen-overlay";

  function hideOverlay() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function element(tag, text, css) {
    var node = document.createElement(tag);
    if (text) node.textContent = text; // text only: messages are never parsed as HTML
    if (css) node.style.cssText = css;
    return node;
  }

  function showOverlay(problems) {
    hideOverlay();
    var count = problems.length;
    var box = element("section", "",
      "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;" +
      "overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff5f5;color:#4a0000;" +
      "border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,.35);" +
      "font:15px/1.45 system-ui,sans-serif;text-align:left");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", OVERLAY_ID + "-title");

    var title = element("h2", "Build failed: " + count + " problem" + (count === 1 ? "" : "s"),
      "margin:0 0 .4rem;font-size:1.15rem;color:#8b0000");
    title.id = OVERLAY_ID + "-title";
    box.appendChild(title);
    box.appendChild(element("p",
      "The page below is from the last successful build. Fix the source and save: " +
      "this message goes away by itself.", "margin:0 0 .6rem"));

    var list = element("ul", "", "margin:0;padding-left:1.2rem;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap");
    problems.forEach(function (problem) {
      list.appendChild(element("li", String(problem.text || problem.message || problem)));
    });
    box.appendChild(list);

    var close = element("button", "Dismiss",
      "margin-top:.75rem;padding:.3rem .8rem;font:inherit;color:#fff;background:#8b0000;" +
      "border:0;border-radius:3px;cursor:pointer");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);

    (document.body || document.documentElement).appendChild(box);
  }

  function swapStylesheets(token) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.getAttribute("href"), document.baseURI);
      if (url.origin !== location.origin) return;
      url.searchParams.set("briefgen", token);
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      // Keep the old sheet until the new one is in, so the page never flashes unstyled.
      var drop = function () { link.remove(); };
      fresh.addEventListener("load", drop, { once: true });
      fresh.addEventListener("error", drop, { once: true });
      link.after(fresh);
    });
  }

  function payload(event) {
    try { return JSON.parse(event.data); } catch (error) { return {}; }
  }

  var initial = document.getElementById("briefgen-errors");
  if (initial) {
    try { showOverlay(JSON.parse(initial.textContent)); } catch (error) { /* ignore */ }
  }

  if (!window.EventSource) return;
  var source = new EventSource("/__briefgen/events?build=" + encodeURIComponent(build));
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function (event) {
    build = payload(event).build || build;
    hideOverlay();
    swapStylesheets(build);
  });
  source.addEventListener("errors", function (event) {
    showOverlay(payload(event).problems || []);
  });
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) location.reload(); // back from the cache: its stream was closed
  });
})();
