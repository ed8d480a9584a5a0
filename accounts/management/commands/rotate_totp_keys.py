"""Re-encrypt every TOTP secret under the first key of DJANGO_TOTP_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.encryption import reencrypt
from accounts.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored TOTP secret under the first key in "
        "DJANGO_TOTP_ENCRYPTION_KEYS. Run it after putting a new key first; "
        "afterwards the old keys can be removed."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for device in TOTPDevice.objects.select_for_update().only("pk", "encrypted_key"):
                device.encrypted_key = reencrypt(device.encrypted_key)
                device.save(update_fields=["encrypted_key"])
                count += 1
        self.stdout.write(f"Re-encrypted {count} TOTP secrets under the current key.")
