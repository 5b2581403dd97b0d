"""Regenerate the term list of ``kg/namespaces.py`` from ``ontology/kg.ttl``.

Run after adding a term to the ontology: ``python scripts/generate_namespace.py``.
``tests/test_ontology.py`` fails while the two disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
NS = "https://w3id.org/hmi-kg/ontology#"


def main() -> None:
    g = Graph().parse(ROOT / "ontology" / "kg.ttl")
    subjects = {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    terms = sorted(s[len(NS) :] for s in subjects if s.startswith(NS))
    path = ROOT / "kg" / "namespaces.py"
    source = path.read_text(encoding="utf-8")
    block = "\n".join(f"    {t}: URIRef" for t in terms)
    new = re.sub(
        r'(    _NS = Namespace\("[^"]+"\)\n\n)(?:    \w+: URIRef\n)+', lambda m: m.group(1) + block + "\n", source
    )
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
