"""Running axe-core in a page and reporting its violations readably."""

from pathlib import Path

from playwright.sync_api import Page


def axe_violations(page: Page, script: Path) -> list[dict]:
    """Inject axe-core into ``page``, run every rule and return the violations."""
    page.add_script_tag(path=str(script))
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
