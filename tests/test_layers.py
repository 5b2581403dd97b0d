"""No module imports from a stage after its own: the layout's import rule, checked on the source.

The stages are listed in the order data flows through a build and then out
to readers (docs/architecture.md, docs/decisions/1100-stage-folders-and-the-import-rule.md).
A module may import from its own stage and from any stage before it, never
from one after it: ingest knows nothing of linking, the store nothing of
rendering. Every import counts, including those inside functions (made late
to keep ``import kg`` cheap) and those only for type checking: a late import
is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

#: Stages in data-flow order; each entry lists the module prefixes it owns.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    # Shared leaves: records passed between stages, errors, namespaces, where resources are, file helpers.
    ("shared", ("kg.errors", "kg.records", "kg.namespaces", "kg.resources", "kg.formats", "kg.cachefiles")),
    ("ingest", ("kg.ingest",)),
    ("structure", ("kg.structure",)),
    ("extract", ("kg.extract",)),
    ("entities", ("kg.entities",)),
    ("link", ("kg.link",)),
    ("graph", ("kg.graph",)),
    ("store", ("kg.store",)),
    # The build composes every stage above over a corpus; evaluation runs it against gold.
    ("build", ("kg.build",)),
    ("evaluate", ("kg.evaluate",)),
    ("query", ("kg.query",)),
    # The public face: the package itself (its version, KnowledgeGraph on first access) and the API class.
    ("api", ("kg", "kg.api")),
    ("render", ("kg.render",)),
    ("serve", ("kg.serve",)),
    ("cli", ("kg.cli", "kg.__main__")),
]


def stage_of(module: str) -> int:
    """The index in ``STAGES`` of the stage owning ``module`` (the longest matching prefix decides)."""
    best, length = -1, -1
    for index, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = index, len(prefix)
    if best < 0:
        raise AssertionError(f"{module}: in no stage of tests/test_layers.py; add it to the stage it belongs to")
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, module: str) -> list[tuple[int, str]]:
    """Every kg module that ``path`` (the source of ``module``) imports, at any depth of the file, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # "from kg.query import lookup" names a module; "from kg.query.sparql import run" a name in one.
                candidate = f"{base}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").is_file() or (
                    PACKAGE.parent / candidate.replace(".", "/") / "__init__.py"
                ).is_file()
                out.append((node.lineno, candidate if is_module else base))
    return [(line, name) for line, name in out if name == "kg" or name.startswith("kg.")]


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_stage():
    for path in SOURCES:
        stage_of(module_name(path))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE.parent).as_posix())
def test_imports_go_to_earlier_stages_only(path: Path):
    here = module_name(path)
    own = stage_of(here)
    where = path.relative_to(PACKAGE.parent)
    later = [
        f"{where}:{line}: {here} ({STAGES[own][0]}) imports {name} ({STAGES[stage_of(name)][0]})"
        for line, name in imported(path, here)
        if stage_of(name) > own
    ]
    assert not later, "imports from a later stage:\n" + "\n".join(later)


def test_the_rule_catches_a_late_import(tmp_path: Path):
    """The checker sees an import inside a function as well as one at the top."""
    source = tmp_path / "probe.py"
    source.write_text(
        "from . import sections\n\ndef f():\n    from kg.serve.app import serve\n    return serve\n", encoding="utf-8"
    )
    assert [name for _, name in imported(source, "kg.structure.probe")] == ["kg.structure.sections", "kg.serve.app"]
    assert stage_of("kg.serve.app") > stage_of("kg.ingest.corpus")
