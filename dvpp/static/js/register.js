// The attendance register: show at once that a tap is being saved, and say so clearly when a
// weak connection lost it, so that nobody leaves a register believing it was saved. A note shows
// "not saved yet" from the first key until the server says it is saved.
(function () {
  "use strict";
  function noteState(input) {
    var row = input.closest(".register-row");
    return row && row.querySelector(".register-note-state");
  }
  document.body.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches(".register-note input")) { return; }
    var state = noteState(event.target);
    if (!state) { return; }
    state.textContent = state.dataset.unsaved;
    state.classList.remove("text-danger");
    state.classList.add("is-unsaved");
  });
  // Enter in a note saves the note; it must not submit the row with its first button ("Present").
  document.body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches(".register-note input")) { return; }
    event.preventDefault();
    event.target.dispatchEvent(new Event("change", { bubbles: true }));
  });
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
  // A 422 carries the row (or the note's state) with the reason it was refused: swap it in
  // like a success.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
