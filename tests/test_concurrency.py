"""Many clients at once against a real server and the real SQLite file.

These tests send HTTP requests from threads to live_server, so requests run
in parallel server threads, each with its own database connection, as they
do under gunicorn. The settings' SQLite options (WAL, busy timeout, BEGIN
IMMEDIATE) must make writers wait for each other instead of failing.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accounts.models import AuthEvent, EventType, Role, TOTPDevice, User
from tests.helpers import PASSWORD, code_for, device_of
from tests.http_session import HttpSession, Response

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16
SAME_CODE_ROUNDS = 6


def seed_users(prefix: str, count: int, role: str = Role.USER) -> list[User]:
    """Create enrolled users quickly: one password hash shared by all of them."""
    password_hash = make_password(PASSWORD)
    users = []
    for number in range(count):
        user = User.objects.create(
            username=f"{prefix}{number}",
            email=f"{prefix}{number}@example.com",
            password=password_hash,
            role=role,
        )
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        users.append(user)
    return users


def sign_in_over_http(session: HttpSession, user: User, code: str) -> list[tuple[str, Response]]:
    login = reverse("accounts:login")
    steps = [("login page", session.get(login))]
    steps.append(
        ("password", session.post(login, {"username": user.username, "password": PASSWORD}))
    )
    steps.append(("code", session.post(reverse("accounts:code"), {"code": code})))
    steps.append(("profile", session.get(reverse("users:me"))))
    return steps


def edit_profile_over_http(session: HttpSession, user: User) -> list[tuple[str, Response]]:
    edit = reverse("users:edit-me")
    steps = []
    for version in range(2):
        steps.append(("edit page", session.get(edit)))
        data = {"full_name": f"Name {user.username} {version}", "email": user.email}
        steps.append(("edit", session.post(edit, data)))
    return steps


def create_users_over_http(session: HttpSession, admin: User) -> list[tuple[str, Response]]:
    create = reverse("users:create")
    steps = []
    for number in range(2):
        username = f"new-{admin.username}-{number}"
        steps.append(("create page", session.get(create)))
        data = {
            "username": username,
            "email": f"{username}@example.com",
            "full_name": f"New {number}",
            "role": Role.USER,
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        steps.append(("create", session.post(create, data)))
    steps.append(("list", session.get(reverse("users:list") + "?q=new")))
    return steps


EXPECTED_STATUS = {
    "login page": 200,
    "password": 302,
    "code": 302,
    "profile": 200,
    "edit page": 200,
    "edit": 302,
    "create page": 200,
    "create": 302,
    "list": 200,
}


def run_in_threads(jobs: list[Callable[[], list[tuple[str, Response]]]]) -> list:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [step for future in futures for step in future.result()]


def test_parallel_sign_ins_edits_and_creations(live_server, clock, caplog):
    caplog.set_level(logging.WARNING)
    users = seed_users("user", 12)
    admins = seed_users("admin", THREADS - len(users), role=Role.ADMIN)

    # Codes are computed here, because a query from a client thread would
    # leave a database connection open there. The clock is frozen, so they
    # stay valid.
    def user_job(user: User) -> Callable:
        session, code = HttpSession(live_server.url), code_for(device_of(user))
        return lambda: (
            sign_in_over_http(session, user, code) + edit_profile_over_http(session, user)
        )

    def admin_job(admin: User) -> Callable:
        session, code = HttpSession(live_server.url), code_for(device_of(admin))
        return lambda: (
            sign_in_over_http(session, admin, code) + create_users_over_http(session, admin)
        )

    steps = run_in_threads([user_job(user) for user in users] + [admin_job(a) for a in admins])

    unexpected = [(name, r.status) for name, r in steps if r.status != EXPECTED_STATUS[name]]
    assert unexpected == []
    assert "database is locked" not in caplog.text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    assert User.objects.filter(username__startswith="new-").count() == 2 * len(admins)
    edited = User.objects.filter(full_name__endswith=" 1", username__startswith="user")
    assert edited.count() == len(users)
    signins = AuthEvent.objects.filter(event_type=EventType.SIGNIN_SUCCEEDED)
    assert signins.count() == THREADS


def submit_code_at_once(sessions: list[HttpSession], code: str) -> list[Response]:
    """Post ``code`` from every session, released together by a barrier."""
    barrier = threading.Barrier(len(sessions))
    path = reverse("accounts:code")

    def submit(session: HttpSession) -> Response:
        barrier.wait()
        return session.post(path, {"code": code})

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        return list(pool.map(submit, sessions))


def test_same_code_twice_at_once_signs_in_once(live_server, clock):
    [user] = seed_users("alice", 1)
    device = device_of(user)
    login = reverse("accounts:login")

    for _round in range(SAME_CODE_ROUNDS):
        # Two browsers pass the password step, then post the same code at once.
        sessions = [HttpSession(live_server.url) for _ in range(2)]
        for session in sessions:
            session.get(login)
            response = session.post(login, {"username": user.username, "password": PASSWORD})
            assert response.location == reverse("accounts:code")

        responses = submit_code_at_once(sessions, code_for(device))

        accepted = [r for r in responses if r.status == 302]
        rejected = [r for r in responses if r.status == 200]
        assert len(accepted) == 1
        assert accepted[0].location == reverse("users:me")
        assert len(rejected) == 1
        assert "That code was already used" in rejected[0].body
        clock.shift(30)

    signins = AuthEvent.objects.filter(event_type=EventType.SIGNIN_SUCCEEDED, user=user)
    assert signins.count() == SAME_CODE_ROUNDS
    assert AuthEvent.objects.filter(event_type=EventType.CODE_REPLAYED).count() == SAME_CODE_ROUNDS
