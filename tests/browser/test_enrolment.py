"""Enrolment by scanning the QR code, for the first admin and for new users."""

from playwright.sync_api import expect

from accounts import first_admin
from accounts.models import Role, User
from tests.browser.pages import Account, Site
from tests.helpers import PASSWORD, device_of


def test_first_admin_setup_and_enrolment(any_site: Site):
    token = first_admin.issue_token()
    any_site.open("accounts:first-admin", token)
    any_site.fill_form(
        {
            "username": "ada",
            "email": "ada@example.com",
            "full_name": "Ada Lovelace",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    )

    any_site.submit("Create admin")

    expect(any_site.messages()).to_contain_text("Your admin account is created")
    admin = Account(User.objects.get(username="ada"))
    any_site.enrol(admin)
    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.fact("Role")).to_have_text("Admin")
    assert device_of(admin.user).confirmed


def test_first_admin_link_works_once(any_site: Site, alice: Account):
    token = first_admin.issue_token()

    response = any_site.open("accounts:first-admin", token or "no-token")

    assert token is None
    assert response.status == 404
    expect(any_site.heading()).to_have_text("Page not found (404)")


def test_newcomer_enrols_by_scanning(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")

    any_site.enrol(newcomer)

    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.messages()).to_contain_text("Your authenticator app is set up.")
    assert newcomer.authenticator.key == device_of(newcomer.user).bin_key
    assert newcomer.authenticator.label == "twofactor_site:newcomer"
    assert newcomer.authenticator.issuer == "twofactor_site"


def test_enrolled_app_signs_in_again(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")
    any_site.enrol(newcomer)
    any_site.sign_out()

    # The code accepted at enrolment is spent, so this takes the next step's code.
    any_site.sign_in(newcomer)

    expect(any_site.heading()).to_have_text("Your profile")


def test_enrolment_wrong_code_keeps_secret(any_site: Site, newcomer: Account):
    any_site.submit_password("newcomer")
    scanned = any_site.scan_qr_code()
    secret_text = any_site.page.locator("#secret").inner_text()

    any_site.submit_code(scanned.wrong_code(), button_name="Confirm and sign in")

    expect(any_site.page).to_have_url(any_site.url("accounts:enrol"))
    expect(any_site.field_errors("code")).to_contain_text("That code is not valid")
    expect(any_site.page.locator("#secret")).to_have_text(secret_text)
    assert any_site.scan_qr_code() == scanned


def test_admin_creates_user_who_enrols(any_site: Site, root: Account):
    any_site.sign_in(root)
    any_site.open("users:create")
    any_site.fill_form(
        {
            "username": "bob",
            "email": "bob@example.com",
            "full_name": "Bob Builder",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
    )
    any_site.select("role", Role.USER)

    any_site.submit("Create user")

    bob = Account(User.objects.get(username="bob"))
    expect(any_site.page).to_have_url(any_site.url("users:detail", bob.user.pk))
    expect(any_site.messages()).to_contain_text("User bob is created.")
    expect(any_site.fact("Authenticator app")).to_have_text("Not set up yet")

    # Bob signs in with the password the admin chose, replaces it and sets up his app.
    any_site.sign_out()
    any_site.submit_password("bob")
    any_site.choose_new_password(bob, "a password only bob knows")
    expect(any_site.messages()).to_contain_text("Your new password is saved.")
    any_site.enrol(bob)
    expect(any_site.page).to_have_url(any_site.url("users:me"))
    expect(any_site.fact("Email")).to_have_text("bob@example.com")
