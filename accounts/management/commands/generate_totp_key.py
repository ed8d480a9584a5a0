"""Print a new key for DJANGO_TOTP_ENCRYPTION_KEYS."""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new random Fernet key for DJANGO_TOTP_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode("ascii"))
