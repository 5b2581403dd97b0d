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


def decode_text(path: Path, data: bytes) -> str:
    """Decode bytes of unknown encoding, refusing binary data.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a mark are
    taken as they are; anything else goes to charset-normalizer rather than
    a hand-made guess.
    """
    if not data.strip():
        raise IngestError(str(path), "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(str(path), f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({e})") from e
    if b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or b"\x00" in data:
        raise IngestError(str(path), "looks like binary data, not text (no text encoding fits it)")
    text = str(best)
    if len(_CONTROL_RE.findall(text)) > max(8, len(text) // 100):
        raise IngestError(str(path), "looks like binary data, not text (too many control characters)")
    return text


def normalise_newlines(text: str) -> str:
    """One newline convention and no stray control characters or BOM."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL_RE.sub(" ", text)


def pdf_to_text(path: Path, data: bytes) -> str:
    """Extract a PDF's text with pypdf, one blank line between pages."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise IngestError(
            str(path), f"cannot read this PDF ({type(e).__name__}: {e}); it may be truncated or damaged"
        ) from e
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
