"""Signing in with the keyboard alone, with the focus always visible."""

from playwright.sync_api import Page, expect

from tests.browser.pages import Account, Site

# The thinnest focus outline that counts as visible, in CSS pixels.
MIN_OUTLINE_WIDTH = 2


def focus_outline(page: Page) -> dict:
    """Return the computed outline of the element that has the focus."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {
                element: document.activeElement.outerHTML.slice(0, 80),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth),
            };
        }"""
    )


def assert_focus_visible(page: Page) -> None:
    outline = focus_outline(page)
    assert outline["style"] not in ("none", "hidden"), f"no focus outline on {outline['element']}"
    assert outline["width"] >= MIN_OUTLINE_WIDTH, f"thin focus outline on {outline['element']}"


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_sign_in_with_keyboard_only(site: Site, alice: Account):
    page = site.page
    site.open("accounts:login")

    # The username field has the focus when the page opens.
    expect(page.locator("[name='username']")).to_be_focused()
    page.keyboard.type(alice.username)
    page.keyboard.press("Tab")
    expect(page.locator("[name='password']")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(alice.password)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    assert_focus_visible(page)
    press_and_wait(page, "Enter")

    # The code field has the focus on the code page, and Enter submits it.
    expect(page.locator("[name='code']")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(site.clock.unused_code(alice.authenticator, alice.user))
    press_and_wait(page, "Enter")

    expect(page).to_have_url(site.url("users:me"))


def test_skip_link_shown_on_focus(site: Site, alice: Account):
    site.sign_in(alice)
    page = site.page
    skip_link = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_sign_out_with_keyboard(site: Site, alice: Account):
    site.sign_in(alice)
    page = site.page
    sign_out = page.get_by_role("button", name="Sign out")

    # Tab through the header to the sign-out button.
    for _ in range(10):
        page.keyboard.press("Tab")
        if sign_out.evaluate("element => element === document.activeElement"):
            break
    expect(sign_out).to_be_focused()
    assert_focus_visible(page)
    press_and_wait(page, "Enter")

    expect(page).to_have_url(site.url("accounts:login"))
