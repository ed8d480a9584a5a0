"""Layout checks of the enrolment pages that a screenshot alone cannot show.

The QR code is large enough to scan, the secret is monospaced, and no
recovery code breaks across lines. test_page_states.py checks that every
page fits the screen.
"""

from collections.abc import Callable

import pytest

from tests.browser.pages import DESKTOP, PHONE, RECOVERY_CODES_PER_SET, Account, Site

# The enrolment QR code of a short username is version 8, 57 modules with its
# border. At this width each module gets 5 CSS pixels or more, which by our
# estimate a phone camera reads from a laptop screen at arm's length.
MIN_QR_WIDTH = 288


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


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_recovery_codes_unbroken(open_site: Callable[..., Site], newcomer: Account, viewport):
    site = open_site(viewport=viewport)
    site.submit_password(newcomer.username)
    site.confirm_enrolment(newcomer)

    # An inline element broken across lines has one client rectangle per line.
    line_counts = site.page.locator("ol.recovery-codes code").evaluate_all(
        "codes => codes.map(code => code.getClientRects().length)"
    )

    assert len(line_counts) == RECOVERY_CODES_PER_SET
    assert line_counts == [1] * RECOVERY_CODES_PER_SET, "a recovery code wraps onto two lines"
