// The attendance register: show at once that a tap is being saved, and say so clearly when a
// weak connection lost it, so that nobody leaves a register believing it was saved.
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest(".register-row");
    if (!row) { return; }
    row.classList.add("is-saving");
    row.classList.remove("is-failed");
    var offline = row.querySelector(".register-offline");
    if (offline) { offline.hidden = true; }
  });
  function failed(event) {
    var row = event.target.closest(".register-row");
    if (!row) { return; }
    row.classList.remove("is-saving");
    row.classList.add("is-failed");
    var offline = row.querySelector(".register-offline");
    if (offline) { offline.hidden = false; }
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:timeout", failed);
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var row = event.target.closest && event.target.closest(".register-row");
    if (row) { row.classList.remove("is-saving"); }
  });
  // A 422 carries the row with the reason the mark was refused: swap it in like a success.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
