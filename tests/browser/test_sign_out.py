"""Signing out, and what the browser shows afterwards."""

from playwright.sync_api import expect

from tests.browser.pages import Account, Site


def test_sign_out_message(any_site: Site, alice: Account):
    any_site.sign_in(alice)

    any_site.sign_out()

    expect(any_site.messages()).to_have_text("You have signed out.")
    expect(any_site.page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_back_after_sign_out_shows_no_account_data(any_site: Site, alice: Account):
    any_site.sign_in(alice)
    any_site.open("users:edit-me")
    any_site.sign_out()

    any_site.page.go_back()

    # Account pages are never cached, so going back requests the page from
    # the server again, which redirects the signed-out browser to sign in.
    expect(any_site.page).to_have_url(any_site.url("accounts:login") + "?next=/users/me/edit/")
    content = any_site.page.content()
    assert "alice@example.com" not in content
    assert "Alice Liddell" not in content
    expect(any_site.heading()).to_have_text("Sign in")


def test_sign_out_page_without_session(any_site: Site):
    any_site.open("accounts:logout")

    expect(any_site.page.get_by_text("You are not signed in.")).to_be_visible()
