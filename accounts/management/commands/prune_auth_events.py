"""Delete audit log events older than the retention period."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import AuthEvent


class Command(BaseCommand):
    help = "Delete security events older than AUDIT_RETENTION_DAYS (or --days) days."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep events of this many days; default: AUDIT_RETENTION_DAYS "
            f"({settings.AUDIT_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the events, delete nothing."
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(f"--days must be at least 1, got {days}.")

        cutoff = timezone.now() - timedelta(days=days)
        old_events = AuthEvent.objects.filter(created_at__lt=cutoff)
        if dry_run:
            count = old_events.count()
            self.stdout.write(f"{count} events are older than {days} days; none deleted.")
            return

        count, _ = old_events.delete()
        self.stdout.write(f"Deleted {count} events older than {days} days.")
