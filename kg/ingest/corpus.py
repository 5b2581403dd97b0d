"""Read every supported file of a corpus directory into ``SourceDocument``s."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from kg.errors import IngestError
from kg.ingest.decode import read_text
from kg.ingest.duplicates import body_digest
from kg.ingest.manifest import MANIFEST_NAME, ManifestEntry, load_manifest
from kg.ingest.metadata import build_metadata
from kg.records import IngestFailure, KnownDocument, SourceDocument

SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".pdf")
#: No file is read past this size: a PDF with images may be large, but not this large.
MAX_BYTES = 200 * 1024 * 1024
#: No document's text is structured and extracted past this many characters (32 MiB of text;
#: a long inspection report is well under 1 MB). A document's time and memory grow with its
#: text; the limit bounds one document's share of a build: 25 MB of dense report text took
#: 1.3 GiB at its peak and 20 CPU minutes, measured (docs/decisions/1152-text-size-limit.md).
#: Plain-text files are refused on their byte size before they are read, everything else once decoded.
MAX_TEXT_CHARS = 32 * 2**20
_PLAIN_SUFFIXES = (".txt", ".text")


#: Letters that Unicode decomposition leaves alone, so "Łódź" would lose its "Ł".
_TRANSLITERATE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def doc_id_for(path: Path) -> str:
    """A stable id from a file name: lower-case ASCII letters, digits and hyphens.

    A name with no ASCII letters at all (say, in Chinese) gets ``doc-`` and a
    hash of the name, so it is still stable and still unique.
    """
    stem = unicodedata.normalize("NFKD", path.stem.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not slug:
        slug = "doc-" + hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:10]
    return slug


def shown(path: str | Path) -> str:
    """A path as it may be printed: control characters and undecodable bytes escaped.

    A file name may hold a newline (which would forge a line in the list of
    skipped files) or bytes that are not UTF-8 (which Python keeps as lone
    surrogates, and which a terminal cannot print). Both are shown as
    Python-style escapes; every other character is shown as it is.
    """
    out: list[str] = []
    for ch in str(path):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in "\n\r\t":
            out.append(repr(ch)[1:-1])
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _check_name(path: Path) -> None:
    """Refuse a file whose name is not valid UTF-8: it cannot be written into the graph as its source."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError as e:
        raise IngestError(
            str(path), "its name is not valid UTF-8, so it cannot be named in the graph; rename the file"
        ) from e


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(str(path), f"is {size / 1e6:.0f} MB, over the {MAX_BYTES // 2**20} MiB limit")
        if path.suffix.lower() in _PLAIN_SUFFIXES and size > MAX_TEXT_CHARS:
            raise IngestError(str(path), _too_long(size, "bytes"))
        return path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot be read ({e.strerror or e})") from e


def _too_long(size: int, unit: str) -> str:
    return (
        f"is too large to extract: {size:,} {unit} of text, over the limit of {MAX_TEXT_CHARS:,} characters "
        "(split the document, or check that it is one report)"
    )


def source_key(path: Path, sha256: str, entry: ManifestEntry | None) -> str:
    """What decides a document before any decoding: its file name, bytes and manifest entry."""
    return hashlib.sha256(f"{path.name}\0{sha256}\0{entry!r}".encode("utf-8", "surrogateescape")).hexdigest()


def read_document(path: Path, entry: ManifestEntry | None = None, data: bytes | None = None) -> SourceDocument:
    """Read one file, or raise ``IngestError`` naming it and the reason."""
    _check_name(path)
    data = _read_bytes(path) if data is None else data
    text, media_type = read_text(path, data)
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(str(path), _too_long(len(text), "characters"))
    sha256 = hashlib.sha256(data).hexdigest()
    return SourceDocument(
        doc_id=(entry.doc_id if entry and entry.doc_id else doc_id_for(path)),
        path=str(path),
        text=text,
        sha256=sha256,
        media_type=media_type,
        metadata=build_metadata(text, entry),
        source_key=source_key(path, sha256, entry),
    )


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Supported files under ``corpus_dir``, in a stable order (path by path, as ``Path`` sorts)."""
    return [path for _, path, problem in _corpus_entries(corpus_dir) if problem is None]


def _corpus_entries(corpus_dir: Path) -> list[tuple[str, Path, str | None]]:
    """``corpus_files``, each with its path relative to the corpus in POSIX form, and what stops it being read.

    Walked with ``os.scandir``, which knows a regular file without a stat:
    every update lists the whole corpus, and ``Path.rglob`` with a stat per
    file was a twentieth of an update at 1,000 reports. Symbolic links to
    files count and links to directories are not followed (so no loop of
    folders is walked forever). What cannot be listed or followed is not
    dropped in silence: a folder that cannot be listed, a link to nothing
    and a link loop named like a corpus file come back with the reason
    (third item) instead of None, so the build lists them as skipped.
    """
    found: list[tuple[tuple[str, ...], Path, str | None]] = []

    def listed(name: str) -> bool:
        return (
            os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES
            and not name.startswith(".")
            and name != MANIFEST_NAME
        )

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except FileNotFoundError:  # removed while the corpus was walked: nothing to list
            return
        except OSError as e:
            reason = f"this folder cannot be listed ({e.strerror or e}); the files in it are not read"
            found.append((parts, corpus_dir.joinpath(*parts), reason))
            return
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                walk(entry.path, (*parts, entry.name))
                continue
            if not listed(entry.name):
                continue
            path = corpus_dir.joinpath(*parts, entry.name)
            try:
                is_file = entry.is_file()
            except OSError as e:  # a link loop: ELOOP from the stat that follows it
                found.append(((*parts, entry.name), path, _link_problem(entry.path, e)))
                continue
            if is_file:
                found.append(((*parts, entry.name), path, None))
            elif entry.is_symlink():
                try:
                    os.stat(entry.path)
                except OSError as e:
                    found.append(((*parts, entry.name), path, _link_problem(entry.path, e)))

    walk(str(corpus_dir), ())
    return [("/".join(parts), path, problem) for parts, path, problem in sorted(found, key=lambda f: f[0])]


def manifest_warnings(corpus_dir: Path, manifest: Mapping[str, ManifestEntry]) -> list[str]:
    """One warning per manifest entry whose file is not in the corpus (a typo in ``file =``, or a file gone).

    Such an entry describes nothing, and the file it meant, if any, is built
    with detected metadata: worth saying, not worth stopping the build for.
    """
    listed = {rel for rel, _, _ in _corpus_entries(corpus_dir)}
    where = corpus_dir / MANIFEST_NAME
    return [
        f"{shown(where)}: the [[document]] for file {shown(repr(name))}"
        + (f" (id {entry.doc_id!r})" if entry.doc_id else "")
        + f" names no file in {shown(corpus_dir)}; its values are not used"
        for name, entry in manifest.items()
        if name not in listed
    ]


def _link_problem(path: str, error: OSError) -> str:
    """Why a symbolic link named like a corpus file cannot be read."""
    import errno

    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    if error.errno == errno.ELOOP:
        return f"is a symbolic link that loops (to {shown(target)}); skipped"
    if error.errno == errno.ENOENT:
        return f"is a symbolic link to {shown(target)}, which does not exist; skipped"
    return f"is a symbolic link that cannot be followed ({error.strerror or error}); skipped"


def read_corpus(corpus_dir: Path) -> Iterator[SourceDocument | IngestFailure]:
    """Yield each document of the corpus, or a failure that names the file.

    Two files with the same bytes are one document: the second is reported
    as a duplicate rather than ingested twice.
    """
    for item in scan_corpus(corpus_dir):
        assert not isinstance(item, KnownDocument)
        yield item


@dataclass(frozen=True, slots=True)
class FileStat:
    """What ``os.stat`` says of a file, and the SHA-256 its bytes had when it said so."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    sha256: str

    def fields(self) -> tuple[int, int, int, int, str]:
        """The fields in order, as a build manifest records them (``dataclasses.astuple`` deep-copies: slow)."""
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode, self.sha256)

    def matches(self, st: os.stat_result) -> bool:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (
            self.size,
            self.mtime_ns,
            self.ctime_ns,
            self.inode,
        )


def scan_corpus(
    corpus_dir: Path,
    known: Mapping[str, str] | None = None,
    manifest: Mapping[str, ManifestEntry] | None = None,
    *,
    stats: Mapping[str, FileStat] | None = None,
    observed: dict[str, FileStat] | None = None,
    known_bodies: Mapping[str, str] | None = None,
) -> Iterator[SourceDocument | KnownDocument | IngestFailure]:
    """``read_corpus``, but a file whose ``source_key`` is in ``known`` (key -> doc id) is not decoded.

    Decoding and metadata detection are most of the cost of reading a file;
    an incremental build skips them for files it has already seen. A caller
    that has parsed ``manifest.toml`` already passes it as ``manifest``.

    ``stats`` (path relative to the corpus -> ``FileStat``) are the files as
    the last build saw them: a file whose size, times and inode are unchanged
    is not even read, as git's index does (hashing a thousand files was a
    tenth of an update at 1,000 reports). The caller must only pass stats taken
    before the file was last written could have gone unnoticed (see
    ``kg.build.pipeline``). Each file's stat is put in ``observed``.
    """
    manifest = load_manifest(corpus_dir) if manifest is None else manifest
    items = list(_scan(corpus_dir, known, manifest, stats or {}, observed))
    yield from merge_same_publications(_decode_twins(corpus_dir, items, manifest, known_bodies or {}))


def _decode_twins(
    corpus_dir: Path,
    items: list[SourceDocument | KnownDocument | IngestFailure],
    manifest: Mapping[str, ManifestEntry],
    known_bodies: Mapping[str, str],
) -> list[SourceDocument | KnownDocument | IngestFailure]:
    """Decode the undecoded files (``known_bodies``: doc id -> body digest) that a decoded file repeats,
    so that ``merge_same_publications`` sees both."""
    new = {body_digest(i.text) for i in items if isinstance(i, SourceDocument)}
    out: list[SourceDocument | KnownDocument | IngestFailure] = []
    for item in items:
        if isinstance(item, KnownDocument) and known_bodies.get(item.doc_id) in new:
            rel = Path(item.path).relative_to(corpus_dir).as_posix()
            try:
                out.append(replace(read_document(Path(item.path), manifest.get(rel)), doc_id=item.doc_id))
            except IngestError as e:
                out.append(IngestFailure(path=item.path, reason=e.reason))
            continue
        out.append(item)
    return out


def merge_same_publications(
    items: Iterable[SourceDocument | KnownDocument | IngestFailure],
) -> list[SourceDocument | KnownDocument | IngestFailure]:
    """Decoded documents with one body (``kg.ingest.duplicates``) are one publication.

    The first in corpus order is kept, with the other files named in its
    ``other_sources``; each other file is reported as merged into it. An
    incremental build that did not decode a file passes its recorded body
    digest to ``scan_corpus``, which decodes it again when a new file repeats it.
    """
    out = list(items)
    first: dict[str, int] = {}
    merged: dict[int, list[str]] = {}
    for n, item in enumerate(out):
        if not isinstance(item, SourceDocument):
            continue
        digest = body_digest(item.text)
        if digest not in first:
            first[digest] = n
            continue
        keeper = out[first[digest]]
        assert isinstance(keeper, SourceDocument)
        merged.setdefault(first[digest], []).append(Path(item.path).name)
        out[n] = IngestFailure(
            path=item.path,
            reason=f"same publication as {keeper.path} (same text apart from page furniture or a "
            "republisher's banner); kept as another source of it",
        )
    for n, names in merged.items():
        keeper = out[n]
        assert isinstance(keeper, SourceDocument)
        meta = replace(keeper.metadata, other_sources=(*keeper.metadata.other_sources, *names))
        out[n] = replace(keeper, metadata=meta)
    return out


def _scan(
    corpus_dir: Path,
    known: Mapping[str, str] | None,
    manifest: Mapping[str, ManifestEntry],
    stats: Mapping[str, FileStat],
    observed: dict[str, FileStat] | None,
) -> Iterator[SourceDocument | KnownDocument | IngestFailure]:
    seen_hashes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for rel, path, problem in _corpus_entries(corpus_dir):
        if problem is not None:
            yield IngestFailure(path=str(path), reason=problem)
            continue
        entry = manifest.get(rel)
        doc: SourceDocument | KnownDocument
        try:
            _check_name(path)
            try:
                st = path.stat()
            except OSError as e:
                raise IngestError(str(path), f"cannot be read ({e.strerror or e})") from e
            recorded = stats.get(rel)
            data: bytes | None = None
            if recorded is not None and recorded.matches(st):
                sha256 = recorded.sha256
            else:
                data = _read_bytes(path)
                sha256 = hashlib.sha256(data).hexdigest()
            if observed is not None:
                observed[rel] = FileStat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, sha256)
            key = source_key(path, sha256, entry)
            if known and key in known:
                doc = KnownDocument(doc_id=known[key], path=str(path), sha256=sha256, source_key=key)
            else:
                doc = read_document(path, entry, data)
        except IngestError as e:
            yield IngestFailure(path=str(path), reason=e.reason)
            continue
        if doc.sha256 in seen_hashes:
            yield IngestFailure(
                path=str(path), reason=f"duplicate of {seen_hashes[doc.sha256]} (same content); skipped"
            )
            continue
        if doc.doc_id in seen_ids:
            yield IngestFailure(
                path=str(path),
                reason=f"its id {doc.doc_id!r} is already used by {seen_ids[doc.doc_id]}; "
                "give it an id in manifest.toml",
            )
            continue
        seen_hashes[doc.sha256] = str(path)
        seen_ids[doc.doc_id] = str(path)
        yield doc


def read_known(
    corpus_dir: Path, documents: Iterable[KnownDocument], manifest: Mapping[str, ManifestEntry]
) -> Iterator[SourceDocument | IngestFailure]:
    """Decode files ``scan_corpus`` skipped (given the manifest it used), once a build needs them after all."""
    for known in documents:
        path = Path(known.path)
        try:
            doc = read_document(path, manifest.get(path.relative_to(corpus_dir).as_posix()))
        except IngestError as e:
            yield IngestFailure(path=str(path), reason=e.reason)
            continue
        yield replace(doc, doc_id=known.doc_id)
