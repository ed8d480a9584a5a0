"""Print the single-use link that creates the first admin, if no user exists."""

from django.core.management.base import BaseCommand
from django.urls import reverse

from accounts.first_admin import issue_token


class Command(BaseCommand):
    help = (
        "If the database has no users, print a single-use link that opens a page "
        "to create the first admin. Prints nothing once any user exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Scheme, host and port the site is served on (default: %(default)s).",
        )

    def handle(self, *args, base_url: str, **options):
        token = issue_token()
        if token is None:
            return

        path = reverse("accounts:first-admin", kwargs={"token": token})
        link = base_url.rstrip("/") + path
        self.stdout.write("")
        self.stdout.write("No user exists yet. Open this link to create the first admin:")
        self.stdout.write(f"    {link}")
        self.stdout.write("It works once, for a limited time, and only until a user exists.")
        self.stdout.write("")
