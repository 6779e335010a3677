// Live reload for `sitegen serve` only: never part of a build's output.
(function () {
  "use strict";
  var script = document.currentScript;
  var source = new EventSource(script.getAttribute("data-events"));
  var box = null;
  source.addEventListener("reload", function () { window.location.reload(); });
  // the search index has caught up with the pages: only the search page shows it
  source.addEventListener("search", function () { if (document.getElementById("sok")) window.location.reload(); });
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
