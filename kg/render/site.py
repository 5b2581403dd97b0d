"""The static site: HTML pages for publications, statements, entities, themes, forces and trails.

Pages are Jinja2 templates with autoescape on, so every piece of document
text is escaped wherever it is shown; nothing is marked ``|safe`` except
JSON already escaped for a ``<script>`` element. All links are relative, so
the site works opened from disk (``file://``) as well as served; the search
index is a ``.js`` file assigning a variable because ``file://`` pages cannot
fetch JSON. Network views are separate pages (see :mod:`kg.render.views`)
shown in iframes.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Dataset

from kg.errors import KGError
from kg.render.model import KIND_NAMES, SectionRec, SiteModel, StatementRec, load_model, slug
from kg.render.views import MAX_NODES, NODE_STYLES, VEdge, VNode, copy_assets, pack_pages, render_view

_HERE = Path(__file__).resolve().parent
#: The file every site written here holds: a folder with it is one ``kg site`` may replace.
MARKER = ".kg-site"
_MARKER_TEXT = (
    "This folder was written by `kg site`; the next `kg site --out` to this folder replaces it whole.\n"
    "Delete this file to keep kg from replacing the folder.\n"
)


class SiteOutputError(KGError):
    """The output folder holds something ``kg site`` did not write, so it will not replace it."""


KIND_ORDER = list(KIND_NAMES)
#: Kinds a force overview shows (findings stay on the publication views).
OVERVIEW_KINDS = ("Recommendation", "CauseOfConcern", "AreaForImprovement", "GradedJudgment")


@dataclass(frozen=True, slots=True)
class SiteReport:
    """What a site build wrote."""

    out_dir: Path
    pages: int
    views: int


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


class _Site:
    """Writes every page of one site; holds the model and the URL scheme."""

    def __init__(self, model: SiteModel, out: Path) -> None:
        self.m = model
        self.out = out
        self.env = _env()
        self.pages = 0
        self.views = 0

    # -- URLs (relative to the site root) --------------------------------
    def url(self, iri: str) -> str:
        m = self.m
        if iri in m.publications:
            return f"publication/{slug(iri)}.html"
        if iri in m.statements:
            return f"statement/{slug(iri)}.html"
        if iri in m.forces:
            return f"force/{slug(iri)}.html"
        if iri in m.themes:
            return f"theme/{slug(iri)}.html"
        return f"entity/{slug(iri)}.html"

    def write(self, rel: str, template: str, **ctx: object) -> None:
        depth = rel.count("/")
        root = "../" * depth
        html = self.env.get_template(template).render(
            root=root, url=lambda iri: root + self.url(iri), m=self.m, styles=NODE_STYLES, **ctx
        )
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages += 1

    def write_views(
        self, name: str, pages: list[list[VNode]], edges: list[VEdge], *, hierarchical: bool = False
    ) -> list[str]:
        """Write one view page per node page; return their URLs relative to the site root."""
        urls = []
        for i, nodes in enumerate(pages, start=1):
            rel = f"views/{name}-{i}.html"
            html = render_view(nodes, edges, hierarchical=hierarchical, assets="../static/vis/")
            path = self.out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            urls.append(rel)
            self.views += 1
        return urls

    # -- nodes -------------------------------------------------------------
    def node(self, iri: str, level: int | None = None) -> VNode:
        m = self.m
        url = "../" + self.url(iri)
        if iri in m.statements:
            s = m.statements[iri]
            pub = m.publications.get(s.publication)
            where = f" ({pub.title}, {pub.issued or 'undated'})" if pub else ""
            return VNode(id=iri, type=s.kind, label=s.kind_name, title=f"{s.label}{where}", url=url, level=level)
        if iri in m.publications:
            p = m.publications[iri]
            return VNode(
                id=iri,
                type="publication",
                label=p.title,
                title=f"{p.title} ({p.issued or 'undated'})",
                url=url,
                level=level,
            )
        if iri in m.forces:
            return VNode(id=iri, type="force", label=m.forces[iri], title=m.forces[iri], url=url, level=level)
        if iri in m.themes:
            return VNode(id=iri, type="theme", label=m.themes[iri], title=m.themes[iri], url=url, level=level)
        etype = m.entity_types.get(iri, "entity")
        return VNode(id=iri, type="entity", label=m.name(iri), title=f"{m.name(iri)} [{etype}]", url=url, level=level)

    def statement_group(
        self, s: StatementRec, *, themes: bool = True, entities: bool = True
    ) -> tuple[list[VNode], list[VEdge]]:
        nodes = [self.node(s.iri)]
        edges = []
        if entities:
            for e in s.entities:
                if e not in self.m.forces:
                    nodes.append(self.node(e))
                    edges.append(VEdge(s.iri, e, "names"))
        if themes:
            for t in s.themes:
                nodes.append(self.node(t))
                edges.append(VEdge(s.iri, t, "about"))
        return nodes, edges

    # -- pages -----------------------------------------------------------
    def build(self) -> None:
        m = self.m
        static = self.out / "static"
        static.mkdir(parents=True, exist_ok=True)
        for name in ("site.css", "search.js"):
            shutil.copyfile(_HERE / "static" / name, static / name)
        copy_assets(static / "vis")
        self.write_search_index()
        self.write("index.html", "index.html", **self.index_context())
        self.write("search.html", "search.html")
        self.write("entities.html", "entities.html", by_type=self.entities_by_type())
        for pub in m.publications:
            self.publication_page(pub)
        for iri in m.statements:
            self.statement_page(iri)
        for entity in m.entity_types:
            if entity not in m.forces:
                self.entity_page(entity)
        for theme in m.themes:
            self.theme_page(theme)
        for force in m.forces:
            self.force_page(force)
        done: set[str] = set()
        for lk in m.links:
            if lk.earlier in done or lk.earlier not in m.statements:
                continue
            members, _links = m.trail(lk.earlier)
            done.update(s.iri for s in members)
            self.trail_page(members[0].iri)

    def index_context(self) -> dict[str, object]:
        m = self.m
        pubs = sorted(m.publications.values(), key=lambda p: (p.issued, p.title))
        counts: dict[str, int] = defaultdict(int)
        kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for s in m.statements.values():
            counts[s.publication] += 1
            kinds[s.publication][s.kind] += 1
        forces = []
        for f, label in sorted(m.forces.items(), key=lambda kv: kv[1]):
            fp = [p for p in pubs if p.force == f]
            forces.append((f, label, len(fp), sum(counts[p.iri] for p in fp)))
        themes = sorted(((t, lbl, len(m.statements_about(t))) for t, lbl in m.themes.items()), key=lambda x: x[1])
        types: dict[str, int] = defaultdict(int)
        for t in m.entity_types.values():
            types[t] += 1
        return {
            "forces": forces,
            "pubs": [(p, counts[p.iri], dict(kinds[p.iri])) for p in pubs],
            "themes": themes,
            "types": sorted(types.items()),
            "n_statements": len(m.statements),
            "n_links": len(m.links),
            "kind_names": KIND_NAMES,
        }

    def entities_by_type(self) -> list[tuple[str, list[tuple[str, str, int]]]]:
        m = self.m
        out: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for e, t in m.entity_types.items():
            out[t].append((e, m.name(e), len(m.statements_naming(e))))
        return [(t, sorted(v, key=lambda x: (-x[2], x[1]))) for t, v in sorted(out.items())]

    def publication_page(self, iri: str) -> None:
        m = self.m
        pub = m.publications[iri]
        statements = m.statements_of(iri)
        sections = sorted((s for s in m.sections.values() if s.publication == iri), key=lambda s: s.order)
        by_section: dict[str | None, list[StatementRec]] = defaultdict(list)
        for s in statements:
            by_section[s.section if s.section in m.sections else None].append(s)
        blocks: list[tuple[SectionRec | None, list[StatementRec]]] = []
        if by_section.get(None):
            blocks.append((None, by_section[None]))
        blocks += [(sec, by_section.get(sec.iri, [])) for sec in sections]
        anchors = [self.node(iri)]
        edges: list[VEdge] = []
        groups = []
        for s in sorted(statements, key=lambda s: (_kind_rank(s.kind), s.order)):
            nodes, e = self.statement_group(s)
            groups.append(nodes)
            edges += e
            edges.append(VEdge(iri, s.iri, s.kind_name))
        views = self.write_views(f"publication-{slug(iri)}", pack_pages(anchors, groups), edges)
        self.write(self.url(iri), "publication.html", pub=pub, blocks=blocks, views=views, n=len(statements))

    def statement_page(self, iri: str) -> None:
        m = self.m
        s = m.statements[iri]
        members, links = m.trail(iri)
        own = m.links_of(iri)
        section = m.sections.get(s.section or "")
        trail_url = f"trail/{slug(members[0].iri)}.html" if own else None
        self.write(
            self.url(iri),
            "statement.html",
            s=s,
            pub=m.publications.get(s.publication),
            section=section,
            links=own,
            trail_url=trail_url,
        )

    def entity_page(self, iri: str) -> None:
        m = self.m
        statements = m.statements_naming(iri)
        grouped = self.group_by_force_and_kind(statements)
        anchors = [self.node(iri)]
        edges: list[VEdge] = []
        groups = []
        for s in sorted(statements, key=lambda s: (_kind_rank(s.kind), m.time_key(s))):
            nodes = [self.node(s.iri), self.node(s.publication)]
            edges += [VEdge(s.iri, iri, "names"), VEdge(s.publication, s.iri, "contains")]
            for other in s.entities:
                if other != iri and other not in m.forces:
                    nodes.append(self.node(other))
                    edges.append(VEdge(s.iri, other, "also names"))
            groups.append(nodes)
        views = self.write_views(f"entity-{slug(iri)}", pack_pages(anchors, groups), edges)
        self.write(
            self.url(iri),
            "entity.html",
            iri=iri,
            etype=m.entity_types.get(iri, ""),
            grouped=grouped,
            n=len(statements),
            views=views,
        )

    def theme_page(self, iri: str) -> None:
        statements = self.m.statements_about(iri)
        self.write(
            self.url(iri), "theme.html", iri=iri, grouped=self.group_by_force_and_kind(statements), n=len(statements)
        )

    def force_page(self, iri: str) -> None:
        m = self.m
        pubs = sorted((p for p in m.publications.values() if p.force == iri), key=lambda p: (p.issued, p.title))
        anchors = [self.node(iri)] + [self.node(p.iri) for p in pubs]
        edges = [VEdge(iri, p.iri, "inspected in") for p in pubs]
        groups = []
        key = [s for p in pubs for s in m.statements_of(p.iri) if s.kind in OVERVIEW_KINDS]
        for s in sorted(key, key=lambda s: (_kind_rank(s.kind), m.time_key(s))):
            nodes, e = self.statement_group(s, entities=False)
            groups.append(nodes)
            edges += e + [VEdge(s.publication, s.iri, s.kind_name)]
        for lk in m.links:
            edges.append(VEdge(lk.earlier, lk.later, lk.status or lk.relation))
        views = self.write_views(f"force-{slug(iri)}", pack_pages(anchors, groups), edges)
        statements = [s for p in pubs for s in m.statements_of(p.iri)]
        self.write(
            self.url(iri),
            "force.html",
            iri=iri,
            pubs=pubs,
            views=views,
            grouped=self.group_by_force_and_kind(statements),
            n=len(statements),
        )

    def trail_page(self, start: str) -> None:
        m = self.m
        members, links = m.trail(start)
        dates = sorted({m.time_key(s)[0] for s in members})
        level = {d: i for i, d in enumerate(dates)}
        nodes = [self.node(s.iri, level=level[m.time_key(s)[0]]) for s in members][:MAX_NODES]
        edges = [VEdge(lk.earlier, lk.later, f"{lk.relation}: {lk.status}") for lk in links]
        views = self.write_views(f"trail-{slug(start)}", [nodes], edges, hierarchical=True)
        rank = {s.iri: i for i, s in enumerate(members)}
        self.write(f"trail/{slug(start)}.html", "trail.html", members=members, links=links, views=views, rank=rank)

    def group_by_force_and_kind(
        self, statements: Iterable[StatementRec]
    ) -> list[tuple[str, list[tuple[str, list[StatementRec]]]]]:
        m = self.m
        out: dict[str, dict[str, list[StatementRec]]] = defaultdict(lambda: defaultdict(list))
        for s in statements:
            force = m.force_of(s)
            out[m.forces.get(force, "No force named") if force else "No force named"][s.kind].append(s)
        return [
            (
                force,
                [
                    (KIND_NAMES.get(k, k), sorted(v, key=m.time_key))
                    for k, v in sorted(kinds.items(), key=lambda kv: _kind_rank(kv[0]))
                ],
            )
            for force, kinds in sorted(out.items())
        ]

    def write_search_index(self) -> None:
        m = self.m
        entries: list[dict[str, str]] = []
        for p in m.publications.values():
            entries.append({"t": "Publication", "l": p.title, "u": self.url(p.iri), "x": p.issued})
        for f, label in m.forces.items():
            entries.append({"t": "Force", "l": label, "u": self.url(f), "x": ""})
        for t, label in m.themes.items():
            entries.append({"t": "Theme", "l": label, "u": self.url(t), "x": ""})
        for e, etype in m.entity_types.items():
            if e not in m.forces:
                entries.append({"t": f"Entity ({etype})", "l": m.name(e), "u": self.url(e), "x": ""})
        for s in sorted(m.statements.values(), key=m.time_key):
            pub = m.publications.get(s.publication)
            names = " ".join(m.name(e) for e in s.entities)
            entries.append(
                {
                    "t": s.kind_name,
                    "l": s.label,
                    "u": self.url(s.iri),
                    "x": f"{(s.exact or s.label)[:1500]} {names} {pub.title if pub else ''}",
                }
            )
        text = json.dumps(entries, ensure_ascii=True, sort_keys=True)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        (self.out / "static" / "search-index.js").write_text(
            "// Generated by kg site: the search index, as a script so file:// pages can load it.\n"
            f"window.KG_SEARCH = {text};\n",
            encoding="utf-8",
        )


def build_site(dataset: Dataset, out_dir: Path) -> SiteReport:
    """Render the whole site from a dataset into ``out_dir`` (replaced if it is a site written here before)."""
    _check_replaceable(Path(out_dir))  # before the slow part
    model = load_model(dataset)
    return build_site_from_model(model, out_dir)


def build_site_from_model(model: SiteModel, out_dir: Path) -> SiteReport:
    """Render the site from an already loaded model into ``out_dir``.

    The site is written next to ``out_dir`` and swapped in at the end, so a
    server reading the old site never sees a half-written one. ``out_dir``
    is replaced only if it is new, empty, or a site written here before
    (it holds :data:`MARKER`): anything else is refused, never deleted.

    Raises:
        SiteOutputError: ``out_dir`` is a file, a link, the current folder (or
            one holding it), or a folder with files this command did not write.
    """
    out_dir = Path(out_dir)
    _check_replaceable(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    name = out_dir.resolve().name
    # Fresh, uniquely named folders of our own: a "site.tmp" the user keeps is never touched.
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent))
    try:
        site = _Site(model, tmp)
        site.build()
        (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _check_replaceable(out_dir)  # again: the folder may have changed while the site was written
        old = parent / f".{name}.{uuid.uuid4().hex}.old"
        if out_dir.exists():
            if (out_dir / MARKER).is_file():
                out_dir.rename(old)
            else:
                out_dir.rmdir()  # empty (checked): nothing in it to lose
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return SiteReport(out_dir=out_dir, pages=site.pages, views=site.views)


def _check_replaceable(out_dir: Path) -> None:
    """Refuse an output folder that ``kg site`` may not replace (see :func:`build_site_from_model`)."""
    if out_dir.is_symlink():
        raise SiteOutputError(f"{out_dir}: is a symbolic link; give --out a real folder (new, empty, or a site)")
    resolved = out_dir.resolve()
    here = Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise SiteOutputError(
            f"{out_dir}: is the current folder or holds it; kg site replaces its output folder whole, "
            "so give --out a folder of its own, e.g. build/site"
        )
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise SiteOutputError(f"{out_dir}: is a file, not a folder; give --out a folder for the site")
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return
    raise SiteOutputError(
        f"{out_dir}: holds files kg site did not write (there is no {MARKER} file in it), so it is not "
        "replaced; give --out a new or empty folder, or move those files away first"
    )
