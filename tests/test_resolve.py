"""zhi_graph.resolve: mentions that name one thing become one entity, and only those."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zhi_graph.model import Entity, EntityType, Resolved

T = EntityType

SICHUAN = "四川省、成都市、绵阳市参加。"
HENAN = "郑州市、开封市、洛阳市参加。"
ZHEJIANG = "杭州市、宁波市、温州市参加。"
GUANGXI = "南宁市、柳州市、桂林市参加。"


def of_type(resolved: Resolved, type_: EntityType) -> list[Entity]:
    return [e for e in resolved.entities if e.type is type_]


def named(resolved: Resolved, type_: EntityType, name: str) -> list[Entity]:
    """Entities of ``type_`` that go by ``name`` (label or alias)."""
    return [e for e in of_type(resolved, type_) if name == e.label or name in e.aliases]


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=reason, strict=True)


@pytest.mark.parametrize(
    ("text", "full", "short"),
    [
        pytest.param(
            "河南省地方志工作办公室（简称“省志办”）部署年度工作。"
            + HENAN
            + "省志办印发《河南省年鉴编纂规范》。",
            "河南省地方志工作办公室",
            "省志办",
            id="henan-known-short-form",
        ),
        pytest.param(
            "浙江省地方志工作办公室（以下简称“省方志办”）部署工作。" + ZHEJIANG,
            "浙江省地方志工作办公室",
            "省方志办",
            id="zhejiang-yixia-jiancheng",
        ),
        pytest.param(
            "浙江省社会科学院（简称“浙江社科院”）开展地方史研究。",
            "浙江省社会科学院",
            "浙江社科院",
            id="academy",
        ),
        pytest.param(
            "河南省地方志工作办公室（简称“省史志办”）部署年度工作。" + HENAN,
            "河南省地方志工作办公室",
            "省史志办",
            id="quoted-short-form-keeps-full-label",
        ),
        pytest.param(
            "广西壮族自治区地方志办公室（简称“区志办”）部署工作。"
            + GUANGXI
            + "\n区志办印发《广西年鉴编纂规范》。",
            "广西壮族自治区地方志办公室",
            "区志办",
            id="unknown-short-form",
        ),
    ],
)
def test_abbreviation_definition_merges_short_form_into_full_name(
    resolve_text: Callable[[str], Resolved], text: str, full: str, short: str
) -> None:
    resolved = resolve_text(text)
    entities = named(resolved, T.INSTITUTION, short)
    assert len(entities) == 1, [e.label for e in of_type(resolved, T.INSTITUTION)]
    assert entities[0].label == full
    assert short in entities[0].aliases
    assert named(resolved, T.INSTITUTION, full) == entities


@pytest.mark.parametrize(
    ("text", "short", "full"),
    [
        pytest.param(
            "河南省地方志工作办公室召开全体会议。"
            + HENAN
            + "\n省地方志办印发《关于加强志书编纂的意见》。",
            "省地方志办",
            "河南省地方志工作办公室",
            id="henan",
        ),
        pytest.param(
            "浙江省地方志办公室召开会议。" + ZHEJIANG + "会上，省方志办发布年度计划。",
            "省方志办",
            "浙江省地方志办公室",
            id="zhejiang",
        ),
        pytest.param(
            "广西壮族自治区地方志办公室召开会议。" + GUANGXI + "会后，自治区地方志办部署工作。",
            "自治区地方志办",
            "广西壮族自治区地方志办公室",
            id="guangxi",
        ),
        pytest.param(
            "苏州市吴江区地方志办公室编纂《吴江年鉴（2024）》。苏州市吴江区地方志办组织培训。",
            "苏州市吴江区地方志办",
            "苏州市吴江区地方志办公室",
            id="a-district-office-cut-after-ban",
        ),
        pytest.param(
            "苏州市地方志办公室与安徽省宿州市地方志办公室签订协议。宿州市地方志办公室主任出席。",
            "安徽省宿州市地方志办公室",
            "宿州市地方志办公室",
            id="the-province-before-a-city-office-says-where-it-is",
        ),
        pytest.param(
            "会议由天津市地方志编修委员会办公室（以下简称“天津市地方志办”）承办。"
            "郑欣然代表天津市地方志办通报了工作情况。"
            "天津市地方志办编纂的《天津通志·大运河志》出版。天津市地方志办主办《天津史志》。",
            "天津市地方志办",
            "天津市地方志编修委员会办公室",
            id="the-full-name-though-the-short-one-is-written-more",
        ),
    ],
)
def test_office_short_form_resolves_to_the_full_name_the_document_gives(
    resolve_text: Callable[[str], Resolved], text: str, short: str, full: str
) -> None:
    resolved = resolve_text(text)
    offices = named(resolved, T.INSTITUTION, short)
    assert [e.label for e in offices] == [full]
    assert len(offices[0].mentions) >= 2


def test_office_short_form_without_a_full_name_is_built_from_the_province(
    resolve_text: Callable[[str], Resolved],
) -> None:
    resolved = resolve_text(HENAN + "省地方志办印发《关于加强志书编纂的意见》。")
    assert [e.label for e in named(resolved, T.INSTITUTION, "省地方志办")] == ["河南省地方志办公室"]


@pytest.mark.parametrize(
    "text",
    [
        "甘孜州召开地方志工作会议。甘孜藏族自治州地方志办公室参加。" + SICHUAN,
        "甘孜藏族自治州地方志办公室编纂出版《甘孜州年鉴（2023）》。甘孜州各县参加。" + SICHUAN,
        "甘孜藏族自治州和甘孜州是同一个地方。" + SICHUAN,
    ],
)
def test_short_and_full_region_names_are_one_region_keyed_by_adcode(
    resolve_text: Callable[[str], Resolved], text: str
) -> None:
    resolved = resolve_text(text)
    ganzi = [e for e in of_type(resolved, T.REGION) if e.adcode == "513300"]
    assert len(ganzi) == 1
    region = ganzi[0]
    assert region.key == "region:513300"
    assert region.label == "甘孜藏族自治州"
    assert region.parent == "region:510000"
    assert region.level == "prefecture"
    assert all(m.adcode == "513300" for m in region.mentions)


def test_one_name_one_entity_across_sentences(resolve_text: Callable[[str], Resolved]) -> None:
    text = (
        "《桂林年鉴（2022）》正式出版。"
        + GUANGXI
        + "\n\n《桂林年鉴（2022）》入选“广西精品年鉴”。会上介绍了《桂林年鉴(2022)》的编纂经验。"
    )
    resolved = resolve_text(text)
    yearbooks = [e for e in of_type(resolved, T.PUBLICATION) if e.label.startswith("桂林年鉴")]
    assert len(yearbooks) == 1
    assert len(yearbooks[0].mentions) == 3


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param(
            "郑州市地方史志办公室和洛阳市地方史志办公室联合召开会议。河南省参加。",
            ["郑州市地方史志办公室", "洛阳市地方史志办公室"],
            id="two-city-offices",
        ),
        pytest.param(
            "浙江省地方志办公室召开会议。《景宁畲族自治县志》由浙江省景宁畲族自治县地方志办公室"
            "编纂出版。",
            ["浙江省地方志办公室", "浙江省景宁畲族自治县地方志办公室"],
            id="province-and-county-office",
        ),
        pytest.param(
            "温州方志馆入选“浙江省爱国主义教育基地”，成都方志馆入选“四川省爱国主义教育基地”。",
            ["浙江省爱国主义教育基地", "四川省爱国主义教育基地"],
            id="two-provincial-awards",
        ),
        pytest.param(
            "嘉兴市方志馆与湖州市方志馆签订合作协议。" + ZHEJIANG,
            ["嘉兴市方志馆", "湖州市方志馆"],
            id="two-city-museums",
        ),
        pytest.param(
            "《南宁年鉴（2023）》《南宁年鉴（2024）》相继出版。",
            ["南宁年鉴（2023）", "南宁年鉴（2024）"],
            id="two-volumes",
        ),
    ],
)
def test_different_things_with_similar_names_stay_apart(
    resolve_text: Callable[[str], Resolved], text: str, names: list[str]
) -> None:
    resolved = resolve_text(text)
    keys = set()
    for name in names:
        found = [e for e in resolved.entities if e.label == name]
        assert len(found) == 1, (name, [(e.label, e.aliases) for e in resolved.entities])
        keys.add(found[0].key)
    assert len(keys) == len(names)


def test_every_mention_has_the_key_of_its_entity(resolve_text: Callable[[str], Resolved]) -> None:
    resolved = resolve_text(
        "河南省地方志工作办公室（简称“省志办”）印发《关于加强志书编纂的意见》。"
        + HENAN
        + "省志办主办的《河南史志》杂志刊发专题文章。"
    )
    mentions = resolved.recognized.mentions
    assert len(mentions) == len(resolved.mention_keys)
    by_key = {e.key: e for e in resolved.entities}
    assert len(by_key) == len(resolved.entities), "entity keys must be unique"
    for mention, key in zip(mentions, resolved.mention_keys, strict=True):
        assert mention in by_key[key].mentions
        assert mention.type is by_key[key].type
