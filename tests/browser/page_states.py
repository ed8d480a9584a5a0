"""Every page and error state of the site, reached the way a person would.

Each state is a function that takes a ``Site`` and the test's ``People``
and leaves the tab showing that state. The accessibility and layout tests
run over all of them, so a new page is checked by adding one entry to
``PAGE_STATES``.
"""

from collections.abc import Callable
from functools import cached_property

from playwright.sync_api import expect

from accounts import first_admin
from accounts.models import Role, User
from accounts.views.users import USERS_PER_PAGE
from tests.browser.pages import Account, Site, enrolled_account, unenrolled_account
from tests.helpers import PASSWORD, create_user


class People:
    """Accounts a page state needs, created on first use."""

    @cached_property
    def user(self) -> Account:
        return enrolled_account("alice", full_name="Alice Liddell")

    @cached_property
    def admin(self) -> Account:
        return enrolled_account(
            "root", full_name="Ada Root", role=Role.ADMIN, is_staff=True, is_superuser=True
        )

    @cached_property
    def newcomer(self) -> Account:
        return unenrolled_account("newcomer", full_name="Nina Newcomer")


def login(site: Site, people: People) -> None:
    site.open("accounts:login")


def login_error(site: Site, people: People) -> None:
    site.submit_password("nobody", "wrong password")
    expect(site.form_errors()).to_be_visible()


def code_step(site: Site, people: People) -> None:
    site.submit_password(people.user.username)


def code_error(site: Site, people: People) -> None:
    site.submit_password(people.user.username)
    site.submit_code(people.user.authenticator.wrong_code())
    expect(site.field_errors("code")).to_be_visible()


def enrolment(site: Site, people: People) -> None:
    site.submit_password(people.newcomer.username)


def enrolment_error(site: Site, people: People) -> None:
    site.submit_password(people.newcomer.username)
    site.submit_code("12345", button_name="Confirm and sign in")
    expect(site.field_errors("code")).to_be_visible()


def new_password(site: Site, people: People) -> None:
    create_user("bob", enrolled=False, must_change_password=True)
    site.submit_password("bob")
    expect(site.page).to_have_url(site.url("accounts:new-password"))


def new_password_errors(site: Site, people: People) -> None:
    create_user("bob", enrolled=False, must_change_password=True)
    site.submit_password("bob")
    site.fill_form({"new_password1": PASSWORD, "new_password2": "something else"})
    site.submit("Save password and continue")
    expect(site.field_errors("new_password2")).to_be_visible()


def profile(site: Site, people: People) -> None:
    site.sign_in(people.admin)


def profile_saved(site: Site, people: People) -> None:
    site.sign_in(people.user)
    site.open("users:edit-me")
    site.submit("Save")
    expect(site.messages()).to_be_visible()


def profile_edit(site: Site, people: People) -> None:
    site.sign_in(people.user)
    site.open("users:edit-me")


def profile_edit_errors(site: Site, people: People) -> None:
    site.sign_in(people.user)
    site.open("users:edit-me")
    site.fill_form({"full_name": "Alice\u0007", "email": "not an email"})
    site.submit("Save")
    expect(site.field_errors("email")).to_be_visible()


def users_list(site: Site, people: People) -> None:
    create_user("bob", full_name="Bob Builder", enrolled=False)
    create_user(
        "a.very.long.username.for.wrapping", email="someone.with.a.long.address@example.org"
    )
    site.sign_in(people.admin)
    site.open("users:list")
    expect(site.page.get_by_role("table")).to_contain_text("a.very.long.username.for.wrapping")


def users_list_pages(site: Site, people: People) -> None:
    User.objects.bulk_create(
        User(username=f"user{number:02d}", email=f"user{number:02d}@example.com")
        for number in range(USERS_PER_PAGE + 1)
    )
    site.sign_in(people.admin)
    site.open_path("/users/?page=2")
    expect(site.page.get_by_role("navigation", name="Pages")).to_contain_text("Page 2 of 2")


def users_search_empty(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open_path("/users/?q=nobody")


def user_create(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("users:create")


def user_create_errors(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("users:create")
    site.fill_form(
        {
            "username": "root",
            "email": "broken",
            "password1": PASSWORD,
            "password2": "another password",
        }
    )
    site.submit("Create user")
    expect(site.field_errors("username")).to_be_visible()


def user_detail(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("users:detail", people.user.user.pk)


def deactivate_confirm(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("users:deactivate", people.user.user.pk)


def reset_two_factor_confirm(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("users:reset-two-factor", people.user.user.pk)


def audit_log(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    site.open("audit:list")


def forbidden(site: Site, people: People) -> None:
    site.sign_in(people.user)
    response = site.open("users:list")
    assert response is not None
    assert response.status == 403


def not_found(site: Site, people: People) -> None:
    site.sign_in(people.admin)
    response = site.open("users:detail", 999999)
    assert response is not None
    assert response.status == 404


def not_found_anonymous(site: Site, people: People) -> None:
    response = site.open_path("/no-such-page/")
    assert response is not None
    assert response.status == 404


def logout_page(site: Site, people: People) -> None:
    site.sign_in(people.user)
    site.open("accounts:logout")


def signed_out(site: Site, people: People) -> None:
    site.sign_in(people.user)
    site.sign_out()


def first_admin_page(site: Site, people: People) -> None:
    site.open("accounts:first-admin", first_admin.issue_token())


def first_admin_errors(site: Site, people: People) -> None:
    site.open("accounts:first-admin", first_admin.issue_token())
    site.fill_form({"username": "ada", "email": "ada@", "password1": "short", "password2": "x"})
    site.submit("Create admin")
    expect(site.field_errors("email")).to_be_visible()


PAGE_STATES: dict[str, Callable[[Site, People], None]] = {
    "login": login,
    "login-error": login_error,
    "code": code_step,
    "code-error": code_error,
    "enrolment": enrolment,
    "enrolment-error": enrolment_error,
    "new-password": new_password,
    "new-password-errors": new_password_errors,
    "profile": profile,
    "profile-saved": profile_saved,
    "profile-edit": profile_edit,
    "profile-edit-errors": profile_edit_errors,
    "users-list": users_list,
    "users-list-pages": users_list_pages,
    "users-search-empty": users_search_empty,
    "user-create": user_create,
    "user-create-errors": user_create_errors,
    "user-detail": user_detail,
    "deactivate-confirm": deactivate_confirm,
    "reset-two-factor-confirm": reset_two_factor_confirm,
    "audit-log": audit_log,
    "403": forbidden,
    "404": not_found,
    "404-anonymous": not_found_anonymous,
    "logout": logout_page,
    "signed-out": signed_out,
    "first-admin": first_admin_page,
    "first-admin-errors": first_admin_errors,
}
