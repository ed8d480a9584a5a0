"""axe-core finds no violation, of any impact, on any page or error state.

Each state is checked in light and in dark colour scheme, since the two
have their own colours and so their own contrast.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.axe import axe_violations, describe
from tests.browser.page_states import PAGE_STATES, People
from tests.browser.pages import Site


@pytest.mark.parametrize("state", PAGE_STATES)
def test_page_has_no_axe_violations(open_site: Callable[..., Site], axe_script: Path, state: str):
    # The page's own CSP must not block the injected axe-core script.
    site = open_site(bypass_csp=True)
    PAGE_STATES[state](site, People())

    report = {}
    for color_scheme in ("light", "dark"):
        site.page.emulate_media(color_scheme=color_scheme)
        report[color_scheme] = describe(axe_violations(site.page, axe_script))

    assert report["light"] == "", f"axe-core on {state}, light:\n{report['light']}"
    assert report["dark"] == "", f"axe-core on {state}, dark:\n{report['dark']}"
