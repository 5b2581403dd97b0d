"""The ``kg`` command: build the graph, query it, validate it, summarise it.

Data goes to standard output and messages to standard error. Exit codes:
0 success, 1 the command ran and found problems (validation violations,
skipped files under ``--strict``), 2 an error that stopped it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg import __version__
from kg.errors import KGError

F = TypeVar("F", bound=Callable[..., Any])


class KGClickError(click.ClickException):
    """A ``KGError`` shown to the user, exit code 2."""

    exit_code = 2


def _store_option(fn: F) -> F:
    return click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Store directory (default: $KG_STORE or ./build/store).",
    )(fn)


def _endpoint_option(fn: F) -> F:
    # issue 8: the remote-store path (kg/remote.py)
    return click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="A SPARQL 1.1 server instead of the embedded store, e.g. http://127.0.0.1:7878 (Oxigraph server).",
    )(fn)


def _resolve_store(store: Path | None) -> Path:
    from kg.store import default_store_dir

    return store if store is not None else default_store_dir()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Knowledge graph of police inspection findings.

    Turns HMICFRS reports into one RDF graph of findings, recommendations,
    areas for improvement, grades and case-audit figures, each traceable to
    its exact source text, and answers SPARQL over it.

    \b
    Start here:
        kg build corpus/              # build the graph into ./build/store
        kg stats                      # what is in it
        kg query --list               # the named questions
        kg query --name grades --param force=Durham
    """


@cli.command()
@click.argument(
    "corpus_dir", required=False, default="corpus", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@_store_option
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file was skipped.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--model",
    default="auto",
    show_default=True,
    help="spaCy model for organisations, people and places: 'auto' (use the pinned English model "
    "if installed), 'none' (rule-based entities only), or a model package name.",
)
@_endpoint_option
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Extraction processes (0: one per CPU)."
)
def build(
    corpus_dir: Path, store: Path | None, strict: bool, quiet: bool, model: str, endpoint: str | None, jobs: int
) -> None:
    """Build the graph from CORPUS_DIR (default: corpus) into the store.

    Every document is read, cut into sections, its statements extracted and
    written to its own named graph; the result is validated against the
    SHACL shapes and only then replaces the previous graph. Files that
    cannot be read are skipped and listed with the reason.

    \b
    Example:
        kg build corpus/ --store build/store
    """
    from tqdm import tqdm

    from kg.extractor import make_extractor
    from kg.ingest.corpus import corpus_files
    from kg.pipeline import build as run_build

    store_dir = _resolve_store(store)
    total = len(corpus_files(corpus_dir))
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet, desc="building")

    def step(name: str) -> None:
        bar.set_postfix_str(Path(name).name[:40])
        bar.update(1)

    try:
        extractor = make_extractor(model=None if model == "none" else model)
        report = run_build(corpus_dir, store_dir, progress=step, extractor=extractor, jobs=jobs, endpoint=endpoint)
    except KGError as e:
        bar.close()
        raise KGClickError(str(e)) from e
    bar.close()
    click.echo(f"Built {report.store} in {report.seconds:.1f}s")
    click.echo(f"  documents:   {len(report.documents)}")
    for kind, n in report.statements.items():
        click.echo(f"  {kind.replace('_', ' ') + ':':<24}{n}")
    click.echo(f"  discrepancies flagged:  {report.discrepancies}")
    click.echo(f"  triples:     {report.triples}")
    click.echo(f"  validation:  {'conforms' if report.validation.conforms else 'VIOLATIONS'}")
    if report.failures:
        click.echo(f"Skipped {len(report.failures)} file(s):", err=True)
        for failure in report.failures:
            click.echo(f"  {failure.path}: {failure.reason}", err=True)
        if strict:
            sys.exit(1)


@cli.command()
@click.argument("sparql", required=False)
@_store_option
@click.option("--name", "-n", help="Run a named question from kg/queries (see --list).")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Value for a named question's parameter; repeatable.",
)
@click.option(
    "--file",
    "-f",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the SPARQL query from a file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="csv and json are the SPARQL 1.1 results formats.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named questions and their parameters.")
@_endpoint_option
def query(
    sparql: str | None,
    store: Path | None,
    name: str | None,
    params: tuple[str, ...],
    query_file: Path | None,
    fmt: str,
    list_queries: bool,
    endpoint: str | None,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) against the built store.

    The default graph is the union of every document's named graph.

    \b
    Examples:
        kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        kg query --name recommendations --param force=Durham --format csv
        kg query --list
    """
    from kg.query import format_result, list_named, run, run_named
    from kg.store import open_dataset

    try:
        if list_queries:
            for q in list_named():
                click.echo(f"{q.name}: {q.summary}")
                for p, desc in q.params.items():
                    click.echo(f"    --param {p}=...  {desc}")
            return
        given = [x for x in (sparql, name, query_file) if x]
        if len(given) != 1:
            raise click.UsageError("give exactly one of: a SPARQL string, --name NAME, or --file FILE")
        bindings: dict[str, str] = {}
        for item in params:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise click.UsageError(f"--param {item!r}: expected KEY=VALUE")
            bindings[key.strip()] = value
        dataset = open_dataset(endpoint or _resolve_store(store))
        if name:
            result = run_named(dataset, name, bindings)
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else str(sparql)
            result = run(dataset, text, bindings)
        click.echo(format_result(result, fmt), nl=False)
    except KGError as e:
        raise KGClickError(str(e)) from e


@cli.command()
@_store_option
def validate(store: Path | None) -> None:
    """Validate the built graph against ontology/shapes.ttl (SHACL).

    Exit status 0 when the graph conforms, 1 with violations listed.

    \b
    Example:
        kg validate --store build/store
    """
    from kg.store import open_dataset, union_graph
    from kg.validate import validate as run_validate

    try:
        data = union_graph(open_dataset(_resolve_store(store)))
        report = run_validate(data)
    except KGError as e:
        raise KGClickError(str(e)) from e
    if report.conforms:
        click.echo(f"conforms ({len(data)} triples checked)")
        return
    click.echo(f"{len(report.violations)} violation(s):")
    for v in report.violations:
        click.echo(f"  {v.focus} {v.path}: {v.message}")
    sys.exit(1)


@cli.command()
@_store_option
def stats(store: Path | None) -> None:
    """Summarise the built graph: publications, statements by kind, triples.

    \b
    Example:
        kg stats
    """
    from kg.query import run
    from kg.store import open_dataset

    try:
        dataset = open_dataset(_resolve_store(store))
        pubs = run(
            dataset,
            """
            PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?kind ?title WHERE { ?p hmi:documentKind ?kind ; dcterms:title ?title } ORDER BY ?kind ?title""",
        )
        kinds = run(
            dataset,
            """
            PREFIX hmi: <https://w3id.org/hmi-kg/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class . ?class rdfs:subClassOf hmi:Statement }
            GROUP BY ?class ORDER BY ?class""",
        )
        triples = run(dataset, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    except KGError as e:
        raise KGClickError(str(e)) from e
    click.echo("Publications:")
    for row in pubs:
        click.echo(f"  [{row[0]}] {row[1]}")  # type: ignore[index]
    click.echo("Statements:")
    for row in kinds:
        click.echo(f"  {str(row[0]).rsplit('#', 1)[-1]:<22}{row[1]}")  # type: ignore[index]
    for row in triples:
        click.echo(f"Triples (union of named graphs): {row[0]}")  # type: ignore[index]


@cli.command()
@_store_option
@click.option("--candidates", is_flag=True, help="List names no vocabulary entry knows, for review.")
@click.option("--type", "entity_type", help="Only this label (FORCE, UNIT, SYSTEM, LEGISLATION, PARTNER, ORG...).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def entities(store: Path | None, candidates: bool, entity_type: str | None, fmt: str) -> None:
    """List the entities the text names, with mention counts.

    With --candidates, list the names no vocabulary entry knows (a team,
    system or operation the text names, an organisation the statistical
    model found): each is kept in the graph flagged for review. Adding one
    to the vocabulary is one line of Turtle in ontology/vocab/.

    \b
    Examples:
        kg entities --type SYSTEM
        kg entities --candidates
    """
    from kg.query import format_result, run_named
    from kg.store import open_dataset

    params = {"type": entity_type} if entity_type else {}
    try:
        result = run_named(open_dataset(_resolve_store(store)), "candidates" if candidates else "entities", params)
        click.echo(format_result(result, fmt), nl=False)
    except KGError as e:
        raise KGClickError(str(e)) from e


def main() -> None:
    """Entry point for ``python -m kg``."""
    cli()
