"""A nonce for the inline scripts the Wagtail admin still writes, and for nothing else.

Wagtail 8 (and wagtail-localize) render a few initialisers inline: ``initDateChooser("id", {...})``
after date and time inputs, ``new InlinePanel(JSON.parse("..."))`` after inline panels (also inside the
``<template>`` that clones a new child, which jQuery evaluates with the nonce it carries),
``new PageChooser("id", {...})`` and the other chooser widgets, ``createTaskChooser("id")``, and two
fixed snippets of wagtail-localize. The policy allows no inline script, so this middleware reads each
inline ``<script>`` of an admin HTML response and adds the response's nonce only when the script is
one of those shapes, with JSON literals as its only arguments. Anything else, such as a script that
reached the page through content, stays without a nonce and the browser refuses it.
"""

import json
import re

from csp.constants import HEADER, SELF
from django.conf import settings
from django.urls import reverse

ADMIN_PREFIX = "/admin/"
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
HAS_SRC_OR_NONCE = re.compile(r"\s(?:src|nonce)\s*=", re.IGNORECASE)
SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
JAVASCRIPT_TYPES = {"text/javascript", "application/javascript"}

JSON_VALUE = object()  # a placeholder: one JSON literal (string, number, object, array, true/false/null)

CHOOSERS = ("Chooser", "PageChooser", "DocumentChooser", "ImageChooser", "SnippetChooser")
DATE_INITIALISERS = ("initDateChooser", "initTimeChooser", "initDateTimeChooser")
PANELS = ("InlinePanel", "MultipleChooserPanel")
IIFE_OPEN = ["(", "function", "(", ")", "{"]
IIFE_CLOSE = ["}", ")", "(", ")", ";"]
SHAPES = [
    *[[f"{function}(", JSON_VALUE, ",", JSON_VALUE, ")", ";"] for function in DATE_INITIALISERS],
    *[
        [*IIFE_OPEN, "var", "panel", "=", "new", panel, "(", "JSON.parse(", JSON_VALUE, ")", ")", ";", *IIFE_CLOSE]
        for panel in PANELS
    ],
    *[["new", chooser, "(", JSON_VALUE, ",", JSON_VALUE, ")", ";"] for chooser in CHOOSERS],
    ["createTaskChooser(", JSON_VALUE, ")", ";"],
]
DECODER = json.JSONDecoder()
WHITESPACE = re.compile(r"\s*")


def matches(shape: list, body: str) -> bool:
    position = 0
    for piece in shape:
        position = WHITESPACE.match(body, position).end()
        if piece is JSON_VALUE:
            try:
                _value, position = DECODER.raw_decode(body, position)
            except ValueError:
                return False
        elif body.startswith(piece, position):
            position += len(piece)
        else:
            return False
    return WHITESPACE.match(body, position).end() == len(body)


def normalised(text: str) -> str:
    return " ".join(text.split())


def fixed_snippets() -> set[str]:
    """wagtail-localize's two constant scripts (the translation editor and its submit form)."""
    return {
        normalised(
            'if (typeof window.chooserUrls === "undefined") { window.chooserUrls = {'
            f' imageChooser: "{reverse("wagtailimages_chooser:choose")}",'
            f' documentChooser: "{reverse("wagtaildocs_chooser:choose")}",'
            f' pageChooser: "{reverse("wagtailadmin_choose_page")}", }} }}'
        ),
        normalised(
            "document.addEventListener('DOMContentLoaded', function() {"
            " var selectAll = document.querySelector('[name=\"select_all\"]');"
            " var locales = document.querySelectorAll('[name=\"locales\"]');"
            " selectAll.addEventListener('change', function() {"
            " for (var i = 0; i < locales.length; i++) { locales[i].checked = selectAll.checked; } }); });"
        ),
    }


def is_known_initialiser(body: str) -> bool:
    if any(matches(shape, body) for shape in SHAPES):
        return True
    return normalised(body) in fixed_snippets()


def with_nonces(html: str, nonce) -> tuple[str, int]:
    """``html`` with ``nonce`` added to each known inline initialiser; and how many were given one."""
    given = 0

    def replace(match):
        nonlocal given
        attrs = match.group("attrs") or ""
        declared = SCRIPT_TYPE.search(attrs)
        if declared and declared.group("type").lower() not in JAVASCRIPT_TYPES:
            return match.group(0)  # data blocks (application/json) are never executed
        if HAS_SRC_OR_NONCE.search(attrs):
            return match.group(0)
        if not is_known_initialiser(match.group("body")):
            return match.group(0)
        given += 1
        return f'<script nonce="{nonce}"{attrs}>{match.group("body")}</script>'

    return INLINE_SCRIPT.sub(replace, html), given


class AdminInlineScriptMiddleware:
    """Sits below django-csp's middleware, so that the nonce it asks for reaches the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(ADMIN_PREFIX):
            return response
        # Wagtail's preview renders the page through the whole middleware stack under the page's own
        # path, which gives it the public policy (frame-ancestors 'none'); the admin's replaces it.
        if HEADER in response:
            del response[HEADER]
        # The preview panel frames the admin's own preview views.
        response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), "frame-ancestors": [SELF]}
        if response.streaming or "html" not in response.get("Content-Type", ""):
            return response
        html = response.content.decode(response.charset or settings.DEFAULT_CHARSET)
        if "<script" not in html:
            return response
        rewritten, given = with_nonces(html, request.csp_nonce)
        if given:
            response.content = rewritten.encode(response.charset or settings.DEFAULT_CHARSET)
        return response
