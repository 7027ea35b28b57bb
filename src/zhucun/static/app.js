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

// A filter bar submits itself when a choice changes: the filters live in the URL, so the
// page can be bookmarked, shared and exported as shown.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.form && field.form.classList.contains("filters") && field.matches("select, input[type=checkbox]")) {
    field.form.requestSubmit();
  }
});

// A picker: choosing one of the matches puts its code in the hidden input and its name in
// the visible one.
document.addEventListener("click", function (event) {
  var choice = event.target.closest("[data-pick-code]");
  if (!choice) { return; }
  var picker = choice.closest(".picker");
  picker.querySelector("input[type=hidden]").value = choice.getAttribute("data-pick-code");
  var shown = picker.querySelector("input[type=search]");
  shown.value = choice.getAttribute("data-pick-label");
  var detail = picker.querySelector(".picker-detail");
  if (detail) { detail.textContent = choice.getAttribute("data-pick-detail") || ""; }
  shown.classList.remove("is-invalid");
  picker.querySelector(".picker-results").innerHTML = "";
  event.preventDefault();
  // In a filter bar a pick is a filter: the list reloads with it in the URL, as a select's change does.
  var form = picker.closest("form.filters");
  if (form) { form.requestSubmit(); }
});

// Typing again after a pick clears the code: what is sent is always what is shown.
document.addEventListener("input", function (event) {
  var picker = event.target.closest(".picker");
  if (picker && event.target.type === "search") {
    picker.querySelector("input[type=hidden]").value = "";
    var detail = picker.querySelector(".picker-detail");
    if (detail) { detail.textContent = ""; }
  }
});

// A choice that suggests a value for another field (the next household number of a village):
// the suggestion replaces the field only while the field still holds the previous suggestion.
document.addEventListener("change", function (event) {
  var select = event.target;
  var name = select.getAttribute && select.getAttribute("data-suggests");
  if (!name) { return; }
  var field = select.form.querySelector("[name='" + name + "']");
  var previous = select.getAttribute("data-previous") || field.defaultValue;
  var suggestion = select.selectedOptions[0].getAttribute("data-suggestion") || "";
  if (field && (field.value === "" || field.value === previous)) { field.value = suggestion; }
  select.setAttribute("data-previous", suggestion);
});
