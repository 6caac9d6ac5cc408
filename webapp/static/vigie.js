/* Vigie: quick exit (button, Escape, Shift three times), error summary focus,
   exclusive checkboxes. Every page works without this file. */
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    // replace(): the survey page leaves the Back history; the server route
    // clears the session and sends the browser to a neutral site.
    window.location.replace(exitLink.href);
  }

  if (exitLink) {
    exitLink.addEventListener("click", leave);
    var shifts = [];
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { leave(event); return; }
      if (event.key === "Shift" && !event.repeat) {
        var now = Date.now();
        shifts = shifts.filter(function (time) { return now - time < 2000; });
        shifts.push(now);
        if (shifts.length >= 3) { leave(event); }
      }
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  document.querySelectorAll(".checkboxes").forEach(function (group) {
    var boxes = group.querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) { return; }
        var exclusive = box.dataset.exclusive === "true";
        boxes.forEach(function (other) {
          if (other !== box && (exclusive || other.dataset.exclusive === "true")) {
            other.checked = false;
          }
        });
      });
    });
  });
}());
