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
from kg.render import charts
from kg.render.model import (
    KIND_NAMES,
    LinkRec,
    SectionRec,
    SiteModel,
    StatementRec,
    entity_type_name,
    load_model,
    publication_kind_name,
    slug,
)
from kg.render.status import (
    MATTER_KINDS,
    RESTATING,
    TONE_COLOURS,
    BoardRow,
    board_rows,
    explain,
    inspections,
    matter_verdict,
    restatements,
    status_counts,
    tone,
    trail_verdict,
)
from kg.render.views import (
    MAX_NODES,
    NODE_STYLES,
    VEdge,
    VNode,
    copy_assets,
    pack_pages,
    render_view,
    split_scripts,
)

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
#: Static files copied into every site.
STATIC_FILES = ("site.css", "search.js", "site.js", "board.js", "query.js")
#: Tones that count as closed on the comparison page (addressed, sustained; superseded).
CLOSED_TONES = frozenset({"good", "neutral"})


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


#: The content security policy of every page, also when opened from disk: scripts and frames
#: only from the site itself, no inline script (styles may be inline: vis-network sets them).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
_CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'


def trail_levels(model: SiteModel, members: list[StatementRec], links: list[LinkRec]) -> dict[str, int]:
    """Columns of a trail view, left to right in time.

    Statements of one date share a column unless one links to another (a
    finding judging an area for improvement of the same report): then the
    later end moves one column right, so every arrow points rightwards and
    no later date is ever left of an earlier one.
    """
    into: dict[str, list[str]] = defaultdict(list)
    for lk in links:
        into[lk.later].append(lk.earlier)
    level: dict[str, int] = {}
    base, group, group_max = 0, None, -1
    for s in members:  # already in time order
        key = model.time_key(s)[:2]
        if key != group:
            base, group = group_max + 1, key
        level[s.iri] = max([base] + [level[e] + 1 for e in into.get(s.iri, ()) if e in level])
        group_max = max(group_max, level[s.iri])
    return level


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
        self.trail_of = self.trails()

    # -- trails ----------------------------------------------------------
    def trails(self) -> dict[str, str]:
        """Statement → the first statement of its trail (which names the trail page).

        Every linked statement is on one trail (its connected links), and
        every matter (recommendation, cause of concern, area for improvement)
        has a trail page even with no link, so a board can always link to
        one and that page can say there is no later evidence.
        """
        m = self.m
        out: dict[str, str] = {}
        for lk in m.links:
            if lk.earlier in out or lk.earlier not in m.statements:
                continue
            members, _links = m.trail(lk.earlier)
            for s in members:
                out[s.iri] = members[0].iri
        for s in m.statements.values():
            if s.kind in MATTER_KINDS and s.iri not in out:
                out[s.iri] = s.iri
        return out

    def trail_url(self, iri: str) -> str | None:
        """The trail page of a statement, relative to the site root, or None when it is on none."""
        start = self.trail_of.get(iri)
        return f"trail/{slug(start)}.html" if start else None

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

        def trail(iri: str) -> str | None:
            t = self.trail_url(iri)
            return root + t if t else None

        html = self.env.get_template(template).render(
            root=root,
            url=lambda iri: root + self.url(iri),
            trail=trail,
            matter=lambda s: matter_verdict(self.m, s),
            tone=tone,
            tones=TONE_COLOURS,
            type_name=entity_type_name,
            pub_kind=publication_kind_name,
            m=self.m,
            styles=NODE_STYLES,
            **ctx,
        )
        self.write_file(rel, html)
        self.pages += 1

    def write_file(self, rel: str, text: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write_views(
        self, name: str, pages: list[list[VNode]], edges: list[VEdge], *, hierarchical: bool = False
    ) -> list[str]:
        """Write one view page per node page; return their URLs relative to the site root.

        Each view's scripts go into files beside it, so no page of the site
        holds an inline script and the content security policy can forbid them.
        """
        urls = []
        for i, nodes in enumerate(pages, start=1):
            rel = f"views/{name}-{i}.html"
            html = render_view(nodes, edges, hierarchical=hierarchical, assets="../static/vis/")
            html, scripts = split_scripts(html, f"{name}-{i}")
            html = html.replace("<head>", "<head>\n" + _CSP_META, 1)
            for file, text in scripts:
                self.write_file(f"views/{file}", text)
            self.write_file(rel, html)
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
            border = None
            status = ""
            if s.kind in MATTER_KINDS:
                v = matter_verdict(m, s)
                border = TONE_COLOURS[v.tone][0]
                status = f"\nLatest status: {v.status}" + (f" ({v.when})" if v.when else "")
            where = f"\n{pub.title}, {m.place(pub.iri).words}" if pub else ""
            return VNode(
                id=iri,
                type=s.kind,
                label=s.short,
                title=f"{s.label}{where}{status}",
                url=url,
                level=level,
                border=border,
            )
        if iri in m.publications:
            p = m.publications[iri]
            return VNode(
                id=iri,
                type="publication",
                label=p.title,
                title=f"{p.title}\n{p.kind_name}, {m.place(iri).words}",
                url=url,
                level=level,
            )
        if iri in m.forces:
            return VNode(id=iri, type="force", label=m.forces[iri], title=m.forces[iri], url=url, level=level)
        if iri in m.themes:
            return VNode(id=iri, type="theme", label=m.themes[iri], title=m.themes[iri], url=url, level=level)
        etype = entity_type_name(m.entity_types.get(iri, "OTHER"))
        return VNode(id=iri, type="entity", label=m.name(iri), title=f"{m.name(iri)}\n{etype}", url=url, level=level)

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
        for name in STATIC_FILES:
            shutil.copyfile(_HERE / "static" / name, static / name)
        copy_assets(static / "vis")
        self.write_search_index()
        self.write("index.html", "index.html", **self.index_context())
        self.write("compare.html", "compare.html", **self.compare_context())
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
        for start in sorted(set(self.trail_of.values())):
            self.trail_page(start)

    def index_context(self) -> dict[str, object]:
        m = self.m
        pubs = sorted(m.publications.values(), key=lambda p: (m.place(p.iri).date or "\uffff", p.title))
        counts: dict[str, int] = defaultdict(int)
        kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for s in m.statements.values():
            counts[s.publication] += 1
            kinds[s.publication][s.kind] += 1
        forces = []
        for f, label in sorted(m.forces.items(), key=lambda kv: kv[1]):
            fp = [p for p in pubs if p.force == f]
            rows = board_rows(m, f, self.trail_of)
            forces.append((f, label, len(fp), len(rows), status_counts(rows)))
        themes = sorted(((t, lbl, len(m.statements_about(t))) for t, lbl in m.themes.items()), key=lambda x: x[1])
        types: dict[str, int] = defaultdict(int)
        for t in m.entity_types.values():
            types[t] += 1
        latest = sorted((p for p in pubs if m.place(p.iri).date), key=lambda p: m.place(p.iri).date, reverse=True)
        return {
            "forces": forces,
            "latest": latest[:10],
            "pubs": [(p, counts[p.iri], dict(kinds[p.iri])) for p in pubs],
            "themes": themes,
            "types": sorted(types.items()),
            "n_statements": len(m.statements),
            "n_links": len(m.links),
            "kind_names": KIND_NAMES,
        }

    def compare_context(self) -> dict[str, object]:
        """Grades by area and cycle across forces; open matters by theme and force."""
        m = self.m
        forces = sorted(m.forces.items(), key=lambda kv: kv[1])
        cycles: dict[str, str] = {}
        grades: dict[tuple[str, str], dict[str, StatementRec]] = defaultdict(dict)
        for f, _label in forces:
            for entry in inspections(m, f):
                if not entry.grades:
                    continue
                cycle = self.cycle_name(entry.publication)
                cycles.setdefault(cycle, entry.date or "\uffff")
                for g in entry.grades:
                    grades[(g.area or g.label, f)][cycle] = g
        cycle_list = sorted(cycles, key=lambda c: (cycles[c], c))
        open_by_theme: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for f, _label in forces:
            for row in board_rows(m, f, self.trail_of):
                if row.verdict.tone in CLOSED_TONES:
                    continue
                for t in row.themes or ("",):
                    open_by_theme[t][f] += 1
        theme_rows = sorted(open_by_theme.items(), key=lambda kv: (-sum(kv[1].values()), m.themes.get(kv[0], "~")))
        return {
            "forces": forces,
            "cycles": cycle_list,
            "grade_rows": sorted(grades.items(), key=lambda kv: (kv[0][0], m.forces.get(kv[0][1], ""))),
            "theme_rows": theme_rows,
            "grade_colours": charts.grade_colours,
        }

    def cycle_name(self, publication: str) -> str:
        """How a chart names an inspection cycle: its programme, else its title; with its year."""
        pub = self.m.publications[publication]
        return pub.programme or pub.title

    def entities_by_type(self) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
        m = self.m
        out: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for e, t in m.entity_types.items():
            out[t].append((e, m.name(e), len(m.statements_naming(e))))
        return [
            (t, entity_type_name(t), sorted(v, key=lambda x: (-x[2], x[1])))
            for t, v in sorted(out.items(), key=lambda kv: entity_type_name(kv[0]))
        ]

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
        # Findings (most of a report) stay in the contents below: drawn too, they made a hairball in
        # which no label could be read. The view shows what the report raises, grades and commends.
        drawn = [s for s in statements if s.kind != "Finding"] or statements
        for s in sorted(drawn, key=lambda s: (_kind_rank(s.kind), s.order)):
            nodes, e = self.statement_group(s)
            groups.append(nodes)
            edges += e
            edges.append(VEdge(iri, s.iri, s.kind_name))
        views = self.write_views(f"publication-{slug(iri)}", pack_pages(anchors, groups), edges)
        self.write(
            self.url(iri),
            "publication.html",
            pub=pub,
            place=m.place(iri),
            blocks=blocks,
            views=views,
            n=len(statements),
        )

    def statement_page(self, iri: str) -> None:
        m = self.m
        s = m.statements[iri]
        _members, links = m.trail(iri)
        section = m.sections.get(s.section or "")
        steps = [
            (lk, m.statements[lk.later if lk.earlier == iri else lk.earlier], explain(m, lk))
            for lk in m.links_of(iri)
            if lk.earlier in m.statements and lk.later in m.statements
        ]
        steps.sort(key=lambda x: m.time_key(x[1]))
        self.write(
            self.url(iri),
            "statement.html",
            s=s,
            pub=m.publications.get(s.publication),
            place=m.place(s.publication),
            section=section,
            steps=steps,
            trail_verdict=trail_verdict(m, links) if links else None,
            own_verdict=matter_verdict(m, s) if s.kind in MATTER_KINDS else None,
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
            etype=entity_type_name(m.entity_types.get(iri, "OTHER")),
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
        rows = board_rows(m, iri, self.trail_of)
        timeline = inspections(m, iri)
        counts = status_counts(rows)
        chart_name = slug(iri)
        graded = [e for e in timeline if e.grades]
        cycles = [self.cycle_name(e.publication) for e in graded]
        cells = [
            charts.GradeCell(
                area=g.area or g.label, cycle=self.cycle_name(e.publication), grade=g.grade or "", rank=g.grade_rank
            )
            for e in graded
            for g in e.grades
        ]
        name = m.forces[iri]
        grades_svg = charts.grades_svg(f"{name}: grades by inspection", cycles, cells)
        self.write_file(f"charts/grades-{chart_name}.svg", grades_svg)
        self.write_file(
            f"charts/status-{chart_name}.svg",
            charts.status_svg(f"{name}: latest status of {len(rows)} matters", counts, TONE_COLOURS),
        )
        views = self.write_views(f"force-{slug(iri)}", self.force_overview(iri, rows), self.force_edges(iri, rows))
        pubs = {e.publication for e in timeline}
        others = [s for p in pubs for s in m.statements_of(p) if s.kind not in MATTER_KINDS]
        self.write(
            self.url(iri),
            "force.html",
            iri=iri,
            timeline=timeline,
            rows=rows,
            counts=counts,
            themes=sorted({t for r in rows for t in r.themes}, key=lambda t: m.themes.get(t, t)),
            programmes=sorted({r.programme for r in rows if r.programme}),
            statuses=[c[0] for c in counts],
            charts={"grades": f"charts/grades-{chart_name}.svg", "status": f"charts/status-{chart_name}.svg"},
            has_grades=bool(cells),
            views=views,
            grouped=self.group_by_force_and_kind(others),
            n=len(others),
        )

    def force_overview(self, iri: str, rows: list[BoardRow]) -> list[list[VNode]]:
        """Force, its themes, and each matter beside its first theme: clusters by theme, not a hairball."""
        anchors = [self.node(iri)]
        groups = []
        for r in rows:
            group = [self.node(r.statement.iri)]
            if r.themes:
                group.insert(0, self.node(r.themes[0]))
            groups.append(group)
        return pack_pages(anchors, groups)

    def force_edges(self, iri: str, rows: list[BoardRow]) -> list[VEdge]:
        edges = []
        for r in rows:
            if r.themes:
                edges.append(VEdge(iri, r.themes[0], "theme"))
                edges.append(VEdge(r.themes[0], r.statement.iri, f"{r.statement.kind_name}: {r.verdict.status}"))
            else:
                edges.append(VEdge(iri, r.statement.iri, f"{r.statement.kind_name}: {r.verdict.status}"))
        return edges

    def trail_page(self, start: str) -> None:
        m = self.m
        members, links = m.trail(start)
        if not members:
            return
        level = trail_levels(m, members, links)
        nodes = [self.node(s.iri, level=level[s.iri]) for s in members][:MAX_NODES]
        edges = [VEdge(lk.earlier, lk.later, lk.status or lk.relation) for lk in links]
        views = self.write_views(f"trail-{slug(start)}", [nodes], edges, hierarchical=True) if links else []
        into: dict[str, list[tuple[object, str]]] = defaultdict(list)
        for lk in links:
            into[lk.later].append((lk, explain(m, lk)))
        steps = [(s, m.place(s.publication), into.get(s.iri, [])) for s in members]
        raised = next((s for s in members if s.kind in MATTER_KINDS and s.iri not in restatements(m)), members[0])
        self.write(
            f"trail/{slug(start)}.html",
            "trail.html",
            members=members,
            links=links,
            steps=steps,
            raised=raised,
            verdict=trail_verdict(m, links),
            views=views,
            restating=RESTATING,
        )

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
            entries.append({"t": "Publication", "l": p.title, "u": self.url(p.iri), "x": m.place(p.iri).date})
        for f, label in m.forces.items():
            entries.append({"t": "Force", "l": label, "u": self.url(f), "x": ""})
        for t, label in m.themes.items():
            entries.append({"t": "Theme", "l": label, "u": self.url(t), "x": ""})
        for e, etype in m.entity_types.items():
            if e not in m.forces:
                entries.append({"t": f"Entity ({entity_type_name(etype)})", "l": m.name(e), "u": self.url(e), "x": ""})
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
