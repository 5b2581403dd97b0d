"""Score the pipeline against hand-annotated sentences (per-label P/R/F1).

Each annotated sentence is located in its document, the whole document is
run through ``find_mentions`` (so document-level acronyms and section
context apply, as in production), and the mentions inside the sentence are
compared with the annotations by exact span and label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from kg.entities.linking import find_mentions


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Counts and scores for one label."""

    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was annotated."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Annotated:
    """One annotated sentence: its document and gold entities (sentence offsets)."""

    sid: str
    doc: str
    own_force: str | None
    text: str
    entities: tuple[tuple[int, int, str], ...]


def segments_of(text: str) -> list[tuple[int, int]]:
    """Split a document into blocks separated by blank lines (the test segmentation)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*", text)]


def load_annotations(path: Path) -> list[Annotated]:
    """Read ``sentences.jsonl`` (see tests/data/entities/README.md)."""
    out: list[Annotated] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        ents = tuple((int(e["start"]), int(e["end"]), str(e["label"])) for e in row["entities"])
        for s, e, _label in ents:
            if not 0 <= s < e <= len(row["text"]):
                raise ValueError(f"{path}:{n}: entity {s}..{e} outside the sentence")
        out.append(Annotated(row["id"], row["doc"], row.get("own_force"), row["text"], ents))
    return out


def evaluate(annotations: Iterable[Annotated], corpus_dir: Path, nlp: Language) -> dict[str, LabelScore]:
    """Return per-label scores of ``nlp`` on the annotated sentences.

    Raises:
        ValueError: if a sentence is not found in its document.
    """
    by_doc: dict[str, list[Annotated]] = {}
    for a in annotations:
        by_doc.setdefault(a.doc, []).append(a)
    gold: set[tuple[str, int, int, str]] = set()
    pred: set[tuple[str, int, int, str]] = set()
    for doc_id in sorted(by_doc):
        text = (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        own = by_doc[doc_id][0].own_force
        mentions = find_mentions(doc_id, text, segments_of(text), nlp, own_force=own)
        for a in by_doc[doc_id]:
            base = text.find(a.text)
            if base < 0:
                raise ValueError(f"{a.sid}: sentence not found in {doc_id}; fix the annotation text")
            for s, e, label in a.entities:
                gold.add((a.sid, s, e, label))
            for m in mentions:
                if base <= m.span.start and m.span.end <= base + len(a.text):
                    pred.add((a.sid, m.span.start - base, m.span.end - base, m.label))
    labels = sorted({g[3] for g in gold} | {p[3] for p in pred})
    scores: dict[str, LabelScore] = {}
    for label in labels:
        g = {x for x in gold if x[3] == label}
        p = {x for x in pred if x[3] == label}
        scores[label] = LabelScore(label, len(g & p), len(p - g), len(g - p))
    return scores


def errors(annotations: Iterable[Annotated], corpus_dir: Path, nlp: Language) -> list[tuple[str, str, str, str]]:
    """Return (sentence id, kind "FP"/"FN", label, text) for every disagreement."""
    out: list[tuple[str, str, str, str]] = []
    anns = list(annotations)
    by_doc: dict[str, list[Annotated]] = {}
    for a in anns:
        by_doc.setdefault(a.doc, []).append(a)
    for doc_id in sorted(by_doc):
        text = (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        mentions = find_mentions(doc_id, text, segments_of(text), nlp, own_force=by_doc[doc_id][0].own_force)
        for a in by_doc[doc_id]:
            base = text.find(a.text)
            g = {(s, e, lab) for s, e, lab in a.entities}
            p = {
                (m.span.start - base, m.span.end - base, m.label)
                for m in mentions
                if base <= m.span.start and m.span.end <= base + len(a.text)
            }
            out += [(a.sid, "FN", lab, a.text[s:e]) for s, e, lab in sorted(g - p)]
            out += [(a.sid, "FP", lab, a.text[s:e]) for s, e, lab in sorted(p - g)]
    return out
