// Live reload for `sitegen serve` only: never part of a build's output.
(function () {
  "use strict";
  var script = document.currentScript;
  // from the build this page was served after: an event that came while it loaded is not missed
  var source = new EventSource(script.getAttribute("data-events") + "?since=" + script.getAttribute("data-generation"));
  var box = null;
  // the site's path: the events are at <base>_sitegen/events
  var base = script.getAttribute("data-events").replace(/_sitegen\/events$/, "");
  source.addEventListener("reload", function () { window.location.reload(); });
  // what the last build left for later is up to date: the pages it left, and the search page if the index was
  source.addEventListener("caught-up", function (event) {
    var caught = JSON.parse(event.data);
    var here = decodeURIComponent(window.location.pathname).slice(base.length);
    if ((caught.search && document.getElementById("sok")) || caught.pages.indexOf(here) >= 0) window.location.reload();
  });
  source.addEventListener("failed", function (event) {
    var text = JSON.parse(event.data);
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.position = "fixed";
      box.style.inset = "auto 0 0 0";
      box.style.maxHeight = "50vh";
      box.style.overflow = "auto";
      box.style.padding = "1rem";
      box.style.background = "#8a1c1c";
      box.style.color = "#fff";
      box.style.font = "14px/1.5 ui-monospace, monospace";
      box.style.whiteSpace = "pre-wrap";
      box.style.zIndex = "1000";
      document.body.appendChild(box);
    }
    box.textContent = "Bygget misslyckades – den senaste fungerande versionen visas.\n\n" + text;
  });
}());
