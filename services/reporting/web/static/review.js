// The review screen: clicking a draft item (or its "Xem trong văn bản" link) marks the words of the
// notice it was read from and scrolls them into view. Without this script the link still jumps to
// them (#nguon-N) and CSS :target marks their start.
(function () {
  "use strict";
  function show(item) {
    var marks = document.querySelectorAll(".source-text mark");
    var first = null;
    marks.forEach(function (mark) {
      var on = (" " + mark.dataset.items + " ").indexOf(" " + item + " ") >= 0;
      mark.classList.toggle("current", on);
      if (on && first === null) { first = mark; }
    });
    document.querySelectorAll(".draft-item").forEach(function (article) {
      article.classList.toggle("current", article.dataset.item === item);
    });
    if (first !== null) { first.scrollIntoView({block: "center"}); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var link = target.closest(".show-source");
    if (link) { event.preventDefault(); show(link.dataset.item); return; }
    if (target.closest("input, select, textarea, button, a, label")) { return; }
    var article = target.closest(".draft-item");
    if (article) { show(article.dataset.item); }
  });
}());
