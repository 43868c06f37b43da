"""zhi_graph.relate: small documents in, the relations they state out."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from zhi_graph.model import EntityType, ExtractionResult, RelationKind

K = RelationKind
Triple = tuple[str, RelationKind, str, int | None]

HENAN = "郑州市、开封市、洛阳市参加。"
ZHEJIANG = "杭州市、宁波市、温州市参加。"
GUANGXI = "南宁市、柳州市、桂林市参加。"
JIANGSU = "\n南京市、苏州市、无锡市参加。"


def relations(result: ExtractionResult) -> set[Triple]:
    """(subject label, kind, object label, year) for every relation."""
    label = {e.key: e.label for e in result.entities}
    return {(label[r.subject], r.kind, label[r.object], r.year) for r in result.relations}


def without_year(result: ExtractionResult) -> set[tuple[str, RelationKind, str]]:
    return {(s, k, o) for s, k, o, _ in relations(result)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "《桂林年鉴（2022）》正式出版。" + GUANGXI,
            ("桂林年鉴（2022）", K.ABOUT_REGION, "桂林市"),
            id="yearbook-city",
        ),
        pytest.param(
            "《兰考年鉴（2023）》完成终审。" + HENAN,
            ("兰考年鉴（2023）", K.ABOUT_REGION, "兰考县"),
            id="yearbook-county",
        ),
        pytest.param(
            "《景宁畲族自治县志》出版发行。" + ZHEJIANG,
            ("景宁畲族自治县志", K.ABOUT_REGION, "景宁畲族自治县"),
            id="county-gazetteer",
        ),
        pytest.param(
            "《天津市滨海新区年鉴（2024）》出版。天津市召开会议。",
            ("天津市滨海新区年鉴（2024）", K.ABOUT_REGION, "滨海新区"),
            id="a-district-named-like-a-zone",
        ),
        pytest.param(
            "《广西年鉴》编纂工作启动。" + GUANGXI,
            ("广西年鉴", K.ABOUT_REGION, "广西壮族自治区"),
            id="provincial-yearbook",
        ),
        pytest.param(
            "河南省地方志工作办公室召开全体会议。"
            + HENAN
            + "\n省地方志办印发《关于加强志书编纂工作的意见》。",
            ("关于加强志书编纂工作的意见", K.ISSUED_BY, "河南省地方志工作办公室"),
            id="issued-by-short-office",
        ),
        pytest.param(
            "2024年，浙江省地方志办公室印发《浙江省年鉴编纂规范（试行）》。" + ZHEJIANG,
            ("浙江省年鉴编纂规范（试行）", K.ISSUED_BY, "浙江省地方志办公室"),
            id="issued-by-full-office",
        ),
        pytest.param(
            "钦州市地方志办公室开设“钦州方志”微信公众号。" + GUANGXI,
            ("钦州方志", K.OPERATED_BY, "钦州市地方志办公室"),
            id="operated-account",
        ),
        pytest.param(
            "洛阳市地方史志办公室开通“河洛方志”APP。" + HENAN,
            ("河洛方志", K.OPERATED_BY, "洛阳市地方史志办公室"),
            id="operated-app",
        ),
        pytest.param(
            "苏州市地方志办公室“姑苏方志”微信公众号粉丝突破10万。",
            ("姑苏方志", K.OPERATED_BY, "苏州市地方志办公室"),
            id="operated-account-named-before-its-kind",
        ),
        pytest.param(
            "南京市地方志办公室“金陵记忆”数据库收录图片5万张。",
            ("金陵记忆", K.OPERATED_BY, "南京市地方志办公室"),
            id="operated-database-named-before-its-kind",
        ),
        pytest.param(
            "江苏省档案馆建设的江苏省地方志数字资源库二期建成。",
            ("江苏省地方志数字资源库", K.OPERATED_BY, "江苏省档案馆"),
            id="operated-resource-bank",
        ),
        pytest.param(
            "《乐清市志》由浙江省乐清市地方志办公室编纂出版。",
            ("乐清市志", K.PUBLISHED_BY, "浙江省乐清市地方志办公室"),
            id="published-by-passive",
        ),
        pytest.param(
            "嘉兴市地方志办公室编纂的《嘉兴市志（1991—2010）》正式出版。",
            ("嘉兴市志（1991—2010）", K.PUBLISHED_BY, "嘉兴市地方志办公室"),
            id="published-by-relative",
        ),
        pytest.param(
            "泰州市地方志办公室编纂出版《泰州文化丛书》，收录《凤城河》《溱湖》等6部图书。",
            ("溱湖", K.PUBLISHED_BY, "泰州市地方志办公室"),
            id="book-of-a-series",
        ),
        pytest.param(
            "无锡市地方志办公室编纂的《无锡记忆丛书》第二辑由凤凰出版社出版。"
            "本辑收录《惠山泥人》《锡剧春秋》2部图书。",
            ("惠山泥人", K.PUBLISHED_BY, "凤凰出版社"),
            id="book-of-this-batch",
        ),
        pytest.param(
            "海南省地方志办公室\n\n琼志办〔2025〕9号\n\n关于公布第四届海南省地方志优秀成果评审结果的通知"
            "\n\n各市、县地方志工作机构：\n",
            ("关于公布第四届海南省地方志优秀成果评审结果的通知", K.ISSUED_BY, "海南省地方志办公室"),
            id="a-notices-own-title-issued-by-its-masthead",
        ),
        pytest.param(
            "潍坊市人力资源和社会保障局 潍坊市史志研究院\n关于表彰2024年度全市史志工作先进集体和"
            "先进个人的决定\n\n各县市区：\n",
            (
                "关于表彰2024年度全市史志工作先进集体和先进个人的决定",
                K.ISSUED_BY,
                "潍坊市史志研究院",
            ),
            id="a-notices-own-title-issued-by-each-body-of-its-masthead",
        ),
        pytest.param(
            "福建省地方志编纂委员会办公室关于表彰2024年度全省地方志系统先进集体和先进个人的决定\n"
            "\n各设区市地方志办公室：\n",
            (
                "福建省地方志编纂委员会办公室关于表彰2024年度全省地方志系统先进集体和先进个人的决定",
                K.ISSUED_BY,
                "福建省地方志编纂委员会办公室",
            ),
            id="a-notices-own-title-opening-with-its-issuer",
        ),
        pytest.param(
            "中指办推选出40名“全国年鉴优秀编辑”（名单见附件2）。\n\n附件2\n\n全国年鉴优秀编辑名单\n"
            "（共40名，按地区排列）\n\n内蒙古自治区（2名）\n"
            "7．斯琴其木格（锡林郭勒盟史志研究室）    8．包金花（鄂温克族自治旗地方志办公室）\n",
            ("包金花", K.RECEIVED_AWARD, "全国年鉴优秀编辑"),
            id="a-roll-of-an-honour-for-editors-two-to-a-line",
        ),
        pytest.param(
            "6月5日，中指办公布2025年度全国年鉴质量提升工程优秀年鉴名单，全国共有60部年鉴入选。"
            "我省盐城市《东台年鉴（2024）》、徐州市《邳州年鉴（2024）》2部县级综合年鉴榜上有名。",
            ("东台年鉴（2024）", K.RECEIVED_AWARD, "全国年鉴质量提升工程优秀年鉴"),
            id="on-the-list-the-sentence-before-announced-each-work-after-its-place",
        ),
        pytest.param(
            "中国地方志指导小组办公室\n\n中指办函〔2025〕41号\n\n中国地方志指导小组办公室\n"
            "关于公布第七批“中国精品年鉴”名单和\n第十届全国地方志优秀成果（年鉴类）评选结果的通知\n",
            ("全国地方志优秀成果（年鉴类）", K.CONFERRED_BY, "中国地方志指导小组办公室"),
            id="awards-a-notices-own-title-announces-are-conferred-by-its-issuer",
        ),
        pytest.param(
            "温州方志馆全年接待观众12万人次。" + ZHEJIANG,
            ("温州方志馆", K.LOCATED_IN, "温州市"),
            id="museum-located",
        ),
        pytest.param(
            "广西壮族自治区地方志办公室召开会议。",
            ("广西壮族自治区地方志办公室", K.LOCATED_IN, "广西壮族自治区"),
            id="office-located",
        ),
        pytest.param(
            "柳州市获评“中国螺蛳粉之乡”称号。",
            ("柳州市", K.RECEIVED_AWARD, "中国螺蛳粉之乡"),
            id="region-award",
        ),
        pytest.param(
            "2023年，中国地方志工作办公室公布第二批“中国精品年鉴”名单，《嘉兴年鉴（2022）》入选。",
            ("中国精品年鉴", K.CONFERRED_BY, "中国地方志工作办公室"),
            id="conferred-by-announcer",
        ),
        pytest.param(
            "2023年，《江苏地方志》被江苏省期刊协会评为“江苏省优秀期刊”。",
            ("江苏地方志", K.RECEIVED_AWARD, "江苏省优秀期刊"),
            id="passive-recipient",
        ),
        pytest.param(
            "2023年，《江苏地方志》被江苏省期刊协会评为“江苏省优秀期刊”。",
            ("江苏省优秀期刊", K.CONFERRED_BY, "江苏省期刊协会"),
            id="passive-giver",
        ),
        pytest.param(
            "南京市方志馆建成开馆，2023年被南京市科学技术协会命名为“南京市科普教育基地”。",
            ("南京市方志馆", K.RECEIVED_AWARD, "南京市科普教育基地"),
            id="passive-recipient-clause-before",
        ),
        pytest.param(
            "2024年9月，江苏省地方志办公室印发《关于公布第三届江苏省地方志优秀成果评选结果的通知》，"
            "共评出获奖成果50项。",
            ("江苏省地方志优秀成果", K.CONFERRED_BY, "江苏省地方志办公室"),
            id="announced-in-a-notice-title",
        ),
        pytest.param(
            "珠海市横琴粤澳深度合作区管理局介绍了其编纂的《横琴年鉴（2023）》。",
            ("横琴年鉴（2023）", K.PUBLISHED_BY, "珠海市横琴粤澳深度合作区管理局"),
            id="qi-is-the-body-the-sentence-opens-with",
        ),
        pytest.param(
            "2023 年 12 月，中国地方志工作办公室（简称“中志办”）公布第九届全国地方志优秀成果"
            "（志书类）评审结果。",
            ("全国地方志优秀成果（志书类）", K.CONFERRED_BY, "中国地方志工作办公室"),
            id="announced-by-a-body-whose-short-form-was-just-defined",
        ),
        pytest.param(
            "人力资源社会保障部、中志办联合表彰全国地方志系统先进集体和先进工作者，"
            "广州市地方志办公室干部李红获评“全国地方志系统先进工作者”。",
            ("全国地方志系统先进工作者", K.CONFERRED_BY, "人力资源和社会保障部"),
            id="two-bodies-jointly-and-an-award-named-by-its-tail",
        ),
        pytest.param(
            "广东省地方志办公室组织编纂、广东人民出版社出版的《岭南地情丛书》第一辑出版发行。"
            "该辑共 3 种，分别为《广州骑楼》《潮州工夫茶》。",
            ("潮州工夫茶", K.PUBLISHED_BY, "广东人民出版社"),
            id="the-books-of-a-batch-listed-by-fen-bie-wei",
        ),
        pytest.param(
            "宁夏回族自治区地方志办公室与银川市的宁夏大学共建宁夏方志馆宁夏大学分馆。",
            ("宁夏大学", K.LOCATED_IN, "银川市"),
            id="a-partner-named-with-its-place",
        ),
        pytest.param(
            "《通化年鉴（2023）》由通化市地方志办公室编纂、吉林文史出版社出版。吉林省召开会议。",
            ("通化年鉴（2023）", K.PUBLISHED_BY, "吉林文史出版社"),
            id="the-second-body-of-you-a-bian-zuan-b-chu-ban",
        ),
        pytest.param(
            "省地方志办主编的《甘肃年鉴（2024）》由甘肃人民出版社出版。",
            ("甘肃年鉴（2024）", K.PUBLISHED_BY, "甘肃省地方志办公室"),
            id="an-office-as-chief-editor",
        ),
        pytest.param(
            "省地方志办先后在兰州市的兰州大学、天水市麦积区的天水师范学院设立分馆。",
            ("天水师范学院", K.LOCATED_IN, "麦积区"),
            id="each-body-of-a-list-where-its-item-says",
        ),
        pytest.param(
            "郑州市惠济区古荥村微方志馆建成开放。郑州市召开会议。",
            ("郑州市惠济区古荥村微方志馆", K.LOCATED_IN, "古荥村"),
            id="a-village-after-its-county-not-its-townships-short-form",
        ),
        pytest.param(
            "郑州市惠济区古荥镇古荥村编纂的《古荥村志》出版。郑州市召开会议。",
            ("古荥村志", K.ABOUT_REGION, "古荥村"),
            id="a-village-named-like-its-town",
        ),
        pytest.param(
            "附件：1.第三届河南省地方志优秀成果获奖名单\n2.第二批河南省精品年鉴名单\n"
            "3.座谈会纪要\n\n第二批河南省精品年鉴名单\n\n（2024年11月省地方志办评定）\n\n"
            "《洛阳年鉴（2024）》（洛阳市地方史志办公室编纂）\n"
            "《开封年鉴（2024）》（开封市地方史志办公室编纂）\n",
            ("开封年鉴（2024）", K.RECEIVED_AWARD, "河南省精品年鉴"),
            id="a-list-of-titles-under-its-heading-and-note",
        ),
        pytest.param(
            "第二批甘肃省精品年鉴名单\n\n《天水年鉴（2024）》（天水市地方志办公室编纂）\n"
            "《张掖年鉴（2024）》（张掖市地方志办公室编纂）\n",
            ("张掖年鉴（2024）", K.PUBLISHED_BY, "张掖市地方志办公室"),
            id="a-compiler-noted-in-brackets-after-its-work",
        ),
        pytest.param(
            "其中《东村志》《西村志》由三秦出版社出版。",
            ("东村志", K.PUBLISHED_BY, "三秦出版社"),
            id="a-publisher-named-with-a-word-jieba-calls-a-time",
        ),
        pytest.param(
            "鄂尔多斯市史志馆2024年获内蒙古自治区党委宣传部命名为“内蒙古自治区爱国主义教育基地”。",
            ("内蒙古自治区爱国主义教育基地", K.CONFERRED_BY, "中共内蒙古自治区委员会宣传部"),
            id="huo-before-the-giver-is-a-passive",
        ),
        pytest.param(
            "甘肃省地方志办公室在西北师范大学、兰州大学设立甘肃省方志馆西北师范大学分馆、"
            "甘肃省方志馆兰州大学分馆。",
            ("甘肃省方志馆兰州大学分馆", K.HOSTED_BY, "兰州大学"),
            id="each-branch-of-a-list-named-with-its-museum",
        ),
        pytest.param(
            "江苏省地方志办公室编报《方志参阅》12 期。",
            ("方志参阅", K.PUBLISHED_BY, "江苏省地方志办公室"),
            id="bian-bao-compiles-for-submission",
        ),
        pytest.param(
            "途经中山市小榄镇时，考察团参观了小榄镇史志馆。",
            ("小榄镇史志馆", K.LOCATED_IN, "小榄镇"),
            id="a-town-of-a-city-without-counties",
        ),
        pytest.param(
            "江西省地方志办公室编纂的《江西省志·水利志（1986—2020）》完成终审，"
            "由江西人民出版社出版。",
            ("江西省志·水利志（1986—2020）", K.PUBLISHED_BY, "江西人民出版社"),
            id="passive-about-the-work-of-the-first-clause",
        ),
        pytest.param(
            "由江西省地方志办公室、福建省地方志编纂委员会办公室联合主办的“赣鄱方志文化展”"
            "在南昌市方志馆开展。",
            ("赣鄱方志文化展", K.OPERATED_BY, "江西省地方志办公室"),
            id="every-body-listed-after-you",
        ),
        pytest.param(
            "宁夏回族自治区地方志办公室建设的宁夏数字方志馆上线志书 300 部，"
            "运营的“宁夏方志”微信公众号关注用户突破 5 万。",
            ("宁夏方志", K.OPERATED_BY, "宁夏回族自治区地方志办公室"),
            id="a-clause-that-opens-with-its-verb-carries-the-body-before",
        ),
        pytest.param(
            "与会人员观摩了遵义市地方志办公室承编的《遵义年鉴（2024）》编纂流程。",
            ("遵义年鉴（2024）", K.PUBLISHED_BY, "遵义市地方志办公室"),
            id="cheng-bian-undertook-the-compiling",
        ),
        pytest.param(
            "江西省地方志办公室赠送其编纂的《江西省志·鄱阳湖卷》《江西年鉴（2024）》"
            "等 80 余部图书。",
            ("江西年鉴（2024）", K.PUBLISHED_BY, "江西省地方志办公室"),
            id="every-title-of-a-run-after-bian-zuan-de",
        ),
        pytest.param(
            "湖州市安吉县天荒坪镇余村编纂的《余村志》出版。",
            ("余村志", K.ABOUT_REGION, "余村"),
            id="a-village-gazetteer",
        ),
        pytest.param(
            "凤阳县小溪河镇小岗村编修村志，村里建成小岗村村史馆。",
            ("小岗村村史馆", K.LOCATED_IN, "小岗村"),
            id="a-venue-named-after-a-village-named-before",
        ),
        pytest.param(
            "淄博市临淄区雪宫街道临园社区史志馆开馆。",
            ("淄博市临淄区雪宫街道临园社区史志馆", K.LOCATED_IN, "临园社区"),
            id="a-community-whose-name-starts-with-a-verb",
        ),
        pytest.param(
            "重庆市召开会议。由重庆市地方志办公室运营的重庆地情网、“方志重庆”微信公众号和"
            "“渝志云”平台，全年发布信息4100余条。",
            ("渝志云", K.OPERATED_BY, "重庆市地方志办公室"),
            id="the-last-of-the-names-a-passive-relative-clause-qualifies",
        ),
        pytest.param(
            "其中，《湖州年鉴（2024）》为市级综合年鉴，由湖州市地方志办公室编纂、"
            "浙江人民出版社出版。",
            ("湖州年鉴（2024）", K.PUBLISHED_BY, "浙江人民出版社"),
            id="a-work-opening-its-clause-after-a-lead-then-described",
        ),
        pytest.param(
            "州级志书方面，《大理白族自治州志（1991—2020）》由大理州地方志办编纂，"
            "汉、白两种文字版本于2024年8月由云南人民出版社出版。",
            ("大理白族自治州志（1991—2020）", K.PUBLISHED_BY, "云南人民出版社"),
            id="a-later-clause-about-the-works-editions",
        ),
        pytest.param(
            "在宁夏回族自治区人力资源和社会保障厅、自治区地方志办联合表彰的“全区地方志工作"
            "先进个人”中，阿依古丽·买买提、马建国、努尔兰·哈孜别克榜上有名。",
            ("马建国", K.RECEIVED_AWARD, "全区地方志工作先进个人"),
            id="a-han-name-listed-among-dotted-names-of-an-honour-list",
        ),
        pytest.param(
            "在援助资金支持下，位于阿克陶县的阿克陶县方志馆建成开放，由阿克陶县地方志办公室"
            "管理运营。",
            ("阿克陶县方志馆", K.OPERATED_BY, "阿克陶县地方志办公室"),
            id="the-one-venue-of-the-sentence-is-what-a-passive-verb-is-about",
        ),
        pytest.param(
            "自治区史志办还依托位于银川市的宁夏大学设立宁夏方志馆宁夏大学分馆。",
            ("宁夏方志馆宁夏大学分馆", K.OPERATED_BY, "自治区史志办"),
            id="a-university-relied-on-is-the-setting-not-the-agent",
        ),
        pytest.param(
            "甘肃省地方志办公室与中国知网合作建设的甘肃地方志数据库上线。",
            ("甘肃地方志数据库", K.OPERATED_BY, "甘肃省地方志办公室"),
            id="a-partner-in-he-zuo-jian-she-is-not-the-builder",
        ),
        pytest.param(
            "位于乌鲁木齐市天山区的新疆维吾尔自治区方志馆由自治区地方志办运营。展览在乌鲁木齐市的"
            "新疆维吾尔自治区方志馆开展。",
            ("新疆维吾尔自治区方志馆", K.LOCATED_IN, "天山区"),
            id="the-most-specific-place-of-two",
        ),
        pytest.param(
            "《洛阳年鉴（2025）》《新乡年鉴（2025）》分别由洛阳市地方志办公室、新乡市地方志办公室编纂。",
            ("新乡年鉴（2025）", K.PUBLISHED_BY, "新乡市地方志办公室"),
            id="respectively-by",
        ),
        pytest.param(
            "1．《开封年鉴（2024）》，开封市地方志办公室编纂，中州古籍出版社出版\n",
            ("开封年鉴（2024）", K.PUBLISHED_BY, "中州古籍出版社"),
            id="a-rows-credits-after-the-title",
        ),
        pytest.param(
            "河南省情网、“河南方志”微信公众号均由河南省地方史志办公室负责运维。",
            ("河南方志", K.OPERATED_BY, "河南省地方史志办公室"),
            id="maintained-by",
        ),
        pytest.param(
            "河南省地方史志办公室在开封市河南大学设立河南省方志馆河南大学分馆。",
            ("河南大学", K.LOCATED_IN, "开封市"),
            id="a-place-written-right-before-a-body",
        ),
        pytest.param(
            "2023年，《澧县志》荣获湖南省人民政府颁发的湖南省第十五届社会科学优秀成果二等奖。",
            ("澧县志", K.RECEIVED_AWARD, "湖南省社会科学优秀成果二等奖"),
            id="an-unquoted-award-after-who-gave-it",
        ),
        pytest.param(
            "2023年，《澧县志》荣获湖南省人民政府颁发的湖南省第十五届社会科学优秀成果二等奖。",
            ("湖南省社会科学优秀成果二等奖", K.CONFERRED_BY, "湖南省人民政府"),
            id="who-gave-an-unquoted-award",
        ),
        pytest.param(
            "2023年，该办副主任李丽荣获天津市总工会授予的“天津市五一劳动奖章”。",
            ("天津市五一劳动奖章", K.CONFERRED_BY, "天津市总工会"),
            id="who-gave-a-quoted-award",
        ),
        pytest.param(
            "经评审，共评出湖南省优秀年鉴一等奖3项、二等奖5项（名单见附件）。\n\n附件\n\n"
            "序号 成果名称 编纂单位 出版单位 等次\n"
            "1 岳阳年鉴（2024） 岳阳市地方志办公室 湖南人民出版社 一等奖\n"
            "2 常德年鉴（2024） 常德市地方志办公室 方志出版社 二等奖\n",
            ("常德年鉴（2024）", K.RECEIVED_AWARD, "湖南省优秀年鉴二等奖"),
            id="a-tables-row-graded-in-its-last-cell",
        ),
        pytest.param(
            "经评审，共评出湖南省优秀年鉴一等奖3项、二等奖5项（名单见附件）。\n\n附件\n\n"
            "序号 成果名称 编纂单位 出版单位 等次\n"
            "1 岳阳年鉴（2024） 岳阳市地方志办公室 湖南人民出版社 一等奖\n",
            ("岳阳年鉴（2024）", K.PUBLISHED_BY, "湖南人民出版社"),
            id="a-graded-rows-publisher-column",
        ),
        pytest.param(
            "经评审，共评出湖南省优秀志书一等奖2项、二等奖4项。\n\n一等奖（2项）\n\n"
            "《汨罗市志（1991—2020）》（汨罗市地方志办公室编纂，方志出版社出版）"
            "《沅陵县志（1991—2020）》（沅陵县地方志办公室编纂）\n",
            ("沅陵县志（1991—2020）", K.RECEIVED_AWARD, "湖南省优秀志书一等奖"),
            id="works-run-together-under-a-grade-heading",
        ),
        pytest.param(
            "在省方志办组织的第三届湖南省地方志优秀成果评选中，岳阳市地方志办公室编纂的"
            "《岳阳年鉴（2024）》、常德市地方志办公室编纂的《常德年鉴（2024）》分别被评为"
            "一等奖、二等奖。",
            ("岳阳年鉴（2024）", K.RECEIVED_AWARD, "湖南省地方志优秀成果一等奖"),
            id="works-each-after-who-compiled-them-respectively",
        ),
        pytest.param(
            "2024年，韶山市韶山村入选文旅部、国家发展改革委公布的“全国乡村旅游重点村”名单。",
            ("全国乡村旅游重点村", K.CONFERRED_BY, "国家发展和改革委员会"),
            id="bodies-listed-before-the-list-they-announced",
        ),
        pytest.param(
            "2024年，中共湖南省委宣传部授予位于韶山市韶山乡的韶山市方志馆“湖南省爱国主义教育基地”称号。",
            ("韶山市方志馆", K.RECEIVED_AWARD, "湖南省爱国主义教育基地"),
            id="given-to-a-venue-described-by-its-place",
        ),
        pytest.param(
            "王强、刘洋分别代表湖南省地方志编纂委员会办公室和贵州省地方志办公室签署"
            "《湘黔地方志协作框架协议》。",
            ("湘黔地方志协作框架协议", K.ISSUED_BY, "贵州省地方志办公室"),
            id="an-agreement-is-issued-by-the-bodies-that-signed-it",
        ),
        pytest.param(
            "湖南省地方志编纂委员会办公室与贵州省地方志办公室在长沙召开座谈会。"
            "湖南省地方志编纂委员会办公室主任张华、贵州省地方志办公室主任李明出席。"
            "会上，张华、李明代表双方签署《湘黔地方志工作合作框架协议（2025—2027年）》。",
            (
                "湘黔地方志工作合作框架协议（2025—2027年）",
                K.ISSUED_BY,
                "湖南省地方志编纂委员会办公室",
            ),
            id="an-agreement-signed-for-both-sides",
        ),
        pytest.param(
            "江苏省地方志办公室与山东省地方史志研究院在济南召开座谈会。"
            "江苏省地方志办公室主任张华、山东省地方史志研究院院长李明出席。"
            "会上，张华、李明代表双方签署《苏鲁地方志协作框架协议》。",
            ("苏鲁地方志协作框架协议", K.ISSUED_BY, "山东省地方史志研究院"),
            id="an-agreement-signed-for-both-sides-one-an-academy",
        ),
        pytest.param(
            "2024年，张伟民同志被人力资源社会保障部、中国地方志指导小组授予"
            "“全国地方志系统先进工作者”称号。",
            ("全国地方志系统先进工作者", K.CONFERRED_BY, "人力资源和社会保障部"),
            id="each-of-two-givers-after-bei",
        ),
        pytest.param(
            "2024年，怀化市洪江市黔城镇入选第八批中国历史文化名镇。",
            ("黔城镇", K.RECEIVED_AWARD, "中国历史文化名镇"),
            id="an-award-the-lexicon-knows-unquoted",
        ),
        pytest.param(
            "2024年12月，苏州方志馆苏州大学分馆获江苏省社会科学界联合会（以下简称“省社科联”）"
            "认定为“江苏省社会科学普及示范基地”。",
            ("苏州方志馆苏州大学分馆", K.RECEIVED_AWARD, "江苏省社会科学普及示范基地"),
            id="a-branch-named-after-its-host-given-by-a-body-with-a-short-form",
        ),
        pytest.param(
            "贵州省地方志办公室召开会议。省地方志办主办的贵州地情网和“方志贵州”微信公众号"
            "持续优化栏目设置。",
            ("方志贵州", K.OPERATED_BY, "贵州省地方志办公室"),
            id="the-second-of-the-venues-a-relative-clause-qualifies",
        ),
        pytest.param(
            "安徽省地方志办公室召开会议。获奖名单在省地方志办官方微信公众号“方志安徽”公示。",
            ("方志安徽", K.OPERATED_BY, "安徽省地方志办公室"),
            id="an-offices-official-account",
        ),
        pytest.param(
            "重庆市地方志办公室召开会议。市地方志办组织开展了首届“重庆市精品年鉴”评选，"
            "《荣昌年鉴（2024）》《黔江年鉴（2024）》等2部年鉴入选。",
            ("黔江年鉴（2024）", K.RECEIVED_AWARD, "重庆市精品年鉴"),
            id="listed-winners-of-a-selection-the-clause-before-runs",
        ),
        pytest.param(
            "重庆市地方志办公室在沙坪坝区的四川外国语大学建成高校分馆，"
            "挂牌“重庆市方志馆四川外国语大学分馆”。",
            ("重庆市方志馆四川外国语大学分馆", K.LOCATED_IN, "沙坪坝区"),
            id="a-branch-named-by-its-sign-is-a-venue-where-its-host-is",
        ),
        pytest.param(
            "广西壮族自治区地方志办公室召开会议。本批评定按照自治区地方志办2021年印发的"
            "《广西精品年鉴评定办法（试行）》进行。",
            ("广西精品年鉴评定办法（试行）", K.ISSUED_BY, "广西壮族自治区地方志办公室"),
            id="when-between-a-body-and-its-verb-in-a-relative-clause",
        ),
        pytest.param(
            "9月26日，江华瑶族自治县方志馆在县城沱江镇建成开馆。",
            ("江华瑶族自治县方志馆", K.LOCATED_IN, "沱江镇"),
            id="built-in-the-county-seats-town",
        ),
        pytest.param(
            "“湘黔方志成果联展”由湖南省地方志编纂委员会办公室和贵州省地方志办公室联合举办。",
            ("湘黔方志成果联展", K.OPERATED_BY, "贵州省地方志办公室"),
            id="an-exhibition-held-jointly",
        ),
    ],
)
def test_relation_found(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    expected: tuple[str, RelationKind, str],
) -> None:
    assert expected in without_year(extract_text(text))


def test_award_years_come_from_each_batch_sentence(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2023年，《开封年鉴（2023）》《兰考年鉴（2023）》入选首批“河南省精品年鉴”。"
        "2024年，《鹤壁年鉴（2024）》、《淇县年鉴（2024）》入选第二批“河南省精品年鉴”。"
    )
    awards = {
        (s, y)
        for s, k, o, y in relations(result)
        if k is K.RECEIVED_AWARD and o == "河南省精品年鉴"
    }
    assert awards == {
        ("开封年鉴（2023）", 2023),
        ("兰考年鉴（2023）", 2023),
        ("鹤壁年鉴（2024）", 2024),
        ("淇县年鉴（2024）", 2024),
    }


def test_this_year_is_the_year_of_the_issue(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "附：全省地方志工作简讯（2025年第1期摘编）\n\n"
        "3．韶山市方志馆获评“湖南省科普教育基地”。今年1月，湖南省科学技术协会公布"
        "“湖南省科普教育基地”名单，韶山市方志馆入选。"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD and s == "韶山市方志馆"}
    assert years == {2025}


def test_a_titles_year_does_not_date_the_results(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "根据《湖南省地方志优秀成果评审办法（2022年修订）》，2025年1月，湖南省地方志办公室"
        "公布第三届湖南省地方志优秀成果评审结果。\n\n附件\n\n"
        "序号 成果名称 编纂单位 等次\n"
        "1 《岳阳年鉴（2024）》 岳阳市地方志办公室 一等奖\n"
    )
    found = {(s, o, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {("岳阳年鉴（2024）", "湖南省地方志优秀成果一等奖", 2025)}


def test_a_graded_award_also_goes_by_its_edition(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年1月，湖南省地方志办公室公布第三届湖南省地方志优秀成果评审结果。\n\n附件\n\n"
        "序号 成果名称 编纂单位 等次\n"
        "1 《岳阳年鉴（2024）》 岳阳市地方志办公室 一等奖\n"
    )
    graded = next(e for e in result.entities if e.label == "湖南省地方志优秀成果一等奖")
    assert "第三届湖南省地方志优秀成果一等奖" in graded.aliases


@pytest.mark.parametrize(
    "date",
    [pytest.param("2025年1月10日", id="digits"), pytest.param("二〇二五年一月十日", id="numerals")],
)
def test_a_lists_signature_wins_nothing_and_its_date_dates_the_list(
    extract_text: Callable[[str], ExtractionResult], date: str
) -> None:
    result = extract_text(
        "经专家评审，确定以下年鉴为湖南省精品年鉴，现予公布。\n\n"
        "湖南省精品年鉴名单\n1.《长沙年鉴（2024）》\n2.《株洲年鉴（2024）》\n\n"
        f"湖南省地方志编纂委员会办公室\n{date}\n"
    )
    found = {(s, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {("长沙年鉴（2024）", 2025), ("株洲年鉴（2024）", 2025)}


NEWS_ITEM = (
    "首页 > 工作动态\n\n{headline}\n\n发布时间：2024-04-16 10:21  来源：广西方志馆\n\n{body}\n"
)


@pytest.mark.parametrize(
    ("body", "year"),
    [
        pytest.param(
            "日前，中共广西壮族自治区委员会宣传部公布新一批“广西壮族自治区爱国主义教育基地”名单，"
            "广西方志馆入选。",
            2024,
            id="lately",
        ),
        pytest.param(
            "去年12月，自治区地方志办公布第三批“广西精品年鉴”名单，广西方志馆入选。",
            2023,
            id="last-year",
        ),
        pytest.param(
            "6月上旬，中国地方志指导小组办公室公布全国地方志优秀成果（年鉴类）评选结果，"
            "我区2部年鉴获奖。其中，《南宁年鉴（2023）》获一等奖。",
            2024,
            id="a-month-in-the-announcement-before",
        ),
    ],
)
def test_a_news_items_stamp_dates_what_it_tells(
    extract_text: Callable[[str], ExtractionResult], body: str, year: int
) -> None:
    text = NEWS_ITEM.format(headline="广西方志馆入选", body=body)
    years = {y for s, k, o, y in relations(extract_text(text)) if k is K.RECEIVED_AWARD}
    assert years == {year}


def test_last_year_in_a_dated_speech_is_the_year_before(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "在2025年全市地方志工作会议上的讲话\n\n（2025年2月26日）\n\n同志们：\n\n"
        "去年6月，中志办公布全国地方志优秀成果（年鉴类）评选结果，我市共有2部年鉴获奖。"
        "其中，《北碚年鉴（2023）》获全国地方志优秀成果（年鉴类）特等奖。"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert years == {2024}


def test_a_month_in_a_report_is_dated_by_the_year_its_part_reports_on_not_its_issue_date(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年1月10日\n\n一、2024年工作回顾\n\n6月，广西方志馆入选“广西壮族自治区爱国主义教育基地”。"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert years == {2024}


ISSUE = (
    "广东史志工作动态\n\n2025 年第 4 期（总第 218 期）\n\n"
    "广东省地方志办公室编　　　　2025 年 4 月 18 日\n\n{body}\n"
)


@pytest.mark.parametrize(
    ("body", "year"),
    [
        pytest.param(
            "3 月 28 日，省地方志办公布第二批“广东省精品年鉴”名单，《广州年鉴（2024）》入选。",
            2025,
            id="a-month-of-the-issues-year",
        ),
        pytest.param(
            "12 月 20 日，省地方志办公布第二批“广东省精品年鉴”名单，《广州年鉴（2024）》入选。",
            2024,
            id="a-month-after-the-issues-month",
        ),
        pytest.param(
            "日前，省地方志办公布第二批“广东省精品年鉴”名单，《广州年鉴（2024）》入选。",
            2025,
            id="lately",
        ),
    ],
)
def test_a_periodicals_issue_dates_what_its_items_tell(
    extract_text: Callable[[str], ExtractionResult], body: str, year: int
) -> None:
    years = {
        y
        for s, k, o, y in relations(extract_text(ISSUE.format(body=body)))
        if k is K.RECEIVED_AWARD
    }
    assert years == {year}


def test_an_issue_with_no_date_dates_nothing(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # an issue of an unknown month may review the year before it
    text = "工作动态\n\n2025年第1期\n\n3月，《广州年鉴（2024）》入选“广东省精品年鉴”。\n"
    years = {y for s, k, o, y in relations(extract_text(text)) if k is K.RECEIVED_AWARD}
    assert years == {None}


def test_a_list_is_dated_by_the_month_of_the_item_that_names_it(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # the announcing sentence names the award without its edition, and a period of
    # works (2021年1月至2024年6月) that dates no result
    body = (
        "3 月 20 日，省地方志办印发通知，公布广东省第三届地方志优秀成果评审结果。"
        "本届评审面向 2021 年 1 月至 2024 年 6 月公开出版的志书，"
        "经专家复评审定，共评出获奖成果 3 项。"
        "\n\n一、年鉴类\n\n（一）一等奖（2 部）\n\n"
        "《珠海年鉴（2024）》（珠海市地方志办公室编纂）\n"
        "《中山年鉴（2024）》（中山市地方志办公室编纂）\n"
    )
    years = {
        (s, y)
        for s, k, o, y in relations(extract_text(ISSUE.format(body=body)))
        if k is K.RECEIVED_AWARD
    }
    assert years == {("珠海年鉴（2024）", 2025), ("中山年鉴（2024）", 2025)}


def test_rows_after_a_sentence_that_declares_them_winners(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2024年12月18日，湖南省地方志编纂院评定以下3部年鉴为第二批“湖南省精品年鉴”，现予公告：\n\n"
        "1.《株洲年鉴（2024）》\n2.《湘潭年鉴（2024）》\n3.《吉首年鉴（2024）》\n\n"
        "注：入选年鉴的编纂单位将获颁证书。\n"
    )
    found = {(s, o, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {
        ("株洲年鉴（2024）", "湖南省精品年鉴", 2024),
        ("湘潭年鉴（2024）", "湖南省精品年鉴", 2024),
        ("吉首年鉴（2024）", "湖南省精品年鉴", 2024),
    }


RESULTS_BY_CATEGORY = (
    "2024年12月，经安徽省地方志办公室主任办公会议审定，共评出第三届安徽省地方志优秀成果"
    "特别奖1项、一等奖2项、二等奖1项。\n\n附件1\n\n第三届安徽省地方志优秀成果获奖名单\n\n"
    "一、特别奖（1项）\n《合肥市志（1986—2010）》　合肥市地方志办公室\n\n"
    "二、志书类\n（一）一等奖（1项）\n《肥西县志（1986—2015）》　肥西县地方志办公室\n\n"
    "三、论文类\n（一）一等奖（1项）\n"
    "《新时代县级综合年鉴框架设计的几点思考》　周立新　李梅（肥西县地方志办公室）\n"
    "（二）二等奖（1项）\n《地方志资政服务的实践路径探析》　孙慧敏（安徽大学历史学院）\n"
)


def test_grade_sections_under_a_category_and_their_rows(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    found = relations(extract_text(RESULTS_BY_CATEGORY))
    awarded = {(s, o) for s, k, o, y in found if k is K.RECEIVED_AWARD and y == 2024}
    assert {
        ("合肥市志（1986—2010）", "安徽省地方志优秀成果特别奖"),
        ("肥西县志（1986—2015）", "安徽省地方志优秀成果（志书类）一等奖"),
        ("新时代县级综合年鉴框架设计的几点思考", "安徽省地方志优秀成果（论文类）一等奖"),
        ("周立新", "安徽省地方志优秀成果（论文类）一等奖"),
        ("李梅", "安徽省地方志优秀成果（论文类）一等奖"),
        ("孙慧敏", "安徽省地方志优秀成果（论文类）二等奖"),
    } <= awarded
    published = {(s, o) for s, k, o, _ in found if k is K.PUBLISHED_BY}
    assert ("肥西县志（1986—2015）", "肥西县地方志办公室") in published
    # an author's body in her note made no work of hers
    assert not any(o == "安徽大学历史学院" for _, o in published)
    assert not any(s == "安徽大学历史学院" for s, _ in awarded)


def test_a_category_an_award_names_is_no_award_of_its_own(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年1月，共评出江西省优秀年鉴志书一等奖1项。\n\n附件1\n\n"
        "二、志书类（1项）\n一等奖（1项）\n《九江市志（1986—2020）》　九江市地方志办公室\n"
    )
    awarded = {(s, o) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert awarded == {("九江市志（1986—2020）", "江西省优秀年鉴志书一等奖")}


def test_a_line_naming_an_honour_lists_its_winners(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2024年12月，苏州市地方志办公室印发通报，分别授予“2024年度苏州市地方志工作先进集体”"
        "“2024年度苏州市地方志工作先进个人”称号。名单如下：\n\n"
        "2024年度苏州市地方志工作先进集体（2个）：张家港市地方志办公室、太仓市地方志办公室。\n\n"
        "2024年度苏州市地方志工作先进个人（2名）：陈嘉懿（昆山市地方志办公室）、"
        "钱卓然（张家港市地方志办公室）。\n"
    )
    found = {(s, o, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {
        ("张家港市地方志办公室", "苏州市地方志工作先进集体", 2024),
        ("太仓市地方志办公室", "苏州市地方志工作先进集体", 2024),
        ("陈嘉懿", "苏州市地方志工作先进个人", 2024),
        ("钱卓然", "苏州市地方志工作先进个人", 2024),
    }


def test_giving_an_honour_to_no_one_named_gives_the_document_nothing(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2024年12月，市地方志办印发《关于表扬2024年度全市地方志工作先进集体的通报》，"
        "对成绩突出的5个单位予以通报表扬，授予“2024年度苏州市地方志工作先进集体”称号。"
    )
    assert not [r for r in result.relations if r.kind is K.RECEIVED_AWARD]


@pytest.mark.parametrize(
    ("row", "makers"),
    [
        pytest.param(
            "1　中原区　中原区年鉴（2024）　郑州市中原区地方史志研究室　中州古籍出版社　2024年11月",
            {"郑州市中原区地方史志研究室", "中州古籍出版社"},
            id="cell-by-cell",
        ),
        pytest.param(
            "2　二七区　二七区年鉴（2024）　郑州市二七区地方史志办公室　中州古籍出版社",
            {"郑州市二七区地方史志办公室", "中州古籍出版社"},
            id="by-order-with-a-cell-missing",
        ),
    ],
)
def test_a_table_of_works_names_who_made_each(
    extract_text: Callable[[str], ExtractionResult], row: str, makers: set[str]
) -> None:
    result = extract_text(
        "附件\n\n2024年度全省综合年鉴公开出版情况\n\n"
        "序号　地区　年鉴名称　编纂单位　出版社　出版时间\n郑州市（2部）\n" + row + "\n"
    )
    made = {o for s, k, o, _ in relations(result) if k is K.PUBLISHED_BY}
    assert made == makers


def test_a_table_whose_bodies_put_works_forward_names_no_maker(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "序号　年鉴名称　推荐单位　出版社\n1　中原区年鉴（2024）　郑州市地方史志办公室\n"
    )
    assert not [r for r in result.relations if r.kind is K.PUBLISHED_BY]


@pytest.mark.parametrize(
    ("sentence", "made"),
    [
        pytest.param(
            "汕头市地方志办公室编《潮汕侨批》获二等奖。",
            {("潮汕侨批", "汕头市地方志办公室")},
            id="a-body-and-编-before-the-title",
        ),
        pytest.param(
            "韶关市地方志办公室编、广东旅游出版社出版的《南岭古道》获一等奖。",
            {("南岭古道", "韶关市地方志办公室"), ("南岭古道", "广东旅游出版社")},
            id="the-compiler-before-the-press",
        ),
        pytest.param(
            "广东省地方志办公室编、印、发《工作动态》12期。",
            set(),
            id="编-in-a-run-of-verbs",
        ),
    ],
)
def test_a_works_credit_in_prose_names_who_compiled_it(
    extract_text: Callable[[str], ExtractionResult], sentence: str, made: set[tuple[str, str]]
) -> None:
    found = {(s, o) for s, k, o, _ in relations(extract_text(sentence)) if k is K.PUBLISHED_BY}
    assert found == made


RESULTS_BY_KIND = (
    "2025年9月，内蒙古自治区地方志办公室公布内蒙古自治区第三届地方志优秀成果评选结果。\n\n"
    "附件\n\n内蒙古自治区第三届地方志优秀成果获奖名单\n\n"
    "一、志书类（2 项）\n\n"
    "序号\t成果名称\t编纂（出版）单位\t主编\n"
    "一等奖（1 项）\n"
    "1\t《额济纳旗志（1991—2020）》\t额济纳旗地方志办公室\t方志出版社\t苏和巴特尔\n"
    "二等奖（1 项）\n"
    "2\t《城川镇志》\t鄂托克前旗城川镇人民政府\t内蒙古人民出版社\t张宝山\n\n"
    "二、论文类（1 项）\n\n"
    "序号\t论文题目\t作者\t作者单位\n"
    "一等奖（1 项）\n"
    "1\t新时代民族地区综合年鉴特色化编纂路径探析\t王丽娟\t内蒙古大学\n"
)


def test_a_results_table_under_its_kind_grades_works_not_their_editors(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # the kind of works heads the table whose header row stands above its grades; a
    # 主编 edited the work and did not win with it; a paper's title needs no 《》 in the
    # column of titles, and its 作者 win with it
    found = {
        (s, o) for s, k, o, _ in relations(extract_text(RESULTS_BY_KIND)) if k is K.RECEIVED_AWARD
    }
    assert found == {
        ("额济纳旗志（1991—2020）", "内蒙古自治区地方志优秀成果（志书类）一等奖"),
        ("城川镇志", "内蒙古自治区地方志优秀成果（志书类）二等奖"),
        ("新时代民族地区综合年鉴特色化编纂路径探析", "内蒙古自治区地方志优秀成果（论文类）一等奖"),
        ("王丽娟", "内蒙古自治区地方志优秀成果（论文类）一等奖"),
    }


def test_a_part_headed_by_an_honour_and_its_count_lists_its_winners(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年9月，评出呼和浩特市地方志办公室等3个单位为“全区地方志工作优秀组织单位”，"
        "王丽娟等2名同志为“全区地方志工作先进个人”。\n\n附件\n\n"
        "一、优秀组织单位（3个）\n\n"
        "呼和浩特市地方志办公室　　　　包头市地方志办公室\n赤峰市地方志办公室\n\n"
        "二、先进个人（2名）\n\n"
        "王丽娟（包头市地方志办公室）　　　　刘海涛（赤峰市地方志办公室）\n\n"
        "三、其他事项\n\n序号\t单位\n1\t通辽市地方志办公室\n"
    )
    found = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    units, people = "全区地方志工作优秀组织单位", "全区地方志工作先进个人"
    assert {(s, o) for s, o in found if o in (units, people)} == {
        ("呼和浩特市地方志办公室", units),
        ("包头市地方志办公室", units),
        ("赤峰市地方志办公室", units),
        ("王丽娟", people),
        ("刘海涛", people),
    }


def test_an_honour_of_people_goes_to_the_person_the_paragraph_is_about(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "林晓峰　广州市地方志办公室年鉴编辑部主任。从事年鉴编纂工作18年，"
        "推动《广州年鉴（2024）》入选“中国精品年鉴”，2023年被评为“全国地方志系统先进工作者”。\n"
    )
    found = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    assert ("林晓峰", "全国地方志系统先进工作者") in found
    assert ("广州年鉴（2024）", "全国地方志系统先进工作者") not in found


def test_prose_grades_take_the_category_the_sentence_before_counts(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年3月20日，省地方志办公布广东省第三届地方志优秀成果评审结果。"
        "地情书及其他类共评出一等奖1项、二等奖2项。其中，韶关市地方志办公室编、"
        "广东旅游出版社出版的《南岭古道》获一等奖；汕头市地方志办公室编《潮汕侨批》、"
        "湛江市地方志办公室编《雷州半岛风物》获二等奖。\n"
    )
    found = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    base = "广东省地方志优秀成果（地情书及其他类）"
    assert found == {
        ("南岭古道", base + "一等奖"),
        ("潮汕侨批", base + "二等奖"),
        ("雷州半岛风物", base + "二等奖"),
    }


def test_a_roll_under_its_heading_may_list_its_winners_on_one_line(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年3月28日，省人力资源社会保障厅、省地方志办表彰全省地方志系统先进集体。\n\n"
        "附件1\n\n广东省地方志系统先进集体名单\n（4 个，排名不分先后）\n\n"
        "广州市地方志办公室、深圳市史志办公室、珠海市地方志办公室、"
        "佛山市南海区地方志办公室、韶关市地方志办公室、湛江市地方志办公室\n"
    )
    found = {s for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {
        "广州市地方志办公室",
        "深圳市史志办公室",
        "珠海市地方志办公室",
        "佛山市南海区地方志办公室",
        "韶关市地方志办公室",
        "湛江市地方志办公室",
    }


@pytest.mark.parametrize(
    ("entry", "year"),
    [
        pytest.param("3月12日，《海林年鉴（2024）》入选“黑龙江省精品年鉴”。", 2024, id="an-entry"),
        pytest.param("同月，《宁安年鉴（2024）》入选“黑龙江省精品年鉴”。", 2024, id="same-month"),
        pytest.param(
            "1月10日，市史志研究室通报，去年《海林年鉴（2023）》入选“黑龙江省精品年鉴”。",
            2023,
            id="last-year",
        ),
    ],
)
def test_a_chronicle_of_a_year_dates_its_entries(
    extract_text: Callable[[str], ExtractionResult], entry: str, year: int
) -> None:
    text = "牡丹江市2024年地方志工作大事记\n\n牡丹江市史志研究室\n\n一月\n\n" + entry + "\n"
    years = {y for s, k, o, y in relations(extract_text(text)) if k is K.RECEIVED_AWARD}
    assert years == {year}


def test_rows_that_grade_themselves_take_the_category_of_their_part(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年3月20日，省地方志办公布广东省第三届地方志优秀成果评审结果。\n\n"
        "二、志书类\n\n序号\t成果名称\t编纂单位\t出版单位\t等次\n"
        "1\t新会区志（1979—2020）\t江门市新会区地方志办公室\t广东人民出版社\t二等奖\n"
    )
    found = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    assert found == {("新会区志（1979—2020）", "广东省地方志优秀成果（志书类）二等奖")}


def test_rows_far_below_the_notice_take_the_award_their_tables_heading_names(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年3月，吉林省地方志编纂委员会办公室公布第三届吉林省地方志优秀成果评选结果。"
        + "全省地方志工作稳步推进。" * 700
        + "\n\n附件1\n\n第三届吉林省地方志优秀成果获奖名单\n\n"
        "序号\t成果名称\t类别\t编纂单位\t等次\n"
        "1\t吉林市年鉴（2024）\t年鉴\t吉林市地方志编纂委员会办公室\t二等奖\n"
    )
    awarded = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    assert ("吉林市年鉴（2024）", "吉林省地方志优秀成果二等奖") in awarded


def test_a_lists_heading_over_two_lines_names_its_honours_in_full(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年3月10日，吉林省地方志编纂委员会办公室印发通知。\n\n附件2\n\n"
        "第三届吉林省地方志优秀成果评选\n优秀组织单位和先进个人名单\n\n"
        "一、优秀组织单位（2个）\n\n1. 长春市地方志编纂委员会办公室\n2. 通化市史志办公室\n\n"
        "二、先进个人（1名）\n\n1. 王海波（长春市地方志办）\n"
    )
    awarded = {(s, o) for s, k, o, _ in relations(result) if k is K.RECEIVED_AWARD}
    assert awarded == {
        ("长春市地方志编纂委员会办公室", "吉林省地方志优秀成果评选优秀组织单位"),
        ("通化市史志办公室", "吉林省地方志优秀成果评选优秀组织单位"),
        ("王海波", "吉林省地方志优秀成果评选先进个人"),
    }


def test_the_notices_masthead_names_who_announces_its_results(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "海南省地方志办公室\n\n琼志办〔2025〕9号\n\n"
        "关于公布第四届海南省地方志优秀成果评审结果的通知\n\n各市、县地方志工作机构：\n\n"
        "现将评审结果公布如下。\n\n一等奖\n《海口年鉴（2023）》\n"
    )
    conferred = {(s, o) for s, k, o, _ in relations(result) if k is K.CONFERRED_BY}
    assert ("海南省地方志优秀成果", "海南省地方志办公室") in conferred


def test_a_lists_heading_cut_at_its_he_names_both_honours(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2024年12月27日，潍坊市史志研究院决定授予青州市史志研究中心等2个单位"
        "“2024年度全市史志工作先进集体”称号。\n\n附件\n\n"
        "2024年度全市史志工作先进集体和\n先进个人名单\n\n一、先进集体（2个）\n\n"
        "序号\n单位名称\n1\n青州市史志研究中心\n2\n寿光市地方史志研究中心\n"
    )
    found = {(s, o, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert ("寿光市地方史志研究中心", "潍坊市史志工作先进集体", 2024) in found


def test_a_roll_is_dated_by_its_own_notices_signature_not_the_files_last(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "经研究，决定授予青州市史志研究中心等2个单位“2024年度全市史志工作先进集体”称号。\n\n"
        "潍坊市史志研究院\n\n2024年12月27日\n\n附件\n\n"
        "2024年度全市史志工作先进集体名单\n\n序号\t单位名称\n"
        "1\t青州市史志研究中心\n2\t寿光市地方史志研究中心\n\n"
        "潍坊市史志研究院关于另一项工作的通知\n\n潍坊市史志研究院\n\n2025年1月20日\n"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert years == {2024}


def test_an_honour_rolls_header_row_and_wrapped_cells(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2025年1月，湖南省地方志编纂委员会办公室决定表彰2024年度全省地方志系统先进集体。\n\n"
        "2024年度全省地方志系统先进集体名单\n\n"
        "序号 单位\n"
        "1\u3000岳阳市地方志编纂委员会办公室\n"
        "2 常德市地方志编纂委员会办\n公室\n"
    )
    winners = {s for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert winners == {"岳阳市地方志编纂委员会办公室", "常德市地方志编纂委员会办公室"}


@pytest.mark.parametrize(
    ("text", "winner", "award"),
    [
        pytest.param(
            "2024年，省方志办编纂的《湖南年鉴（2024）》荣获一等奖。同年12月，在省方志办组织的"
            "第三届湖南省地方志优秀成果评选中，《岳阳年鉴（2024）》被评为二等奖。",
            "岳阳年鉴（2024）",
            "湖南省地方志优秀成果二等奖",
            id="same-year-as-the-sentence-before",
        ),
        pytest.param(
            "2024年，省方志办编纂的《湖南年鉴（2024）》荣获一等奖。同年12月，在省方志办组织的"
            "第三届湖南省地方志优秀成果评选中，《岳阳年鉴（2024）》被评为二等奖；经中志办评审，"
            "《常德年鉴（2024）》入选“中国精品年鉴”。",
            "常德年鉴（2024）",
            "中国精品年鉴",
            id="a-clause-after-one-dated-by-the-sentence-before",
        ),
    ],
)
def test_award_years_told_by_the_sentence_before(
    extract_text: Callable[[str], ExtractionResult], text: str, winner: str, award: str
) -> None:
    years = {
        y
        for s, k, o, y in relations(extract_text(text))
        if (s, k, o) == (winner, K.RECEIVED_AWARD, award)
    }
    assert years == {2024}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("《常德年鉴（2024）》入选2024年度中国精品年鉴。", id="opening-the-award"),
        pytest.param(
            "《常德年鉴（2024）》《岳阳年鉴（2024）》入选中国地方志指导小组办公室"
            "（以下简称“中志办”）2024年度“中国精品年鉴”。",
            id="after-the-selecting-body",
        ),
    ],
)
def test_a_year_written_with_the_award_dates_it(
    extract_text: Callable[[str], ExtractionResult], text: str
) -> None:
    years = {(s, y) for s, k, o, y in relations(extract_text(text)) if k is K.RECEIVED_AWARD}
    assert {y for _, y in years} == {2024}
    assert "常德年鉴（2024）" in {s for s, _ in years}


def test_regions_listed_before_a_batch_each_get_the_award_and_year(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text("2024年，开封市、洛阳市入选第二批“河南省历史文化名城”。")
    assert {(s, y) for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD} == {
        ("开封市", 2024),
        ("洛阳市", 2024),
    }


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2018年以来，《台州年鉴》先后入选“中国精品年鉴”。" + ZHEJIANG, id="since"),
        pytest.param("近日，《台州年鉴》入选“浙江省精品年鉴”。" + ZHEJIANG, id="recently"),
    ],
)
def test_an_undated_selection_has_no_year(
    extract_text: Callable[[str], ExtractionResult], text: str
) -> None:
    awards = [r for r in extract_text(text).relations if r.kind is K.RECEIVED_AWARD]
    assert len(awards) == 1
    assert awards[0].year is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "2024年出版《宁波年鉴（2024）》。全市继续开展精品年鉴创建，力争有年鉴入选“中国精品年鉴”。"
            + ZHEJIANG,
            id="an-aim",
        ),
        pytest.param(
            "《嘉兴年鉴（2025）》《湖州年鉴（2025）》列为年鉴质量提升示范项目。" + ZHEJIANG,
            id="a-programme",
        ),
        pytest.param(
            "市地方志办主任张明为获得“北京市地方志工作先进集体”的单位颁奖。",
            id="the-winners-described-not-named",
        ),
        pytest.param(
            "证书由中共河北省委宣传部颁发。",
            id="a-certificate-given-by",
        ),
        pytest.param(
            "附件：2024年度全省地方志工作先进集体名单\n\n浙江省地方志办公室\n\n2024年12月26日\n",
            id="an-attachment-and-the-signing-body",
        ),
        pytest.param(
            "附件：1.第三届浙江省地方志优秀成果获奖名单\n2.第二批浙江省精品年鉴名单\n"
            "3.座谈会纪要\n\n浙江省地方志办公室\t杭州市地方志办公室\n\n2025年2月10日\n",
            id="a-list-of-attachments-and-the-signing-bodies",
        ),
    ],
)
def test_no_award_is_received(extract_text: Callable[[str], ExtractionResult], text: str) -> None:
    assert [r for r in extract_text(text).relations if r.kind is K.RECEIVED_AWARD] == []


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        pytest.param(
            "南阳市出台《南阳市地情书编纂出版管理暂行办法》。" + HENAN,
            ("南阳市地情书编纂出版管理暂行办法", K.ISSUED_BY),
            id="region-is-not-an-issuer",
        ),
        pytest.param(
            "《南宁市地方志工作规定》自2024年3月1日起施行。" + GUANGXI,
            ("南宁市地方志工作规定", K.ABOUT_REGION),
            id="policy-is-not-about-a-region",
        ),
        pytest.param(
            "《浙江日报》开设“方志里的浙江”专栏。" + ZHEJIANG,
            ("浙江日报", K.ABOUT_REGION),
            id="periodical-is-not-about-a-region",
        ),
        pytest.param(
            "钦州市地方志办公室开设“钦州方志”微信公众号。" + GUANGXI,
            ("微信", K.OPERATED_BY),
            id="national-platform-is-not-operated-by-an-office",
        ),
        pytest.param(
            "“广西地情”微信公众号上线。" + GUANGXI,
            ("广西地情", K.LOCATED_IN),
            id="online-venue-is-nowhere",
        ),
        pytest.param(
            "2023年，《江苏地方志》被江苏省期刊协会评为“江苏省优秀期刊”。",
            ("江苏省期刊协会", K.RECEIVED_AWARD),
            id="passive-giver-receives-nothing",
        ),
        pytest.param(
            "合肥市地方志办公室被授予“全省地方志系统先进集体”荣誉称号，该办副主任王丽被评为"
            "“全省地方志系统先进个人”。",
            ("全省地方志系统先进个人", K.CONFERRED_BY),
            id="a-body-that-received-an-award-does-not-confer-the-next",
        ),
        pytest.param(
            "《哈尔滨新区年鉴（2024）》出版。黑龙江省召开会议。",
            ("哈尔滨新区年鉴（2024）", K.ABOUT_REGION),
            id="a-zones-yearbook-is-not-about-its-city",
        ),
        pytest.param(
            "《河北雄安新区年鉴（2025）》出版。河北省召开会议。",
            ("河北雄安新区年鉴（2025）", K.ABOUT_REGION),
            id="a-zones-yearbook-is-not-about-a-county-read-inside-the-zones-name",
        ),
        pytest.param(
            "2023年，《澧县志》荣获湖南省人民政府颁发的湖南省社会科学优秀成果二等奖，"
            "这是湖南省县志首次获得省级社会科学优秀成果奖。",
            ("湖南省", K.RECEIVED_AWARD),
            id="an-award-said-again-of-a-kind-is-no-new-award",
        ),
        pytest.param(
            "2024年，中共湖南省委宣传部授予位于韶山市韶山乡的韶山市方志馆“湖南省爱国主义教育基地”称号。",
            ("韶山市", K.RECEIVED_AWARD),
            id="where-a-venue-is-receives-nothing",
        ),
        pytest.param(
            "经评审，共评出湖南省优秀年鉴一等奖3项（名单见附件）。\n\n附件\n\n"
            "序号 成果名称 编纂单位 出版单位 等次\n"
            "1 岳阳年 岳阳市地方志办公室 湖南人民出版社 一等奖\n",
            ("湖南人民出版社", K.RECEIVED_AWARD),
            id="a-publisher-in-a-table-of-works-wins-nothing",
        ),
        pytest.param(
            "同时，授予刘芳（岳阳市地方志办公室）、陈刚（常德市地方志办公室）等6名同志"
            "“湖南省优秀年鉴编辑”称号。",
            ("岳阳市地方志办公室", K.RECEIVED_AWARD),
            id="a-persons-employer-in-her-note-wins-nothing",
        ),
        pytest.param(
            "江苏省地方志办公室与山东省地方史志研究院在济南召开座谈会。"
            "江苏省地方志办公室主任张华、山东省地方史志研究院院长李明出席。\n"
            "两省地方志机构以村志编纂助力名村保护：《周庄村志》已出版。",
            ("周庄村志", K.PUBLISHED_BY),
            id="every-chronicle-body-of-two-provinces-is-not-their-two-offices",
        ),
        pytest.param(
            "《嫩江左岸风俗录》出版。黑龙江省召开会议。",
            ("嫩江左岸风俗录", K.ABOUT_REGION),
            id="a-rivers-bank-is-not-the-city-named-after-it",
        ),
        pytest.param(
            "宣城市地方志办公室选送的《宣城年鉴（2024）》在第八届全国地方志优秀成果评选中"
            "获年鉴类一等奖。",
            ("全国地方志优秀成果（年鉴类）一等奖", K.CONFERRED_BY),
            id="who-submitted-a-work-did-not-confer-its-prize",
        ),
        pytest.param(
            "地区史志办还指导编纂《喀什经济开发区年鉴（2024）》。新疆维吾尔自治区召开会议。",
            ("喀什经济开发区年鉴（2024）", K.PUBLISHED_BY),
            id="who-guides-the-compilation-does-not-compile",
        ),
        pytest.param(
            "甘肃省地方志办公室与中国知网合作建设的甘肃地方志数据库上线。",
            ("甘肃地方志数据库", K.OPERATED_BY, "中国知网"),
            id="the-partner-does-not-operate",
        ),
        pytest.param(
            "位于乌鲁木齐市天山区的新疆维吾尔自治区方志馆由自治区地方志办运营。展览在乌鲁木齐市的"
            "新疆维吾尔自治区方志馆开展。",
            ("新疆维吾尔自治区方志馆", K.LOCATED_IN, "乌鲁木齐市"),
            id="not-the-city-of-its-district",
        ),
    ],
)
def test_relation_not_found(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    absent: tuple[str, RelationKind] | tuple[str, RelationKind, str],
) -> None:
    """(subject, kind): no such relation at all; (subject, kind, object): not that one."""
    subject, kind = absent[0], absent[1]
    obj = absent[2] if len(absent) == 3 else None
    assert not [
        r
        for r in relations(extract_text(text))
        if r[0] == subject and r[1] is kind and (obj is None or r[2] == obj)
    ]


def test_issued_by_goes_to_the_office_that_issued(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "郑州市地方史志办公室印发《郑州市年鉴编纂细则》。洛阳市地方史志办公室印发《洛阳市志书编纂规范》。"
    )
    issued = {(s, o) for s, k, o in without_year(result) if k is K.ISSUED_BY}
    assert issued == {
        ("郑州市年鉴编纂细则", "郑州市地方史志办公室"),
        ("洛阳市志书编纂规范", "洛阳市地方史志办公室"),
    }


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        pytest.param("兰考县召开地方志工作会议。", ["兰考县", "开封市", "河南省"], id="henan"),
        pytest.param(
            "景宁畲族自治县召开会议。", ["景宁畲族自治县", "丽水市", "浙江省"], id="zhejiang"
        ),
        pytest.param("宾阳县完成二轮修志。", ["宾阳县", "南宁市", "广西壮族自治区"], id="guangxi"),
        pytest.param(
            "《临安区志》出版。" + ZHEJIANG, ["临安区", "杭州市", "浙江省"], id="from-a-title"
        ),
        pytest.param(
            "昔阳县大寨镇大寨村建成村史馆。",
            ["大寨村", "大寨镇", "昔阳县", "晋中市", "山西省"],
            id="a-village",
        ),
    ],
)
def test_part_of_chain_up_to_the_province(
    extract_text: Callable[[str], ExtractionResult], text: str, chain: list[str]
) -> None:
    result = extract_text(text)
    found = without_year(result)
    for child, parent in itertools.pairwise(chain):
        assert (child, K.PART_OF, parent) in found
    province = [e for e in result.entities if e.label == chain[-1]]
    assert province and province[0].parent is None
    assert not [r for r in found if r[0] == chain[-1] and r[1] is K.PART_OF]


def test_relations_point_at_entities_and_sentences_of_the_document(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "2024年，浙江省地方志办公室印发《浙江省年鉴编纂规范（试行）》。"
        + ZHEJIANG
        + "\n温州方志馆入选“浙江省爱国主义教育基地”。《临安区志》出版。"
    )
    keys = {e.key for e in result.entities}
    assert result.relations
    for relation in result.relations:
        assert relation.subject in keys and relation.object in keys
        assert relation.subject != relation.object
        if relation.sentence is not None:
            assert any(
                s.start == relation.sentence.start and s.end == relation.sentence.end
                for s in result.sentences
            )
    assert len({(r.kind, r.subject, r.object, r.year) for r in result.relations}) == len(
        result.relations
    ), "duplicate relations"


# --- award lists in the shapes announcements take -------------------------------------

ANNOUNCEMENT = (
    "广东省地方志办公室关于公布2024年度广东省优秀年鉴评选结果的通知\n\n"
    "经专家评审，现将2024年度广东省优秀年鉴评选结果公布如下：\n\n"
    "一等奖：《广州年鉴（2023）》《深圳年鉴（2023）》\n\n"
    "二等奖：《佛山年鉴（2023）》、《潮州年鉴（2023）》\n\n"
    "汕头市地方志办公室微信公众号“汕头方志”获评2024年度全省地方志系统优秀新媒体。\n\n"
    "广东省地方志办公室\n\n2024年12月20日\n"
)
TABLE = (
    "2024年12月16日，江苏省地方志编纂委员会办公室公布第二批“江苏省精品年鉴”名单。\n\n"
    "附：第二批“江苏省精品年鉴”名单\n\n"
    "序号\u3000年鉴名称\u3000编纂单位\n\n"
    "1\u3000《南京年鉴（2024）》\u3000南京市地方志编纂委员会办公室\n\n"
    "2\u3000《宜兴年鉴（2024）》\u3000宜兴市地方志办公室\n"
)


GRADED_RESULTS = (
    "湖北省地方志办公室关于公布第四届湖北省地方志优秀成果评审结果的通知\n\n"
    "第四届湖北省地方志优秀成果评审工作于2024年9月启动，评审范围为2021年1月至2024年6月"
    "出版的成果。2025年3月，经省地方志办审定，共评出一等奖1项、二等奖2项、三等奖1项、"
    "优秀奖2项。现将评审结果公布如下。\n\n"
    "一、一等奖（1项）\n\n1．《宜昌年鉴（2024）》，宜昌市地方志办公室编纂\n\n"
    "二、二等奖（2项）\n\n以下2项成果获二等奖：《荆州年鉴（2024）》和《襄阳年鉴（2024）》。\n\n"
    "三、三等奖（1项）\n\n序号\u3000成果名称\u3000编纂单位\u3000出版单位\n"
    "1\u3000《十堰年鉴（2024）》\u3000十堰市地方志办公室\u3000长江出版社\n\n"
    "四、优秀奖（2项）\n\n《孝感年鉴（2024）》（孝感市地方志办公室编纂）、"
    "《咸宁年鉴（2024）》（咸宁市地方志办公室编纂）获优秀奖。\n\n"
    "湖北省地方志办公室\n\n2025年3月12日\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            ANNOUNCEMENT,
            {
                ("广州年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴一等奖", 2024),
                ("深圳年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴一等奖", 2024),
                ("佛山年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴二等奖", 2024),
                ("潮州年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴二等奖", 2024),
                ("汕头方志", K.OPERATED_BY, "汕头市地方志办公室", None),
                # (获评2024年度…: the year the award's name opens with)
                ("汕头方志", K.RECEIVED_AWARD, "广东省地方志系统优秀新媒体", 2024),
            },
            id="grade-lines-and-an-account",
        ),
        pytest.param(
            TABLE,
            {
                ("南京年鉴（2024）", K.RECEIVED_AWARD, "江苏省精品年鉴", 2024),
                ("宜兴年鉴（2024）", K.RECEIVED_AWARD, "江苏省精品年鉴", 2024),
                ("南京年鉴（2024）", K.PUBLISHED_BY, "南京市地方志编纂委员会办公室", None),
                ("宜兴年鉴（2024）", K.PUBLISHED_BY, "宜兴市地方志办公室", None),
            },
            id="awardee-table",
        ),
        pytest.param(
            ANNOUNCEMENT.replace("奖：", "奖:"),
            {
                ("广州年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴一等奖", 2024),
                ("潮州年鉴（2023）", K.RECEIVED_AWARD, "广东省优秀年鉴二等奖", 2024),
            },
            id="grade-lines-with-half-width-colons",
        ),
        pytest.param(
            TABLE.replace("名单", "名录"),
            {
                ("南京年鉴（2024）", K.RECEIVED_AWARD, "江苏省精品年鉴", 2024),
                ("宜兴年鉴（2024）", K.RECEIVED_AWARD, "江苏省精品年鉴", 2024),
            },
            id="awardee-table-headed-as-a-register",
        ),
        pytest.param(
            "2024年11月28日，中国地方志工作办公室公布第十届全国地方志优秀成果（年鉴类）评审结果。\n\n"
            "其中，《苏州年鉴（2023）》荣获全国地方志优秀成果（年鉴类）特等奖，"
            "《昆山年鉴（2023）》获一等奖。",
            {
                ("苏州年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）特等奖", 2024),
                ("昆山年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）一等奖", 2024),
            },
            id="grades-dated-by-the-announcement-a-paragraph-before",
        ),
        pytest.param(
            "宣城市地方志办公室选送的《宣城年鉴（2024）》在第八届全国地方志优秀成果评选中"
            "获年鉴类一等奖。",
            {("宣城年鉴（2024）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）一等奖", None)},
            id="a-grade-of-a-category-of-the-selection-named-before",
        ),
        pytest.param(
            "2024年，《滁州年鉴（2024）》《池州年鉴（2024）》分别获得安徽省年鉴编纂质量评比"
            "特等奖、一等奖。",
            {
                ("滁州年鉴（2024）", K.RECEIVED_AWARD, "安徽省年鉴编纂质量评比特等奖", 2024),
                ("池州年鉴（2024）", K.RECEIVED_AWARD, "安徽省年鉴编纂质量评比一等奖", 2024),
            },
            id="respectively-one-grade-each",
        ),
        pytest.param(
            "在2024年全国年鉴编纂出版质量评比中，《蚌埠年鉴（2024）》获特等年鉴，"
            "《淮南年鉴（2024）》获一等年鉴。",
            {
                ("蚌埠年鉴（2024）", K.RECEIVED_AWARD, "全国年鉴编纂出版质量评比特等年鉴", 2024),
                ("淮南年鉴（2024）", K.RECEIVED_AWARD, "全国年鉴编纂出版质量评比一等年鉴", 2024),
            },
            id="grades-in-the-selection-the-sentence-is-set-in",
        ),
        pytest.param(
            "《赣州年鉴（2024）》获得2024年度江西省优秀年鉴一等奖，《吉安年鉴（2024）》获得二等奖。",
            {("吉安年鉴（2024）", K.RECEIVED_AWARD, "江西省优秀年鉴二等奖", None)},
            id="a-grade-alone-grades-the-award-graded-before-in-the-sentence",
        ),
        pytest.param(
            "2024 年 12 月，在第二届吉林省地方志优秀成果评选中，《通化年鉴（2023）》获年鉴类"
            "二等奖，《集安市志》获志书类一等奖。",
            {("集安市志", K.RECEIVED_AWARD, "吉林省地方志优秀成果（志书类）一等奖", 2024)},
            id="a-grade-of-another-category",
        ),
        pytest.param(
            "附件\n\n2024年度全省地方志工作先进集体和先进个人名单\n\n一、先进集体（3个）\n\n"
            "（一）省直单位（1个）\n\n云南省方志馆\n\n（二）昆明市（2个）\n\n"
            "昆明市地方志办公室\n五华区地方志办公室\n\n二、先进个人（2名）\n\n"
            "李春兰（女，彝族，楚雄州地方志办公室）\n段国华（大理州地方志办公室）\n\n"
            "抄送：省委办公厅。\n",
            {
                ("云南省方志馆", K.RECEIVED_AWARD, "云南省地方志工作先进集体", None),
                ("五华区地方志办公室", K.RECEIVED_AWARD, "云南省地方志工作先进集体", None),
                ("李春兰", K.RECEIVED_AWARD, "云南省地方志工作先进个人", None),
                ("段国华", K.RECEIVED_AWARD, "云南省地方志工作先进个人", None),
            },
            id="a-roll-without-numbers-in-counted-groups",
        ),
        pytest.param(
            "南京市方志馆被列入文化和旅游部等部门公布的第二批“国家级文化展示基地”名录。",
            {
                ("南京市方志馆", K.RECEIVED_AWARD, "国家级文化展示基地", None),
                ("国家级文化展示基地", K.CONFERRED_BY, "文化和旅游部", None),
            },
            id="a-list-named-with-its-keeper",
        ),
        pytest.param(
            "2024年5月，中华全国妇女联合会授予杭州市方志馆馆长沈丽“全国三八红旗手”称号。",
            {("沈丽", K.RECEIVED_AWARD, "全国三八红旗手", 2024)},
            id="given-to-a-person-after-her-post",
        ),
        pytest.param(
            "在第二届全国方志短视频大赛中，嘉兴市地方志办公室摄制的微视频《南湖印记》斩获二等奖。",
            {("南湖印记", K.RECEIVED_AWARD, "全国方志短视频大赛二等奖", None)},
            id="a-grade-in-a-contest",
        ),
        pytest.param(
            "《邯郸年鉴（2023）》获第十届全国地方志优秀成果（年鉴类）二等奖，《武安年鉴（2023）》"
            "获三等奖（2024年11月公布）。",
            {("武安年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）三等奖", 2024)},
            id="a-grade-then-a-dated-note",
        ),
        pytest.param(
            "会上，为《石家庄年鉴（2024）》《保定年鉴（2024）》颁发了“河北省精品年鉴”证书。",
            {
                ("石家庄年鉴（2024）", K.RECEIVED_AWARD, "河北省精品年鉴", None),
                ("保定年鉴（2024）", K.RECEIVED_AWARD, "河北省精品年鉴", None),
            },
            id="a-certificate-given-to",
        ),
        pytest.param(
            "2023年入选“中国精品年鉴”的《廊坊年鉴（2022）》在会上作交流发言。",
            {("廊坊年鉴（2022）", K.RECEIVED_AWARD, "中国精品年鉴", 2023)},
            id="the-work-a-selection-describes",
        ),
        pytest.param(
            "会议通报了第三届京津冀地方志优秀成果评选结果，其中《北京志·长城志》获一等奖。",
            {("北京志·长城志", K.RECEIVED_AWARD, "京津冀地方志优秀成果一等奖", None)},
            id="a-grade-of-results-reported",
        ),
        pytest.param(
            "刘建华（石家庄市地方志办公室）、赵丽（唐山市地方志办公室）被评为“河北省地方志工作"
            "先进个人”。",
            {
                ("刘建华", K.RECEIVED_AWARD, "河北省地方志工作先进个人", None),
                ("赵丽", K.RECEIVED_AWARD, "河北省地方志工作先进个人", None),
            },
            id="persons-listed-with-their-bodies-in-brackets",
        ),
        pytest.param(
            "石家庄市方志馆获“全国科普教育基地”称号，保定市方志馆获“河北省爱国主义教育基地”称号。",
            {("保定市方志馆", K.RECEIVED_AWARD, "河北省爱国主义教育基地", None)},
            id="two-clauses-two-winners",
        ),
        pytest.param(
            "会议宣读了《关于表彰2024年度冀鲁地方志协作先进集体和先进个人的决定》，"
            "沧州市地方志办公室等6个单位被评为先进集体，孙丽萍等8名同志被评为先进个人。",
            {
                ("沧州市地方志办公室", K.RECEIVED_AWARD, "冀鲁地方志协作先进集体", None),
                ("孙丽萍", K.RECEIVED_AWARD, "冀鲁地方志协作先进个人", None),
            },
            id="honours-the-decision-named-in-full",
        ),
        pytest.param(
            "会上，邢台市地方志办公室介绍了《邢台年鉴（2024）》入选第四批中国精品年鉴的经验。",
            {("邢台年鉴（2024）", K.RECEIVED_AWARD, "中国精品年鉴", None)},
            id="the-experience-of-a-selection",
        ),
        pytest.param(
            "获得“中国精品年鉴”称号的年鉴有：《衡水年鉴（2024）》《邯郸年鉴（2024）》。",
            {
                ("衡水年鉴（2024）", K.RECEIVED_AWARD, "中国精品年鉴", None),
                ("邯郸年鉴（2024）", K.RECEIVED_AWARD, "中国精品年鉴", None),
            },
            id="those-that-have-it-listed-after-a-colon",
        ),
        pytest.param(
            GRADED_RESULTS,
            {
                ("宜昌年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果一等奖", 2025),
                ("荆州年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果二等奖", 2025),
                ("襄阳年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果二等奖", 2025),
                ("十堰年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果三等奖", 2025),
                ("孝感年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果优秀奖", 2025),
                ("咸宁年鉴（2024）", K.RECEIVED_AWARD, "湖北省地方志优秀成果优秀奖", 2025),
            },
            id="a-results-notice-graded-by-sections",
        ),
        pytest.param(
            "安徽省方志馆获批“全国科普教育基地”。",
            {("安徽省方志馆", K.RECEIVED_AWARD, "全国科普教育基地", None)},
            id="approved-as",
        ),
        pytest.param(
            "2023年，《镇江年鉴（2022）》喜获“中国精品年鉴”称号。",
            {("镇江年鉴（2022）", K.RECEIVED_AWARD, "中国精品年鉴", 2023)},
            id="a-verb-of-delight",
        ),
        pytest.param(
            "在第八届全国地方志优秀成果评选中，《临汾年鉴（2023）》摘得年鉴类二等奖。",
            {("临汾年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）二等奖", None)},
            id="won-a-grade",
        ),
        pytest.param(
            "《泰安市志》斩获2022年度“山东省优秀地方志书”。",
            {("泰安市志", K.RECEIVED_AWARD, "山东省优秀地方志书", 2022)},
            id="the-year-between-the-verb-and-the-award",
        ),
        pytest.param(
            "《嘉兴年鉴》入选2021年第二批“浙江省精品年鉴”。",
            {("嘉兴年鉴", K.RECEIVED_AWARD, "浙江省精品年鉴", 2021)},
            id="the-year-and-batch-between-the-verb-and-the-award",
        ),
        pytest.param(
            "南昌市地方志办公室副主任陈立新、赣州市方志馆馆员刘小燕被评为江西省地方志系统先进工作者。",
            {
                ("陈立新", K.RECEIVED_AWARD, "江西省地方志系统先进工作者", None),
                ("刘小燕", K.RECEIVED_AWARD, "江西省地方志系统先进工作者", None),
            },
            id="persons-each-after-their-unit-and-post",
        ),
    ],
)
def test_announced_awards(
    extract_text: Callable[[str], ExtractionResult], text: str, expected: set[Triple]
) -> None:
    assert expected <= relations(extract_text(text))


def test_a_works_compiler_in_brackets_receives_nothing(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    received = {
        s for s, k, _, _ in relations(extract_text(GRADED_RESULTS)) if k is K.RECEIVED_AWARD
    }
    assert "咸宁年鉴（2024）" in received
    assert not {"孝感市地方志办公室", "咸宁市地方志办公室"} & received


def test_a_body_before_a_post_and_its_holder_receives_nothing(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = "2024年5月，中华全国妇女联合会授予杭州市方志馆馆长沈丽“全国三八红旗手”称号。"
    received = {s for s, k, _, _ in relations(extract_text(text)) if k is K.RECEIVED_AWARD}
    assert received == {"沈丽"}


def test_works_published_respectively_are_each_their_own_bodys(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = (
        "《洛阳年鉴（2025）》《新乡年鉴（2025）》分别由洛阳市地方志办公室、新乡市地方志办公室编纂。"
    )
    found = without_year(extract_text(text))
    assert ("洛阳年鉴（2025）", K.PUBLISHED_BY, "新乡市地方志办公室") not in found
    assert ("新乡年鉴（2025）", K.PUBLISHED_BY, "洛阳市地方志办公室") not in found


@pytest.mark.parametrize(
    ("text", "not_received", "award"),
    [
        pytest.param(
            "刘建华（石家庄市地方志办公室）、赵丽（唐山市地方志办公室）被评为“河北省地方志工作"
            "先进个人”。",
            "唐山市地方志办公室",
            "河北省地方志工作先进个人",
            id="the-body-in-a-persons-bracket",
        ),
        pytest.param(
            "石家庄市方志馆获“全国科普教育基地”称号，保定市方志馆获“河北省爱国主义教育基地”称号。",
            "石家庄市方志馆",
            "河北省爱国主义教育基地",
            id="the-winner-of-the-clause-before",
        ),
        pytest.param(
            "嘉定区地方志办公室主任张华获“上海市三八红旗手”称号。",
            "嘉定区地方志办公室",
            "上海市三八红旗手",
            id="the-body-of-a-person-named-right-before-huo",
        ),
    ],
)
def test_who_did_not_receive_the_award(
    extract_text: Callable[[str], ExtractionResult], text: str, not_received: str, award: str
) -> None:
    found = without_year(extract_text(text))
    assert (not_received, K.RECEIVED_AWARD, award) not in found
    assert any(k is K.RECEIVED_AWARD and o == award for _, k, o in found)


def test_a_body_that_had_a_work_compiled_confers_nothing(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = "永年区广府镇人民政府组织编纂的《广府镇志》获第三届河北省地方志优秀成果一等奖。"
    found = without_year(extract_text(text))
    assert not [r for r in found if r[1] is K.CONFERRED_BY and r[2] == "广府镇人民政府"]


def test_each_office_of_a_coordination_is_where_its_name_says_and_did_what_it_did(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text("湖州市安吉县、德清县地方志办公室联合编纂《太湖志》。" + ZHEJIANG)
    found = without_year(result)
    for county in ("安吉县", "德清县"):
        office = f"{county}地方志办公室"
        assert (office, K.LOCATED_IN, county) in found
        assert ("太湖志", K.PUBLISHED_BY, office) in found
    # The coordination is where the text names the first office, not one of its names.
    first = next(e for e in result.entities if e.label == "安吉县地方志办公室")
    assert first.aliases == ()
    assert [result.document.text[m.start : m.end] for m in first.mentions] == [
        "安吉县、德清县地方志办公室"
    ]


@pytest.mark.parametrize(
    ("text", "kind", "other"),
    [
        ("成都市、绵阳市、德阳市地方志办公室获评先进集体。", K.RECEIVED_AWARD, "先进集体"),
        ("安吉县、德清县地方志办公室编纂出版《太湖志》。" + ZHEJIANG, K.PUBLISHED_BY, "太湖志"),
        ("《太湖志》由安吉县、德清县地方志办公室编纂。" + ZHEJIANG, K.PUBLISHED_BY, "太湖志"),
    ],
)
def test_every_body_of_a_coordination_did_what_the_sentence_says(
    extract_text: Callable[[str], ExtractionResult], text: str, kind: RelationKind, other: str
) -> None:
    found = without_year(extract_text(text))
    offices = text.split("地方志办公室")[0].removeprefix("《太湖志》由").split("、")
    assert len(offices) >= 2
    for name in offices:
        office = f"{name}地方志办公室"
        expected = (other, kind, office) if kind is K.PUBLISHED_BY else (office, kind, other)
        assert expected in found, (expected, sorted(found))


@pytest.mark.parametrize(
    ("text", "located", "not_located"),
    [
        pytest.param(
            "2024年10月，南京市方志馆在南京市建邺区建成开馆。",
            ("南京市方志馆", "建邺区"),
            ("南京市方志馆", "南京市"),
            id="built-at",
        ),
        pytest.param(
            "苏州市地方志办公室在吴江区同里镇设立“同里方志书屋”。" + JIANGSU,
            ("同里方志书屋", "同里镇"),
            ("苏州市地方志办公室", "同里镇"),
            id="set-up-at-not-by",
        ),
        pytest.param(
            "2024年8月，在南京举办的2024江苏书展上，展出志鉴图书600余种。" + JIANGSU,
            ("江苏书展", "南京市"),
            ("江苏书展", "江苏省"),
            id="held-at",
        ),
        pytest.param(
            "考察团在杭州的浙江大学参加学术座谈。" + ZHEJIANG,
            ("浙江大学", "杭州市"),
            ("浙江大学", "浙江省"),
            id="the-one-at",
        ),
    ],
)
def test_a_place_the_sentence_gives_beats_the_name(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    located: tuple[str, str],
    not_located: tuple[str, str],
) -> None:
    found = without_year(extract_text(text))
    assert (located[0], K.LOCATED_IN, located[1]) in found
    assert (not_located[0], K.LOCATED_IN, not_located[1]) not in found


@pytest.mark.parametrize(
    ("text", "district", "prefecture", "not_prefecture"),
    [
        pytest.param(
            "确定济南市章丘区和枣庄市市中区为试点单位。",
            "市中区",
            "枣庄市",
            "济南市",
            id="zaozhuang",
        ),
        pytest.param(
            "乐山市市中区参加培训。四川省参加。", "市中区", "乐山市", "内江市", id="leshan"
        ),
        pytest.param("天津市河东区、临沂市河东区参加。", "河东区", "临沂市", None, id="two-named"),
    ],
)
def test_a_district_several_prefectures_have_is_the_one_named_before_it(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    district: str,
    prefecture: str,
    not_prefecture: str | None,
) -> None:
    found = without_year(extract_text(text))
    assert (district, K.PART_OF, prefecture) in found
    assert not_prefecture is None or (district, K.PART_OF, not_prefecture) not in found


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        pytest.param(
            "江苏省地方志办公室在南京大学设立江苏省方志馆南京大学分馆，"
            "在位于镇江市的江苏大学设立江苏省方志馆江苏大学分馆。" + JIANGSU,
            ("江苏省方志馆江苏大学分馆", K.OPERATED_BY, "江苏省地方志办公室"),
            ("江苏省方志馆江苏大学分馆", K.OPERATED_BY, "南京大学"),
            id="the-office-not-a-host-inside-the-last-name",
        ),
        pytest.param(
            "江苏省地方志办公室在位于镇江市的江苏大学设立江苏省方志馆江苏大学分馆。" + JIANGSU,
            ("江苏省方志馆江苏大学分馆", K.LOCATED_IN, "镇江市"),
            ("江苏省方志馆江苏大学分馆", K.LOCATED_IN, "江苏省"),
            id="a-branch-is-where-its-host-is",
        ),
        pytest.param(
            "2月12日，浙江省方志馆浙江农林大学分馆在杭州市揭牌。" + ZHEJIANG,
            ("浙江省方志馆浙江农林大学分馆", K.LOCATED_IN, "杭州市"),
            ("浙江农林大学", K.LOCATED_IN, "杭州市"),
            id="the-whole-name-before-zai",
        ),
    ],
)
def test_university_branches_of_a_provincial_museum(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    present: tuple[str, RelationKind, str],
    absent: tuple[str, RelationKind, str],
) -> None:
    found = without_year(extract_text(text))
    assert present in found, sorted(found)
    assert absent not in found


def test_an_autonomous_regions_office_is_not_the_provinces_named_near_it(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "会议由内蒙古自治区地方志编纂委员会办公室（以下简称“自治区地方志办”）和甘肃省地方志"
        "编纂委员会办公室（以下简称“甘肃省地方志办”）联合主办。甘肃省地方志办介绍了经验。"
        "自治区地方志办编纂的《内蒙古年鉴（2024）》出版。"
    )
    offices = {e.label: e.aliases for e in result.entities if e.type is EntityType.INSTITUTION}
    assert len(offices) == 2, offices
    assert ("内蒙古年鉴（2024）", K.PUBLISHED_BY, "内蒙古自治区地方志编纂委员会办公室") in (
        without_year(result)
    )


def test_each_branch_of_a_list_is_hosted_by_the_university_it_is_named_after(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    found = relations(
        extract_text(
            "甘肃省地方志办公室在西北师范大学、兰州大学设立甘肃省方志馆西北师范大学分馆、"
            "甘肃省方志馆兰州大学分馆。"
        )
    )
    hosted = {(s, o) for s, k, o, _ in found if k is K.HOSTED_BY}
    assert hosted == {
        ("甘肃省方志馆西北师范大学分馆", "西北师范大学"),
        ("甘肃省方志馆兰州大学分馆", "兰州大学"),
    }


COMMENDATION = """吉林省地方志办公室文件

关于2024年度全省地方志工作先进集体和先进个人的通报

经各市推荐，吉林省地方志办公室审核，决定授予长春市地方志办公室等3个单位“吉林省地方志工作先进集体”称号。

吉林省地方志办公室
2024年12月20日

附件

2024年度全省地方志工作先进集体和先进个人名单

一、先进集体（3个）

长春市
1.长春市地方志办公室
2.长春市朝阳区史志办公室
省直单位
3.吉林省地方志办公室年鉴处

二、先进个人（2名）

长春市
1.李志强（长春市地方志办公室）
四平市
2.孙丽华（四平市地方志办公室副主任）
"""


@pytest.mark.parametrize(
    "expected",
    [
        ("长春市朝阳区史志办公室", K.RECEIVED_AWARD, "吉林省地方志工作先进集体", 2024),
        ("吉林省地方志办公室年鉴处", K.RECEIVED_AWARD, "吉林省地方志工作先进集体", 2024),
        ("李志强", K.RECEIVED_AWARD, "吉林省地方志工作先进个人", 2024),
        ("孙丽华", K.RECEIVED_AWARD, "吉林省地方志工作先进个人", 2024),
        ("长春市地方志办公室", K.RECEIVED_AWARD, "吉林省地方志工作先进集体", 2024),
        ("吉林省地方志工作先进集体", K.CONFERRED_BY, "吉林省地方志办公室", None),
    ],
    ids=[
        "a-row-after-a-regions-line",
        "a-row-after-a-group-line",
        "a-person-of-the-second-section",
        "a-person-with-a-post",
        "the-recipient-of-a-dative-verb",
        "the-body-that-decided",
    ],
)
def test_a_commendation_lists_two_honours_in_sections(
    extract_text: Callable[[str], ExtractionResult],
    expected: tuple[str, RelationKind, str, int | None],
) -> None:
    assert expected in relations(extract_text(COMMENDATION))


RESULTS = """附件：1.第三届江西省地方志优秀成果获奖名单
2.第二批江西省精品年鉴入选名单

江西省地方志办公室
2024年11月30日

附件1

第三届江西省地方志优秀成果获奖名单

1.《南昌年鉴（2023）》（南昌市地方志办公室编纂，江西人民出版社出版）
2.《婺源县志（1991—2020）》（婺源县地方志办公室编纂）
以上2项为一等奖。
3.《赣州年鉴（2023）》（赣州市地方志办公室编纂）
以上1项为二等奖。
"""


@pytest.mark.parametrize(
    ("expected", "present"),
    [
        (("南昌年鉴（2023）", K.RECEIVED_AWARD, "江西省地方志优秀成果一等奖"), True),
        (("婺源县志（1991—2020）", K.RECEIVED_AWARD, "江西省地方志优秀成果一等奖"), True),
        (("赣州年鉴（2023）", K.RECEIVED_AWARD, "江西省地方志优秀成果二等奖"), True),
        (("南昌年鉴（2023）", K.PUBLISHED_BY, "南昌市地方志办公室"), True),
        (("南昌年鉴（2023）", K.PUBLISHED_BY, "江西人民出版社"), True),
        (("南昌年鉴（2023）", K.RECEIVED_AWARD, "江西省地方志优秀成果二等奖"), False),
    ],
    ids=[
        "first-block",
        "first-block-second-row",
        "second-block",
        "compiler-before-a-comma-in-the-note",
        "publisher-in-the-note",
        "not-the-next-blocks-grade",
    ],
)
def test_a_results_table_graded_by_lines_under_its_blocks(
    extract_text: Callable[[str], ExtractionResult],
    expected: tuple[str, RelationKind, str],
    present: bool,
) -> None:
    assert (expected in without_year(extract_text(RESULTS))) is present


def test_the_attachments_list_is_not_a_table_of_winners(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    found = relations(extract_text(RESULTS))
    assert not [r for r in found if r[1] is K.RECEIVED_AWARD and r[2] == "江西省地方志优秀成果"]


def test_a_category_named_by_the_selection_setting(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = (
        "2024年12月，中志办公布第九届全国地方志优秀成果评选结果。在年鉴类评选中，"
        "《南昌年鉴（2023）》《赣州年鉴（2023）》分别获得一等奖、二等奖。"
        "在志书类评选中，《婺源县志（1991—2020）》获一等奖。"
    )
    found = without_year(extract_text(text))
    yearbooks, gazetteers = "全国地方志优秀成果（年鉴类）", "全国地方志优秀成果（志书类）"
    assert ("赣州年鉴（2023）", K.RECEIVED_AWARD, yearbooks + "二等奖") in found
    assert ("婺源县志（1991—2020）", K.RECEIVED_AWARD, gazetteers + "一等奖") in found


def test_whole_province_words_take_the_province_of_their_part_of_the_document(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = (
        "第一部分\n\n山西省太原市、大同市、晋中市召开会议。\n\n第二部分\n\n"
        "辽宁省沈阳市、大连市召开会议。\n\n"
        "2024年度全省地方志工作先进集体名单\n\n1.沈阳市地方志办公室\n2.大连市史志办公室\n"
    )
    found = without_year(extract_text(text))
    assert ("大连市史志办公室", K.RECEIVED_AWARD, "辽宁省地方志工作先进集体") in found


@pytest.mark.parametrize(
    ("text", "expected", "present"),
    [
        (
            "经住房和城乡建设部审定，平遥县岳壁乡梁村、介休市龙凤镇张壁村入选“中国历史文化名村”。",
            ("张壁村", K.RECEIVED_AWARD, "中国历史文化名村"),
            True,
        ),
        (
            "经住房和城乡建设部审定，平遥县岳壁乡梁村、介休市龙凤镇张壁村入选“中国历史文化名村”。",
            ("龙凤镇", K.RECEIVED_AWARD, "中国历史文化名村"),
            False,
        ),
        (
            "《孝义年鉴（2022）》《孝义年鉴（2023）》分别入选首批山西省精品年鉴和获第五届"
            "山西省地方志优秀成果二等奖。",
            ("孝义年鉴（2023）", K.RECEIVED_AWARD, "山西省地方志优秀成果二等奖"),
            True,
        ),
        (
            "《晋中年鉴（2023）》获全国地方志优秀成果（年鉴类）二等奖后，晋中市召开座谈会。",
            ("晋中年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）二等奖"),
            True,
        ),
        (
            "经住房和城乡建设部、国家文物局审定，灵石县静升镇入选“中国历史文化名镇”。",
            ("中国历史文化名镇", K.CONFERRED_BY, "国家文物局"),
            True,
        ),
        (
            "2024年4月，晋中市地方志研究室主任武建华被山西省总工会授予“山西省五一劳动奖章”。",
            ("武建华", K.RECEIVED_AWARD, "山西省五一劳动奖章"),
            True,
        ),
        (
            "2024年8月，首届长江文化书展在武汉举办，《长江方志文化丛书》第一辑入选书展"
            "“长江文化主题出版精品”推介书目。",
            ("长江方志文化丛书", K.RECEIVED_AWARD, "长江文化主题出版精品"),
            True,
        ),
        (
            "山西省地方志研究院关于公布第五届山西省地方志优秀成果评选结果和第二批山西省精品年鉴"
            "入选名单的通知",
            ("山西省", K.RECEIVED_AWARD, "山西省地方志优秀成果"),
            False,
        ),
    ],
    ids=[
        "the-village-of-a-place-chain",
        "not-the-town-it-is-in",
        "two-predicates-joined-by-he-huo",
        "an-award-then-hou",
        "the-bodies-that-approved",
        "a-trade-union-gives",
        "a-list-an-event-named",
        "a-lists-name-is-no-verb",
    ],
)
def test_award_recipients_givers_and_items(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    expected: tuple[str, RelationKind, str],
    present: bool,
) -> None:
    assert (expected in without_year(extract_text(text))) is present


def test_the_year_a_rule_was_issued_is_not_the_awards(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = (
        "2024年，根据省地方志办2023年印发的《吉林省地方志工作表彰奖励办法》，决定授予"
        "长春市地方志办公室“吉林省地方志工作先进集体”称号。吉林省召开会议。"
    )
    found = relations(extract_text(text))
    assert ("长春市地方志办公室", K.RECEIVED_AWARD, "吉林省地方志工作先进集体", 2024) in found


HONOUR_ROLL = """荣誉榜

全国地方志系统先进集体和先进工作者
（人力资源社会保障部、中国地方志指导小组2024年12月表彰，皖赣两省部分）

先进集体：合肥市地方志办公室；南昌市地方志办公室
先进工作者：芜湖市地方志办公室　汪建国；赣州市地方志办公室　钟丽萍

全省地方志系统将以先进为榜样，推动工作再上新台阶。
"""


@pytest.mark.parametrize(
    "expected",
    [
        ("南昌市地方志办公室", K.RECEIVED_AWARD, "全国地方志系统先进集体", 2024),
        ("钟丽萍", K.RECEIVED_AWARD, "全国地方志系统先进工作者", 2024),
        ("全国地方志系统先进工作者", K.CONFERRED_BY, "中国地方志指导小组", None),
        ("全国地方志系统先进集体", K.CONFERRED_BY, "人力资源和社会保障部", None),
    ],
    ids=["a-body-of-the-first-line", "the-person-not-the-body", "a-giver", "the-first-giver"],
)
def test_an_honour_roll(
    extract_text: Callable[[str], ExtractionResult],
    expected: tuple[str, RelationKind, str, int | None],
) -> None:
    assert expected in relations(extract_text(HONOUR_ROLL))


def test_an_honour_roll_gives_no_honour_to_the_body_of_a_person(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    found = without_year(extract_text(HONOUR_ROLL))
    assert ("芜湖市地方志办公室", K.RECEIVED_AWARD, "全国地方志系统先进工作者") not in found


def test_two_honours_announced_together_are_two(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = "2024年9月，人力资源社会保障部、中志办联合表彰全国地方志系统先进集体和先进工作者。"
    labels = {e.label for e in extract_text(text).entities if e.type is EntityType.AWARD}
    assert {"全国地方志系统先进集体", "全国地方志系统先进工作者"} <= labels


TWO_OFFICES = (
    "湖北省地方志办公室（以下简称“省地方志办”）和重庆市地方志办公室（以下简称“市地方志办”）"
    "召开联席会议。省地方志办主任讲话。市地方志办主任讲话。"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            TWO_OFFICES + "两办联合编纂《长江方志文化丛书》第一辑，由长江出版社出版。",
            ("长江方志文化丛书", K.PUBLISHED_BY, "重庆市地方志办公室"),
        ),
        (
            TWO_OFFICES + "两办在万州区共建长江三峡方志文献馆，由两办共同管理。",
            ("长江三峡方志文献馆", K.OPERATED_BY, "湖北省地方志办公室"),
        ),
    ],
    ids=["liang-ban-as-subject", "by-both-offices"],
)
def test_both_offices_of_a_joint_document_act_as_liang_ban(
    extract_text: Callable[[str], ExtractionResult],
    text: str,
    expected: tuple[str, RelationKind, str],
) -> None:
    assert expected in without_year(extract_text(text))


def test_liang_ban_is_no_one_in_a_document_of_one_office(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    text = "湖北省地方志办公室召开会议。两办联合编纂《长江方志文化丛书》第一辑。"
    assert not [r for r in relations(extract_text(text)) if r[1] is K.PUBLISHED_BY]


def test_a_grade_named_alone_is_of_the_results_the_notices_title_names(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # the notice's title names the results with no verb before them; a designation
    # named in between (中国精品年鉴) has no grades; the sentence that launched the
    # selection (组织开展…评选) dates no result, the notice's date does
    result = extract_text(
        "广西壮族自治区地方志编纂委员会办公室关于第四届广西地方志优秀成果评选结果的通报\n\n"
        "各市地方志办公室：\n"
        "自治区地方志办于2024年9月在全区组织开展第四届广西地方志优秀成果评选。\n"
        "《桂林年鉴（2024）》此前已入选“中国精品年鉴”。《广西年鉴（2024）》获年鉴类一等奖。\n\n"
        "广西壮族自治区地方志编纂委员会办公室\n2025年6月18日\n"
    )
    assert ("广西年鉴（2024）", K.RECEIVED_AWARD, "广西地方志优秀成果（年鉴类）一等奖", 2025) in (
        relations(result)
    )


def test_a_column_of_bare_grades_takes_the_noun_the_notice_gives_them(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # 特等 in a column of grades is the 特等年鉴 the notice counted, of the selection
    # the list's heading names, the whole province's named by the province
    result = extract_text(
        "江苏省地方志办公室\n6月12日，经省地方志办主任办公会审定，评出特等年鉴1部、一等年鉴1部。\n\n"
        "2025年全省年鉴编纂质量评比获奖年鉴名单\n\n"
        "序号\t年鉴名称\t编纂单位\t等次\n"
        "1\t南京年鉴（2024）\t南京市地方志编纂委员会办公室\t特等\n"
        "2\t无锡年鉴（2024）\t无锡市地方志办公室\t一等\n"
    )
    found = without_year(result)
    assert ("南京年鉴（2024）", K.RECEIVED_AWARD, "江苏省年鉴编纂质量评比特等年鉴") in found
    assert ("无锡年鉴（2024）", K.RECEIVED_AWARD, "江苏省年鉴编纂质量评比一等年鉴") in found


def test_bodies_commended_with_an_honour_named_before_its_verb_at_the_meeting(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # 对A、B等N个“X”予以通报表扬: X goes to A and B; 会上 dates it by the issue
    result = extract_text(
        "江苏地方志工作简报\n2025年第6期\n\n全省地方志工作会议在南京召开\n"
        "会议总结了2024年工作。\n"
        "会上，省地方志办对南京市地方志编纂委员会办公室、无锡市地方志办公室等8个"
        "“全省地方志工作先进集体”予以通报表扬。\n"
    )
    found = relations(result)
    for body in ("南京市地方志编纂委员会办公室", "无锡市地方志办公室"):
        assert (body, K.RECEIVED_AWARD, "江苏省地方志工作先进集体", 2025) in found


def test_a_table_of_honours_received_gives_each_rows_honour_giver_and_year(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "温州市地方志研究室\n附件1\n\n2024年度温州市地方志系统主要获奖（荣誉）情况一览表\n\n"
        "序号  获奖项目                    获奖单位或个人                    授予单位"
        "                        时间\n"
        "1     全省综合年鉴编校质量评      《永嘉年鉴（2024）》              浙江省地方志办公室"
        "              2024 年 12 月\n"
        "      比一等奖\n"
        "2     浙江省地方志文化示范镇      乐清市柳市镇                      浙江省地方志办公室"
        "              2024 年 10 月\n"
        "3     全国地方志系统先进集体      瑞安市地方志办公室                "
        "人力资源和社会保障部、中国      2024 年 7 月\n"
        "                                                                    地方志指导小组\n"
    )
    found = relations(result)
    assert ("永嘉年鉴（2024）", K.RECEIVED_AWARD, "浙江省综合年鉴编校质量评比一等奖", 2024) in found
    assert ("柳市镇", K.RECEIVED_AWARD, "浙江省地方志文化示范镇", 2024) in found
    assert ("乐清市", K.RECEIVED_AWARD, "浙江省地方志文化示范镇", 2024) not in found
    assert ("瑞安市地方志办公室", K.RECEIVED_AWARD, "全国地方志系统先进集体", 2024) in found
    assert ("全国地方志系统先进集体", K.CONFERRED_BY, "中国地方志指导小组", None) in found


def test_a_month_alone_in_a_reports_part_on_a_years_work_is_of_that_year(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "温州市地方志研究室\n关于2024年工作总结和2025年工作思路的报告\n\n"
        "一、2024年工作情况\n"
        "温州方志馆继此前被命名为“温州市爱国主义教育基地”后，5月又获评“温州市社会科学普及基地”。\n"
    )
    assert ("温州方志馆", K.RECEIVED_AWARD, "温州市社会科学普及基地", 2024) in relations(result)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "4月，中志办公布第十届全国地方志优秀成果（年鉴类）评选结果，我省共有17部年鉴获奖。"
            "其中，《西安年鉴（2023）》荣获一等奖。",
            id="a-month-in-the-announcement-before",
        ),
        pytest.param(
            "9月，《西安年鉴（2023）》荣获全国地方志优秀成果（年鉴类）一等奖。",
            id="a-month-in-the-sentence",
        ),
    ],
)
def test_a_month_in_a_report_titled_by_its_year_is_of_that_year_not_of_its_date(
    extract_text: Callable[[str], ExtractionResult], body: str
) -> None:
    # The report's own title (…2024年工作总结) gives the year of its months, not the
    # date it was sent out under (2025年1月15日).
    result = extract_text(
        "陕西省地方志办公室\n\n2025 年 1 月 15 日\n\n陕西省地方志办公室2024年工作总结\n\n"
        f"一、坚持以评促建\n\n{body}\n"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert years == {2024}


def test_a_tables_heading_names_the_award_its_graded_rows_win_not_results_announced_before(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "12月，陕西省人民政府公布陕西省第十六次哲学社会科学优秀成果奖评选结果，"
        "《陕西历代方志总目提要》获二等奖。\n\n附件1\n\n"
        "第十届全国地方志优秀成果（年鉴类）陕西获奖名单\n\n"
        "序号 成果名称 编纂单位 获奖等次\n"
        "1 《西安年鉴（2023）》 西安市地方志办公室 一等奖\n"
        "2 《汉中年鉴（2023）》 汉中市地方志办公室 二等奖\n"
    )
    found = without_year(result)
    assert ("西安年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）一等奖") in found
    assert ("汉中年鉴（2023）", K.RECEIVED_AWARD, "全国地方志优秀成果（年鉴类）二等奖") in found
    assert not any(o.startswith("陕西省哲学") for s, k, o in found if s.startswith("西安年鉴"))


@pytest.mark.parametrize(
    ("text", "award"),
    [
        pytest.param(
            "中志办公布第十届全国地方志优秀成果（年鉴类）评选结果。"
            "汉中市全年出版县区年鉴11部，《洋县年鉴（2023）》获全国三等奖。",
            "全国地方志优秀成果（年鉴类）三等奖",
            id="the-national-award-named-before",
        ),
        pytest.param(
            "汉中市全年出版县区年鉴11部，《洋县年鉴（2023）》获全国三等奖。",
            None,
            id="none-named",
        ),
        pytest.param(
            "谷长林荣获“全国地方志系统先进工作者”称号。"
            "汉中市全年出版县区年鉴11部，《洋县年鉴（2023）》获全国三等奖。",
            None,
            id="an-honour-is-no-graded-award",
        ),
    ],
)
def test_a_national_grade_named_alone_is_that_grade_of_the_national_award_named_before(
    extract_text: Callable[[str], ExtractionResult], text: str, award: str | None
) -> None:
    won = {o for s, k, o in without_year(extract_text(text)) if s == "洋县年鉴（2023）"}
    won.discard("洋县")
    assert won == ({award} if award else set())


def test_bodies_named_as_a_designation_between_the_verb_and_its_object_receive_it(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "11月，省地方志办命名富平县方志馆、神木市方志馆、袁家村微方志馆等10家单位为首批"
        "“陕西省方志文化教育基地”。"
    )
    won = {s for s, k, o in without_year(result) if k is K.RECEIVED_AWARD}
    assert won == {"富平县方志馆", "神木市方志馆", "袁家村微方志馆"}


@pytest.mark.parametrize(
    ("text", "award"),
    [
        pytest.param(
            "延安市方志馆获评陕西省爱国主义教育基地，并承办“陕甘宁边区史志资料展”。",
            "陕西省爱国主义教育基地",
            id="another-deed-after-the-award",
        ),
        pytest.param(
            "宝鸡市方志馆与延安市方志馆分别获评省级基地：延安市方志馆同批被省委宣传部命名为"
            "陕西省爱国主义教育基地，宝鸡市方志馆于6月获陕西省社会科学界联合会授予"
            "“陕西省社会科学普及基地”称号。",
            None,
            id="a-colon-after-what-sums-it-up",
        ),
    ],
)
def test_what_follows_an_award_in_its_clause_is_no_award(
    extract_text: Callable[[str], ExtractionResult], text: str, award: str | None
) -> None:
    won = {o for s, k, o in without_year(extract_text(text)) if s == "延安市方志馆"}
    assert won - {"延安市"} == ({award} if award else set())


@pytest.mark.parametrize(
    ("text", "work", "award"),
    [
        pytest.param(
            "12月，陕西省人民政府公布陕西省第十六次哲学社会科学优秀成果奖评选结果，"
            "《陕西历代方志总目提要》获二等奖。\n"
            "省地方志办组织第二届陕西省地方志优秀成果评选，共收到参评成果214项，"
            "评出一等奖10项。《青木川镇志》获一等奖。",
            "青木川镇志",
            "陕西省地方志优秀成果一等奖",
            id="the-selection-its-paragraph-held",
        ),
        pytest.param(
            "12月，陕西省人民政府公布陕西省第十六次哲学社会科学优秀成果奖评选结果，"
            "《陕西历代方志总目提要》获二等奖。\n"
            "11月，在陕西省新闻工作者协会组织的第三十四届陕西新闻奖评选中，"
            "《志说三秦》专栏摘得三等奖。",
            "志说三秦",
            "陕西新闻奖三等奖",
            id="a-setting-that-names-an-award-of-its-own",
        ),
        pytest.param(
            "省地方志办组织第二届陕西省地方志优秀成果评选，评出一等奖10项。"
            "《西安市志（1991—2020）》第一卷、《青木川镇志》获一等奖。",
            "西安市志（1991—2020）",
            "陕西省地方志优秀成果一等奖",
            id="a-volume-of-a-work-listed",
        ),
    ],
)
def test_a_grade_named_alone_is_of_the_selection_its_own_paragraph_names(
    extract_text: Callable[[str], ExtractionResult], text: str, work: str, award: str
) -> None:
    won = {o for s, k, o in without_year(extract_text(text)) if s == work}
    assert award in won
    assert not any(o.startswith("陕西省哲学") for o in won)


JOINT_NOTICE = (
    "{masthead}关于公布首届京津冀地方志优秀成果评选结果的通知\n\n"
    "北京市各区、天津市各区地方志工作机构：\n\n"
    "　　2025 年 4 月，三地联席会议审议确定：评出京津冀地方志优秀成果一等奖 2 项，"
    "京津冀方志文化优秀传播阵地 3 个，京津冀地方志协同工作先进个人 2 名。现将评选结果予以公布。\n\n"
    "　　首届京津冀地方志优秀成果获奖名单\n\n"
    "一等奖（2 项）：《天津通志·大运河志》（天津市地方志编修委员会办公室编纂）"
    "《密云县志（1991—2015）》（北京市密云区地方志办公室编纂）\n\n"
    "　　京津冀方志文化优秀传播阵地名单\n\n"
    "天津方志馆　北京市方志馆首都师范大学分馆　“河北方志”微信公众号\n\n"
    "　　京津冀地方志协同工作先进个人名单\n\n"
    "田　野（北京市延庆区地方志办公室）　孙秀兰（天津市蓟州区地方志办公室）\n\n"
    "{signature}2025 年 5 月 8 日\n"
)
THREE_OFFICES = "北京市地方志编纂委员会办公室\n天津市地方志编修委员会办公室\n河北省地方志办公室\n"


@pytest.mark.parametrize(
    ("masthead", "signature"),
    [
        pytest.param(THREE_OFFICES + "\n", "", id="a-masthead-of-three-lines"),
        pytest.param("", THREE_OFFICES, id="signed-by-three-lines-above-its-date"),
    ],
)
def test_a_notice_issued_jointly_gives_every_issuer_its_awards_and_each_roll_its_winners(
    extract_text: Callable[[str], ExtractionResult], masthead: str, signature: str
) -> None:
    result = extract_text(JOINT_NOTICE.format(masthead=masthead, signature=signature))
    found = without_year(result)
    offices = {"北京市地方志编纂委员会办公室", "天津市地方志编修委员会办公室", "河北省地方志办公室"}
    issuers = {o for s, k, o in found if k is K.ISSUED_BY and s.startswith("关于公布首届")}
    assert issuers == offices
    for award in ("京津冀地方志优秀成果", "京津冀地方志优秀成果一等奖"):
        assert {o for s, k, o in found if k is K.CONFERRED_BY and s == award} == offices
    won = {(s, o) for s, k, o in found if k is K.RECEIVED_AWARD}
    assert won == {
        ("天津通志·大运河志", "京津冀地方志优秀成果一等奖"),
        ("密云县志（1991—2015）", "京津冀地方志优秀成果一等奖"),
        ("天津方志馆", "京津冀方志文化优秀传播阵地"),
        ("北京市方志馆首都师范大学分馆", "京津冀方志文化优秀传播阵地"),
        ("河北方志", "京津冀方志文化优秀传播阵地"),
        ("田野", "京津冀地方志协同工作先进个人"),
        ("孙秀兰", "京津冀地方志协同工作先进个人"),
    }


def test_a_grade_of_an_award_named_with_its_prize_is_named_as_the_text_writes_it(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    # 恩施州社会科学优秀成果奖 graded: 恩施州社会科学优秀成果三等奖, as the headline writes
    # it, not …成果奖三等奖
    result = extract_text(
        "《宣恩史志》工作简报\n\n2024 年第 3 期\n\n宣恩县史志办公室编　　2024 年 9 月 30 日\n\n"
        "●《宣恩贡茶志》获恩施州社会科学优秀成果三等奖\n\n"
        "今年 6 月，恩施州人民政府公布第九届恩施州社会科学优秀成果奖评选结果，"
        "《宣恩贡茶志》获三等奖。\n"
    )
    won = {
        (o, y) for s, k, o, y in relations(result) if s == "宣恩贡茶志" and k is K.RECEIVED_AWARD
    }
    assert won == {("恩施州社会科学优秀成果三等奖", 2024)}


def test_this_month_in_an_issue_is_of_the_issues_year(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "《宣恩史志》工作简报\n\n2024 年第 4 期\n\n宣恩县史志办公室编　　2024 年 12 月 20 日\n\n"
        "本月，恩施州社会科学界联合会公布第四批“恩施州社会科学普及基地”名单，宣恩县方志馆入选。\n"
    )
    assert ("宣恩县方志馆", K.RECEIVED_AWARD, "恩施州社会科学普及基地", 2024) in relations(result)


@pytest.mark.parametrize(
    "heading",
    [
        pytest.param("一、2024年全省地方志工作回顾", id="the-year-and-whose-work"),
        pytest.param("一、过去一年工作回顾", id="the-past-year-by-the-speechs-date"),
        pytest.param("一、一年来的主要工作", id="the-year-since-by-the-speechs-date"),
    ],
)
def test_a_month_in_a_speechs_part_on_the_past_year_is_of_that_year(
    extract_text: Callable[[str], ExtractionResult], heading: str
) -> None:
    result = extract_text(
        "在2025年全省地方志工作会议上的讲话\n\n（2025年2月26日）\n\n同志们：\n\n"
        f"{heading}\n\n5月，《张掖年鉴（2024）》入选“中国精品年鉴”。\n"
    )
    years = {y for s, k, o, y in relations(result) if k is K.RECEIVED_AWARD}
    assert years == {2024}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "吉林省地方志编纂委员会办公室召开会议。\n其中，《吉林年鉴（2024）》为省级综合年鉴，"
            "由吉林省方志办编纂、吉林文史出版社出版。",
            {
                ("吉林年鉴（2024）", "吉林省地方志编纂委员会办公室"),
                ("吉林年鉴（2024）", "吉林文史出版社"),
            },
            id="an-office-by-its-region-and-short-form",
        ),
        pytest.param(
            "地情书籍编纂方面，我们继续编辑出版“重庆地情丛书”，新推出《重庆老城门》《巴渝古镇》"
            "《重庆抗战遗址》3册，由重庆出版社出版。",
            {
                ("重庆老城门", "重庆出版社"),
                ("巴渝古镇", "重庆出版社"),
                ("重庆抗战遗址", "重庆出版社"),
            },
            id="the-list-the-clause-before-names",
        ),
    ],
)
def test_a_passive_publisher_is_of_the_works_the_clause_before_names(
    extract_text: Callable[[str], ExtractionResult], text: str, expected: set[tuple[str, str]]
) -> None:
    found = {(s, o) for s, k, o in without_year(extract_text(text)) if k is K.PUBLISHED_BY}
    assert found == expected


def test_a_body_written_right_before_a_policys_title_issued_it(
    extract_text: Callable[[str], ExtractionResult],
) -> None:
    result = extract_text(
        "认真贯彻国务院《地方志工作条例》和省政府《广东省地方志工作规定》，"
        "按照中国地方志指导小组《地方综合年鉴编纂出版规定》要求，编纂出版《广州年鉴（2024）》。"
    )
    issued = {(s, o) for s, k, o in without_year(result) if k is K.ISSUED_BY}
    assert issued == {
        ("地方志工作条例", "中华人民共和国国务院"),
        ("广东省地方志工作规定", "广东省人民政府"),
        ("地方综合年鉴编纂出版规定", "中国地方志指导小组"),
    }


@pytest.mark.parametrize(
    ("text", "award", "bodies"),
    [
        pytest.param(
            "陕西省地方志办公室召开会议。《榆林年鉴（2024）》入选第三批陕西省精品年鉴。",
            "陕西省精品年鉴",
            {"陕西省地方志办公室"},
            id="a-provinces-chronicle-award-by-its-office",
        ),
        pytest.param(
            "《榆林年鉴（2024）》入选第三批陕西省精品年鉴。",
            "陕西省精品年鉴",
            set(),
            id="not-when-the-document-names-no-office",
        ),
        pytest.param(
            "浙江省地方志办公室与浙江省地方志学会召开会议。"
            "《温州方志》刊文获浙江省地方志学会优秀学术论文评选一等奖。",
            "浙江省地方志学会优秀学术论文评选一等奖",
            set(),
            id="not-an-award-named-after-another-body",
        ),
    ],
)
def test_a_regions_chronicle_award_with_no_giver_named_is_its_chronicle_offices(
    extract_text: Callable[[str], ExtractionResult], text: str, award: str, bodies: set[str]
) -> None:
    found = without_year(extract_text(text))
    assert {o for s, k, o in found if k is K.CONFERRED_BY and s == award} == bodies


@pytest.mark.parametrize(
    ("text", "award", "bodies"),
    [
        pytest.param(
            "贵州省社会科学界联合会召开会议。贵州省方志馆获评贵州省社会科学普及基地。",
            "贵州省社会科学普及基地",
            {"贵州省社会科学界联合会"},
            id="a-provinces-popular-science-base-by-its-federation",
        ),
        pytest.param(
            "中共上海市委宣传部召开会议。上海市方志馆入选上海市爱国主义教育基地。",
            "上海市爱国主义教育基地",
            {"中共上海市委宣传部"},
            id="a-patriotic-education-base-by-the-propaganda-department",
        ),
        pytest.param(
            "上海市方志馆入选上海市爱国主义教育基地。",
            "上海市爱国主义教育基地",
            set(),
            id="not-when-the-document-names-no-such-body",
        ),
    ],
)
def test_a_regions_designation_with_no_giver_named_is_its_usual_givers(
    extract_text: Callable[[str], ExtractionResult], text: str, award: str, bodies: set[str]
) -> None:
    found = without_year(extract_text(text))
    assert {o for s, k, o in found if k is K.CONFERRED_BY and s == award} == bodies
