"""Viewing and editing one's own profile."""

from playwright.sync_api import expect

from tests.browser.pages import Account, Site


def test_profile_edit_saves(any_site: Site, alice: Account):
    any_site.sign_in(alice)
    any_site.page.get_by_role("link", name="Edit name and email").click()
    any_site.fill_form({"full_name": "Alice Pleasance Liddell", "email": "a.liddell@example.org"})

    any_site.submit("Save")

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.messages()).to_have_text("Your profile is saved.")
    expect(any_site.fact("Full name")).to_have_text("Alice Pleasance Liddell")
    expect(any_site.fact("Email")).to_have_text("a.liddell@example.org")


def test_profile_edit_errors_keep_input(any_site: Site, alice: Account):
    any_site.sign_in(alice)
    any_site.open("users:edit-me")
    any_site.fill_form({"full_name": "Alice L.", "email": "not an email"})

    any_site.submit("Save")

    expect(any_site.page).to_have_url(any_site.url("users:edit-me"))
    expect(any_site.field_errors("email")).to_contain_text("valid email address")
    expect(any_site.page.locator("[name='full_name']")).to_have_value("Alice L.")
    alice.user.refresh_from_db()
    assert alice.user.full_name == "Alice Liddell"
