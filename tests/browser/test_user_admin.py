"""An admin manages another user on /users/<id>/, and what that user sees after."""

from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.pages import Account, Site


def open_action(site: Site, account: Account, link_name: str) -> None:
    """Open the user's page and follow an action link to its confirmation page."""
    site.open("users:detail", account.user.pk)
    with site.page.expect_navigation():
        site.page.get_by_role("link", name=link_name, exact=True).click()


def test_admin_changes_role(any_site: Site, root: Account, alice: Account):
    any_site.sign_in(root)

    open_action(any_site, alice, "Change role")
    expect(any_site.heading()).to_have_text("Change the role of alice")
    any_site.select("role", Role.ADMIN)
    any_site.submit("Change role")

    expect(any_site.page).to_have_url(any_site.url("users:detail", alice.user.pk))
    expect(any_site.messages()).to_contain_text("alice now has the role Admin.")
    expect(any_site.fact("Role")).to_have_text("Admin")


def test_deactivated_user_signs_in_after_reactivation(
    any_site: Site, root: Account, alice: Account
):
    any_site.sign_in(root)
    open_action(any_site, alice, "Deactivate")
    expect(any_site.heading()).to_have_text("Deactivate alice?")
    any_site.submit("Deactivate")
    expect(any_site.messages()).to_contain_text("alice is deactivated.")
    any_site.sign_out()

    any_site.submit_password("alice")
    expect(any_site.page).to_have_url(any_site.url("accounts:login"))
    expect(any_site.form_errors()).to_contain_text("The username or password is not correct")

    any_site.sign_in(root)
    open_action(any_site, alice, "Reactivate")
    expect(any_site.heading()).to_have_text("Reactivate alice?")
    any_site.submit("Reactivate")
    expect(any_site.messages()).to_contain_text("alice can sign in again.")
    any_site.sign_out()

    any_site.sign_in(alice)


def test_reset_user_enrols_again(any_site: Site, root: Account, alice: Account):
    old_app = alice.authenticator
    any_site.sign_in(root)

    open_action(any_site, alice, "Reset two-factor sign-in")
    expect(any_site.heading()).to_have_text("Reset two-factor sign-in of alice?")
    any_site.submit("Reset two-factor sign-in")

    expect(any_site.messages()).to_contain_text("Two-factor sign-in of alice is reset.")
    expect(any_site.fact("Authenticator app")).to_have_text("Not set up yet")
    any_site.sign_out()
    any_site.submit_password("alice")
    any_site.enrol(alice)
    expect(any_site.page).to_have_url(any_site.url("users:me"))
    assert alice.authenticator.key != old_app.key


def test_audit_log_filtered_by_username(any_site: Site, root: Account, alice: Account):
    any_site.submit_password("alice", "not the password")
    any_site.sign_in(root)
    any_site.open("audit:list")

    any_site.fill_form({"username": "alice"})
    any_site.submit("Filter")

    usernames = any_site.page.locator("table.audit tbody td code")
    expect(usernames.first).to_have_text("alice")
    expect(usernames.filter(has_text="root")).to_have_count(0)
    expect(any_site.page.locator("table.audit tbody")).to_contain_text("alice")
    expect(any_site.page.locator("[name='username']")).to_have_value("alice")
