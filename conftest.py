"""Test-run environment, set before pytest-django loads the settings.

Tests use development mode so that they run without a configured secret
key; Django's test runner still forces ``DEBUG = False`` while they run.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
