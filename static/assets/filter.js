// The filter box on /kommun/: type part of a name and only matching municipalities are listed.
// Progressive enhancement: without JavaScript the box stays hidden and every municipality is listed.
(function () {
  "use strict";
  var box = document.querySelector("[data-filter]");
  if (!box) { return; }
  var list = document.getElementById(box.getAttribute("data-filter"));
  var input = box.querySelector("input");
  var status = box.querySelector("[aria-live]");
  var fold = function (text) {
    // 'Malmö' is found by 'malmö' and by 'malmo'
    return text.toLocaleLowerCase("sv").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  var items = Array.prototype.map.call(list.querySelectorAll("li"), function (li) {
    var name = li.firstChild && li.firstChild.textContent ? li.firstChild.textContent : li.textContent;
    return { li: li, name: fold(name.trim()), group: li.closest("section") };
  });
  var groups = Array.prototype.slice.call(list.querySelectorAll("section"));
  var apply = function () {
    var wanted = fold(input.value.trim());
    var shown = 0;
    items.forEach(function (item) {
      var match = !wanted || item.name.indexOf(wanted) !== -1;
      item.li.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector("li:not([hidden])"); });
    status.textContent = wanted ? (shown === 1 ? "1 kommun" : shown + " kommuner") : "";
  };
  input.addEventListener("input", apply);
  box.hidden = false;
}());
