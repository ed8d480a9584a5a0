"""The no-JavaScript browser context really runs no page script.

The flow tests take ``any_site``, which runs each of them once with
JavaScript and once without, so this test checks that the second run is real.
"""

from collections.abc import Callable

from tests.browser.pages import Site


def test_context_runs_no_script(open_site: Callable[..., Site]):
    site = open_site(java_script_enabled=False)

    site.page.set_content("<title>before</title><script>document.title = 'after'</script>")

    assert site.page.title() == "before"
