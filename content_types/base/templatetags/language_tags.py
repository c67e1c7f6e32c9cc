"""Marking text in another language than the page's (WCAG 3.1.2). The rules are in
``content_types.base.languages``; these tags only put them in templates:

- ``<h1{% lang_attrs page "title" %}>``: `` lang="en" dir="ltr"`` when the text is foreign, else nothing;
  a field inside a child object is named by its parts (``page "paragraphs" paragraph.translation_key "text"``);
- ``{% foreign value %}`` / ``{% foreign value page "summary" %}``: the value, wrapped in a
  ``<span lang dir>`` when foreign or a ``<bdi>`` when it is a language-neutral code;
- ``{% include_stream page "body" %}``: a StreamField whose foreign blocks are marked;
- ``{% language_badge record %}`` and ``{% original_language_notice %}``: saying so in words;
- ``{{ text|isolate_latin_runs }}``: codes inside right-to-left text kept in their order.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from wagtail.models import Page

from .. import languages

register = template.Library()


def _field(path) -> str | None:
    return ".".join(str(part) for part in path) if path else None


@register.simple_tag
def lang_attrs(obj, *path):
    return languages.lang_attrs(obj, _field(path))


@register.simple_tag(takes_context=True)
def foreign(context, value, source=None, *path):
    """``value`` marked with the language of ``source`` (a page and one of its fields, a language
    code), or with its own when it knows it (portal texts, vocabulary terms)."""
    if source is None:  # a value that knows its language (not a plain string: that is text)
        language = None if isinstance(value, str) else languages.text_language(value)
    else:
        language = languages.text_language(source, _field(path))
    shown = value.text if isinstance(value, languages.InLanguage) else value
    rendered = render_value_in_context(shown, context)
    return languages.foreign(rendered, language)


@register.simple_tag(takes_context=True)
def include_stream(context, page, field="body"):
    """A StreamField of ``page`` rendered like ``{% include_block %}``, with the blocks shown in
    another language (an alias's, an untranslated block's) marked with ``lang`` and ``dir``."""
    value = getattr(page, field, None)
    if not value:
        return ""
    flat = context.flatten()
    if page.alias_of_id:
        attributes = languages.lang_attrs(page)
        rendered = value.render_as_block(context=flat)
        return format_html("<div{}>{}</div>", attributes, rendered) if attributes else rendered
    marks = [languages.lang_attrs(page, f"{field}.{child.id}") for child in value]
    if not any(marks) or getattr(value.stream_block.meta, "template", None):
        return value.render_as_block(context=flat)
    # As StreamBlock.render_basic does, with the marks on each block's wrapper.
    return format_html_join(
        "\n",
        '<div class="w-block-{1} block-{1}"{2}>{0}</div>',
        [(child.render(context=flat), child.block_type, mark) for child, mark in zip(value, marks, strict=True)],
    )


@register.simple_tag
def language_badge(obj, *path):
    """A badge "In English" on a card whose text is shown in another language than the page's."""
    field = _field(path)
    if not languages.is_foreign(obj, field):
        return ""
    name = languages.language_name(languages.text_language(obj, field))
    return format_html('<span class="badge badge-language">{}</span>', gettext("In %(language)s") % {"language": name})


@register.simple_tag(takes_context=True)
def original_language_notice(context):
    """Says that the page, or part of it, is shown in its original language (not yet translated)."""
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return ""
    original = languages.source_language(page)
    current = get_language()
    if not original or languages.same_language(original, current):
        return ""
    message = languages.shown_in_original_message(current, original, partly=not page.alias_of_id)
    return format_html(
        '<p class="message message-language" role="note"{}>{}</p>', languages.lang_attrs(message), message
    )


@register.filter
def isolate_latin_runs(text):
    return languages.isolate_latin_runs(text)
