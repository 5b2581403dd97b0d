"""HTML pages to the same plain-text layout the corpus text files use.

Block elements become paragraphs separated by blank lines, list items
become ``  • `` bullets and table rows become tab-separated lines, so the
structure stage reads HTML and text alike. Scripts, styles and other
non-content elements are dropped; nothing in the page is executed.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import IngestError

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "head",
    "nav",
    "footer",
    "form",
)
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "figure",
    "pre",
    "address",
    "dd",
    "dt",
    "aside",
    "caption",
}


def html_to_text(path: Path, markup: str) -> str:
    """Extract readable text from an HTML document with BeautifulSoup (lxml)."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    try:
        soup = BeautifulSoup(markup, "lxml")
    except Exception as e:  # lxml raises several unrelated types on broken input
        raise IngestError(str(path), f"cannot parse the HTML ({type(e).__name__}: {e})") from e
    for tag in soup.find_all(_DROP):
        tag.decompose()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    # Walk iteratively: hostile pages nest deeper than Python's recursion limit.
    stack: list[tuple[object, bool]] = [(soup.body or soup, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if isinstance(node, Tag) and node.name in _BLOCKS | {"li", "tr", "table", "ul", "ol", "br"}:
                flush()
                if node.name not in {"li", "tr", "br"}:
                    lines.append("")
            continue
        if isinstance(node, NavigableString):
            if type(node).__name__ in {"Comment", "CData", "ProcessingInstruction", "Doctype", "Declaration"}:
                continue
            current.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name in _BLOCKS or node.name in {"table", "ul", "ol"}:
            flush()
        if node.name == "li":
            flush()
            current.append("  • ")
        if node.name == "tr":
            flush()
            cells = ["\t".join(" ".join(c.get_text(" ").split()) for c in node.find_all(["td", "th"], recursive=False))]
            lines.append(cells[0])
            continue
        stack.append((node, True))
        for child in reversed(list(node.children)):
            stack.append((child, False))
    flush()
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
