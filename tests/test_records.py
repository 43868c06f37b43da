import pickle
from dataclasses import dataclass
from typing import Any

import pytest

from zhi_graph.model import (
    DocumentSummary,
    Entity,
    EntitySummary,
    EntityType,
    Mention,
    RegionHit,
    Relation,
    RelationKind,
    Sentence,
    pack_entities,
    unpack_entities,
)
from zhi_graph.records import (
    constructor,
    new_entity,
    new_mention,
    new_region_hit,
    new_relation,
    new_sentence,
    replace_entity,
)

MENTION = Mention(EntityType.AWARD, 3, 7, "精品年鉴", "精品年鉴", "lexicon", aliases=("x",))


@pytest.mark.parametrize(
    ("make", "cls", "args", "kwargs"),
    [
        (new_mention, Mention, (EntityType.REGION, 0, 2, "成都", "成都市", "gazetteer-short"), {}),
        (
            new_mention,
            Mention,
            (EntityType.AWARD, 3, 7, "精品年鉴", "精品年鉴", "x"),
            {"online": True},
        ),
        (new_region_hit, RegionHit, (0, 2, "成都", "510100", "short"), {}),
        (new_relation, Relation, (RelationKind.PART_OF, "a", "b", None), {"year": 2020}),
        (new_entity, Entity, ("award:x", EntityType.AWARD, "x", (), (MENTION,)), {"scope": "s"}),
        (new_sentence, Sentence, (0, 12, 3), {}),
    ],
)
def test_constructor_makes_what_the_class_makes(
    make: Any, cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    made = make(*args, **kwargs)
    expected = cls(*args, **kwargs)
    assert type(made) is cls
    assert made == expected
    assert pickle.dumps(made) == pickle.dumps(expected)


def test_replace_changes_only_the_fields_named() -> None:
    entity = Entity("award:x", EntityType.AWARD, "x", ("y",), (MENTION,), online=True)
    assert replace_entity(entity, scope="s") == Entity(
        "award:x", EntityType.AWARD, "x", ("y",), (MENTION,), online=True, scope="s"
    )


@dataclass(frozen=True)
class _NoSlots:
    a: int


def test_constructor_refuses_a_class_without_slots() -> None:
    with pytest.raises(TypeError, match="slots"):
        constructor(_NoSlots)


SUMMARY = DocumentSummary(
    "a.txt",
    "0" * 64,
    12,
    (
        EntitySummary("region:510100", EntityType.REGION, "成都市", ("成都",)),
        EntitySummary("institution:x", EntityType.INSTITUTION, "省档案馆", (), scope="510000"),
    ),
    (("partOf", 1),),
)


@pytest.mark.parametrize("protocol", [2, 4, pickle.HIGHEST_PROTOCOL])
def test_a_document_summary_is_pickled_with_packed_entities_and_comes_back_equal(
    protocol: int,
) -> None:
    data = pickle.dumps(SUMMARY, protocol=protocol)
    back = pickle.loads(data)
    assert back == SUMMARY
    assert all(type(entity) is EntitySummary for entity in back.entities)
    assert all(type(entity.type) is EntityType for entity in back.entities)
    assert [entity.scope for entity in back.entities] == [None, "510000"]
    # one bytes value for the entities: no record, no type named in the pickle
    assert b"EntitySummary" not in data
    assert b"EntityType" not in data


@pytest.mark.parametrize(
    "entities",
    [
        (),
        SUMMARY.entities,
        tuple(
            EntitySummary(
                f"k{i}", type_, f"名{i}", (f"别{i}",) * (i % 3), None if i % 2 else "510000"
            )
            for i, type_ in enumerate([*EntityType, *EntityType])
        ),
    ],
    ids=["none", "two", "every-type-twice"],
)
def test_packed_entities_come_back_equal_in_order(entities: tuple[EntitySummary, ...]) -> None:
    assert unpack_entities(pack_entities(entities)) == entities
