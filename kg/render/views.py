"""Network views: pyvis pages whose escaping, size and resources we own.

pyvis 0.3.2 is kept for drawing (it bundles vis-network 9.1.2), but three
things about it are unsafe or unusable as shipped, and this module owns them:

* **Escaping.** pyvis's page template does not escape, and once any node
  title contains ``href`` it switches to a popup that writes every title
  with ``innerHTML``. Titles here are plain text, capped, and never contain
  ``href`` (a zero-width space is inserted), so vis-network shows them with
  ``innerText``. Node and edge data reach the page through Jinja's
  ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped), so a quote holding
  ``</script>`` cannot end the script. :func:`render_view` checks the
  generated page and raises if either guarantee is broken.
* **Size.** A view holds at most :data:`MAX_NODES` nodes. Bigger
  neighbourhoods are split into pages by :func:`paginate` (anchors on every
  page); nothing is dumped whole. See docs/decisions/0501-view-node-limit.md.
* **Resources.** Only ``Network.generate_html()`` is called (``write_html``
  and ``show`` write ``lib/`` into the working directory and print), with
  ``cdn_resources="in_line"``. The template's unconditional Bootstrap CDN
  tags are removed, so a view opens offline with no network request. When
  a site holds many views, the inlined vis-network (about 700 kB) is swapped
  for one shared local copy (:func:`copy_assets`), found by its exact text.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KGError

#: The most nodes one view shows. vis-network stays responsive and labels
#: stay legible well below this; users report pyvis pages unusable near 1,000.
MAX_NODES = 150

#: Node type → (colour, vis shape, legend text). Colour and shape both vary,
#: so the legend still works for readers who cannot tell the colours apart.
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "force": ("#1b4f72", "star", "Force"),
    "publication": ("#7d3c98", "box", "Publication"),
    "Recommendation": ("#c0392b", "dot", "Recommendation"),
    "CauseOfConcern": ("#e74c3c", "triangleDown", "Cause of concern"),
    "AreaForImprovement": ("#e67e22", "square", "Area for improvement"),
    "Finding": ("#5d6d7e", "dot", "Finding"),
    "GradedJudgment": ("#16a085", "hexagon", "Graded judgment"),
    "InnovativePractice": ("#27ae60", "star", "Innovative practice"),
    "GoodPractice": ("#2ecc71", "star", "Good practice"),
    "CaseAuditTally": ("#95a5a6", "square", "Case-audit tally"),
    "entity": ("#2874a6", "diamond", "Entity (unit, system, law, partner…)"),
    "theme": ("#b7950b", "triangle", "Theme"),
}

_HREF = re.compile(r"href", re.IGNORECASE)
_CDN_TAG = re.compile(
    r"<link[^>]*https://cdn\.jsdelivr\.net[^>]*/>\s*|<script[^>]*https://cdn\.jsdelivr\.net[^>]*>\s*</script>\s*",
    re.DOTALL,
)


class ViewError(KGError):
    """A generated view broke one of the guarantees this module makes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VNode:
    """A node of a view: its id, type (a key of NODE_STYLES), text and page."""

    id: str
    type: str
    label: str
    title: str
    url: str | None = None
    level: int | None = None
    border: str | None = None
    """A border colour (a matter's status); None keeps the kind's own colour."""
    group_id: str | None = None


@dataclass(frozen=True, slots=True)
class VEdge:
    """An edge of a view, with a short label shown on hover."""

    source: str
    target: str
    label: str = ""


def plain_title(text: str, limit: int = 300) -> str:
    """Make document text safe and short for a vis-network hover title.

    Whitespace within a line is collapsed (line breaks are kept, so a title
    can have a heading line), the text is cut to ``limit`` characters and
    ``href`` is broken with a zero-width space so pyvis never switches to
    its ``innerHTML`` popup. vis-network 9 shows string titles as text.
    """
    text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _HREF.sub("hr\u200bef", text)


def short_label(text: str, limit: int = 48, width: int = 18) -> str:
    """A node label that fits on the canvas: a few words, on lines of about ``width`` characters."""
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def wrapped(text: str, width: int = 60) -> str:
    """Plain text broken into lines for a tooltip (vis-network shows a text title as text, newlines kept)."""
    return "\n".join("\n".join(textwrap.wrap(part, width=width)) for part in text.split("\n"))


def pack_pages(anchors: list[VNode], groups: list[list[VNode]], limit: int = MAX_NODES) -> list[list[VNode]]:
    """Split a neighbourhood into pages of at most ``limit`` nodes, keeping groups together.

    ``anchors`` (the node the view is about, say) appear on every page. Each
    group is a node with the neighbours it needs to make sense (a statement
    and the entities it names); groups are taken in the order given, so
    callers put the most useful first, and a group goes whole onto the first
    page that still has room for it. A group too big for any page is cut.
    Always returns at least one page.
    """
    room = limit - len(anchors)
    if room < 1:
        raise ViewError(f"{len(anchors)} anchor nodes leave no room in a view of {limit}")
    anchor_ids = {n.id for n in anchors}
    pages: list[dict[str, VNode]] = [{}]
    for group in groups:
        fresh = [n for n in dict((n.id, n) for n in group).values() if n.id not in anchor_ids]
        page = pages[-1]
        new = [n for n in fresh if n.id not in page]
        if len(page) + len(new) > room and page:
            page = {}
            pages.append(page)
            new = fresh
        for n in new[: room - len(page)]:
            page[n.id] = n
    return [list(anchors) + list(p.values()) for p in pages]


def paginate(anchors: list[VNode], others: list[VNode], limit: int = MAX_NODES) -> list[list[VNode]]:
    """Split ``others`` into pages of at most ``limit`` nodes, ``anchors`` on every page."""
    return pack_pages(anchors, [[n] for n in others], limit)


#: pyvis's bundled files that the in-line template includes, and the tag each sits in.
_ASSETS = (
    ("lib/bindings/utils.js", "script"),
    ("lib/vis-9.1.2/vis-network.css", "style"),
    ("lib/vis-9.1.2/vis-network.min.js", "script"),
)


def _pyvis_templates() -> Path:
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates"


def copy_assets(target: Path) -> None:
    """Copy vis-network and pyvis's helper script to ``target`` for views made with ``assets``."""
    target.mkdir(parents=True, exist_ok=True)
    for name, _tag in _ASSETS:
        shutil.copyfile(_pyvis_templates() / name, target / Path(name).name)


@functools.cache
def _pyvis_env(template_dir: str) -> Any:
    """pyvis's own template environment, made once so its page template compiles once, not per view."""
    from jinja2 import Environment, FileSystemLoader

    # Same settings as pyvis.network.Network.__init__ (no autoescape: the data goes in through tojson).
    return Environment(loader=FileSystemLoader(template_dir))  # noqa: S701


@functools.cache
def _asset_text(name: str) -> str:
    return (_pyvis_templates() / name).read_text(encoding="utf-8")


def _externalise(html: str, prefix: str) -> str:
    for name, tag in _ASSETS:
        content = _asset_text(name)
        for text in (content, content.removesuffix("\n")):
            inline = f"<{tag}>{text}</{tag}>"
            if inline in html:
                href = prefix + Path(name).name
                ref = f'<link rel="stylesheet" href="{href}">' if tag == "style" else f'<script src="{href}"></script>'
                html = html.replace(inline, ref, 1)
                break
        else:
            raise ViewError(f"pyvis's page no longer inlines {name}; cannot share one copy")
    return html


def render_view(
    nodes: list[VNode],
    edges: list[VEdge],
    *,
    hierarchical: bool = False,
    height: str = "560px",
    assets: str | None = None,
) -> str:
    """The HTML page of one network view.

    Clicking a node opens its page in the top window (the view is shown in
    an iframe). Edges whose ends are not both in ``nodes`` are dropped.
    With ``assets`` (a relative URL prefix such as ``"../static/vis/"``), the
    page loads the shared copies written by :func:`copy_assets` instead of
    carrying its own.
    """
    from pyvis.network import Network

    if len(nodes) > MAX_NODES:
        raise ViewError(f"a view of {len(nodes)} nodes exceeds the limit of {MAX_NODES}; paginate() it first")
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    net.templateEnv = _pyvis_env(net.template_dir)
    ids = set()
    urls: dict[str, str] = {}
    for n in nodes:
        colour, shape, legend = NODE_STYLES.get(n.type, ("#888888", "dot", n.type))
        extra: dict[str, Any] = {"level": n.level} if n.level is not None else {}
        if n.border:
            extra["borderWidth"] = 4
            extra["color"] = {"background": colour, "border": n.border, "highlight": {"background": colour}}
        else:
            extra["color"] = colour
        net.add_node(
            n.id,
            label=short_label(n.label),
            title=wrapped(plain_title(f"{legend}\n{n.title}", 420)),
            shape=shape,
            size=16 if shape in ("dot", "star", "diamond", "triangle", "triangleDown", "square", "hexagon") else 14,
            **extra,
        )
        ids.add(n.id)
        if n.url:
            urls[n.id] = n.url
    for e in edges:
        if e.source in ids and e.target in ids:
            net.add_edge(e.source, e.target, title=plain_title(e.label, 80), color="#aab7b8")
    net.options = _options(hierarchical)
    html = net.generate_html()
    html = _CDN_TAG.sub("", html)
    html = re.sub(r"<center>\s*<h1></h1>\s*</center>\s*", "", html)
    html = re.sub(r"<!-- <link[^>]*node_modules.*?-->\s*", "", html, count=1, flags=re.DOTALL)
    if assets is not None:
        html = _externalise(html, assets)
    html = html.replace("</body>", _click_script(urls, physics=not hierarchical) + "</body>", 1)
    # pyvis's loading bar (shown past 100 nodes) re-shows itself on every layout pass and hides
    # the view; our views are small enough to lay out in well under a second without it.
    html = html.replace("</head>", _VIEW_STYLE + "</head>", 1)
    _check(html)
    return html


#: pyvis's loading bar (shown past 100 nodes) re-shows itself on every layout pass and hides the
#: view; ours lay out in well under a second without it. vis-network's tooltip keeps the title's
#: line breaks and wraps within a width that fits a phone; the canvas fills the frame.
_VIEW_STYLE = (
    "<style>#loadingBar{display:none!important}"
    "div.vis-tooltip{white-space:pre-wrap!important;max-width:min(340px,80vw);font:13px/1.35 system-ui,sans-serif;"
    "overflow-wrap:anywhere;padding:6px 8px!important}"
    "body{margin:0}#mynetwork{border:0!important;height:100vh!important}.card{border:0!important}</style>\n"
)


def _options(hierarchical: bool) -> dict[str, object]:
    options: dict[str, object] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False},
        "nodes": {"font": {"size": 17, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 120, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 200, "fit": False},
        },
    }
    # vis-network's "improved layout" (a Kamada-Kawai pass before physics) runs synchronously and
    # costs more than the physics itself on 100+ nodes; the force layout alone settles the same views.
    options["layout"] = {"improvedLayout": False}
    if hierarchical:
        options["layout"] = {
            "hierarchical": {
                "enabled": True,
                "direction": "LR",
                "sortMethod": "directed",
                "levelSeparation": 240,
                "nodeSpacing": 90,
            }
        }
        options["physics"] = {"enabled": False}
    return options


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _click_script(urls: dict[str, str], *, physics: bool) -> str:
    return (
        "<script>(function(){var urls="
        + _json_for_script(urls)
        + ";window.kgNodeUrls=urls;network.on('click',function(p){"
        "if(p.nodes.length&&Object.prototype.hasOwnProperty.call(urls,p.nodes[0])){"
        "var u=new URL(urls[p.nodes[0]],window.location.href).href;"
        "try{window.top.location.href=u;}catch(e){window.location.href=u;}}});"
        # After fitting, never start below a scale at which labels are legible: a reader pans instead.
         + "function legible(){network.fit();if(network.getScale()<0.85){var ids=nodes.getIds();"
        "network.moveTo({position:network.getPositions([ids[0]])[ids[0]],scale:0.85});}}"
        + (
            # vis-network lays out once, in timer batches after the data is set; this script may run
            # before or after that ends, so it either waits for the end or acts at once (no second run).
            "function done(){network.setOptions({physics:false});legible();window.kgViewReady=true;}"
            "if(network.physics&&network.physics.ready){done();}"
            "else{network.once('stabilizationIterationsDone',done);}"
            if physics
            else "legible();window.kgViewReady=true;"
        )
        + "})();</script>\n"
    )


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def split_scripts(html: str, name: str) -> tuple[str, list[tuple[str, str]]]:
    """Move every inline script of a view into its own file, so pages need no inline script (CSP).

    Returns the page, whose scripts now load ``name.<n>.js`` (relative to the
    page) in their original order, and the (file name, text) pairs to write.
    """
    files: list[tuple[str, str]] = []

    def move(match: re.Match[str]) -> str:
        file = f"{name}.{len(files) + 1}.js"
        files.append((file, match.group(1)))
        return f'<script src="{file}"></script>'

    return _INLINE_SCRIPT.sub(move, html), files


def _check(html: str) -> None:
    """Refuse a page that would use pyvis's innerHTML popup or load anything from the network."""
    if "popup.innerHTML" in html:
        raise ViewError("pyvis switched to its innerHTML tooltip; a node title contains 'href'")
    remote = re.findall(r"""(?:src|href)\s*=\s*["']?(https?:)?//""", html)
    if remote:
        raise ViewError("the generated view still loads a remote resource; pyvis's template changed")
