/* Suggestions as you type, following the ARIA combobox pattern (list autocomplete).
   Works without it: the form is a plain GET form. Titles are inserted as text, never as HTML. */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = document.getElementById("search-suggestions-status");
  var url = input.getAttribute("data-suggest-url");
  var items = [];
  var active = -1;
  var timer = null;

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(item) {
    input.value = item.title;
    close();
    input.form.submit();
  }

  // A title in another language than the page's carries its own lang and dir (WCAG 3.1.2).
  var pageLanguage = (document.documentElement.lang || "").split("-")[0];
  function markLanguage(element, language) {
    var base = (language || "").split("-")[0];
    if (!base || base === pageLanguage) return;
    element.lang = language;
    element.dir = ["ar", "fa", "he", "ur"].indexOf(base) >= 0 ? "rtl" : "ltr";
  }

  function render(suggestions) {
    close();
    items = suggestions;
    suggestions.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "search-suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.textContent = item.title;
      markLanguage(title, item.language);
      option.appendChild(title);
      if (item.type) {
        var type = document.createElement("span");
        type.className = "suggestion-type";
        type.textContent = item.type;
        option.appendChild(type);
      }
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
      list.appendChild(option);
    });
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    if (status) status.textContent = input.getAttribute("data-status-template").replace("%(count)s", suggestions.length);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === text) render(data.suggestions || []); })
        .catch(close);
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      highlight(active + 1 < items.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
