"""Load scenarios for ``make bench``, run by locust against a local server.

The user class named on locust's command line picks the scenario:
- ``SigninUser``: each iteration is one full sign-in of a user not used before
  (login page, password step, code page, code step, profile page), with a
  fresh cookie jar. A ``sign-in`` entry in the statistics counts whole
  sign-ins and their duration.
- ``PagesUser``: each simulated client signs in once as its own admin, then
  requests the profile, the user list and a user search in turn.

Codes come from the seeded device keys (see ``bench/seeding.py``), so no
code is read from the server. Each user signs in once, so no code is used
twice within its 30-second step.
"""

import itertools
import os
import re
import time

from django_otp.oath import totp
from locust import FastHttpUser, between, task
from locust.exception import StopUser

from bench.keys import device_key, username_for

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_SEED = os.environ["BENCH_KEY_SEED"].encode()
PASSWORD = os.environ["BENCH_PASSWORD"]
SEARCH_TERM = os.environ.get("BENCH_SEARCH_TERM", "Turing")

# Numbers of the seeded users each scenario may use, each one once.
signin_numbers = itertools.count(int(os.environ.get("BENCH_FIRST_USER", "0")))
admin_numbers = itertools.count(int(os.environ.get("BENCH_FIRST_ADMIN", "0")))


def code_for(username: str) -> str:
    return f"{totp(device_key(KEY_SEED, username)):06d}"


class SiteUser(FastHttpUser):
    abstract = True
    wait_time = between(0, 0)

    def csrf_token(self, html: str) -> str:
        match = CSRF_INPUT.search(html)
        if match is None:
            raise StopUser("no CSRF token on the page")
        return match.group(1)

    def post_expecting_redirect(self, path: str, data: dict, name: str, target: str) -> bool:
        """Post ``data`` and check that the response redirects to ``target``."""
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location != target:
                response.failure(f"{name}: status {response.status_code}, to {location!r}")
                return False
        return True

    def sign_in(self, username: str) -> bool:
        """Sign ``username`` in through both steps; return whether it worked."""
        page = self.client.get("/accounts/login/", name="login page")
        data = {
            "csrfmiddlewaretoken": self.csrf_token(page.text),
            "username": username,
            "password": PASSWORD,
        }
        if not self.post_expecting_redirect(
            "/accounts/login/", data, "password step", "/accounts/login/code/"
        ):
            return False

        page = self.client.get("/accounts/login/code/", name="code page")
        data = {"csrfmiddlewaretoken": self.csrf_token(page.text), "code": code_for(username)}
        if not self.post_expecting_redirect(
            "/accounts/login/code/", data, "code step", "/users/me/"
        ):
            return False

        profile = self.client.get("/users/me/", name="profile after sign-in")
        return profile.status_code == 200


class SigninUser(SiteUser):
    """Full sign-ins, one after another, each by a different user."""

    @task
    def full_sign_in(self) -> None:
        self.client.cookiejar.clear()
        username = username_for("user", next(signin_numbers))
        started = time.perf_counter()
        succeeded = self.sign_in(username)
        self.environment.events.request.fire(
            request_type="FLOW",
            name="sign-in",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None if succeeded else RuntimeError(f"sign-in of {username} failed"),
            context={},
        )


class PagesUser(SiteUser):
    """An admin reading pages: profile, user list, user search."""

    def on_start(self) -> None:
        if not self.sign_in(username_for("admin", next(admin_numbers))):
            raise StopUser()

    @task
    def profile(self) -> None:
        self.client.get("/users/me/", name="/users/me/")

    @task
    def user_list(self) -> None:
        self.client.get("/users/", name="/users/")

    @task
    def user_search(self) -> None:
        self.client.get(f"/users/?q={SEARCH_TERM}", name="/users/?q=")
