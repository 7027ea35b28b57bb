"""Kinship rules without a database: what a household roll implies, and the walk."""

from __future__ import annotations

from zhucun.registry.catalogues import RELATION
from zhucun.registry.kinship.rules import (
    ROLE_OF,
    Edge,
    Kin,
    Step,
    adjacency,
    household_edges,
    walk,
)

HEAD, WIFE, SON, DAUGHTER, DAUGHTER_IN_LAW, GRANDSON, FATHER, BROTHER, BROTHERS_WIFE, LODGER = range(1, 11)
ROLL = [
    (HEAD, "02"),
    (WIFE, "12"),
    (SON, "22"),
    (DAUGHTER, "33"),
    (DAUGHTER_IN_LAW, "38"),
    (GRANDSON, "41"),
    (FATHER, "51"),
    (BROTHER, "73"),
    (BROTHERS_WIFE, "74"),
    (LODGER, "99"),
]


def relation(x: int, y: int, edges: list[Edge]) -> str | None:
    """What x is of y, read either way round (parent / child, grandparent / grandchild)."""
    for edge in edges:
        if (edge.x, edge.y) == (x, y):
            return edge.kind
        if (edge.y, edge.x) == (x, y):
            return {"parent": "child", "grandparent": "grandchild"}.get(edge.kind, edge.kind)
    return None


def test_every_relation_code_but_not_related_has_a_role():
    assert set(RELATION.items) - set(ROLE_OF) == {"99"}


def test_the_head_and_spouse_are_spouses_and_parents_of_the_children():
    edges = household_edges(ROLL)
    assert relation(HEAD, WIFE, edges) == "spouse"
    assert relation(HEAD, SON, edges) == relation(WIFE, DAUGHTER, edges) == "parent"
    assert relation(SON, HEAD, edges) == "child"


def test_children_of_one_household_are_siblings_once():
    edges = household_edges(ROLL)
    assert relation(SON, DAUGHTER, edges) == "sibling"
    assert sum({e.x, e.y} == {SON, DAUGHTER} for e in edges) == 1


def test_in_laws_grandchildren_and_the_heads_kin():
    edges = household_edges(ROLL)
    assert relation(DAUGHTER_IN_LAW, HEAD, edges) == relation(WIFE, DAUGHTER_IN_LAW, edges) == "in_law"
    assert relation(HEAD, GRANDSON, edges) == relation(WIFE, GRANDSON, edges) == "grandparent"
    assert relation(FATHER, HEAD, edges) == relation(FATHER, BROTHER, edges) == "parent"
    assert relation(FATHER, SON, edges) == "grandparent" and relation(FATHER, WIFE, edges) == "in_law"
    assert relation(BROTHER, HEAD, edges) == "sibling" and relation(BROTHERS_WIFE, HEAD, edges) == "in_law"


def test_only_what_the_codes_make_certain_is_derived():
    edges = household_edges(ROLL)
    # Which son the daughter-in-law married, and whose the grandson is, the roll does not say.
    assert relation(DAUGHTER_IN_LAW, SON, edges) is None and relation(GRANDSON, SON, edges) is None
    assert relation(BROTHERS_WIFE, BROTHER, edges) is None
    assert not any(LODGER in (e.x, e.y) for e in edges)


def test_a_household_without_its_head_still_relates_the_others():
    edges = household_edges([(WIFE, "10"), (SON, "20"), (DAUGHTER, "30")])
    assert relation(WIFE, SON, edges) == "parent" and relation(SON, DAUGHTER, edges) == "sibling"


def test_adjacency_reads_each_edge_both_ways_closest_kind_first():
    steps = adjacency([Edge(1, 2, "in_law"), Edge(1, 3, "parent"), Edge(4, 1, "spouse")])
    assert steps[1] == [Step("spouse", 4), Step("child", 3), Step("in_law", 2)]
    assert steps[3] == [Step("parent", 1)]


def test_the_walk_finds_each_relative_once_at_its_smallest_degree_with_the_path():
    edges = [*household_edges(ROLL), Edge(BROTHER, 20, "spouse"), Edge(20, 21, "sibling")]
    found = walk([SON], edges, 3)[SON]
    assert found[HEAD] == Kin(1, (Step("parent", HEAD),))
    # The uncle is reached through the father and through the grandfather: the father, who
    # comes first, names the path (父亲 → 兄弟).
    assert found[BROTHER].steps == ("parent", "sibling")
    assert found[20].steps == ("parent", "sibling", "spouse") and found[20].degree == 3
    assert 21 not in found and SON not in found
    assert walk([SON], edges, 4)[SON][21].degree == 4


def test_the_walk_answers_for_many_anchors_at_once():
    found = walk([HEAD, LODGER], household_edges(ROLL), 2)
    assert len(found[HEAD]) == 8 and found[LODGER] == {}
