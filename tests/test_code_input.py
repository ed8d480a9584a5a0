"""What the code field accepts, and that malformed input is a form error."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.verification import normalize_code
from tests.helpers import code_for, device_of, submit_code, submit_password

FULL_WIDTH_DIGITS = "\uff11\uff12\uff13\uff14\uff15\uff16"
ARABIC_INDIC_DIGITS = "\u0661\u0662\u0663\u0664\u0665\u0666"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        (" 12 34 56 ", "123456"),
        ("000000", "000000"),
        ("12345", None),
        ("1234567", None),
        ("+12345", None),
        ("-12345", None),
        ("12345a", None),
        (FULL_WIDTH_DIGITS, None),
        (ARABIC_INDIC_DIGITS, None),
        ("123\t456", None),
        ("123\n456", None),
        ("123456\x00", None),
        ("", None),
        ("1" * 10_000, None),
    ],
)
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "+12345",
        FULL_WIDTH_DIGITS,
        "1" * 10_000,
        "12\x0034\x0156",
        "\u202e123456",
        "",
        "   ",
    ],
)
def test_malformed_code_is_form_error(client, user, clock, raw):
    submit_password(client, "alice")

    response = submit_code(client, raw)

    assert response.status_code == 200
    assert b'class="errorlist"' in response.content
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_malformed_code_does_not_count_as_failure(client, user, clock):
    submit_password(client, "alice")
    submit_code(client, "12345")

    assert device_of(user).throttling_failure_count == 0


@pytest.mark.django_db
def test_code_with_spaces_signs_in(client, user, clock):
    submit_password(client, "alice")
    code = code_for(device_of(user))

    response = submit_code(client, f"{code[:3]} {code[3:]}")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_code_as_list_is_handled(client, user, clock):
    submit_password(client, "alice")
    code = code_for(device_of(user))

    response = client.post(reverse("accounts:code"), {"code": [code, "000000"]})

    assert response.status_code in (200, 302)
    assert response.status_code != 500
