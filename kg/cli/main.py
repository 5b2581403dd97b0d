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
    # Build into, or read from, a SPARQL 1.1 server instead of the embedded store (kg/store/remote.py).
    return click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="A SPARQL 1.1 server instead of the embedded store, e.g. http://127.0.0.1:7878 (Oxigraph server).",
    )(fn)


def _allow_service_option(fn: F) -> F:
    return click.option(
        "--allow-service",
        "allow_service",
        multiple=True,
        metavar="URL",
        help="An endpoint a SPARQL SERVICE clause may name (repeatable); every other SERVICE is refused.",
    )(fn)


def _resolve_store(store: Path | None) -> Path:
    from kg.store.generations import default_store_dir

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
@click.option("--strict", is_flag=True, help="Publish nothing and exit with status 1 if any file would be skipped.")
@click.option(
    "--allow-empty", is_flag=True, help="Publish a graph with no document even where the current one has some."
)
@click.option(
    "--allow-removal",
    is_flag=True,
    help="Publish even if more than half of the current graph's documents would be removed.",
)
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
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Documents extracted in parallel processes (0: one per CPU); the graph is the same for any N.",
)
@click.option("--full", is_flag=True, help="Re-extract every document, ignoring the per-document cache.")
def build(
    corpus_dir: Path,
    store: Path | None,
    strict: bool,
    quiet: bool,
    model: str,
    endpoint: str | None,
    jobs: int,
    full: bool,
    allow_empty: bool,
    allow_removal: bool,
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

    from kg.build.extractor import make_extractor
    from kg.build.pipeline import PublishPolicy
    from kg.build.pipeline import build as run_build
    from kg.entities.pipeline import model_report
    from kg.errors import BuildRefused
    from kg.ingest.corpus import corpus_files, shown

    store_dir = _resolve_store(store)
    total = len(corpus_files(corpus_dir))
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet, desc="building")

    def step(name: str) -> None:
        bar.set_postfix_str(shown(Path(name).name)[:40])
        bar.update(1)

    try:
        extractor = make_extractor(model=None if model == "none" else model)
        report = run_build(
            corpus_dir,
            store_dir,
            progress=step,
            extractor=extractor,
            jobs=jobs,
            endpoint=endpoint,
            incremental=not full,
            policy=PublishPolicy(strict=strict, allow_empty=allow_empty, allow_removal=allow_removal),
        )
    except BuildRefused as e:
        bar.close()
        _list_failures(e.failures)
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
    except KGError as e:
        bar.close()
        raise KGClickError(str(e)) from e
    except OSError as e:  # a safety net: the stages turn the errors they expect into KGError
        bar.close()
        raise KGClickError(f"{e.filename or store_dir}: {e.strerror or e}; the previous graph is unchanged") from e
    bar.close()
    click.echo(f"Built {report.store} in {report.seconds:.1f}s")
    click.echo(f"  documents:   {len(report.documents)}")
    reused = len(report.reused)  # documents whose cached extraction an incremental build reused
    click.echo(
        f"  re-extracted: {len(report.documents) - reused}, reused unchanged: {reused}; "
        f"link units re-linked: {len(report.relinked)}"
    )
    for kind, n in report.statements.items():
        click.echo(f"  {kind.replace('_', ' ') + ':':<24}{n}")
    click.echo(f"  discrepancies flagged:  {report.discrepancies}")
    click.echo(f"  triples:     {report.triples}")
    click.echo(f"  entities:    {model_report(extractor.model, model)}")
    click.echo(f"  validation:  {'conforms' if report.validation.conforms else 'VIOLATIONS'}")
    _list_failures((*report.failures, *report.warnings))


def _list_failures(failures: tuple[object, ...]) -> None:
    """The skipped files, one line each, names escaped (a newline in a name cannot forge a line); then warnings."""
    from kg.ingest.corpus import shown
    from kg.records import IngestFailure

    skipped = [f for f in failures if isinstance(f, IngestFailure)]
    if skipped:
        click.echo(f"Skipped {len(skipped)} file(s):", err=True)
        for failure in skipped:
            click.echo(f"  {shown(failure.path)}: {shown(failure.reason)}", err=True)
    for warning in failures:
        if isinstance(warning, str):
            click.echo(f"Warning: {warning}", err=True)


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
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="Rows of a named question's answer to print (default 100; the total goes to standard error).",
)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Rows to skip (--name).")
@click.option("--all", "all_rows", is_flag=True, help="Print a named question's whole answer (for exports).")
@_endpoint_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Stop the query after this many seconds.",
)
@_allow_service_option
def query(
    sparql: str | None,
    store: Path | None,
    name: str | None,
    params: tuple[str, ...],
    query_file: Path | None,
    fmt: str,
    list_queries: bool,
    limit: int | None,
    offset: int,
    all_rows: bool,
    endpoint: str | None,
    timeout: float,
    allow_service: tuple[str, ...],
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) against the built store.

    The default graph is the union of every document's named graph.

    \b
    Examples:
        kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
        kg query --name recommendations --param force=Durham --format csv
        kg query --name mentions --param entity=Sleuth --limit 20 --offset 20
        kg query --list

    A named question prints 100 rows at a time unless --limit or --all says
    otherwise; how many rows the whole answer has goes to standard error.
    """
    from kg.query.guard import QueryPolicy, set_policy
    from kg.query.sparql import format_result, list_named, run
    from kg.store.generations import open_dataset

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
        set_policy(dataset, QueryPolicy(timeout=timeout, allow_service=frozenset(allow_service)))
        if name:
            from kg.query.paging import DEFAULT_LIMIT, run_named_page

            if all_rows and limit is not None:
                raise click.UsageError("give --limit or --all, not both")
            page = run_named_page(
                dataset,
                name,
                bindings,
                limit=None if all_rows else DEFAULT_LIMIT if limit is None else limit,
                offset=offset,
            )
            result = page.result
            if page.rows < page.total or offset:
                shown = f"rows {offset + 1}-{offset + page.rows}" if page.rows else "no rows"
                more = f"; --offset {offset + page.rows} for more" if page.more else ""
                click.echo(f"{shown} of {page.total}{more}", err=True)
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else str(sparql)
            result = run(dataset, text, bindings)
        click.echo(format_result(result, fmt), nl=False)
    except KGError as e:
        raise KGClickError(str(e)) from e


@cli.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--pages",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the documents (default: beside each gold file, then ../pages).",
)
@click.option("--show", is_flag=True, help="Also list every missed gold statement and every false find.")
def evaluate(gold: tuple[Path, ...], pages: Path | None, show: bool) -> None:
    """Score statement extraction against gold files: precision and recall per kind.

    GOLD is one or more gold files in the development-set format, or folders
    of them (docs/statements.md). Each document is read as ``kg build``
    reads it; the table gives, per kind, the statements stated in gold,
    found, and right, then finding polarity, recaps, grades and grade counts.

    \b
    Example:
        kg evaluate tests/data/formats
        kg evaluate ../devset/gold --pages ../devset/pages --show
    """
    from kg.evaluate.statements import evaluate as run_evaluate
    from kg.evaluate.statements import table

    try:
        result = run_evaluate(gold, pages=pages)
    except KGError as e:
        raise KGClickError(str(e)) from e
    click.echo(table(result))
    if show:
        for line in result.misses:
            click.echo(f"missed  {line}")
        for line in result.false:
            click.echo(f"extra   {line}")


@cli.command()
@_store_option
@_endpoint_option
def validate(store: Path | None, endpoint: str | None) -> None:
    """Validate the built graph against ontology/shapes.ttl (SHACL).

    With --endpoint, first check the server's build status graph: a remote
    build that did not finish, or a graph it wrote that is missing, is a
    problem too. Exit status 0 when the graph conforms, 1 with problems listed.

    \b
    Example:
        kg validate --store build/store
        kg validate --endpoint http://127.0.0.1:7878
    """
    from kg.graph.validate import validate as run_validate
    from kg.store.generations import open_dataset, union_graph

    problems: list[str] = []
    try:
        if endpoint:
            from kg.store.remote import remote_state, remote_union

            problems = remote_state(endpoint).problems(endpoint)
            data = remote_union(endpoint)
        else:
            data = union_graph(open_dataset(_resolve_store(store)))
        report = run_validate(data)
    except KGError as e:
        raise KGClickError(str(e)) from e
    for problem in problems:
        click.echo(problem)
    if report.conforms and not problems:
        click.echo(f"conforms ({len(data)} triples checked)")
        return
    if not report.conforms:
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
    from kg.query.sparql import run
    from kg.store.generations import open_dataset

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
    from kg.query.sparql import format_result, run_named
    from kg.store.generations import open_dataset

    params = {"type": entity_type} if entity_type else {}
    try:
        result = run_named(open_dataset(_resolve_store(store)), "candidates" if candidates else "entities", params)
        click.echo(format_result(result, fmt), nl=False)
    except KGError as e:
        raise KGClickError(str(e)) from e


@cli.command()
@_store_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="Folder to write the site into: a new or empty folder, or a site written by kg site before (replaced).",
)
def site(store: Path | None, out_dir: Path) -> None:
    """Write the static HTML site: forces, publications, statements, entities, themes, trails.

    The site works opened from disk (no server, no network) or hosted
    anywhere; it includes network views and an offline search box.

    \b
    Example:
        kg site --out build/site && xdg-open build/site/index.html
    """
    from kg.render.site import build_site
    from kg.store.generations import open_dataset

    try:
        report = build_site(open_dataset(_resolve_store(store)), out_dir)
    except KGError as e:
        raise KGClickError(str(e)) from e
    click.echo(f"Wrote {report.pages} pages and {report.views} network views to {report.out_dir}")
    click.echo(f"Open {(report.out_dir / 'index.html').resolve().as_uri()}")


@cli.command()
@_store_option
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="The static site to serve; written from the store first if it has no index.html.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind; 0.0.0.0 exposes it to the network."
)
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="Query time limit, seconds."
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Largest result (rows, or triples for CONSTRUCT/DESCRIBE) the endpoint returns.",
)
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Query worker processes.")
@click.option(
    "--queue",
    type=click.IntRange(min=0),
    default=16,
    show_default=True,
    help="Queries that may wait for a free worker; more are answered 503 at once.",
)
@click.option(
    "--queue-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may wait for a free worker before it is answered 503.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1024),
    default=1_000_000,
    show_default=True,
    help="Largest request body in bytes; larger ones get 413.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another Host name to answer to (repeatable), e.g. a reverse proxy's public name; '*' for any.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="An origin whose pages may query the endpoint (repeatable), e.g. https://yasgui.triply.cc; '*' for any.",
)
@_allow_service_option
def serve(
    store: Path | None,
    site_dir: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    queue: int,
    queue_timeout: float,
    max_body: int,
    allow_hosts: tuple[str, ...],
    cors_origins: tuple[str, ...],
    allow_service: tuple[str, ...],
) -> None:
    """Serve the site, a read-only SPARQL 1.1 endpoint (/sparql) and a query page (/query).

    SPARQL Update and SERVICE are refused; each query has a time limit and
    a result-size limit, waits in a bounded queue, and is stopped when its
    client goes away. Binds to 127.0.0.1 and answers only to its own host
    names unless told otherwise.

    \b
    Example:
        kg serve --port 7879
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
            http://127.0.0.1:7879/sparql
        kg serve --cors-origin https://yasgui.triply.cc   # let the hosted YASGUI query it
    """
    import gc

    from kg.render.site import build_site
    from kg.serve.app import serve as run_server
    from kg.store.generations import current_generation, open_dataset

    store_dir = _resolve_store(store)
    try:
        if current_generation(store_dir) is None:
            raise KGError(f"{store_dir}: no built graph here; run `kg build --store {store_dir}` first")
        if not (site_dir / "index.html").is_file():
            click.echo(f"Writing the site to {site_dir} ...", err=True)
            site_data = open_dataset(store_dir)
            build_site(site_data, site_dir)
            # The dataset is held by reference cycles: freed now, or the server would keep this
            # generation's files open for its whole life, after builds replace and delete it.
            del site_data
            gc.collect()
    except KGError as e:
        raise KGClickError(str(e)) from e
    click.echo(f"Serving {site_dir} and the graph in {store_dir} (read-only)", err=True)
    click.echo(f"  site:     http://{host}:{port}/", err=True)
    click.echo(f"  query:    http://{host}:{port}/query", err=True)
    click.echo(f"  SPARQL:   http://{host}:{port}/sparql", err=True)
    run_server(
        store_dir,
        site_dir,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        queue=queue,
        queue_timeout=queue_timeout,
        max_body=max_body,
        allow_hosts=allow_hosts,
        cors_origins=cors_origins,
        allow_service=allow_service,
    )


@cli.command()
@click.argument("statement")
@_store_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def trail(statement: str, store: Path | None, fmt: str) -> None:
    """Print the follow-up trail of a statement, oldest first, with quotes.

    STATEMENT is a statement IRI or words from its text. Each link shows the
    earlier and later publication, the status the later one gives the
    matter, the linker's confidence and the exact quotes on both ends.
    Links are inferred by the linker, not stated by the reports.

    \b
    Examples:
        kg trail "go missing"
        kg trail "registered sex offenders" --format csv
    """
    from kg.query.sparql import format_result, rows_as_text, run_named
    from kg.store.generations import open_dataset

    try:
        result = run_named(open_dataset(_resolve_store(store)), "trail", {"statementText": statement})
    except KGError as e:
        raise KGClickError(str(e)) from e
    if fmt != "text":
        click.echo(format_result(result, fmt), nl=False)
        return
    rows = rows_as_text(result)
    if not rows:
        click.echo(f"No follow-up links for statements matching {statement!r}.")
        return
    for raw in rows:
        v = {k: " ".join(value.split()) for k, value in raw.items()}
        click.echo(f"{_when(v, 'earlier')}  {v['earlierPublication']}")
        click.echo(f"    \u201c{v['earlierQuote']}\u201d{_latest(v, 'earlier')}")
        arrows = {"restates": "restated by", "register": "tracked in the register by"}
        arrow = arrows.get(v["relation"], "followed up by")
        dated = f", status dated {v['statusDate']}" if v.get("statusDate") else ""
        click.echo(f"  {arrow} ({v['status']}{dated}, confidence {v['confidence']})")
        if v.get("explanation"):
            click.echo(f"  why: {v['explanation']}")
        click.echo(f"{_when(v, 'later')}  {v['laterPublication']}")
        click.echo(f"    \u201c{v['laterQuote']}\u201d{_latest(v, 'later')}")
        click.echo("")


def _latest(row: dict[str, str], end: str) -> str:
    """A trail end's latest status, where it has one (a restatement carries that of what it restates)."""
    status = row.get(f"{end}Latest")
    return f"\n    latest status: {status}" if status else ""


def _when(row: dict[str, str], end: str) -> str:
    """A trail end's place in time and what it is, with the publication dates beside it:
    "2019-10 (inspected; published 2020-03, edition 2022-09-08)"."""
    key = row.get(f"{end}Date") or "????"
    notes = [row.get(f"{end}Basis") or "undated"]
    issued, edition = row.get(f"{end}Issued"), row.get(f"{end}Edition")
    published = [p for p in (f"published {issued}" if issued else "", f"edition {edition}" if edition else "") if p]
    if published:
        notes.append(", ".join(published))
    return f"{key} ({'; '.join(notes)})"


@cli.command()
@_store_option
@click.option("--force", "force", help="Only this force (part of its name, e.g. Durham).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (required for xlsx; CSV goes to stdout otherwise).",
)
@click.option("--force-overwrite", "overwrite", is_flag=True, help="Overwrite an existing output file.")
@click.option("--counts", is_flag=True, help="Write counts of matters by latest status per force instead (CSV).")
def tracker(
    store: Path | None, force: str | None, fmt: str, output: Path | None, overwrite: bool, counts: bool
) -> None:
    """Write the recommendations tracker: one row per matter (recommendation, area for improvement, cause of concern).

    Each row gives the publication, date, theme, text, the latest known
    status (the recommendations register's where it has one, else that of
    the most recent later publication that speaks to the matter, else "no
    later evidence"), the inferred status beside the register's and any
    disagreement, the evidence quote, the source reference (file and
    character offsets), where the matter was restated, and its evidence
    chain in time order. With --counts: matters by latest status per force.

    \b
    Examples:
        kg tracker --force Durham > durham.csv
        kg tracker --force Durham --format xlsx -o durham.xlsx
        kg tracker --counts
    """
    from kg.render.tracker import counts_csv, to_csv, tracker_rows, write_xlsx
    from kg.store.generations import open_dataset

    if output is not None and output.exists() and not overwrite:
        raise click.UsageError(f"{output} exists; use --force-overwrite to replace it")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    try:
        rows = tracker_rows(open_dataset(_resolve_store(store)), force=force)
    except KGError as e:
        raise KGClickError(str(e)) from e
    if counts:
        text = counts_csv(rows)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    if fmt == "xlsx":
        assert output is not None
        write_xlsx(rows, output)
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)
    elif output is not None:
        output.write_text(to_csv(rows), encoding="utf-8")
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)
    else:
        click.echo(to_csv(rows), nl=False)


@cli.command()
@_store_option
@_endpoint_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv"]),
    required=True,
    help="RDF (turtle, trig, nquads, jsonld), the networkx projection (graphml, gexf for Gephi), "
    "or CSV tables of statements, entities, mentions and links.",
)
@click.option(
    "--publication", metavar="ID", help="RDF formats only: just this publication's named graph (document id)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (a directory for csv); default: standard output (csv needs a directory).",
)
def export(store: Path | None, endpoint: str | None, fmt: str, publication: str | None, output: Path | None) -> None:
    """Export the graph for other tools.

    Turtle merges every named graph into one; TriG, N-Quads and JSON-LD keep
    the named graphs (one per document). GraphML and GEXF hold the networkx
    projection: publications, sections, statements and the entities they
    name, with domain edges only. csv writes statements.csv, entities.csv,
    mentions.csv and links.csv into the --output directory.

    \b
    Examples:
        kg export --format trig -o graph.trig
        kg export --format turtle --publication durham-peel-2023-report
        kg export --format gexf -o findings.gexf
        kg export --format csv -o tables/
    """
    from kg.query.traverse import to_networkx
    from kg.render.export import GRAPH_FORMATS, export_graph, export_rdf, export_tables
    from kg.store.generations import open_dataset

    if publication is not None and fmt in (*GRAPH_FORMATS, "csv"):
        raise click.UsageError("--publication applies to the RDF formats (turtle, trig, nquads, jsonld)")
    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes four files: give a directory with --output DIR")
    try:
        dataset = open_dataset(endpoint or _resolve_store(store))
        if fmt == "csv":
            assert output is not None
            for path in export_tables(dataset, output):
                click.echo(f"wrote {path}", err=True)
            return
        if fmt in GRAPH_FORMATS:
            data = export_graph(to_networkx(dataset), fmt)
        else:
            data = export_rdf(dataset, fmt, publication=publication)
    except KGError as e:
        raise KGClickError(str(e)) from e
    if output is None:
        click.echo(data, nl=False)  # bytes go to stdout unchanged
    else:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)


def _register_commands() -> None:
    from kg.cli.search import search

    cli.add_command(search)


_register_commands()


def main() -> None:
    """Entry point for ``python -m kg``."""
    cli()
