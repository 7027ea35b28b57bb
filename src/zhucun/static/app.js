// Small behaviours the pages need; everything else is HTMX attributes.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.body.getAttribute("hx-headers");
  if (meta && !event.detail.headers["X-CSRF-Token"]) {
    try { event.detail.headers["X-CSRF-Token"] = JSON.parse(meta)["X-CSRF-Token"]; } catch (e) {}
  }
});

// A 422 answer carries the form again with its errors next to the fields: show it.
document.addEventListener("DOMContentLoaded", function () {
  if (window.htmx) {
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "422", swap: true},
      {code: "[45]..", swap: false, error: true},
    ];
  }
});

// Any other failure (lost connection, server error, expired session) is said, not swallowed.
function showRequestError() {
  var box = document.getElementById("request-error");
  if (box) { box.hidden = false; box.focus(); }
}
document.addEventListener("htmx:responseError", showRequestError);
document.addEventListener("htmx:sendError", showRequestError);
