"""Enrolment: QR code, key for typing, otpauth URI, and confirming the device."""

import re
from base64 import b32decode
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import zxingcpp
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts import enrolment
from accounts.models import TOTPDevice
from tests.helpers import code_for, create_user, sign_in, submit_code, submit_password

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:enrol")


def start_enrolment(client: Client, username: str = "newbie"):
    user = create_user(username, enrolled=False)
    response = submit_password(client, username)
    assert response.url == ENROL
    return user, client.get(ENROL)


def shown_secret(html: str) -> str:
    match = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', html)
    assert match, "secret not shown"
    return match.group(1)


def svg_to_image(svg: str, scale: int = 8) -> Image.Image:
    """Rasterize the site's QR SVG: runs of modules drawn as ``Mx,yhNv1h-Nz``."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    for x, y, length in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\3z", svg):
        left, top = int(x) * scale, int(y) * scale
        image.paste(0, (left, top, left + int(length) * scale, top + scale))
    return image


def decode_qr(html: str) -> str:
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    results = zxingcpp.read_barcodes(svg_to_image(svg))
    assert len(results) == 1
    return results[0].text


def test_first_signin_shows_enrolment(client, clock):
    _user, response = start_enrolment(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert 'href="otpauth://totp/' in html
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", shown_secret(html))


def test_enrolment_page_is_not_cacheable(client, clock):
    _user, response = start_enrolment(client)

    assert "no-store" in response["Cache-Control"]


def test_secret_matches_device_key(client, clock):
    user, response = start_enrolment(client)

    secret = shown_secret(response.content.decode()).replace(" ", "")

    device = TOTPDevice.objects.get(user=user)
    assert b32decode(secret) == device.bin_key


def test_valid_code_confirms_and_signs_in(client, clock):
    user, _response = start_enrolment(client)
    device = TOTPDevice.objects.get(user=user)

    response = submit_code(client, code_for(device), step="accounts:enrol")

    device.refresh_from_db()
    assert response.status_code == 200
    assert b"Your recovery codes" in response.content
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("users:me")).status_code == 200


def test_wrong_code_shows_same_secret(client, clock):
    user, first = start_enrolment(client)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    second = submit_code(client, wrong, step="accounts:enrol")

    assert second.status_code == 200
    assert b"That code is not valid" in second.content
    assert shown_secret(second.content.decode()) == shown_secret(first.content.decode())
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert SESSION_KEY not in client.session


def test_reloading_enrolment_keeps_secret(client, clock):
    _user, first = start_enrolment(client)

    second = client.get(ENROL)

    assert shown_secret(second.content.decode()) == shown_secret(first.content.decode())


def test_enrolment_code_cannot_sign_in_again(client, clock):
    user, _response = start_enrolment(client)
    device = TOTPDevice.objects.get(user=user)
    code = code_for(device)
    submit_code(client, code, step="accounts:enrol")

    other = Client()
    submit_password(other, user.username)
    response = submit_code(other, code)

    assert response.status_code == 200
    assert b"already used" in response.content
    assert SESSION_KEY not in other.session


def test_enrolled_user_gets_code_step_next_time(client, clock):
    user, _response = start_enrolment(client)
    submit_code(client, code_for(TOTPDevice.objects.get(user=user)), step="accounts:enrol")
    clock.shift(30)

    other = Client()
    sign_in(other, user)

    assert other.get(reverse("users:me")).status_code == 200


def test_enrolled_user_cannot_reenrol_through_pending(client, user, clock):
    submit_password(client, "alice")

    response = client.get(ENROL)

    assert response.status_code == 302
    assert response.url == reverse("accounts:code")
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "username",
    ["alice", "jürgen", "李小龍", "a.b+c@d-e_f", "with:colon", "sp ace", "slash/name", "pct%41"],
)
def test_otpauth_uri_keeps_label_intact(settings, username):
    settings.OTP_TOTP_ISSUER = "Example: Site ü"
    user = create_user("holder")
    user.username = username
    user.save()
    device = TOTPDevice.objects.get(user=user)

    uri = enrolment.otpauth_uri(device)

    parts = urlsplit(uri)
    issuer_part, account_part = parts.path.lstrip("/").split(":")
    query = parse_qs(parts.query, strict_parsing=True)
    assert parts.scheme == "otpauth"
    assert parts.netloc == "totp"
    assert unquote(account_part) == username
    assert unquote(issuer_part) == "Example Site ü"
    assert query["issuer"] == ["Example Site ü"]
    assert b32decode(query["secret"][0]) == device.bin_key
    assert query["digits"] == ["6"]
    assert query["period"] == ["30"]
    assert query["algorithm"] == ["SHA1"]
    assert uri.isascii()
    assert " " not in uri


@pytest.mark.parametrize("username", ["alice", "jürgen", "with:colon", "sp ace"])
def test_qr_code_decodes_to_uri(settings, client, clock, username):
    user = create_user("holder", enrolled=False)
    user.username = username
    user.save()
    submit_password(client, username)

    html = client.get(ENROL).content.decode()

    device = TOTPDevice.objects.get(user=user)
    assert decode_qr(html) == enrolment.otpauth_uri(device)
    assert f'href="{enrolment.otpauth_uri(device)}"' in html.replace("&amp;", "&")


def test_qr_svg_has_no_style_attribute(client, clock):
    _user, response = start_enrolment(client)

    svg = re.search(r"<svg.*?</svg>", response.content.decode(), re.S).group(0)

    assert "style=" not in svg
    assert "<title" in svg
    assert 'role="img"' in svg
