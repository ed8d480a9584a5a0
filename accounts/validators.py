"""Validators for free-text fields."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def reject_control_characters(value: str) -> None:
    """Reject text containing control characters such as line breaks or NUL."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("Remove line breaks, tabs and other control characters."),
            code="control_characters",
        )
