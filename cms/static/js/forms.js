/* The public forms' behaviour (templates/forms/, cms/forms.py), added on top of pages that work
   without it: focus on the error summary, live character counters, and type-ahead multi-selects
   (Tom Select, vendored under vendor/tom-select/). Strings come translated in data attributes. */
(function () {
  "use strict";

  var language = document.documentElement.lang || "en";
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language) : null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  /* ``samples`` maps sample counts to the page language's text for each (cms/forms.py): use the
     one whose plural category is the count's own. */
  function plural(samples, count) {
    var keys = Object.keys(samples);
    var chosen = count === 1 ? "1" : keys[keys.length - 1];
    if (pluralRules) {
      var category = pluralRules.select(count);
      for (var i = 0; i < keys.length; i++) {
        if (pluralRules.select(Number(keys[i])) === category) {
          chosen = keys[i];
          break;
        }
      }
    }
    return format(samples[chosen], { count: count });
  }

  function characterCount(value) {
    return Array.from(value).length; // code points, as the server counts them
  }

  /* --- error summary ------------------------------------------------------------------------ */

  function focusTarget(element) {
    return element.tomselect ? element.tomselect.control_input : element;
  }

  function setUpErrorSummary(summary) {
    if (document.activeElement !== summary) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) {
        return;
      }
      event.preventDefault();
      var field = target.closest(".field") || target;
      field.scrollIntoView();
      focusTarget(target).focus({ preventScroll: true });
    });
  }

  /* --- character counters ------------------------------------------------------------------- */

  function setUpCounter(input) {
    var counter = document.getElementById(input.getAttribute("data-char-count"));
    if (!counter) {
      return;
    }
    var limit = Number(counter.getAttribute("data-limit"));
    var messages = JSON.parse(counter.getAttribute("data-messages"));
    var visible = counter.querySelector(".char-count-message");
    var status = counter.querySelector(".char-count-status");
    var timer = null;

    function message() {
      var remaining = limit - characterCount(input.value);
      return remaining >= 0 ? plural(messages.left, remaining) : plural(messages.over, -remaining);
    }

    function update() {
      visible.textContent = message();
      counter.classList.toggle("char-count-over", characterCount(input.value) > limit);
    }

    counter.hidden = false;
    update();
    input.addEventListener("input", function () {
      update();
      // Screen readers hear the count once typing pauses, not at every key.
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = message();
      }, 800);
    });
  }

  /* --- type-ahead multi-selects ------------------------------------------------------------- */

  function elementFrom(html) {
    if (typeof html !== "string") {
      return html;
    }
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function defineRemoveButton() {
    /* A real button on each chosen term, named "Remove <term>" in the page's language. */
    window.TomSelect.define("portal_remove_button", function (options) {
      var tom = this;
      tom.hook("after", "setupTemplates", function () {
        var renderItem = tom.settings.render.item;
        tom.settings.render.item = function (data, escape) {
          var item = elementFrom(renderItem.call(tom, data, escape));
          var button = document.createElement("button");
          button.type = "button";
          button.className = "remove";
          button.setAttribute("aria-label", format(options.label, { item: data[tom.settings.labelField] }));
          button.textContent = "×";
          button.addEventListener("mousedown", function (event) {
            event.preventDefault();
            event.stopPropagation();
          });
          button.addEventListener("click", function (event) {
            event.preventDefault();
            event.stopPropagation();
            if (tom.isLocked) {
              return;
            }
            tom.removeItem(item);
            tom.refreshOptions(false);
            tom.inputState();
            tom.control_input.focus();
          });
          item.appendChild(button);
          return item;
        };
      });
    });
  }

  function setUpTypeahead(select) {
    var messages = JSON.parse(select.getAttribute("data-typeahead"));
    var hint = document.createElement("div");
    hint.className = "helptext typeahead-hint";
    hint.id = select.id + "-ts-hint";
    hint.textContent = messages.hint;
    var live = document.createElement("div");
    live.id = select.id + "-ts-status";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");

    var tom = new window.TomSelect(select, {
      plugins: { portal_remove_button: { label: messages.remove } },
      maxOptions: null,
      refreshThrottle: 0, // filter at each key, so that a quick Enter adds what was typed
      hideSelected: true,
      closeAfterSelect: false,
      clearAfterSelect: true, // the next term is typed afresh
      create: false,
      render: {
        // Inside the listbox, so an option (that cannot be chosen); said aloud as well.
        no_results: function (data, escape) {
          var text = format(messages.noResults, { query: data.input });
          live.textContent = text;
          return '<div class="no-results" role="option" aria-disabled="true">' + escape(text) + "</div>";
        },
      },
    });
    tom.wrapper.parentNode.insertBefore(hint, tom.wrapper);
    tom.wrapper.parentNode.insertBefore(live, tom.wrapper.nextSibling);

    // The combobox stands for the select: it takes over its description, state and requirement,
    // and the select leaves the accessibility tree (it is still what the form submits).
    var control = tom.control_input;
    var described = [hint.id, select.getAttribute("aria-describedby") || ""].join(" ").trim();
    control.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) {
      control.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    }
    if (select.required) {
      control.setAttribute("aria-required", "true");
    }
    select.setAttribute("aria-hidden", "true");

    function label(value) {
      var option = tom.options[value];
      return option ? option[tom.settings.labelField] : value;
    }
    tom.on("item_add", function (value) {
      live.textContent = format(messages.added, { item: label(value) });
    });
    tom.on("item_remove", function (value) {
      live.textContent = format(messages.removed, { item: label(value) });
    });
  }

  /* --- start -------------------------------------------------------------------------------- */

  function start() {
    if (window.TomSelect) {
      defineRemoveButton();
      document.querySelectorAll("select[multiple][data-typeahead]").forEach(setUpTypeahead);
    }
    document.querySelectorAll("[data-char-count]").forEach(setUpCounter);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      setUpErrorSummary(summary);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
