(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var list = tip.querySelector("ul");
  function show(mark) {
    list.textContent = "";
    mark.getAttribute("title").split("\n").forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
    tip.hidden = false;
  }
  function toggle(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.closest(".doc").classList.toggle("hide-" + button.getAttribute("data-t"), !on);
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target.closest("button[data-t]");
    if (button) { toggle(button, button.getAttribute("aria-pressed") === "false"); return; }
    var all = target.closest("button[data-all]");
    if (all) {
      all.closest(".legend").querySelectorAll("button[data-t]").forEach(function (b) {
        toggle(b, all.getAttribute("data-all") === "show");
      });
      return;
    }
    var mark = target.closest(".text [title]");
    if (mark) { show(mark); return; }
    if (target.closest("[data-close]") || !target.closest("#tip")) { tip.hidden = true; }
  });
  // A highlight reached with the keyboard shows its labels at once, as a hover would.
  document.addEventListener("focusin", function (event) {
    var mark = event.target.closest && event.target.closest(".text [title]");
    if (mark) { show(mark); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { tip.hidden = true; }
    var mark = event.target.closest && event.target.closest(".text [title]");
    if (mark && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); show(mark); }
  });
})();
