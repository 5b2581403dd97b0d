"""Where the ontology and the named queries live at run time.

An installed wheel carries ``ontology/`` as ``kg/_ontology``; an editable
install reads the repository's ``ontology/`` directly. ``KG_ONTOLOGY_DIR``
overrides both, so a user can try a changed vocabulary without reinstalling.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from kg.errors import OntologyError

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


def vocab_dir() -> Path:
    """The directory of SKOS vocabularies (forces, units, systems, themes...)."""
    return ontology_dir() / "vocab"


def queries_dir() -> Path:
    """The directory of named SPARQL questions (``*.rq``)."""
    return Path(str(resources.files("kg") / "queries"))
