"""Where the ontology and the named queries live at run time.

An installed wheel carries ``ontology/`` as ``kg/_ontology``; an editable
install reads the repository's ``ontology/`` directly. ``KG_ONTOLOGY_DIR``
overrides both, so a user can try a changed vocabulary without reinstalling.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import OntologyError

if TYPE_CHECKING:
    from rdflib import Graph

_PACKAGE_DIR = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The directory holding ``kg.ttl``, ``shapes.ttl`` and ``vocab/``."""
    override = os.environ.get("KG_ONTOLOGY_DIR")
    candidates = [Path(override)] if override else []
    candidates += [_PACKAGE_DIR / "_ontology", _PACKAGE_DIR.parent / "ontology"]
    for candidate in candidates:
        if (candidate / "kg.ttl").is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise OntologyError(
        f"cannot find the ontology (kg.ttl); looked in {tried}. "
        "Reinstall the package or set KG_ONTOLOGY_DIR to the ontology/ directory."
    )


def package_dir() -> Path:
    """The directory of the ``kg`` package itself (its code and its named questions)."""
    return _PACKAGE_DIR


def load_turtle(path: Path) -> Graph:
    """Parse one Turtle file of the ontology or its vocabularies, naming it if it does not parse."""
    from rdflib import Graph

    g = Graph(bind_namespaces="core")
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError as e:
        raise OntologyError(f"{path}: file not found") from e
    except Exception as e:  # rdflib raises parser-specific types
        raise OntologyError(f"{path}: does not parse as Turtle ({e})") from e
    return g


def vocab_dir() -> Path:
    """The directory of SKOS vocabularies (forces, units, systems, themes...)."""
    return ontology_dir() / "vocab"


def queries_dir() -> Path:
    """The directory of named SPARQL questions (``*.rq``)."""
    return Path(str(resources.files("kg") / "queries"))
