// Small behaviours the pages need; everything else is HTMX attributes.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.body.getAttribute("hx-headers");
  if (meta && !event.detail.headers["X-CSRF-Token"]) {
    try { event.detail.headers["X-CSRF-Token"] = JSON.parse(meta)["X-CSRF-Token"]; } catch (e) {}
  }
});
