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
  // Selecting words inside one paragraph of a document fills in the "Collect" form's
  // paragraph and characters (counted from 1 in characters, not UTF-16 units, as the
  // archive counts them); without this script the fields are typed by hand.
  var para = document.getElementById("collect-para");
  var chars = document.getElementById("collect-chars");
  var preview = document.getElementById("collect-preview");
  function paragraphOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("li.paragraph .para-text") : null;
  }
  function length(text) { return Array.from(text).length; }
  document.addEventListener("selectionchange", function () {
    if (!para || !chars) { return; }
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    var text = paragraphOf(range.startContainer);
    if (!text || text !== paragraphOf(range.endContainer)) { return; }
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var chosen = range.toString();
    if (!chosen.trim()) { return; }
    var start = length(before.toString()) + 1;
    para.value = text.closest("li.paragraph").id.slice(1);
    chars.value = start + "-" + (start + length(chosen) - 1);
    if (preview) {
      preview.hidden = false;
      preview.textContent = "¶" + para.value + " " + chars.value + ": “" + chosen + "”";
    }
  });
  // "/" moves the focus to the search box, as in most search tools.
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && box && !typing) { event.preventDefault(); box.focus(); }
  });
})();
