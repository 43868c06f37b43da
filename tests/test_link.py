"""Cross-document linking over document summaries: which labels change, and which must not."""

from __future__ import annotations

import pytest

from zhi_graph.link import Linker, _keep_apart, link
from zhi_graph.model import DocumentSummary, EntitySummary, EntityType
from zhi_graph.resources import Resources

INSTITUTION = EntityType.INSTITUTION
PUBLICATION = EntityType.PUBLICATION
PERSON = EntityType.PERSON


def doc(
    sha: str, *entities: tuple[EntityType, str, tuple[str, ...], str | None]
) -> DocumentSummary:
    return DocumentSummary(
        path=f"{sha}.txt",
        sha256=sha,
        characters=100,
        entities=tuple(
            EntitySummary(f"{t.value.lower()}:{label}", t, label, aliases, scope)
            for t, label, aliases, scope in entities
        ),
        relations=(),
    )


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        pytest.param(
            [
                doc("a", (INSTITUTION, "四川省社会科学院", ("四川社科院",), None)),
                doc("b", (INSTITUTION, "四川社科院", (), None)),
            ],
            {"b": {"institution:四川社科院": "四川省社会科学院"}},
            id="an alias in one document is the label in another: the longer label wins a tie",
        ),
        pytest.param(
            [
                doc("a", (INSTITUTION, "四川省地方志工作办公室", (), None)),
                doc("b", (INSTITUTION, "四川省地方志办", (), None)),
                doc("c", (INSTITUTION, "四川省方志办", (), None)),
            ],
            {
                "b": {"institution:四川省地方志办": "四川省地方志工作办公室"},
                "c": {"institution:四川省方志办": "四川省地方志工作办公室"},
            },
            id="chronicle offices link by their region",
        ),
        pytest.param(
            [
                doc("a", (INSTITUTION, "四川省地方志办", (), None)),
                doc("b", (INSTITUTION, "浙江省地方志办", (), None)),
            ],
            {},
            id="two provinces' offices stay apart",
        ),
        pytest.param(
            [
                doc("a", (INSTITUTION, "四川省档案馆", ("省档案馆",), None)),
                doc("b", (INSTITUTION, "浙江省档案馆", ("省档案馆",), None)),
            ],
            {},
            id="a relative alias links nothing",
        ),
        pytest.param(
            [
                doc("a", (INSTITUTION, "市委宣传部", (), "document:a")),
                doc("b", (INSTITUTION, "市委宣传部", (), "document:b")),
            ],
            {},
            id="scoped names never meet",
        ),
        pytest.param(
            [
                doc("a", (PERSON, "王伟", ("王伟同志",), None)),
                doc("b", (PERSON, "王伟同志", (), None)),
            ],
            {},
            id="persons are not linked by aliases",
        ),
        pytest.param(
            [
                doc("a", (PUBLICATION, "成都年鉴", ("成都市年鉴",), None)),
                doc("b", (PUBLICATION, "成都市年鉴", (), None)),
                doc("c", (PUBLICATION, "成都市年鉴", (), None)),
            ],
            {"a": {"publication:成都年鉴": "成都市年鉴"}},
            id="the label most documents use wins",
        ),
        pytest.param(
            [
                doc(
                    "a",
                    (INSTITUTION, "甲研究中心", ("甲乙研究中心",), None),
                    (INSTITUTION, "乙研究中心", (), None),
                ),
                doc("b", (INSTITUTION, "甲乙研究中心", ("乙研究中心",), None)),
            ],
            {},
            id="two entities one document keeps apart are not joined through another",
        ),
        pytest.param(
            [
                doc("a", (INSTITUTION, "四川省社会科学院", ("四川社科院",), None)),
                doc("b", (INSTITUTION, "四川社科院", (), None)),
                doc("b", (INSTITUTION, "四川社科院", (), None)),
            ],
            {"b": {"institution:四川社科院": "四川省社会科学院"}},
            id="two files with the same bytes are one document, whose entity is relabelled",
        ),
    ],
)
def test_link(
    resources: Resources, documents: list[DocumentSummary], expected: dict[str, dict[str, str]]
) -> None:
    assert link(documents, resources) == expected


def test_an_entity_named_in_many_documents_is_kept_once(resources: Resources) -> None:
    """Each document's summary brings its own copy of an entity (unpickled apart):
    the linker keeps one, however many documents name it."""
    linker = Linker(resources)
    for sha in ("a", "b", "c"):
        linker.add(doc(sha, (INSTITUTION, "四川省社会科学院", ("四川社科院",), None)))
    linker.add(doc("d", (INSTITUTION, "四川省社会科学院", (), None)))  # another entity
    entities = [entity for _, entity in linker.members()]
    assert [sha for sha, _ in linker.members()] == ["a", "b", "c", "d"]
    assert entities[0] is entities[1] is entities[2]
    assert entities[3] is not entities[0] and entities[3].aliases == ()


def entity(
    label: str, *aliases: str, scope: str | None = None, kind: EntityType = INSTITUTION
) -> EntitySummary:
    return EntitySummary(f"{kind.value.lower()}:{label}", kind, label, aliases, scope)


A, B, C = entity("甲研究院", "甲院"), entity("乙研究院"), entity("丙研究院")


@pytest.mark.parametrize(
    ("entities", "changed", "kept"),
    [
        pytest.param([A, B], {B.key: "丁研究院"}, {B.key}, id="a label no one goes by: kept"),
        pytest.param([A, B], {B.key: "甲研究院"}, set(), id="another entity's label: undone"),
        pytest.param([A, B], {B.key: "甲院"}, set(), id="another entity's alias: undone"),
        pytest.param([A], {A.key: "甲院"}, {A.key}, id="its own alias: kept"),
        pytest.param(
            [A, B, C], {B.key: "丁研究院", C.key: "丁研究院"}, set(), id="two take one label"
        ),
        pytest.param(
            [A, B, C],
            {A.key: "丁研究院", B.key: "丁研究院", C.key: "甲研究院"},
            set(),
            # A and B clash and keep theirs; then C would take A's label: undone too
            id="undone in turn",
        ),
        pytest.param(
            [entity("宣传部", scope="document:x"), entity("统战部", scope="document:y")],
            {"institution:统战部": "宣传部"},
            set(),
            # one document's two offices, whatever their scopes: one name, one office
            id="another scope's name: undone",
        ),
        pytest.param(
            [A, entity("丁研究院", kind=PUBLICATION)],
            {A.key: "丁研究院"},
            {A.key},
            id="another type's label",
        ),
    ],
)
def test_keep_apart_undoes_the_relabels_that_would_join_two_entities_of_a_document(
    entities: list[EntitySummary], changed: dict[str, str], kept: set[str]
) -> None:
    proposed = dict(changed)
    _keep_apart(entities, changed)
    assert changed == {key: proposed[key] for key in kept}
