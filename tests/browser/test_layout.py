"""Screenshots of every page on a laptop and a phone, and checks of the layout.

The screenshots land in test-artifacts/screenshots/ for a person to look at:
``STATE-desktop.png`` (1280x800), ``STATE-phone.png`` (390x844) and
``STATE-phone-dark.png``. The tests check what a screenshot alone cannot:
no page scrolls sideways, and the QR code and secret are readable.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.page_states import PAGE_STATES, People
from tests.browser.pages import DESKTOP, PHONE, Account, Site

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

LAYOUTS = {
    "desktop": (DESKTOP, "light"),
    "phone": (PHONE, "light"),
    "phone-dark": (PHONE, "dark"),
}

# The enrolment QR code of a short username is version 8, 57 modules with its
# border. At this width each module gets 5 CSS pixels or more, which by our
# estimate a phone camera reads from a laptop screen at arm's length.
MIN_QR_WIDTH = 288


def horizontal_overflow(site: Site) -> int:
    """Return how many CSS pixels the page is wider than the window."""
    return site.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("state", PAGE_STATES)
def test_page_fits_screens(open_site: Callable[..., Site], state: str):
    site = open_site()
    PAGE_STATES[state](site, People())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflow = {}
    for name, (viewport, color_scheme) in LAYOUTS.items():
        site.page.set_viewport_size(viewport)
        site.page.emulate_media(color_scheme=color_scheme)
        site.page.screenshot(path=SCREENSHOTS / f"{state}-{name}.png", full_page=True)
        overflow[name] = horizontal_overflow(site)

    assert overflow["desktop"] <= 0, f"{state} scrolls sideways on a laptop"
    assert overflow["phone"] <= 0, f"{state} is {overflow['phone']} px too wide for a phone"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_qr_code_scannable(open_site: Callable[..., Site], newcomer: Account, viewport):
    site = open_site(viewport=viewport)
    site.submit_password(newcomer.username)

    box = site.qr_code().bounding_box()

    assert box is not None
    assert box["width"] >= MIN_QR_WIDTH
    assert box["x"] + box["width"] <= viewport["width"]
    assert site.scan_qr_code().label == "twofactor_site:newcomer"


def test_secret_monospaced(site: Site, newcomer: Account):
    site.submit_password(newcomer.username)

    secret = site.page.locator("#secret")

    font = secret.evaluate("element => getComputedStyle(element).fontFamily")
    assert "monospace" in font
