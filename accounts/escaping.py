"""Making control and invisible characters visible in text shown to people."""

import unicodedata

NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Control, format (including bidirectional overrides), line and paragraph
# separator characters: each can disguise what a value really contains.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def escape_character(char: str) -> str:
    if char in NAMED_ESCAPES:
        return NAMED_ESCAPES[char]
    if unicodedata.category(char) not in HIDDEN_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """Write control and invisible characters as Python-style escapes, e.g. ``\\n``.

    A backslash becomes ``\\\\`` so that an escape typed literally cannot
    pass for one made here. This is no HTML escaping: templates still do it.
    """
    return "".join(escape_character(char) for char in text)
