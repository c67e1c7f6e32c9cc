"""Our templates carry no inline script and no inline event handler: the policy would refuse them.

Scripts are files under static/; data for them travels in ``<script type="application/json">`` (from
``json_script``) or in ``data-`` attributes.
"""

import re
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", ".git", "media"}
# The one module that reads Wagtail's inline initialisers, to give them their nonce.
READS_WAGTAILS_SCRIPTS = Path("cms/security/admin_scripts.py")
DATA_TYPES = {"application/json", "application/ld+json"}

SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
TYPE_ATTR = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
SRC_ATTR = re.compile(r"\bsrc\s*=", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def project_templates() -> list[Path]:
    found = []
    for path in PROJECT_DIR.rglob("*.html"):
        relative = path.relative_to(PROJECT_DIR)
        if SKIPPED_DIRS & set(relative.parts) or "templates" not in relative.parts:
            continue
        found.append(path)
    return sorted(found)


def inline_script_problems(text: str) -> list[str]:
    problems = []
    for match in SCRIPT_TAG.finditer(text):
        attrs = match.group("attrs")
        declared = TYPE_ATTR.search(attrs)
        if SRC_ATTR.search(attrs) or (declared and declared.group("type").lower() in DATA_TYPES):
            continue
        problems.append(f"inline <script{attrs}>")
    for tag in TAG.findall(text):
        if EVENT_HANDLER.search(tag):
            problems.append(f"event handler in {tag[:80]}")
        if JAVASCRIPT_URL.search(tag):
            problems.append(f"javascript: address in {tag[:80]}")
    return problems


def test_the_scan_finds_what_it_looks_for():
    """The checker itself: it would catch each kind of inline code, and leaves data blocks alone."""
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<script type="text/javascript">go()</script>')
    assert inline_script_problems('<script type="module">go()</script>')
    assert inline_script_problems('<button type="button" onclick="go()">Go</button>')
    assert inline_script_problems('<body onload="go()">')
    assert inline_script_problems('<a href="javascript:go()">Go</a>')
    assert not inline_script_problems('<script src="/static/js/map.js" defer></script>')
    assert not inline_script_problems('<script type="application/json" id="markers">[]</script>')
    assert not inline_script_problems('<script type="application/ld+json">{}</script>')
    assert not inline_script_problems('<a href="/en/" data-once="x">Home</a><p>onion = tasty</p>')


def test_there_are_templates_to_scan():
    names = {path.name for path in project_templates()}
    assert {"base.html", "500.html", "map.html"} <= names


def test_no_template_has_inline_script_or_event_handlers():
    problems = {
        str(path.relative_to(PROJECT_DIR)): found
        for path in project_templates()
        if (found := inline_script_problems(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_no_python_module_writes_an_executable_script():
    """Template tags and widgets of ours emit only data blocks (JSON-LD, json_script)."""
    problems = {}
    for path in PROJECT_DIR.rglob("*.py"):
        relative = path.relative_to(PROJECT_DIR)
        if SKIPPED_DIRS & set(relative.parts) or relative.parts[0] == "tests" or relative == READS_WAGTAILS_SCRIPTS:
            continue
        found = inline_script_problems(path.read_text(encoding="utf-8"))
        if found:
            problems[str(relative)] = found
    assert problems == {}
