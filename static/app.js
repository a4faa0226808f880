// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // "Copy citation" buttons (the citation text is always visible in the page).
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.setAttribute("data-copied", "true");
        button.textContent = button.textContent.replace(/✓$/, "") + " ✓";
      });
    });
  });
  // "/" moves the focus to the search box, as in most search tools.
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && box && !typing) { event.preventDefault(); box.focus(); }
  });
})();
