"""axe-core in the browser tests: inject it from node_modules/ (package.json), run it, keep what blocks people.

``make test`` installs axe-core with ``npm ci --ignore-scripts`` (scripts/ensure-frontend.sh) when npm
is present; without it the tests that use :func:`serious_violations` skip and say why.
"""

from pathlib import Path

import pytest
from django.conf import settings

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is not installed: run `npm ci --ignore-scripts` (make test does when npm is present)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(page, context=None) -> list[dict]:
    """The serious and critical violations axe finds on ``page`` (or within the ``context`` selector)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the browser's debugging channel: a <script> tag would be inline script,
        # which the portal's Content-Security-Policy rightly refuses.
        page.evaluate(axe_source())
    results = page.evaluate(
        """async (context) => {
            const options = {resultTypes: ['violations']};
            return await window.axe.run(context || document, options);
        }""",
        context,
    )
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """One readable paragraph per violation: rule, impact, help, and where (selector and what to fix)."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_no_serious_violations(page, context=None):
    violations = serious_violations(page, context)
    assert not violations, f"axe found serious or critical violations on {page.url}:\n{describe(violations)}"
