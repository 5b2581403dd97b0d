"""Length-preserving text clean-up so offsets stay valid.

The corpus is flattened web pages: curly quotes, markdown links such as
``[police national computer](#)`` and backslash-escaped brackets
``\\(MASHs\\)``. Every replacement here keeps the string length, so an
offset into the cleaned text is the same offset into the source.
"""

from __future__ import annotations

import re

#: Curly quotes as straight ones; U+201B and U+201F are what some PDF text gives for an apostrophe
#: ("Her Majesty\u201fs Inspectorate").
_CHARS = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u201f": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
)
_LINK_END = re.compile(r"\]\(#\)")
_LINK_START = re.compile(r"\[(?=[^\[\]\n]*\]\(#\))")
_ESC_OPEN = re.compile(r"\\\(")
_ESC_CLOSE = re.compile(r"\\\)")


def normalise(text: str) -> str:
    """Return ``text`` with quotes, markdown links and escapes blanked, same length.

    Args:
        text: Source text.

    Returns:
        A string of the same length in which ``’`` is ``'``, ``\\(`` is `` (``,
        ``\\)`` is ``) `` and link markup ``[``/``](#)`` is spaces.
    """
    out = text.translate(_CHARS)
    out = _LINK_START.sub(" ", out)
    out = _LINK_END.sub("    ", out)
    out = _ESC_OPEN.sub(" (", out)
    out = _ESC_CLOSE.sub(") ", out)
    assert len(out) == len(text)
    return out


def key(label: str) -> str:
    """Return the lookup key of a name: normalised quotes, single spaces, lower case."""
    return " ".join(label.translate(_CHARS).split()).lower()
