"""The signed-in user's own security settings: password, authenticator, browsers, sessions."""

from playwright.sync_api import expect

from accounts.verification import throttle_wait_seconds
from tests.browser.pages import Account, Site
from tests.helpers import device_of

NEW_PASSWORD = "a new password only alice knows"


def expect_signed_out(site: Site) -> None:
    site.open("users:me")
    expect(site.page).to_have_url(site.url("accounts:login") + "?next=/users/me/")


def test_change_password_after_reauthentication(any_site: Site, open_site, alice: Account):
    other_browser = open_site()
    other_browser.sign_in(alice)
    any_site.sign_in(alice)
    any_site.let_reauthentication_expire()

    with any_site.page.expect_navigation():
        any_site.page.get_by_role("link", name="Change password").click()
    any_site.reauthenticate(alice)
    expect(any_site.page).to_have_url(any_site.url("users:password"))
    any_site.fill_form(
        {
            "old_password": alice.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        }
    )
    any_site.submit("Change password")

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.messages()).to_contain_text("Your password is changed.")
    expect_signed_out(other_browser)

    any_site.sign_out()
    any_site.submit_password("alice", alice.password)
    expect(any_site.form_errors()).to_contain_text("The username or password is not correct")
    alice.password = NEW_PASSWORD
    any_site.sign_in(alice)


def test_replace_authenticator(any_site: Site, alice: Account):
    any_site.sign_in(alice)
    old_app = alice.authenticator

    with any_site.page.expect_navigation():
        any_site.page.get_by_role("link", name="Replace authenticator app").click()
    new_app = any_site.scan_qr_code()
    assert new_app.key != old_app.key
    code = any_site.clock.unused_code(new_app, alice.user)
    any_site.submit_code(code, button_name="Confirm new app")

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.messages()).to_contain_text("Your new authenticator app is set up.")
    alice.authenticator = new_app

    # The old app's code of this moment is rejected, the new app's accepted.
    any_site.sign_out()
    any_site.submit_password("alice")
    any_site.submit_code(any_site.clock.unused_code(old_app, alice.user))
    expect(any_site.field_errors("code")).to_contain_text("That code is not valid")
    any_site.clock.shift(throttle_wait_seconds(device_of(alice.user)))
    any_site.enter_current_code(alice)
    expect(any_site.page).to_have_url(any_site.url("users:me"))


def test_trusted_browser_skips_code(any_site: Site, alice: Account):
    any_site.submit_password("alice")
    any_site.page.get_by_label("Don't ask for a code on this browser").check()
    any_site.enter_current_code(alice)
    expect(any_site.page).to_have_url(any_site.url("users:me"))
    any_site.sign_out()

    any_site.submit_password("alice")

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.heading()).to_have_text("Your profile")


def test_sign_out_other_sessions(any_site: Site, open_site, alice: Account):
    other_browser = open_site()
    other_browser.sign_in(alice)
    any_site.sign_in(alice)
    sessions = any_site.page.locator("table.sessions tbody tr")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="(this browser)")).to_have_count(1)

    any_site.submit("Sign out other sessions")

    expect(any_site.messages()).to_contain_text("1 other session is signed out.")
    expect(sessions).to_have_count(1)
    expect_signed_out(other_browser)
