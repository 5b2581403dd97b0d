"""Turn a file's bytes into plain text: text files, HTML pages and PDFs.

Offsets everywhere downstream index into the text returned here, so the
text is normalised once (newlines to ``\\n``, no byte-order mark) and never
again.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from kg.errors import IngestError

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_PDF_SUFFIXES = {".pdf"}
_TEXT_SUFFIXES = {".txt", ".text", ".md"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff_media_type(path: Path, data: bytes) -> str:
    """Guess what a file holds from its first bytes, then its name."""
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF") or path.suffix.lower() in _PDF_SUFFIXES:
        return "application/pdf"
    if path.suffix.lower() in _HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return "text/plain"


#: NUL bytes a text may hold and still be text: at most this many, or one per ``_NUL_PER`` bytes.
_NUL_FEW = 4
_NUL_PER = 1000


def _stray_nuls(data: bytes) -> bool:
    """Whether ``data``'s NUL bytes (if any) are few enough to be stray characters in a text.

    UTF-16 without a mark is half NULs and random binary about one byte in
    256; a report with a NUL pasted into it has one or two.
    """
    return data.count(b"\x00") <= max(_NUL_FEW, len(data) // _NUL_PER)


def decode_text(path: Path, data: bytes) -> str:
    """Decode bytes of unknown encoding, refusing binary data.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a mark are
    taken as they are; anything else goes to charset-normalizer rather than
    a hand-made guess (with Windows-1252 preferred on a tie, see
    ``_detect_single_byte``). Many NUL bytes without a UTF-16 mark mean
    binary; a stray few (one pasted from a database field) do not.
    """
    if not data.strip():
        raise IngestError(str(path), "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(str(path), f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({e})") from e
    if _stray_nuls(data):
        try:
            return data.decode("utf-8-sig")  # the stray NULs become spaces in normalise_newlines
        except UnicodeDecodeError:
            pass
    else:
        raise IngestError(
            str(path), "looks like binary data, not text (it holds NUL bytes and no UTF-16 byte-order mark)"
        )
    text = _detect_single_byte(path, data)
    if len(_CONTROL_RE.findall(text)) > max(8, len(text) // 100):
        raise IngestError(str(path), "looks like binary data, not text (too many control characters)")
    return text


#: How much messier than charset-normalizer's best guess a Windows-1252 reading may be and still win.
_CP1252_TOLERANCE = 0.1
#: A Windows-1252 reading this clean wins outright: the mess ratio is noisy on short texts
#: ("about ½." scores 0.3), while Cyrillic, Greek or Polish read as Windows-1252 score over 1.
_CP1252_CLEAN = 0.5


def _detect_single_byte(path: Path, data: bytes) -> str:
    """Decode non-UTF-8 bytes with charset-normalizer, preferring Windows-1252 on a tie.

    Why the preference: on short texts charset-normalizer ranks dozens of
    code pages as equally clean ("Café" came out as UTF-16, curly quotes as
    cp1125), and for an English corpus Windows-1252 (a superset of Latin-1's
    printable characters) is by far the likeliest. It wins only when its
    reading is about as clean as the detector's best, so Cyrillic, Greek or
    Central European text still decodes as the detector says.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    mess = mess_ratio(western[:200_000], 1.0) if western is not None else 1.0  # a sample: the ratio is per character
    if western is not None and mess < _CP1252_CLEAN:
        return western
    best = from_bytes(data).best()
    if western is not None and (best is None or mess <= best.chaos + _CP1252_TOLERANCE):
        return western
    if best is None:
        raise IngestError(str(path), "looks like binary data, not text (no text encoding fits it)")
    return str(best)


def normalise_newlines(text: str) -> str:
    """One newline convention and no stray control characters or BOM."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL_RE.sub(" ", text)


def pdf_to_text(path: Path, data: bytes) -> str:
    """Extract a PDF's text with pypdf, one blank line between pages."""
    import logging
    import warnings

    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise IngestError(str(path), "is named .pdf but is not a PDF (no %PDF- header in its first bytes)")
    # pypdf logs and warns about every repair it attempts, without naming the file;
    # the one message that matters is the IngestError below, which does.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise IngestError(
                    str(path), "the PDF is encrypted and needs a password to open; save an unprotected copy"
                )
            pages = [page.extract_text() or "" for page in reader.pages]
    except DependencyError as e:  # pragma: no cover - cryptography is a dependency
        raise IngestError(str(path), f"the PDF is encrypted and cannot be decrypted here ({e})") from e
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        OSError,
        AttributeError,
        IndexError,
        RecursionError,
        ZeroDivisionError,
    ) as e:
        # Beyond pypdf's own errors, these are what damaged object tables make its parser raise.
        raise IngestError(
            str(path), f"cannot read this PDF ({type(e).__name__}: {e}); it may be truncated or damaged"
        ) from e
    finally:
        pypdf_log.setLevel(level)
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise IngestError(str(path), "the PDF has no extractable text (scanned images need OCR first)")
    return text


def read_text(path: Path, data: bytes) -> tuple[str, str]:
    """Return ``(text, media_type)`` for a file's bytes, or raise ``IngestError``."""
    media_type = sniff_media_type(path, data)
    if media_type == "application/pdf":
        text = pdf_to_text(path, data)
    elif media_type == "text/html":
        from kg.ingest.html import html_to_text

        text = html_to_text(path, decode_text(path, data))
    else:
        text = decode_text(path, data)
    text = normalise_newlines(text)
    if not text.strip():
        raise IngestError(str(path), "no text left after decoding")
    return text, media_type
