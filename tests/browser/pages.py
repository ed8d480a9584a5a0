"""The site as it appears to a person in one browser tab.

``Site`` wraps a Playwright page with the steps a person takes: open a
page, sign in, enrol an authenticator app, sign out. Each step works with
JavaScript on or off, because every form is a plain HTML form. Tests of new
flows add a method here instead of repeating selectors.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Locator, Page, Response, expect

from accounts.models import User
from accounts.recovery_codes import CODES_PER_SET as RECOVERY_CODES_PER_SET
from tests.browser.authenticator import Authenticator, StepClock, decode_qr_code
from tests.helpers import PASSWORD, create_user, device_of

# Viewport sizes in CSS pixels: a laptop screen and a common phone.
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class Account:
    """A user of the site, with the password and authenticator app they hold."""

    user: User
    password: str = PASSWORD
    authenticator: Authenticator | None = field(default=None)

    @property
    def username(self) -> str:
        return self.user.username


def enrolled_account(username: str, **fields) -> Account:
    """Create a user with a confirmed device, and the authenticator app holding its key."""
    user = create_user(username, **fields)
    return Account(user, authenticator=Authenticator.from_device(device_of(user)))


def unenrolled_account(username: str, **fields) -> Account:
    """Create a user who has not set up an authenticator app yet."""
    return Account(create_user(username, enrolled=False, **fields))


class Site:
    """One browser tab on the live server."""

    def __init__(self, page: Page, base_url: str, clock: StepClock) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.clock = clock

    # Navigation

    def url(self, view: str, *args) -> str:
        return self.base_url + reverse(view, args=args)

    def open(self, view: str, *args) -> Response | None:
        """Open the page of the URL name ``view`` and return its response."""
        return self.page.goto(self.url(view, *args))

    def open_path(self, path: str) -> Response | None:
        return self.page.goto(self.base_url + path)

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url).split("?")[0]

    def submit(self, button_name: str) -> None:
        """Press the button named ``button_name`` and wait for the next page."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name, exact=True).click()

    def fill_form(self, values: dict[str, str]) -> None:
        """Type each value into the form field of that ``name``."""
        for name, value in values.items():
            self.page.locator(f"form [name='{name}']").fill(value)

    def select(self, name: str, value: str) -> None:
        self.page.locator(f"form select[name='{name}']").select_option(value)

    # What the page shows

    def main(self) -> Locator:
        return self.page.locator("main")

    def fact(self, label: str) -> Locator:
        """Return the value beside the term ``label`` in an account's facts list."""
        return self.page.locator(f"dl.facts dt:text-is('{label}') + dd")

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def messages(self) -> Locator:
        return self.page.locator(".messages .message")

    def field_errors(self, name: str) -> Locator:
        return self.page.locator(f"#id_{name}_error li")

    def form_errors(self) -> Locator:
        return self.page.locator(".form-errors")

    # Sign-in

    def submit_password(self, username: str, password: str = PASSWORD) -> None:
        if self.path() != reverse("accounts:login"):
            self.open("accounts:login")
        self.fill_form({"username": username, "password": password})
        self.submit("Continue")

    def submit_code(self, code: str, button_name: str = "Sign in") -> None:
        self.fill_form({"code": code})
        self.submit(button_name)

    def enter_current_code(self, account: Account) -> None:
        """Type the account's current unused code on the code page."""
        assert account.authenticator is not None, "the account has no authenticator app"
        self.submit_code(self.clock.unused_code(account.authenticator, account.user))

    def choose_new_password(self, account: Account, password: str) -> None:
        """Replace a password an admin chose, on the page after the password step."""
        expect(self.page).to_have_url(self.url("accounts:new-password"))
        self.fill_form({"new_password1": password, "new_password2": password})
        self.submit("Save password and continue")
        account.password = password

    def sign_in(self, account: Account) -> None:
        """Sign in through both steps and land on the profile page."""
        self.submit_password(account.username, account.password)
        expect(self.page).to_have_url(self.url("accounts:code"))
        self.enter_current_code(account)
        expect(self.page).to_have_url(self.url("users:me"))

    def sign_out(self) -> None:
        self.submit("Sign out")
        expect(self.page).to_have_url(self.url("accounts:login"))

    # Enrolment

    def qr_code(self) -> Locator:
        return self.page.locator("svg.qr-code")

    def scan_qr_code(self) -> Authenticator:
        """Read the QR code from a screenshot, as a phone camera would."""
        return Authenticator.from_otpauth_uri(decode_qr_code(self.qr_code()))

    def confirm_enrolment(self, account: Account) -> None:
        """On the enrolment page, scan the QR code and confirm its first code.

        The site responds with the page of new recovery codes.
        """
        expect(self.page).to_have_url(self.url("accounts:enrol"))
        account.authenticator = self.scan_qr_code()
        code = self.clock.unused_code(account.authenticator, account.user)
        self.submit_code(code, button_name="Confirm and sign in")
        expect(self.heading()).to_have_text("Your recovery codes")

    def enrol(self, account: Account) -> list[str]:
        """Enrol the account's authenticator app and save its recovery codes.

        Return the recovery codes the site showed.
        """
        self.confirm_enrolment(account)
        return self.save_recovery_codes()

    # Recovery codes

    def shown_recovery_codes(self) -> list[str]:
        return self.page.locator("ol.recovery-codes code").all_inner_texts()

    def save_recovery_codes(self) -> list[str]:
        """Tick "I have saved these recovery codes", continue, and return the codes."""
        codes = self.shown_recovery_codes()
        assert len(codes) == RECOVERY_CODES_PER_SET, f"expected a set of codes, found {codes}"

        self.page.get_by_label("I have saved these recovery codes").check()
        self.submit("Continue")
        return codes

    def sign_in_with_recovery_code(self, account: Account, code: str) -> None:
        """Sign in with the password and, from the code page, a recovery code."""
        self.submit_password(account.username, account.password)
        expect(self.page).to_have_url(self.url("accounts:code"))
        with self.page.expect_navigation():
            self.page.get_by_role("link", name="Use a recovery code").click()
        expect(self.page).to_have_url(self.url("accounts:recovery"))
        self.fill_form({"recovery_code": code})
        self.submit("Sign in")

    # Re-authentication

    def reauthenticate(self, account: Account) -> None:
        """On the re-authentication page, enter the password and a current code."""
        expect(self.page).to_have_url(re.compile(re.escape(self.url("users:reauthenticate"))))
        assert account.authenticator is not None, "the account has no authenticator app"
        code = self.clock.unused_code(account.authenticator, account.user)
        self.fill_form({"password": account.password, "code": code})
        self.submit("Confirm")

    def let_reauthentication_expire(self) -> None:
        """Move past the time in which a sign-in counts as a re-authentication."""
        self.clock.shift(settings.REAUTHENTICATION_SECONDS + 1)
