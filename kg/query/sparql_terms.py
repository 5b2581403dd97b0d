"""User values written as SPARQL terms: the only way a value enters query text.

Every value a user gives a named question, an API method or
``KnowledgeGraph.sparql(**bindings)`` is written here, never with
rdflib's ``Literal.n3()`` or string formatting: ``n3()`` quotes a value
holding a newline as a long literal (``\"\"\"...\"\"\"``) and leaves a
trailing ``\\"`` able to close it, so ``'x\\n\\\\"'`` ended the literal and
let the rest of the value become query text.

A string is written as a short literal, ``"..."``, with every character
the SPARQL grammar forbids there (``"``, ``\\``, line feed, carriage return)
and every other control character escaped (STRING_LITERAL2 and ECHAR in
SPARQL 1.1 §19.8). Two parsers need more care:

* Codepoint escapes (``\\u0022``) are replaced *before* parsing (SPARQL 1.1
  §19.2), and rdflib's parser does so without looking at the backslash
  before them, so an escaped backslash followed by ``u0022`` would become a
  quote. A ``u`` or ``U`` that follows a backslash is therefore written as
  the eight-digit escape ``\\U00000075`` / ``\\U00000055``, which every
  parser turns back into the letter and which leaves nothing after it to
  pair with a backslash.
* rdflib's parser expands tab characters to spaces, so a tab is written
  ``\\t``.
"""

from __future__ import annotations

import re

from kg.errors import QueryError

__all__ = ["iri", "string_literal"]

_ECHAR = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_AFTER_BACKSLASH = {"u": "\\U00000075", "U": "\\U00000055"}
# IRIREF in SPARQL 1.1 §19.8, absolute (a scheme first), with no codepoint escapes.
_IRIREF = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")


def string_literal(value: str) -> str:
    """``value`` as a SPARQL string literal (xsd:string) that no parser can read as anything else.

    >>> string_literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'

    Raises:
        QueryError: the value is not text that can be written as UTF-8 (it holds a lone surrogate).
    """
    if not isinstance(value, str):
        raise QueryError(f"a parameter value must be a string, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise QueryError(f"the value {value!r} is not valid text ({e.reason})") from e
    out = ['"']
    after_backslash = False
    for ch in value:
        if after_backslash and ch in _AFTER_BACKSLASH:
            out.append(_AFTER_BACKSLASH[ch])
        else:
            out.append(_ECHAR.get(ch, ch))  # other characters, controls included, are allowed as they are
        after_backslash = ch == "\\"
    out.append('"')
    return "".join(out)


def iri(value: str) -> str:
    """``value`` as a SPARQL IRI reference ``<...>``, if it is an absolute IRI that needs no escaping.

    Raises:
        QueryError: the value is not such an IRI (a space, a quote, ``>``, a backslash...).
    """
    if not _IRIREF.fullmatch(value):
        raise QueryError(f"{value!r} is not an absolute IRI")
    return f"<{value}>"
