"""Graph deltas: what an update writes, and the part of a graph it must validate again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.graph.validate import local_shapes
from kg.resources import load_turtle, ontology_dir
from kg.store.delta import BaseGraphs, GraphCopies, StaleCopy, canonical_nt, content_digest, sorted_diff, touched_part
from kg.store.generations import current_generation, publish_generation

EX = "https://example.org/"


def _link_graph(name: str, confidence: str, quote: str) -> Graph:
    """A link node, its evidence span and the span's selector, as the links graphs have them."""
    g = Graph(identifier=URIRef(EX + name))
    link, evidence, selector = URIRef(EX + "link"), URIRef(EX + "link/earlier"), URIRef(EX + "link/earlier/quote")
    g.add((link, URIRef(EX + "confidence"), Literal(confidence)))
    g.add((link, URIRef(EX + "earlierEvidence"), evidence))
    g.add((evidence, URIRef(EX + "hasSelector"), selector))
    g.add((selector, URIRef(EX + "exact"), Literal(quote)))
    g.add((URIRef(EX + "other"), URIRef(EX + "confidence"), Literal("0.5")))
    return g


def _lines(graph: Graph) -> list[bytes]:
    return canonical_nt(graph).splitlines(keepends=True)


def test_a_delta_holds_only_the_change_and_applies_to_the_stored_graph(tmp_path: Path):
    store = tmp_path / "store"
    publish_generation(store, [_link_graph("g", "0.4", "old words")])
    base = current_generation(store)
    assert base is not None
    new = _link_graph("g", "0.4", "new words")
    name = URIRef(EX + "g")
    # The base's copy read back from the store, or handed over as a filed copy: the same delta.
    delta = BaseGraphs(base).delta(name, _lines(new))
    assert delta == BaseGraphs(base).delta(name, _lines(new), _lines(_link_graph("g", "0.4", "old words")))
    assert len(delta.removed) == 1 and len(delta.added) == 1
    assert delta.subjects() == {URIRef(EX + "link/earlier/quote")}
    assert BaseGraphs(base).delta(name, _lines(_link_graph("g", "0.4", "old words"))).unchanged

    publish_generation(store, [delta], base=base)
    import pyoxigraph as ox

    generation = current_generation(store)
    assert generation is not None
    got = {str(q.object.value) for q in ox.Store.read_only(str(generation)).quads_for_pattern(None, None, None, None)}
    assert "new words" in got and "old words" not in got


def test_the_touched_part_reaches_the_nodes_that_lead_to_a_change_and_those_it_leads_to():
    graph = _link_graph("g", "0.4", "new words")
    part = touched_part(graph, {URIRef(EX + "link/earlier/quote")})
    # The link whose evidence changed is validated again, with everything its shapes look at ...
    assert set(part.subjects()) == {URIRef(EX + "link"), URIRef(EX + "link/earlier"), URIRef(EX + "link/earlier/quote")}
    assert len(part) == 4
    # ... and an untouched node is not.
    assert (URIRef(EX + "other"), None, None) not in part


def test_the_projects_shapes_look_only_along_outgoing_paths():
    assert local_shapes(load_turtle(ontology_dir() / "shapes.ttl"))
    inverse = Graph()
    inverse.parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
        "<https://example.org/S> sh:property [ sh:path [ sh:inversePath <https://example.org/p> ] ] .",
        format="turtle",
    )
    assert not local_shapes(inverse)


def test_graph_copies_are_found_by_digest_and_checked(tmp_path: Path):
    copies = GraphCopies(tmp_path / "copies")
    data = canonical_nt(_link_graph("g", "0.4", "words"))
    digest = content_digest(data)
    copies.put(digest, data)
    assert b"".join(copies.lines(digest) or []) == data
    assert copies.lines(None) is None and copies.lines("0" * 64) is None
    # A copy that does not match its name (damaged, or written by something else) is found out once read.
    other = content_digest(b"other")
    (tmp_path / "copies" / f"{digest}.nt.gz").rename(tmp_path / "copies" / f"{other}.nt.gz")
    with pytest.raises(StaleCopy, match="does not match its digest"):
        list(copies.lines(other) or [])
    (tmp_path / "copies" / f"{other}.nt.gz").write_bytes(b"\x1f\x8b not gzip")
    with pytest.raises(StaleCopy, match="unreadable"):
        list(copies.lines(other) or [])
    copies.put(digest, data)
    copies.prune([digest])
    assert [p.name for p in (tmp_path / "copies").iterdir()] == [f"{digest}.nt.gz"]


def test_canonical_nt_does_not_depend_on_insertion_order():
    a = _link_graph("g", "0.4", "words")
    b = Graph(identifier=a.identifier)
    for triple in sorted(a, reverse=True):
        b.add(triple)
    assert canonical_nt(a) == canonical_nt(b)


_line = st.sampled_from([f'<{EX}s{n}> <{EX}p> "{w}" .'.encode() for n in range(4) for w in ("a", "b", "a b")])


@settings(max_examples=300, deadline=None)
@given(old=st.sets(_line), new=st.sets(_line))
def test_the_streamed_diff_of_two_sorted_graphs_is_the_set_difference_both_ways(old, new):
    """One pass over both sorted sides gives what comparing the two whole sets of lines gave."""
    removed, added, count = sorted_diff(
        [line + b"\n" for line in sorted(old)], iter([line + b"\n" for line in sorted(new)])
    )
    assert (removed, added, count) == (sorted(old - new), sorted(new - old), len(new))


def test_the_streamed_diff_refuses_lines_out_of_order():
    """An unsorted side would give a wrong delta silently; it is an error instead."""
    with pytest.raises(ValueError, match="new graph's lines are not sorted"):
        sorted_diff([b"<a> <p> <b> .\n"], [b"<b> <p> <c> .\n", b"<a> <p> <b> .\n"])
