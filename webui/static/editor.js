// Clicking a problem's line:column puts the caret there in the YAML box.
// The editor works without this script; it only saves scrolling.
(function () {
  "use strict";
  var box = document.getElementById("f-yaml");
  if (!box) { return; }
  function offsetOf(text, line, column) {
    var pos = 0;
    for (var l = 1; l < line; l++) {
      var nl = text.indexOf("\n", pos);
      if (nl < 0) { return text.length; }
      pos = nl + 1;
    }
    return Math.min(pos + Math.max(column - 1, 0), text.length);
  }
  document.querySelectorAll("a.goto").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var line = parseInt(a.dataset.line, 10) || 1;
      var col = parseInt(a.dataset.column, 10) || 1;
      var at = offsetOf(box.value, line, col);
      var end = box.value.indexOf("\n", at);
      box.focus();
      box.setSelectionRange(at, end < 0 ? box.value.length : end);
      var lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 18;
      box.scrollTop = Math.max(0, (line - 4) * lineHeight);
    });
  });
})();
