"""Import users from the FastAPI tutorial app's SQLite file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from accounts.fastapi_import import ImportFileError, import_users, report_lines


class Command(BaseCommand):
    help = (
        "Import the users of the FastAPI tutorial app from its SQLite file "
        "(twofactor_app.db). Each user keeps their password and authenticator "
        "app. Invalid rows are skipped and rows whose username or email is "
        "already taken are left alone; both are listed with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Path of the FastAPI app's SQLite file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what would be imported, without writing anything.",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            plan = import_users(path, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(
                f"The import failed and was rolled back, so no user was created: {error}. "
                "Run it again; rows imported by then will be reported as existing."
            ) from error

        for line in report_lines(plan, dry_run=dry_run):
            self.stdout.write(line)
