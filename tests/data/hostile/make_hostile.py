"""Generate the hostile corpus: files a real corpus folder can contain by accident.

Nothing here is committed as data: the files (one of them 50 MB) are made on
demand, by a pytest fixture into a temporary directory, or by hand:

    python tests/data/hostile/make_hostile.py OUT_DIR [--small] [--report]

``--report`` reads the generated folder with ``kg.ingest.read_corpus`` and
prints the markdown table kept in ``docs/reliability.md``.

Each case names what the file is and the outcome it must get: ``ingested``
(decoded, with ``expect_text`` in the decoded text when given) or
``skipped`` (with ``expect_reason`` in the message).
"""

from __future__ import annotations

import io
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "corpus"

#: 50 MB: the largest single file the hostile-input tests feed a build. Tests that only need "big" pass a smaller one.
BIG_BYTES = 50 * 1024 * 1024
HTML_DEPTH = 5000  # deeper than Python's default recursion limit (1000)
#: Over spaCy's default ``max_length`` (1,000,000), which a block must never reach.
LONG_LINE_CHARS = 2_000_000


@dataclass(frozen=True)
class Case:
    """One hostile file and the outcome it must get."""

    name: str
    what: str
    outcome: str  # "ingested" | "skipped"
    expect_reason: str = ""
    expect_text: tuple[str, ...] = ()


REPORT_PARAGRAPHS = (
    "The force has good arrangements in place to protect children, but it does not always "
    "identify risk when officers attend incidents.",
    "Specific areas for improvement include:",
    "  • the force should improve the quality of its referrals to children\u2019s social care;",
    "  • supervisors should review investigations involving children at regular intervals.",
    "In one case, a 15-year-old girl reported missing three times in a week was not referred "
    "to the multi-agency safeguarding hub.",
)


def _report_text() -> str:
    """A small report in the corpus's layout: title, numbered section, finding, list."""
    return (
        "\n\n".join(
            [
                "Hostile County Constabulary \u2013 National child protection inspection",
                "1. Initial contact",
                "The force recognises risk to children at first contact",
                *REPORT_PARAGRAPHS,
                "Recommendations",
                "Within three months, Hostile County Constabulary should:",
                "  • review its missing children procedure; and",
                "  • train control room staff.",
            ]
        )
        + "\n"
    )


def _pdf_bytes(text_lines: list[str], *, password: str | None = None, algorithm: str = "AES-256") -> bytes:
    """A small, valid one-page PDF with real text, written with pypdf alone.

    With ``password`` the PDF is encrypted with ``algorithm``: an empty
    password is what many published PDFs have (encrypted against editing,
    openable by anyone); any other must be typed to open it.
    """
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    for line in text_lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({safe}) Tj T*")
    ops.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/MediaBox")] = ArrayObject([NumberObject(0), NumberObject(0), FloatObject(595), FloatObject(842)])
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _big_text(size: int) -> bytes:
    """Report-like text of ``size`` bytes: paragraphs, headings every so often, bullets.

    Past 4 MB a 4 MB piece is repeated (with its section numbers running on),
    so a 50 MB file takes seconds to make.
    """
    piece = _big_piece(min(size, 4 * 2**20))
    if len(piece) >= size:
        return piece
    parts = [piece]
    total = len(piece)
    n = 0
    while total < size:
        n += 1
        part = piece.replace(b"Section ", f"Part {n} section ".encode())
        parts.append(part)
        total += len(part)
    return b"".join(parts)[:size].rsplit(b"\n", 1)[0] + b"\n"


def _big_piece(size: int) -> bytes:
    """``_big_text`` for up to a few MB."""
    rnd = random.Random(7)
    words = (
        "the force should improve its response to children at risk and supervisors must review "
        "referrals to partner agencies within agreed timescales while officers record decisions"
    ).split()
    chunks: list[str] = ["Big County Constabulary \u2013 PEEL inspection\n\n"]
    total = len(chunks[0].encode())
    n = 0
    while total < size:
        n += 1
        if n % 40 == 0:
            piece = f"Section {n // 40} about the force\n\n"
        elif n % 7 == 0:
            piece = "".join(f"  \u2022 {' '.join(rnd.choices(words, k=12))};\n" for _ in range(3)) + "\n"
        else:
            sentence = " ".join(rnd.choices(words, k=rnd.randint(20, 60)))
            piece = sentence[0].upper() + sentence[1:] + ".\n\n"
        data = piece.encode("utf-8")
        chunks.append(piece)
        total += len(data)
    return "".join(chunks).encode("utf-8")[:size].rsplit(b"\n", 1)[0] + b"\n"


#: Names that are not plain files: made with ``os.symlink``, or with bytes that are not UTF-8.
LOOP_NAME = "loop.txt"
DANGLING_NAME = "dangling.txt"
NON_UTF8_NAME = os.fsdecode(b"caf\xe9-latin1-name.txt")
NEWLINE_NAME = "forged\n  fake.txt: looks like another skip.txt"


def cases(*, big_bytes: int = BIG_BYTES, long_line_chars: int = LONG_LINE_CHARS) -> list[Case]:
    """Every hostile case, in the order of the table in docs/reliability.md."""
    from kg.ingest.corpus import MAX_TEXT_CHARS

    big_mb = big_bytes / 2**20
    big = (
        Case("big.txt", f"{big_mb:.0f} MB of report-like text", "skipped", "too large to extract")
        if big_bytes > MAX_TEXT_CHARS
        else Case(
            "big.txt",
            f"{big_mb:.1f} MB of report-like text (paragraphs, headings, bullets)",
            "ingested",
            expect_text=("Big County Constabulary",),
        )
    )
    return [
        Case("empty.txt", "zero bytes", "skipped", "the file is empty"),
        Case("whitespace-only.txt", "blank lines and spaces only", "skipped", "the file is empty"),
        Case("binary.txt", "random bytes with NULs, named .txt", "skipped", "binary data"),
        Case("image.html", "PNG bytes named .html", "skipped", "binary data"),
        Case(
            "latin1.txt",
            "ISO-8859-1 text (é, £, ½, no UTF-8)",
            "ingested",
            expect_text=("Café", "£250", "½ of the cases", "Bishop Auckland"),
        ),
        Case(
            "cp1252-curly-quotes.txt",
            "Windows-1252 text with curly quotes, en and em dashes",
            "ingested",
            expect_text=("\u201cclearly committed\u201d", "force\u2019s", "2019\u20132020", "\u2014 and"),
        ),
        Case(
            "utf16-bom.txt",
            "UTF-16 (little-endian) with a byte-order mark",
            "ingested",
            expect_text=("Hostile County Constabulary \u2013 National", "children\u2019s social care"),
        ),
        Case("utf16-odd.txt", "UTF-16 byte-order mark followed by an odd number of bytes", "skipped", "UTF-16"),
        big,
        Case(
            "inspection.pdf",
            "a small valid PDF (pypdf) with a report's text",
            "ingested",
            expect_text=("Initial contact",),
        ),
        Case(
            "encrypted-open.pdf",
            "the PDF encrypted with AES-256 and an empty password (anyone may open it)",
            "ingested",
            expect_text=("Initial contact",),
        ),
        Case("encrypted-aes.pdf", "the PDF encrypted with AES-128 and a password to open", "skipped", "encrypted"),
        Case("encrypted-rc4.pdf", "the PDF encrypted with RC4 and a password to open", "skipped", "encrypted"),
        Case("truncated.pdf", "the same PDF cut in half", "skipped", "PDF"),
        Case("malformed.pdf", "the PDF with its objects overwritten by garbage", "skipped", "PDF"),
        Case("not-a-pdf.pdf", "plain text named .pdf", "skipped", "PDF"),
        Case(
            "scripts-and-nesting.html",
            f"HTML with <script>, <style>, event handlers and {HTML_DEPTH} nested <div>s",
            "ingested",
            expect_text=("Deep content survives", "Visible paragraph"),
        ),
        Case(
            "long-line.txt",
            f"one line of {long_line_chars:,} characters, no newline",
            "ingested",
            expect_text=("risk",),
        ),
        Case("report.txt", "a small report in the corpus layout", "ingested", expect_text=("Initial contact",)),
        Case("report_copy 2.txt", "the same bytes as report.txt under another name", "skipped", "duplicate of"),
        Case(
            "report.xhtml",
            "another document whose name gives the same id as report.txt",
            "skipped",
            "already used by",
        ),
        Case("no-structure.txt", "words with no headings, punctuation or paragraphs", "ingested"),
        Case(
            "Rapport d\u2019inspection \u00e9t\u00e9 2024 \u2013 \u0141\u00f3d\u017a.txt",
            "file name with spaces, an apostrophe, accents and a dash",
            "ingested",
            expect_text=("Summer inspection",),
        ),
        Case("\u8b66\u5bdf.txt", "file name with no ASCII letters at all", "ingested", expect_text=("Kanji",)),
        Case(
            "controls.txt", "text with stray control characters and form feeds", "ingested", expect_text=("Page two",)
        ),
        Case(
            "crlf.txt", "Windows line endings (CRLF) and a UTF-8 byte-order mark", "ingested", expect_text=("line two",)
        ),
        Case(
            "stray-nul.txt",
            "a valid report with one NUL byte in a sentence",
            "ingested",
            expect_text=("Initial contact", "supervisors should review"),
        ),
        Case(LOOP_NAME, "a symbolic link to itself", "skipped", "symbolic link that loops"),
        Case(DANGLING_NAME, "a symbolic link to a file that does not exist", "skipped", "does not exist"),
        Case(NON_UTF8_NAME, "a file name in Latin-1 bytes (not valid UTF-8)", "skipped", "not valid UTF-8"),
        Case(NEWLINE_NAME, "an empty file whose name holds a newline", "skipped", "the file is empty"),
    ]


#: Cases that are symbolic links: name -> where the link points.
LINKS = {LOOP_NAME: LOOP_NAME, DANGLING_NAME: "no-such-report.txt"}


def make_hostile(out: Path, *, big_bytes: int = BIG_BYTES, long_line_chars: int = LONG_LINE_CHARS) -> list[Case]:
    """Write every hostile file into ``out`` and return the cases."""
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(1)
    report = _report_text()
    files: dict[str, bytes] = {}
    files["empty.txt"] = b""
    files["whitespace-only.txt"] = b"\n\n   \n\t\n"
    files["binary.txt"] = bytes(rnd.randrange(256) for _ in range(4096)) + b"\x00\x00"
    files["image.html"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(2048))
    files["latin1.txt"] = (
        (
            "Café meeting in Bishop Auckland\n\n"
            "The force spent £250 on training. In ½ of the cases the officer’s notes were incomplete.\n"
        )
        .replace("’", "'")
        .encode("latin-1")
    )
    files["cp1252-curly-quotes.txt"] = (
        "Durham Constabulary is \u201cclearly committed\u201d to child protection.\n\n"
        "The force\u2019s plan for 2019\u20132020 was reviewed \u2014 and found wanting.\n\n"
        "Officers said \u2018it works\u2019 and the inspectorate agreed \u2026 mostly.\n"
    ).encode("cp1252")
    # Each variant of the report is a report of its own (another stage folds one publication's copies).
    files["utf16-bom.txt"] = report.replace("1. Initial contact", "1. Contact in the control room").encode("utf-16")
    files["utf16-odd.txt"] = "A short note.\n".encode("utf-16") + b"\x00"
    files["big.txt"] = _big_text(big_bytes)
    pdf = _pdf_bytes(
        [
            "Hostile County Constabulary - National child protection inspection",
            "",
            "1. Initial contact",
            "The force recognises risk to children at first contact.",
        ]
    )
    files["inspection.pdf"] = pdf
    lines = [
        "Hostile County Constabulary - Joint inspection of custody",
        "",
        "1. Initial contact",
        "Detainees are seen by a custody sergeant on arrival.",
    ]
    files["encrypted-open.pdf"] = _pdf_bytes([*lines, "This copy is encrypted with an empty password."], password="")
    files["encrypted-aes.pdf"] = _pdf_bytes(lines, password="letmein", algorithm="AES-128")
    files["encrypted-rc4.pdf"] = _pdf_bytes(lines, password="letmein", algorithm="RC4-128")
    files["truncated.pdf"] = pdf[: len(pdf) // 2]
    body_start = pdf.index(b"obj")
    files["malformed.pdf"] = (
        pdf[:body_start] + bytes(rnd.randrange(256) for _ in range(len(pdf) - body_start - 40)) + pdf[-40:]
    )
    files["not-a-pdf.pdf"] = b"This is not a PDF at all, just text with a .pdf name.\n"
    nested = "<div>" * HTML_DEPTH + "<p>Deep content survives.</p>" + "</div>" * HTML_DEPTH
    files["scripts-and-nesting.html"] = (
        "<!DOCTYPE html><html><head><title>t</title><script>alert('head')</script></head>"
        "<body onload=\"alert('x')\"><script>document.write('<p>injected</p>')</script>"
        '<style>p { color: red }</style><p onclick="steal()">Visible paragraph.</p>'
        '<img src=x onerror="alert(1)"><iframe src="javascript:alert(1)"></iframe>'
        f"{nested}<ul><li>item <b>one</b></li><li>item two</li></ul></body></html>"
    ).encode()
    files["long-line.txt"] = (" ".join(["the force assessed risk to children"] * (long_line_chars // 30 + 1)))[
        :long_line_chars
    ].encode("utf-8")
    files["report.txt"] = report.encode("utf-8")
    files["report_copy 2.txt"] = files["report.txt"]
    files["report.xhtml"] = b"<html><body><h1>Another report</h1><p>Different text.</p></body></html>"
    files["no-structure.txt"] = " ".join(
        rnd.choice(["lorem", "ipsum", "dolor", "sit", "amet"]) for _ in range(3000)
    ).encode()
    files["Rapport d\u2019inspection \u00e9t\u00e9 2024 \u2013 \u0141\u00f3d\u017a.txt"] = (
        "Summer inspection of \u0141\u00f3d\u017a\n\nThe force was inspected in the summer.\n".encode("utf-8")
    )
    files["\u8b66\u5bdf.txt"] = b"Kanji file name\n\nThe name of this file has no ASCII letters.\n"
    files["controls.txt"] = b"Page one text.\x0c\n\nPage two\x07 text with a bell.\n"
    files["crlf.txt"] = b"\xef\xbb\xbfline one ends here.\r\nline two ends here.\r\n\r\nA new paragraph.\r\n"
    files["stray-nul.txt"] = (
        report.replace("supervisors should", "supervisors\x00should").replace("1. Initial", "2. Initial").encode()
    )
    files[NON_UTF8_NAME] = b"A note filed under a Latin-1 name.\n"
    files[NEWLINE_NAME] = b""
    case_list = cases(big_bytes=big_bytes, long_line_chars=long_line_chars)
    made = set(files) | set(LINKS)
    assert {c.name for c in case_list} == made, made ^ {c.name for c in case_list}
    for name, data in files.items():
        (out / name).write_bytes(data)
    for name, target in LINKS.items():
        os.symlink(target, out / name)
    return case_list


def report_table(out: Path, case_list: list[Case]) -> str:
    """Read the generated folder and give the markdown table of actual outcomes."""
    from kg.ingest import read_corpus
    from kg.ingest.corpus import shown
    from kg.records import IngestFailure

    outcome: dict[str, str] = {}
    for item in read_corpus(out):
        name = Path(item.path).name
        if isinstance(item, IngestFailure):
            outcome[name] = f"skipped | {shown(item.reason)}"
        else:
            outcome[name] = f"ingested as `{item.doc_id}` ({len(item.text):,} characters) | –"
    rows = ["| file | what it is | outcome | message |", "|---|---|---|---|"]
    for c in case_list:
        rows.append(f"| `{shown(c.name)}` | {c.what} | {outcome.get(c.name, 'not read | –')} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    target = Path(sys.argv[1])
    small = "--small" in sys.argv
    made = make_hostile(target, big_bytes=2 * 2**20 if small else BIG_BYTES)
    if "--report" in sys.argv:
        print(report_table(target, made))
