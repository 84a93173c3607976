/* Places timeline pieces (the rota's bars, ticks and "now" line) from their data-left and
   data-width percentages. Set through the DOM, because the Content-Security-Policy refuses
   style attributes written in the page. */
(function () {
  "use strict";
  function place(root) {
    root.querySelectorAll("[data-left]").forEach(function (element) {
      element.style.left = element.dataset.left + "%";
      if (element.dataset.width) element.style.width = element.dataset.width + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { place(document); });
  document.addEventListener("htmx:load", function (event) { place(event.target); });
})();
