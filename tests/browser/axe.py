"""Running axe-core in a page and reporting its violations readably."""

from pathlib import Path

from playwright.sync_api import Page


def axe_violations(page: Page, script: Path) -> list[dict]:
    """Load axe-core into ``page``, run every rule and return the violations.

    The script is evaluated through the DevTools protocol instead of a
    script tag, so the page's Content-Security-Policy stays in force and
    its console errors still count.
    """
    page.evaluate("source => { (0, eval)(source); }", script.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations;
        }"""
    )


def describe(violations: list[dict]) -> str:
    """Return one line per violating node: rule, impact, selector and summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary}")
    return "\n".join(lines)
