"""Signing in with password and code, in Chromium with JavaScript on and off."""

from playwright.sync_api import expect

from accounts.verification import throttle_wait_seconds
from tests.browser.authenticator import last_used_step
from tests.browser.pages import Account, Site
from tests.helpers import device_of


def test_sign_in_with_code(any_site: Site, alice: Account):
    any_site.sign_in(alice)

    expect(any_site.heading()).to_have_text("Your profile")
    expect(any_site.fact("Email")).to_have_text("alice@example.com")


def test_wrong_password_message(any_site: Site, alice: Account):
    any_site.submit_password("alice", "not the password")

    expect(any_site.page).to_have_url(any_site.url("accounts:login"))
    expect(any_site.form_errors()).to_contain_text("correct username and password")
    expect(any_site.page.locator("[name='username']")).to_have_value("alice")


def test_wrong_code_message_then_right_code(any_site: Site, alice: Account):
    any_site.submit_password("alice")

    # A wrong code keeps the user on the code page with a message.
    any_site.submit_code(alice.authenticator.wrong_code())
    expect(any_site.page).to_have_url(any_site.url("accounts:code"))
    expect(any_site.field_errors("code")).to_contain_text("That code is not valid")

    # After the throttle delay the right code signs in.
    any_site.clock.shift(throttle_wait_seconds(device_of(alice.user)))
    any_site.enter_current_code(alice)
    expect(any_site.page).to_have_url(any_site.url("users:me"))


def test_malformed_code_message(any_site: Site, alice: Account):
    any_site.submit_password("alice")

    any_site.submit_code("12345")

    expect(any_site.field_errors("code")).to_contain_text("Enter the 6-digit code")
    expect(any_site.page.locator("[name='code']")).to_be_focused()


def test_code_with_space_accepted(any_site: Site, alice: Account):
    any_site.submit_password("alice")
    code = any_site.clock.unused_code(alice.authenticator, alice.user)

    any_site.submit_code(f"{code[:3]} {code[3:]}")

    expect(any_site.page).to_have_url(any_site.url("users:me"))


def test_used_code_rejected_at_next_sign_in(any_site: Site, alice: Account):
    any_site.sign_in(alice)
    used_code = alice.authenticator.code_at_step(last_used_step(alice.user))
    any_site.sign_out()
    any_site.submit_password("alice")

    # The same code, typed again within its step or the next, is a replay.
    any_site.submit_code(used_code)

    expect(any_site.page).to_have_url(any_site.url("accounts:code"))
    expect(any_site.field_errors("code")).to_contain_text("already used")
