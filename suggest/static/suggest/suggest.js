/* Suggestions while writing (suggest/templates/suggest/panel.html): as a person types the title,
   summary or body of a record, ask the portal which GBF targets and subjects the text is about and
   list them with the words that support them; "Add" chooses one in the form's field (a Tom Select
   type-ahead, a plain multi-select or checkboxes), "Ignore" hides it. Strings come translated in
   data attributes; without this script the panel stays hidden and the form is unchanged. */
(function () {
  "use strict";

  var DELAY_MS = 700; // after the last key
  var MIN_CHARACTERS = 12;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function csrfToken(panel) {
    var form = panel.closest("form") || document.querySelector("form");
    var input = (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /* The field "Add" fills: what it holds, and how to choose a value in it. */
  function Field(id) {
    this.node = id ? document.getElementById(id) : null;
  }
  Field.prototype.exists = function () {
    return Boolean(this.node);
  };
  Field.prototype.checkboxes = function () {
    return this.node.querySelectorAll("input[type=checkbox]");
  };
  Field.prototype.has = function (value) {
    value = String(value);
    if (!this.node) {
      return false;
    }
    if (this.node.tagName === "SELECT") {
      return Array.prototype.some.call(this.node.selectedOptions, function (option) {
        return option.value === value;
      });
    }
    return Array.prototype.some.call(this.checkboxes(), function (box) {
      return box.value === value && box.checked;
    });
  };
  Field.prototype.choose = function (value) {
    value = String(value);
    var node = this.node;
    if (node.tomselect) {
      node.tomselect.addItem(value);
      return true;
    }
    if (node.tagName === "SELECT") {
      var option = Array.prototype.find.call(node.options, function (item) {
        return item.value === value;
      });
      if (!option) {
        return false;
      }
      option.selected = true;
      node.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }
    var box = Array.prototype.find.call(this.checkboxes(), function (item) {
      return item.value === value;
    });
    if (!box) {
      return false;
    }
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  };

  function Panel(section) {
    this.section = section;
    this.messages = JSON.parse(section.getAttribute("data-messages"));
    this.endpoint = section.getAttribute("data-endpoint");
    this.sources = section.getAttribute("data-sources").split(/\s+/).map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
    this.fields = {
      target: new Field(section.getAttribute("data-targets")),
      subject: new Field(section.getAttribute("data-subjects")),
    };
    var languageId = section.getAttribute("data-language");
    this.languageField = languageId ? document.getElementById(languageId) : null;
    this.list = section.querySelector("[data-suggest-list]");
    this.status = section.querySelector("[data-suggest-status]");
    this.ignored = {};
    this.suggestions = [];
    this.timer = null;
    this.request = null;
    this.lastText = null;
    this.lastCount = -1;
    this.pageLanguage = document.documentElement.lang || "en";
  }

  Panel.prototype.start = function () {
    if (!this.sources.length || !(this.fields.target.exists() || this.fields.subject.exists()) || !window.fetch) {
      return;
    }
    var placement = this.section.getAttribute("data-placement");
    var anchor = placement ? document.getElementById(placement) : null;
    if (anchor) {
      var container = anchor.closest("[data-field-wrapper], .w-field__wrapper, .w-panel") || anchor;
      container.parentNode.insertBefore(this.section, container.nextSibling);
    }
    this.section.hidden = false;
    var self = this;
    this.sources.forEach(function (source) {
      source.addEventListener("input", function () {
        self.schedule();
      });
    });
    // A term chosen in the field itself leaves the list.
    ["target", "subject"].forEach(function (kind) {
      if (self.fields[kind].exists()) {
        self.fields[kind].node.addEventListener("change", function () {
          self.render(self.suggestions);
        });
      }
    });
    if (this.languageField) {
      this.languageField.addEventListener("change", function () {
        self.lastText = null;
        self.schedule();
      });
    }
    this.schedule(0);
  };

  Panel.prototype.text = function () {
    return this.sources.map(function (source) {
      return source.value || "";
    }).join("\n\n").trim();
  };

  Panel.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.fetch();
    }, delay === undefined ? DELAY_MS : delay);
  };

  Panel.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Panel.prototype.fetch = function () {
    var text = this.text();
    var language = this.languageField ? this.languageField.value : "";
    var key = language + "\u0000" + text;
    if (key === this.lastText) {
      return;
    }
    this.lastText = key;
    if (Array.from(text).length < MIN_CHARACTERS) {
      this.render([]);
      return;
    }
    if (this.request) {
      this.request.abort();
    }
    var controller = window.AbortController ? new AbortController() : null;
    this.request = controller;
    this.section.setAttribute("aria-busy", "true");
    var self = this;
    window.fetch(this.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(this.section),
      },
      body: JSON.stringify({ text: text, language: language }),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (data) {
      self.section.removeAttribute("aria-busy");
      self.render(data.suggestions || []);
    }).catch(function (error) {
      if (error && error.name === "AbortError") {
        return;
      }
      self.section.removeAttribute("aria-busy");
      self.lastText = null; // try again at the next key
      self.lastCount = -1;
      self.say(self.messages.failed);
    });
  };

  Panel.prototype.visible = function (suggestions) {
    var self = this;
    return suggestions.filter(function (item) {
      var field = self.fields[item.kind];
      return field && field.exists() && !self.ignored[item.code] && !field.has(item.id);
    });
  };

  Panel.prototype.render = function (suggestions) {
    this.suggestions = suggestions;
    var shown = this.visible(suggestions);
    var focusedCode = document.activeElement && this.list.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-code") : null;
    this.list.textContent = "";
    var self = this;
    shown.forEach(function (item) {
      self.list.appendChild(self.item(item));
    });
    if (focusedCode) {
      var again = this.list.querySelector("button[data-code='" + focusedCode + "']");
      if (again) {
        again.focus();
      }
    }
    if (shown.length !== this.lastCount) {
      this.lastCount = shown.length;
      if (!shown.length) {
        this.say(this.messages.none);
      } else if (shown.length === 1) {
        this.say(this.messages.foundOne);
      } else {
        this.say(format(this.messages.found, { count: shown.length }));
      }
    }
  };

  Panel.prototype.passage = function (passage) {
    var quote = element("q", "suggestion-passage");
    var characters = Array.from(passage.text); // offsets count code points, as the server does
    var position = 0;
    if (passage.shortened_before) {
      quote.appendChild(document.createTextNode("… "));
    }
    passage.highlights.forEach(function (span) {
      if (span[0] > position) {
        quote.appendChild(document.createTextNode(characters.slice(position, span[0]).join("")));
      }
      quote.appendChild(element("mark", "", characters.slice(span[0], span[1]).join("")));
      position = span[1];
    });
    if (position < characters.length) {
      quote.appendChild(document.createTextNode(characters.slice(position).join("")));
    }
    if (passage.shortened_after) {
      quote.appendChild(document.createTextNode(" …"));
    }
    return quote;
  };

  Panel.prototype.item = function (item) {
    var messages = this.messages;
    var self = this;
    var li = element("li", "suggestion suggestion-" + item.kind);
    li.setAttribute("data-code", item.code);

    var header = element("p", "suggestion-title");
    header.appendChild(element("span", "suggestion-kind", messages[item.kind] + " "));
    var label = element("strong", "suggestion-label", item.label);
    if (item.label_language && item.label_language !== this.pageLanguage.split("-")[0]) {
      label.lang = item.label_language;
      label.dir = "auto";
    }
    header.appendChild(label);
    var score = element("span", "suggestion-score", format(messages.score, { score: Math.round(item.score * 100) + "%" }));
    header.appendChild(document.createTextNode(" "));
    header.appendChild(score);
    li.appendChild(header);

    if (item.words.length) {
      var words = element("p", "suggestion-words");
      words.appendChild(document.createTextNode(messages.supportedBy + " "));
      item.words.forEach(function (word, index) {
        if (index) {
          words.appendChild(document.createTextNode(", "));
        }
        words.appendChild(element("mark", "", word));
      });
      li.appendChild(words);
    }
    item.passages.forEach(function (passage) {
      li.appendChild(self.passage(passage));
    });

    var actions = element("div", "suggestion-actions");
    var add = element("button", "suggestion-add", messages.add);
    add.type = "button";
    add.setAttribute("data-code", item.code);
    add.setAttribute("aria-label", format(messages.addNamed, { item: item.label }));
    add.addEventListener("click", function () {
      var index = self.position(li);
      // Choosing may re-render the list (the field's change event): find the place by position.
      if (self.fields[item.kind].choose(item.id)) {
        self.remove(li, index, format(messages.added, { item: item.label }));
      }
    });
    var ignore = element("button", "suggestion-ignore", messages.ignore);
    ignore.type = "button";
    ignore.setAttribute("data-code", item.code + ":ignore");
    ignore.setAttribute("aria-label", format(messages.ignoreNamed, { item: item.label }));
    ignore.addEventListener("click", function () {
      var index = self.position(li);
      self.ignored[item.code] = true;
      self.remove(li, index, format(messages.ignored, { item: item.label }));
    });
    actions.appendChild(add);
    actions.appendChild(ignore);
    li.appendChild(actions);
    return li;
  };

  Panel.prototype.position = function (li) {
    return Array.prototype.indexOf.call(this.list.children, li);
  };

  /* Take an item away and keep the keyboard where it was: on the item now in its place (or the
     last one), or on the heading when the list is empty. */
  Panel.prototype.remove = function (li, index, announcement) {
    if (li.parentNode) {
      li.remove();
    }
    var items = this.list.children;
    this.lastCount = items.length;
    this.say(announcement);
    var next = items.length ? items[Math.min(Math.max(index, 0), items.length - 1)] : null;
    var target = next ? next.querySelector(".suggestion-add") : this.section.querySelector(".suggestions-heading");
    if (!next) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  };

  function start() {
    document.querySelectorAll("[data-suggest]").forEach(function (section) {
      new Panel(section).start();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
