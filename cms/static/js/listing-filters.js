/* Listing filters on narrow screens: a "Filters (n)" button folds the filters away so that the first
   result shows on the first screen. Loaded (not deferred) before the button, so the filters are folded
   before they are first drawn. Without JavaScript the button stays hidden and the filters stay open.
   Markup: <button data-filters-toggle aria-expanded="false" aria-controls="ID"> then <div id="ID"
   class="filters-body">; portal.css hides the body after a collapsed button, on narrow screens only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js-filters");
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-filters-toggle]") : null;
    if (!button) { return; }
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
  });
  /* The filter form leaves out the filters set to "Any", so that addresses carry only codes in use. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-listing-filters]")) { return; }
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") { params.append(name, value); }
    });
    event.preventDefault();
    var query = params.toString();
    window.location.assign(window.location.pathname + (query ? "?" + query : ""));
  });
})();
