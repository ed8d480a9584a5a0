"""Every page and error state: axe-core finds nothing, and the page fits the screen.

Reaching a state takes most of a test's time, so one test per state does
both checks. axe-core runs in light and in dark colour scheme, since the two
have their own colours and so their own contrast, and must report no
violation of any impact.

The screenshots land in test-artifacts/screenshots/ for a person to look at:
``STATE-desktop.png`` (1280x800), ``STATE-phone.png`` (390x844) and
``STATE-phone-dark.png``. The test checks what a screenshot alone cannot:
no page scrolls sideways.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.axe import axe_violations, describe
from tests.browser.page_states import PAGE_STATES, People
from tests.browser.pages import DESKTOP, PHONE, Site

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

LAYOUTS = {
    "desktop": (DESKTOP, "light"),
    "phone": (PHONE, "light"),
    "phone-dark": (PHONE, "dark"),
}


def horizontal_overflow(site: Site) -> int:
    """Return how many CSS pixels the page is wider than the window."""
    return site.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("state", PAGE_STATES)
def test_page_state_accessible_and_fits(
    open_site: Callable[..., Site], axe_script: Path, state: str
):
    site = open_site()
    PAGE_STATES[state](site, People())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflow = {}
    for name, (viewport, color_scheme) in LAYOUTS.items():
        site.page.set_viewport_size(viewport)
        site.page.emulate_media(color_scheme=color_scheme)
        site.page.screenshot(path=SCREENSHOTS / f"{state}-{name}.png", full_page=True)
        overflow[name] = horizontal_overflow(site)

    axe_report = {}
    site.page.set_viewport_size(DESKTOP)
    for color_scheme in ("light", "dark"):
        site.page.emulate_media(color_scheme=color_scheme)
        axe_report[color_scheme] = describe(axe_violations(site.page, axe_script))

    assert overflow["desktop"] <= 0, f"{state} scrolls sideways on a laptop"
    assert overflow["phone"] <= 0, f"{state} is {overflow['phone']} px too wide for a phone"
    assert axe_report["light"] == "", f"axe-core on {state}, light:\n{axe_report['light']}"
    assert axe_report["dark"] == "", f"axe-core on {state}, dark:\n{axe_report['dark']}"


def test_axe_finds_violation_under_csp(open_site: Callable[..., Site], axe_script: Path):
    site = open_site()
    site.open("accounts:login")

    # A password field whose label no longer points at it has no accessible name.
    site.page.locator("label[for='id_password']").evaluate("label => label.removeAttribute('for')")
    violations = axe_violations(site.page, axe_script)

    assert "label" in [violation["id"] for violation in violations]
