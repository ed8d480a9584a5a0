"""A short, human description of a browser from its User-Agent header."""

import re

from django.utils.translation import gettext as _

# Checked in order, because Edge and Opera headers also contain "Chrome" and
# Chrome headers also contain "Safari".
BROWSERS = [
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"(\b|Headless)Chrome/|\bCriOS/|\bChromium/")),
    ("Safari", re.compile(r"\bSafari/")),
    ("curl", re.compile(r"^curl/")),
]

# Android and iOS before Linux and macOS, whose names their headers contain.
SYSTEMS = [
    ("Android", re.compile(r"\bAndroid\b")),
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
]


def first_match(candidates: list[tuple[str, re.Pattern]], text: str) -> str | None:
    for name, pattern in candidates:
        if pattern.search(text):
            return name
    return None


def describe(user_agent: str) -> str:
    """Return e.g. "Firefox on Linux", or "Unknown browser" for an unfamiliar header."""
    browser = first_match(BROWSERS, user_agent)
    system = first_match(SYSTEMS, user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    return _("Unknown browser")
