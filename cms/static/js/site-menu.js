/* The site header on narrow screens: a "Menu" button folds the search, the account links and the main
   navigation away, so that a page's content starts on the first screen. Loaded in the head (not
   deferred), so the header is folded before it is first drawn. Without JavaScript the button stays
   hidden and everything stays open. Markup: <button data-menu-toggle aria-expanded="false"
   aria-controls="ID ID ...">; portal.css hides the controlled parts while it is collapsed, on narrow
   screens only. Escape closes the menu and gives the focus back to the button. */
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-menu-toggle]") : null;
    if (!button) { return; }
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var button = document.querySelector("[data-menu-toggle][aria-expanded='true']");
    if (!button || button.offsetParent === null) { return; }
    button.setAttribute("aria-expanded", "false");
    button.focus();
  });
})();
