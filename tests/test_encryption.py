"""Encryption of TOTP secrets at rest."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts import encryption
from accounts.models import User
from tests.helpers import create_user, device_of


def test_invalid_key_names_the_setting(settings):
    settings.TOTP_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured, match="generate_totp_key"):
        encryption.encrypt(b"secret")


def test_secret_from_unknown_key_fails(settings):
    ciphertext = Fernet(Fernet.generate_key()).encrypt(b"secret").decode()

    with pytest.raises(encryption.SecretDecryptionError):
        encryption.decrypt(ciphertext)


@pytest.mark.django_db
def test_database_holds_no_plaintext_secret(user):
    device = device_of(user)
    stored = type(device).objects.filter(pk=device.pk).values_list("encrypted_key", flat=True)[0]

    assert device.bin_key.hex() not in stored
    assert device.bin_key not in stored.encode()


@pytest.mark.django_db
def test_rotation_keeps_secrets_readable(settings):
    secret = device_of(create_user("rotor")).bin_key
    old_key = settings.TOTP_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.TOTP_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_totp_keys", stdout=StringIO())
    settings.TOTP_ENCRYPTION_KEYS = [new_key]

    assert device_of(User.objects.get(username="rotor")).bin_key == secret
