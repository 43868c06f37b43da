"""zhi_graph.recognize: small sentences in, typed mentions out; and the Matcher beneath.

Sentences are written for these tests, in the voice of chronicle-office reports
from several provinces. A document's province comes from the regions it names,
so sentences that need one ("省委" means this province's committee) name a
couple of its cities.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from zhi_graph.model import EntityType, Mention, PublicationSubtype, Recognized
from zhi_graph.recognize import COORDINATED, recognize
from zhi_graph.recognize.matcher import Hit, Matcher
from zhi_graph.resources import Resources

T = EntityType
P = PublicationSubtype

SICHUAN = "成都市、绵阳市、乐山市参加。"
HENAN = "郑州市、开封市、洛阳市参加。"
ZHEJIANG = "杭州市、宁波市、温州市参加。"
GUANGXI = "南宁市、柳州市、桂林市参加。"
YUNNAN = "昆明市、大理州、丽江市参加。"
XINJIANG = "乌鲁木齐市、喀什地区、伊犁州参加。"
NEIMENGGU = "呼和浩特市、包头市、兴安盟参加。"


def labels(recognized: Recognized) -> set[tuple[EntityType, str]]:
    return {(m.type, m.label) for m in recognized.mentions}


def mention(recognized: Recognized, type_: EntityType, label: str) -> Mention:
    for m in recognized.mentions:
        if m.type is type_ and m.label == label:
            return m
    raise AssertionError(f"no {type_.value} {label} in {sorted(labels(recognized))}")


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=reason, strict=True)


POSITIVE = [
    # Publications: titles in 《》, typed by their ending or the word after them
    pytest.param(
        "《成都年鉴（2023）》由四川省地方志工作办公室审定。",
        T.PUBLICATION,
        "成都年鉴（2023）",
        id="yearbook-sichuan",
    ),
    pytest.param(
        "《桂林年鉴（2022）》由广西人民出版社出版发行。",
        T.PUBLICATION,
        "桂林年鉴（2022）",
        id="yearbook-guangxi",
    ),
    pytest.param(
        "2024年，省政府办公厅转发《关于推进地方志事业高质量发展的意见》。" + HENAN,
        T.PUBLICATION,
        "关于推进地方志事业高质量发展的意见",
        id="policy-henan",
    ),
    pytest.param(
        "《南宁市地方志工作规定》自2024年3月1日起施行。",
        T.PUBLICATION,
        "南宁市地方志工作规定",
        id="policy-regulation",
    ),
    pytest.param(
        "《浙江日报》开设“方志里的浙江”专栏。", T.PUBLICATION, "浙江日报", id="periodical-newspaper"
    ),
    pytest.param(
        "省史志办主办的《河南史志》杂志刊发专题文章。",
        T.PUBLICATION,
        "河南史志",
        id="periodical-magazine",
    ),
    pytest.param("《宾阳县志》完成终审。", T.PUBLICATION, "宾阳县志", id="gazetteer"),
    pytest.param(
        "《柳州大事记（1949—2019）》正式出版。",
        T.PUBLICATION,
        "柳州大事记（1949—2019）",
        id="chronicle",
    ),
    # Venues: accounts, apps, websites, museums
    pytest.param(
        "河南省地方史志办公室开设“方志河南”微信公众号。", T.VENUE, "方志河南", id="wechat-account"
    ),
    pytest.param("“浙江方志”APP正式上线，提供志书在线阅读。", T.VENUE, "浙江方志", id="app"),
    pytest.param("广西地情网全年发布信息3600余条。", T.VENUE, "广西地情网", id="website"),
    pytest.param("温州方志馆全年接待观众12万人次。", T.VENUE, "温州方志馆", id="museum"),
    # Awards: after a trigger verb, quoted or not
    pytest.param(
        "内江市获得“中国甜食之都”称号，城市知名度显著提升。",
        T.AWARD,
        "中国甜食之都",
        id="award-sichuan",
    ),
    pytest.param("柳州市获评“中国螺蛳粉之乡”称号。", T.AWARD, "中国螺蛳粉之乡", id="award-guangxi"),
    pytest.param(
        "临安区获得“中国山核桃之乡”称号。", T.AWARD, "中国山核桃之乡", id="award-zhejiang"
    ),
    pytest.param(
        "《嘉兴年鉴》获全国地方志优秀成果（年鉴类）一等奖。",
        T.AWARD,
        "全国地方志优秀成果（年鉴类）一等奖",
        id="graded-award",
    ),
    # Institutions: suffixes, lexicon, templates that take the document's province
    pytest.param(
        "广西壮族自治区地方志办公室召开年度工作会议。",
        T.INSTITUTION,
        "广西壮族自治区地方志办公室",
        id="office-suffix",
    ),
    pytest.param("郑州大学与省史志办共建研究基地。", T.INSTITUTION, "郑州大学", id="university"),
    pytest.param(
        "中国地方志工作办公室组织专家评审。",
        T.INSTITUTION,
        "中国地方志工作办公室",
        id="national-body",
    ),
    pytest.param(
        "年鉴初稿报省委书记审阅。" + SICHUAN,
        T.INSTITUTION,
        "中国共产党四川省委员会",
        id="provincial-committee-sichuan",
    ),
    pytest.param(
        "省委书记出席会议并讲话。" + HENAN,
        T.INSTITUTION,
        "中国共产党河南省委员会",
        id="provincial-committee-henan",
    ),
    pytest.param(
        "浙江省委宣传部召开座谈会。", T.INSTITUTION, "中共浙江省委宣传部", id="named-template"
    ),
    pytest.param(
        "深圳市规划和自然资源局介绍经验。",
        T.INSTITUTION,
        "深圳市规划和自然资源局",
        id="bureau-with-and",
    ),
    pytest.param(
        "湖北省住房和城乡建设厅印发通知。",
        T.INSTITUTION,
        "湖北省住房和城乡建设厅",
        id="department-with-and",
    ),
    pytest.param(
        "省财政厅给予经费支持。" + HENAN,
        T.INSTITUTION,
        "河南省财政厅",
        id="a-provincial-department-by-its-level-word",
    ),
    pytest.param(
        "省人社厅联合开展表彰。" + ZHEJIANG,
        T.INSTITUTION,
        "浙江省人力资源和社会保障厅",
        id="a-provincial-department-by-its-short-form",
    ),
    pytest.param(
        "洛阳市地方志办公室与市档案馆联合举办展览。",
        T.INSTITUTION,
        "洛阳市档案馆",
        id="a-city-archive-by-its-level-word",
    ),
    pytest.param(
        "株洲市地方志编纂室完成年鉴编纂。",
        T.INSTITUTION,
        "株洲市地方志编纂室",
        id="a-compilation-room",
    ),
    pytest.param(
        "省史志办与“学习强国”江苏学习平台合作。",
        T.VENUE,
        "学习强国江苏学习平台",
        id="quoted-platform-and-place",
    ),
    # Persons: after a job title, or before 同志
    pytest.param("剑阁县资政报告获省长黄强签批。" + SICHUAN, T.PERSON, "黄强", id="governor"),
    pytest.param("副省长周建国签批《河南年鉴》。", T.PERSON, "周建国", id="vice-governor"),
    pytest.param("市长李明华出席会议。", T.PERSON, "李明华", id="mayor"),
    # a name jieba cuts into single characters, then a verb of one character
    pytest.param("副院长刘晓梅作开班动员。", T.PERSON, "刘晓梅", id="three-then-verb"),
    pytest.param("院长张伟作工作报告。", T.PERSON, "张伟", id="two-then-verb"),
    pytest.param("主任李明向大会报告。", T.PERSON, "李明", id="two-then-preposition"),
    pytest.param("主任王强说，要修好志书。", T.PERSON, "王强", id="two-then-says"),
    # the left edge of a name stops at a verb of visiting (jieba tags 参观 a noun)
    pytest.param("考察团参观南京方志馆。", T.VENUE, "南京方志馆", id="visit-then-museum"),
    pytest.param("调研组走访常州市史志馆。", T.VENUE, "常州市史志馆", id="call-on-museum"),
    # the next of a roll's people, whatever their name's form, the gap between them gone
    pytest.param(
        "二、先进个人（53名）\n王丽娟（昆明市地方志编纂委员会办公室年鉴科科长）\n"
        "李文清（普洱市地方志编纂委员会办公室副主任）扎约（澜沧拉祜族自治县地方志办公室副主任）"
        "俸春芳（双江拉祜族佤族布朗族傣族自治县地方志办公室主任）\n",
        T.PERSON,
        "俸春芳",
        id="a-rolls-next-person-of-a-rare-surname",
    ),
    pytest.param(
        "二、先进个人（53名）\n王丽娟（昆明市地方志编纂委员会办公室年鉴科科长）\n"
        "扎约（澜沧拉祜族自治县地方志办公室副主任）\n",
        T.PERSON,
        "扎约",
        id="a-rolls-next-person-on-the-next-line",
    ),
    # a county's department by its level word, in a list of a county office's bulletin
    pytest.param(
        "宣恩县史志办公室编\n\n良好（6 个）：县公安局、县自然资源和规划局、县林业局\n",
        T.INSTITUTION,
        "宣恩县自然资源和规划局",
        id="a-county-department-of-the-county-the-head-names",
    ),
    pytest.param(
        "宣恩县史志办公室编\n\n全县史志业务培训班在县委党校举办。\n",
        T.INSTITUTION,
        "中共宣恩县委党校",
        id="a-county-party-school",
    ),
    # an office by its region and short form, named as written (its full name a guess)
    pytest.param(
        "成都市地方志办积极打造“成都方志”。" + SICHUAN,
        T.INSTITUTION,
        "成都市地方志办",
        id="an-office-by-its-region-and-short-form",
    ),
    # nor at 代表 (speaking for) or 命名 (naming), nouns to jieba
    pytest.param(
        "郑欣然代表天津市地方志办通报了工作情况。",
        T.INSTITUTION,
        "天津市地方志办",
        id="speaking-for-an-office",
    ),
    pytest.param(
        "省地方志办命名富平县方志馆等10家单位为首批“陕西省方志文化教育基地”。",
        T.VENUE,
        "富平县方志馆",
        id="naming-a-museum",
    ),
    pytest.param("党员干部学习杨善洲同志的先进事迹。", T.PERSON, "杨善洲", id="comrade"),
    pytest.param("会议传达学习了习近平总书记重要讲话精神。", T.PERSON, "习近平", id="secretary"),
    # Regions: full names, and short forms of the document's own province
    pytest.param(
        "景宁县各乡镇完成村志编纂。" + ZHEJIANG, T.REGION, "景宁畲族自治县", id="short-county"
    ),
    pytest.param(
        "甘孜州各县参加培训。" + SICHUAN, T.REGION, "甘孜藏族自治州", id="short-prefecture"
    ),
    pytest.param(
        "由甲乙两办联合主办的“赣鄱方志文化展”在南昌市方志馆开展。",
        T.VENUE,
        "赣鄱方志文化展",
        id="an-exhibition-held",
    ),
    pytest.param(
        "深圳市前海深港现代服务业合作区管理局介绍了情况。",
        T.INSTITUTION,
        "深圳市前海深港现代服务业合作区管理局",
        id="a-long-bureau-name-from-its-city",
    ),
    # A roll's numbered row: what stands between the number and the body in brackets
    pytest.param(
        "内蒙古自治区（2名）\n7．斯琴其木格（锡林郭勒盟史志研究室）\n",
        T.PERSON,
        "斯琴其木格",
        id="a-rolls-row-a-five-character-name",
    ),
    pytest.param(
        "云南省（1名）\n32．岩温香（西双版纳傣族自治州地方志办公室）\n",
        T.PERSON,
        "岩温香",
        id="a-rolls-row-a-name-of-no-han-surname",
    ),
    pytest.param(
        "新疆（1名）\n36．古丽娜尔·艾山（巴音郭楞蒙古自治州党史地\n方志研究室）\n",
        T.PERSON,
        "古丽娜尔·艾山",
        id="a-rolls-row-a-dotted-name-its-body-over-two-lines",
    ),
    # Transliterated minority names after a title: no Han surname
    pytest.param(
        "西藏自治区地方志办公室主任扎西次仁出席会议。", T.PERSON, "扎西次仁", id="tibetan-name"
    ),
    pytest.param(
        "乌审旗史志办公室原主任那顺乌日图被评为先进个人。",
        T.PERSON,
        "那顺乌日图",
        id="mongolian-name-starting-with-a-surname-character",
    ),
    pytest.param(
        "自治区地方志办主任买买提·吐尔逊表示赞同。", T.PERSON, "买买提·吐尔逊", id="uyghur-name"
    ),
    pytest.param(
        "青海省地方志办公室主任才让多杰出席会议。", T.PERSON, "才让多杰", id="tibetan-name-2"
    ),
    pytest.param(
        "延边大学副校长朴光日介绍了情况。", T.PERSON, "朴光日", id="korean-chinese-surname"
    ),
    pytest.param(
        "江华瑶族自治县地方志编纂室主任盘玉兰出席。", T.PERSON, "盘玉兰", id="yao-surname"
    ),
    pytest.param(
        "湖南省地方志编纂院评定以下5部年鉴。",
        T.INSTITUTION,
        "湖南省地方志编纂院",
        id="a-chronicle-academy-of-compilation",
    ),
    pytest.param(
        "发布时间：2024-01-09 09:15　来源：广西壮族自治区地方志办公室　"
        "作者：覃小妮　浏览次数：1187",
        T.PERSON,
        "覃小妮",
        id="a-web-pages-author",
    ),
    pytest.param(
        "重庆市地方志办公室召开会议。\n报：市委办公厅，市政府办公厅，中志办。",
        T.INSTITUTION,
        "中共重庆市委办公厅",
        id="a-municipalitys-party-office",
    ),
    pytest.param(
        "重庆市地方志办公室召开会议。市委网信办、市妇联有关负责同志出席。",
        T.INSTITUTION,
        "中共重庆市委网络安全和信息化委员会办公室",
        id="a-municipalitys-cyberspace-office",
    ),
    pytest.param(
        "苏州市地方志办公室召开会议。\n\n抄送：市委办公室，市人大常委会办公室，市政协办公室。",
        T.INSTITUTION,
        "中国人民政治协商会议苏州市委员会办公室",
        id="a-city-offices-copy-line-names-its-citys-bodies",
    ),
    pytest.param(
        "《海口年鉴（2023）》由南海出版公司出版。",
        T.INSTITUTION,
        "南海出版公司",
        id="a-publishing-company",
    ),
    pytest.param("责任编辑：孙晓梅　　校对：李红艳", T.PERSON, "李红艳", id="proofreader"),
    pytest.param(
        "鸡西市　鸡西市地方志办公室把镇村志编纂作为重要抓手。",
        T.INSTITUTION,
        "鸡西市地方志办公室",
        id="a-section-label-before-its-office",
    ),
    pytest.param(
        "海北藏族自治州地方志办公室负责人旦正加介绍了经验。",
        T.PERSON,
        "旦正加",
        id="after-fu-ze-ren",
    ),
    pytest.param(
        "同心县史志办工作人员田玉梅参加培训。", T.PERSON, "田玉梅", id="after-gong-zuo-ren-yuan"
    ),
    pytest.param(
        "报送：中国地方志工作办公室，中共甘肃省委办公厅，中共宁夏回族自治区委员会办公厅。",
        T.INSTITUTION,
        "中共宁夏回族自治区委员会办公厅",
        id="a-party-committees-office-in-full",
    ),
    pytest.param(
        "（本纪要由自治区地方志办综合处整理）宁夏回族自治区召开会议。",
        T.INSTITUTION,
        "宁夏回族自治区地方志编纂委员会办公室综合处",
        id="a-department-that-drafted-a-text",
    ),
    pytest.param(
        "两办联合主办“黄河方志文献联展”。", T.VENUE, "黄河方志文献联展", id="a-joint-exhibition"
    ),
    pytest.param(
        "省方志办邀请兰州大学历史文化学院教授王明作辅导。",
        T.INSTITUTION,
        "兰州大学",
        id="a-university-whose-school-is-named-in-a-job-title",
    ),
    pytest.param(
        "第八师石河子市史志办公室编纂的年鉴出版。",
        T.INSTITUTION,
        "第八师石河子市史志办公室",
        id="a-corps-division-opens-an-offices-name",
    ),
    pytest.param(
        "第八届中国—亚欧博览会在乌鲁木齐举办。", T.VENUE, "中国—亚欧博览会", id="china-dash-expo"
    ),
    pytest.param(
        "报送：中共新疆维吾尔自治区委员会。",
        T.INSTITUTION,
        "中国共产党新疆维吾尔自治区委员会",
        id="a-party-committee-written-in-full",
    ),
    pytest.param(
        "喀什地区行政公署印发通知。",
        T.INSTITUTION,
        "喀什地区行政公署",
        id="an-administrative-office",
    ),
    pytest.param(
        "天津市地方志编修委员会办公室捐赠图书。",
        T.INSTITUTION,
        "天津市地方志编修委员会办公室",
        id="a-compilation-committee-called-bian-xiu",
    ),
    pytest.param("克州编纂州志。" + XINJIANG, T.REGION, "克孜勒苏柯尔克孜自治州", id="ke-zhou"),
    pytest.param(
        "科右中旗编纂年鉴。" + NEIMENGGU, T.REGION, "科尔沁右翼中旗", id="ke-you-zhong-qi"
    ),
    pytest.param(
        "九台市编纂市志。长春市召开会议。", T.REGION, "九台区", id="a-city-renamed-in-2014"
    ),
    pytest.param(
        "湘西土家族苗族自治州（以下简称“湘西州”）史志研究室编纂的州志出版。",
        T.INSTITUTION,
        "湘西土家族苗族自治州史志研究室",
        id="an-office-whose-name-a-definition-cuts",
    ),
    pytest.param(
        "甘肃省地方志办公室 宁夏回族自治区地方志办公室\n关于协作情况的通报\n",
        T.INSTITUTION,
        "宁夏回族自治区地方志办公室",
        id="two-offices-of-a-masthead-line",
    ),
    # A title, a colon, then who holds it (a masthead's last lines)
    pytest.param(
        "本期责任编辑：李晓红\n\n报送：省委办公厅。", T.PERSON, "李晓红", id="title-colon-name"
    ),
    pytest.param("主编：王建国\n", T.PERSON, "王建国", id="title-colon-name-at-line-end"),
    # Minutes and notices: roles, lists, posts in brackets, bodies before names
    pytest.param("主持：张建华（天津市地方志办公室主任）\n", T.PERSON, "张建华", id="role-colon"),
    pytest.param(
        "出席：李明（北京市地方志办公室主任）、王芳（河北省地方志办公室副主任）\n",
        T.PERSON,
        "王芳",
        id="role-list-with-posts-in-brackets",
    ),
    pytest.param("会议主持人：孙立新\n记录：何晓燕\n", T.PERSON, "何晓燕", id="minutes-roles"),
    pytest.param(
        "参会人员：北京市地方志办公室李明、王芳，重庆市地方志办公室江河。",
        T.PERSON,
        "江河",
        id="role-line-body-then-name",
    ),
    pytest.param(
        "北京市地方志编纂委员会办公室：李明　王芳　赵强\n",
        T.PERSON,
        "赵强",
        id="body-colon-names-parted-by-spaces",
    ),
    pytest.param("主任　李明　　副主任　王芳\n", T.PERSON, "王芳", id="title-space-name"),
    pytest.param(
        "会议邀请了诸葛文涛、孙丽、韩立军等专家。", T.PERSON, "诸葛文涛", id="names-before-a-group"
    ),
    pytest.param("主持：赵德明　刘振华\n", T.PERSON, "刘振华", id="role-two-names-one-space"),
    pytest.param(
        "山西大学历史文化学院教授司马燕以《晋祠志》编纂为例授课。",
        T.PERSON,
        "司马燕",
        id="a-compound-surname-before-a-preposition",
    ),
    pytest.param(
        "列席：山西省财政厅教科文处副处长王海。",
        T.INSTITUTION,
        "山西省财政厅",
        id="the-body-of-a-sub-unit-inside-a-job-title",
    ),
    pytest.param(
        "1\u3000济宁年鉴（2024）\u3000年鉴\u3000济宁市地方志办公室\n",
        T.PUBLICATION,
        "济宁年鉴（2024）",
        id="a-yearbook-in-a-tables-cell",
    ),
    pytest.param(
        "2\u3000曲阜市志（1991—2020）\u3000志书\u3000曲阜市地方志办公室\n",
        T.PUBLICATION,
        "曲阜市志（1991—2020）",
        id="a-gazetteer-in-a-tables-cell",
    ),
    pytest.param(
        "山东省地方史志研究院所属山东省方志馆开设年鉴专区。",
        T.VENUE,
        "山东省方志馆",
        id="a-venue-after-the-body-it-belongs-to",
    ),
    pytest.param("列席：郭秀兰　　郑海涛\n", T.PERSON, "郭秀兰", id="names-before-a-run-of-spaces"),
    pytest.param(
        "联系人：年鉴处　何丽娟，电话：0351-1234567\n",
        T.PERSON,
        "何丽娟",
        id="a-sub-unit-a-space-and-a-name",
    ),
    pytest.param("李明主任指出，三地要加强协同。", T.PERSON, "李明", id="name-before-title"),
    pytest.param(
        "河北省地方志办公室主任高山。", T.PERSON, "高山", id="a-name-that-is-a-common-noun"
    ),
    pytest.param(
        "北京市地方志编纂委员会办公室李明、天津市地方志办公室张伟介绍经验。",
        T.PERSON,
        "李明",
        id="a-name-right-after-its-body",
    ),
    pytest.param(
        "二、先进个人（2名）\n\n1.李志强（长春市地方志办公室）\n",
        T.PERSON,
        "李志强",
        id="a-numbered-row-name-and-its-body-in-brackets",
    ),
    pytest.param(
        "先进工作者：大连市史志办公室　王海燕；孝义市地方志研究室　任晓峰\n",
        T.PERSON,
        "任晓峰",
        id="a-body-a-space-and-a-name",
    ),
    pytest.param(
        "自治区地方志办主任阿布都热合曼·吐尔逊出席会议。",
        T.PERSON,
        "阿布都热合曼·吐尔逊",
        id="a-dotted-name-of-ten-characters",
    ),
    pytest.param(
        "古丽娜尔·买买提、周立平、努尔兰·哈孜别克榜上有名。",
        T.PERSON,
        "努尔兰·哈孜别克",
        id="a-dotted-name-without-a-title",
    ),
    # Villages: after their township, or their county when no other village of it has the name
    pytest.param(
        "湖州市安吉县天荒坪镇余村编纂的《余村志》出版。", T.REGION, "余村", id="village-zhejiang"
    ),
    pytest.param("昔阳县大寨镇大寨村建成村史馆。", T.REGION, "大寨村", id="village-shanxi"),
    pytest.param("凤阳县小岗村编修村志。", T.REGION, "小岗村", id="village-after-its-county"),
    pytest.param("乌审旗苏力德苏木昌煌嘎查建成史馆。", T.REGION, "昌煌嘎查", id="gaqa-of-a-sumu"),
    pytest.param(
        "凤阳县小溪河镇小岗村村史馆开馆。",
        T.VENUE,
        "凤阳县小溪河镇小岗村村史馆",
        id="venue-named-after-a-village",
    ),
    # People listed after a label, in a sign-in sheet's rows, before a title after a
    # row's number, after a role of a meeting or a post of a village
    pytest.param(
        "评审专家：孟庆山　江秋月　欧阳明\n", T.PERSON, "江秋月", id="a-review-panels-experts"
    ),
    pytest.param(
        "河西区：孔德明、吕春燕、柏青山，区档案馆馆长于海\n",
        T.PERSON,
        "柏青山",
        id="names-listed-after-a-place-and-a-colon",
    ),
    pytest.param(
        "5 邢　　川 南开大学 教授\n6 鲁 明 远 天津市档案馆 研究馆员\n",
        T.PERSON,
        "鲁明远",
        id="a-sign-in-sheets-letter-spaced-name",
    ),
    pytest.param(
        "5 邢　　川 南开大学 教授\n6 鲁 明 远 天津市档案馆 研究馆员\n",
        T.PERSON,
        "邢川",
        id="a-sign-in-sheets-padded-name",
    ),
    pytest.param(
        "3.贺云飞教授（天津师范大学）建议，加强资料考证。",
        T.PERSON,
        "贺云飞",
        id="a-name-before-its-title-after-a-rows-number",
    ),
    pytest.param(
        "西青区杨柳青镇村民代表石玉柱发言。", T.PERSON, "石玉柱", id="a-villages-representative"
    ),
    pytest.param(
        "在全国地方志系统表彰中，陆佩华（上海市松江区地方志办公室）被评为“全国地方志系统先进工作者”。",
        T.PERSON,
        "陆佩华",
        id="a-winner-with-her-body-in-brackets",
    ),
    pytest.param(
        "赣州市地方志办公室钟丽萍被评为“全国地方志系统先进工作者”。",
        T.PERSON,
        "钟丽萍",
        id="a-name-after-its-body-then-the-passive",
    ),
    pytest.param(
        "同时，授予刘芳（岳阳市地方志办公室）、陈刚（常德市地方志办公室）等6名同志“湖南省优秀年鉴编辑”称号。",
        T.PERSON,
        "刘芳",
        id="given-to-a-name-with-its-body-in-brackets",
    ),
    pytest.param("上海通志馆开展讲座。", T.VENUE, "上海通志馆", id="a-tongzhi-hall"),
    # Bodies every district has, and a municipality's 市委
    pytest.param(
        "天津市和平区地方志办公室召开会议，区委、区政府领导出席。",
        T.INSTITUTION,
        "中国共产党和平区委员会",
        id="a-districts-party-committee",
    ),
    pytest.param(
        "天津市和平区地方志办公室召开会议，区委、区政府领导出席。",
        T.INSTITUTION,
        "和平区人民政府",
        id="a-districts-government",
    ),
    pytest.param(
        "上海市地方志办公室召开会议。\n报：市委、市政府。",
        T.INSTITUTION,
        "中国共产党上海市委员会",
        id="a-municipalitys-party-committee",
    ),
    pytest.param(
        "中共天津市河西区委副书记王强出席会议。",
        T.INSTITUTION,
        "中国共产党天津市河西区委员会",
        id="a-district-named-with-its-city",
    ),
    pytest.param(
        "浙江省乐清市委党校举办培训。",
        T.INSTITUTION,
        "中共乐清市委党校",
        id="a-county-level-city-named-with-its-province",
    ),
    pytest.param(
        "布楞沟村被湖南省乡村振兴局授予称号。",
        T.INSTITUTION,
        "湖南省乡村振兴局",
        id="a-department-whose-name-holds-a-verb",
    ),
]


@pytest.mark.parametrize(("text", "type_", "label"), POSITIVE)
def test_recognized(
    recognize_text: Callable[[str], Recognized], text: str, type_: EntityType, label: str
) -> None:
    assert (type_, label) in labels(recognize_text(text))


@pytest.mark.parametrize(
    ("text", "label", "subtype"),
    [
        ("《成都年鉴（2023）》出版。", "成都年鉴（2023）", P.YEARBOOK),
        ("《广西年鉴》出版。", "广西年鉴", P.YEARBOOK),
        (
            "印发《江苏省第三轮地方志书编修工作规划（2024—2035年）》。",
            "江苏省第三轮地方志书编修工作规划（2024—2035年）",
            P.POLICY_DOCUMENT,
        ),
        ("印发《南京市年鉴编纂出版规程》。", "南京市年鉴编纂出版规程", P.POLICY_DOCUMENT),
        (
            "印发《关于推进地方志事业高质量发展的意见》。",
            "关于推进地方志事业高质量发展的意见",
            P.POLICY_DOCUMENT,
        ),
        (
            "印发《河南省县级综合年鉴编纂规范（试行）》。",
            "河南省县级综合年鉴编纂规范（试行）",
            P.POLICY_DOCUMENT,
        ),
        ("《浙江日报》报道。", "浙江日报", P.PERIODICAL),
        ("《宾阳县志》出版。", "宾阳县志", P.GAZETTEER),
        ("《柳州大事记（1949—2019）》出版。", "柳州大事记（1949—2019）", P.CHRONICLE),
        ("编纂《桂林历史文化》丛书。", "桂林历史文化", P.SERIES),
        ("《嘉兴市志（1991—2010）》出版。", "嘉兴市志（1991—2010）", P.GAZETTEER),
        pytest.param(
            "《开封年鉴(2023)》出版。",
            "开封年鉴（2023）",
            P.YEARBOOK,
            id="yearbook-half-width-year",
        ),
    ],
)
def test_publication_subtype(
    recognize_text: Callable[[str], Recognized], text: str, label: str, subtype: PublicationSubtype
) -> None:
    recognized = recognize_text(text)
    assert mention(recognized, T.PUBLICATION, label).subtype is subtype


NEGATIVE = [
    pytest.param(
        "参观者在广西方志馆展厅驻足观看。", T.INSTITUTION, "广西方志馆展厅", id="a-room-of-a-venue"
    ),
    pytest.param(
        "广西师范大学历史文化与旅游学院教授蓝日升出席。",
        T.INSTITUTION,
        "旅游学院",
        id="half-a-department-cut-by-yu",
    ),
    pytest.param(
        "红军四渡赤水的故事在川南广为流传。" + SICHUAN,
        T.REGION,
        "赤水市",
        id="sidu-chishui-in-sichuan",
    ),
    pytest.param("推动形成“修用并重”新格局。", None, None, id="slogan-sichuan"),
    pytest.param("全区推动构建“志鉴融合”新格局。" + GUANGXI, None, None, id="slogan-guangxi"),
    pytest.param("建立年鉴“三审三校”制度。", None, None, id="rule-in-quotes"),
    pytest.param("截至2024年底，全省建成方志馆58个。", T.VENUE, "方志馆", id="count-of-museums"),
    pytest.param(
        "全区建成史志馆21个、微方志馆118个。", T.VENUE, "微方志馆", id="count-of-small-museums"
    ),
    pytest.param("各地积极推进微方志馆建设。", T.VENUE, "微方志馆", id="generic-museums"),
    pytest.param("弘扬红旗渠精神。" + HENAN, T.REGION, "红旗渠", id="canal-not-region"),
    pytest.param(
        "杭州市西湖十景闻名中外。" + ZHEJIANG, T.REGION, "西湖区", id="west-lake-not-district"
    ),
    pytest.param("省政府副秘书长出席会议。" + HENAN, T.PERSON, None, id="title-without-name"),
    pytest.param(
        "省委书记强调，要修好用好地方志。" + ZHEJIANG, T.PERSON, "强调", id="title-then-verb"
    ),
    pytest.param("普洱茶产业带动当地发展。" + YUNNAN, T.REGION, "普洱市", id="puer-tea-not-region"),
    pytest.param("推动各地用好方志馆阵地。", T.VENUE, None, id="make-good-use-of-museums"),
    pytest.param(
        "抄送：各设区市地方志办公室。" + ZHEJIANG, T.INSTITUTION, None, id="every-city-office"
    ),
    pytest.param("编辑：《江门年鉴》编辑部", T.PERSON, None, id="title-colon-no-name"),
    pytest.param("副主任达拉特旗史志办主任参加。", T.PERSON, None, id="a-place-after-a-title"),
    pytest.param("漠河市北极镇北极村地处我国最北端。", T.INSTITUTION, None, id="di-chu-lies-at"),
    pytest.param("记述嫩江流域的民俗。黑龙江省召开会议。", T.REGION, "嫩江市", id="a-rivers-basin"),
    pytest.param(
        "甘肃省地方志办公室 宁夏回族自治区地方志办公室\n关于协作情况的通报\n",
        T.INSTITUTION,
        "甘肃省地方志办公室宁夏回族自治区地方志办公室",
        id="two-offices-are-not-one",
    ),
    pytest.param(
        "乌审旗史志办公室原主任那顺乌日图被评为先进个人。", T.PERSON, "那顺", id="not-cut-at-two"
    ),
    pytest.param(
        "附件：1.第三届河南省地方志优秀成果获奖名单\n2.第二批河南省精品年鉴名单\n3.座谈会纪要",
        T.AWARD,
        "1.河南省地方志优秀成果",
        id="an-attachment-number-is-not-part-of-an-award",
    ),
    pytest.param(
        "他介绍了省方志馆在高校设立分馆的情况。" + SICHUAN,
        T.INSTITUTION,
        "在高校设立",
        id="a-clause-is-not-a-branch-host",
    ),
    pytest.param(
        "遇到重要情况，请及时报告省地方志办。" + SICHUAN,
        T.INSTITUTION,
        "报告省地方志办",
        id="a-verb-before-an-office",
    ),
    pytest.param(
        "2021年，《汕头年鉴》获省社会科学优秀成果二等奖，在同一次全省社科奖评选中获得4项二等奖。",
        T.AWARD,
        "同一次全省社科奖二等奖",
        id="counted-prizes-of-an-award-named-before",
    ),
    pytest.param("大寨村编修村志。", T.REGION, "大寨村", id="village-without-its-township"),
    pytest.param(
        "省方志办邀请兰州大学历史文化学院教授王明作辅导。" + SICHUAN,
        T.INSTITUTION,
        "兰州大学历史文化学院",
        id="a-school-named-only-in-a-job-title",
    ),
    pytest.param(
        "整理蒙古族、朝鲜族地情资料。", T.REGION, None, id="peoples-named-after-countries"
    ),
    pytest.param("经霍尔果斯口岸赠书。" + XINJIANG, T.REGION, "霍尔果斯市", id="a-border-port"),
    pytest.param("3.基层方志馆建设加快推进。", T.VENUE, None, id="grassroots-museums"),
    pytest.param(
        "重庆区县方志馆和镇村史馆建设全面铺开。" + SICHUAN, T.VENUE, None, id="sets-of-museums"
    ),
    pytest.param("两地方志馆互办展览。", T.VENUE, None, id="the-museums-of-both-places"),
    pytest.param("四所高校分馆开展活动。", T.VENUE, None, id="four-branches"),
    pytest.param(
        "“渝志云”开设“区县方志馆”“镇村史馆”两个在线展厅。",
        T.VENUE,
        "区县方志馆",
        id="sections-of-a-platform",
    ),
    pytest.param(
        "浙江省人民政府地方志办公室全程参与了框架设计。", T.PERSON, None, id="quan-cheng-is-a-word"
    ),
    pytest.param(
        "努尔兰·哈孜别克现任伊犁州地方志办副主任。",
        T.INSTITUTION,
        "努尔兰·哈孜别克现任伊犁州地方志办",
        id="who-holds-a-post-is-not-part-of-its-body",
    ),
    pytest.param(
        "克州编纂州志。" + SICHUAN,
        T.REGION,
        "克孜勒苏柯尔克孜自治州",
        id="ke-zhou-far-away",
    ),
    pytest.param(
        "安吉县孝丰镇新村路改造完成。", T.REGION, "新村", id="a-street-named-after-a-village"
    ),
    pytest.param(
        "安吉县东村编修村志。", T.REGION, "东村", id="village-name-no-village-of-the-county"
    ),
    pytest.param(
        "联系人：年鉴处　何丽娟，电话：0351-1234567\n",
        T.PERSON,
        "年鉴处",
        id="a-sub-unit-before-a-space-is-no-name",
    ),
    pytest.param("沈阳市、大连市等代表作交流发言。", T.PERSON, None, id="places-before-a-group"),
    pytest.param(
        "参会人员：各市（含定州、辛集市）地方志办公室负责同志。",
        T.PERSON,
        "辛集市",
        id="a-city-whose-name-starts-like-a-surname",
    ),
    pytest.param("对市、县年鉴主编和骨干编辑进行轮训。", T.PERSON, "和骨干", id="titles-joined"),
    pytest.param(
        "列席：山西省财政厅教科文处副处长王海。",
        T.INSTITUTION,
        "山西省财政厅教科文处",
        id="a-sub-unit-inside-a-job-title",
    ),
    pytest.param(
        "天津市方志馆被命名为天津市爱国主义教育基地。",
        T.AWARD,
        "为天津市爱国主义教育基地",
        id="named-as-is-the-verb",
    ),
    pytest.param(
        "河南省地方史志办公室在开封市河南大学设立分馆。",
        T.INSTITUTION,
        "开封市河南大学",
        id="a-place-before-a-body-named-after-a-place",
    ),
    pytest.param(
        "7. 郁宁教授（北京联合大学）建议，精简篇目。",
        T.PERSON,
        "郁宁教授",
        id="a-rolls-row-a-name-then-a-post",
    ),
    pytest.param("1．年鉴处（河北省地方志办公室）\n", T.PERSON, "年鉴处", id="a-rolls-row-a-body"),
    pytest.param(
        "获评特等的《南京年鉴（2024）》以“特载”“专文”“大事记”构建记述体系。",
        T.AWARD,
        None,
        id="quotes-after-the-work-a-trigger-qualifies-are-no-awards",
    ),
]


@pytest.mark.parametrize(("text", "type_", "label"), NEGATIVE)
def test_not_recognized(
    recognize_text: Callable[[str], Recognized],
    text: str,
    type_: EntityType | None,
    label: str | None,
) -> None:
    """type_ None: no entity in the first sentence; label None: none of type_ there."""
    recognized = recognize_text(text)
    first_end = recognized.segmented.sentences[0].end
    in_first = [m for m in recognized.mentions if m.start < first_end]
    if type_ is None:
        assert in_first == []
    elif label is None:
        assert [m for m in in_first if m.type is type_] == []
    else:
        assert (type_, label) not in {(m.type, m.label) for m in in_first}


@pytest.mark.parametrize(
    ("text", "provinces"),
    [
        (SICHUAN, ("510000",)),
        (HENAN + "2024年", ("410000",)),
        ("广西壮族自治区、南宁市参加。", ("450000",)),
        ("近日召开会议。", ()),
    ],
)
def test_context_provinces(
    recognize_text: Callable[[str], Recognized], text: str, provinces: tuple[str, ...]
) -> None:
    assert recognize_text(text).context_provinces == provinces


@pytest.mark.parametrize(
    "text",
    [
        "2024年，广西壮族自治区地方志办公室开通“广西地情”微信公众号和广西地情网。",
        "《郑州年鉴（2023）》《金水年鉴（2022）》先后入选“中国精品年鉴”。" + HENAN,
        "温州方志馆入选“浙江省爱国主义教育基地”，省委书记到馆调研。" + ZHEJIANG,
    ],
)
def test_mentions_quote_their_text_and_do_not_overlap(
    recognize_text: Callable[[str], Recognized], text: str
) -> None:
    recognized = recognize_text(text)
    normalized = recognized.segmented.text
    assert recognized.mentions
    for m in recognized.mentions:
        assert normalized[m.start : m.end] == m.surface
    # top-level mentions are disjoint; nested ones (a title in a title) sit inside one
    ordered = sorted(recognized.mentions, key=lambda m: (m.start, -m.end))
    for a, b in itertools.pairwise(ordered):
        assert b.start >= a.end or b.end <= a.end, (a, b)


def test_recognize_is_a_pure_function_of_its_input(
    recognize_text: Callable[[str], Recognized], resources: Resources
) -> None:
    recognized = recognize_text("省长黄强签批《四川年鉴》。" + SICHUAN)
    again = recognize(recognized.segmented, resources)
    assert again.mentions == recognized.mentions
    assert again.context_provinces == recognized.context_provinces


# --- Matcher ---------------------------------------------------------------


HitRow = tuple[int, int, str, int]


def hits(matcher: Matcher[int], text: str, longest: bool = False) -> list[HitRow]:
    found: list[Hit[int]] = list(matcher.find_longest(text) if longest else matcher.find_all(text))
    return [(h.start, h.end, h.surface, h.payload) for h in found]


NAMES = [("甘孜", 1), ("甘孜州", 2), ("甘孜藏族自治州", 3), ("泸定", 4), ("泸定县", 5), ("州", 6)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("四川省", []),
        ("甘孜州", [(0, 3, "甘孜州", 2), (0, 2, "甘孜", 1)]),
        (
            "到甘孜藏族自治州泸定县",
            [
                (1, 8, "甘孜藏族自治州", 3),
                (1, 3, "甘孜", 1),
                (8, 11, "泸定县", 5),
                (8, 10, "泸定", 4),
            ],
        ),
        ("甘孜甘孜", [(0, 2, "甘孜", 1), (2, 4, "甘孜", 1)]),
        ("甘", []),  # a prefix at the end of the text
    ],
)
@pytest.mark.parametrize("once", [False, True], ids=["default", "once"])
def test_matcher_find_all_is_overlapping_and_longest_first(
    text: str, expected: list[HitRow], once: bool
) -> None:
    assert hits(Matcher(NAMES, once=once), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甘孜州", [(0, 3, "甘孜州", 2)]),
        ("到甘孜藏族自治州泸定县", [(1, 8, "甘孜藏族自治州", 3), (8, 11, "泸定县", 5)]),
        ("甘孜甘孜州", [(0, 2, "甘孜", 1), (2, 5, "甘孜州", 2)]),
    ],
)
@pytest.mark.parametrize(
    ("once", "longest"),
    [(False, False), (True, False), (False, True), (True, True)],
    ids=["default", "once", "longest-automaton", "once-longest-automaton"],
)
def test_matcher_find_longest_is_leftmost_longest_without_overlap(
    text: str, expected: list[HitRow], once: bool, longest: bool
) -> None:
    assert hits(Matcher(NAMES, once=once, longest=longest), text, longest=True) == expected


def test_a_matcher_made_for_find_longest_finds_nothing_overlapping() -> None:
    matcher = Matcher(NAMES, longest=True)
    with pytest.raises(ValueError, match="find_longest"):
        matcher.find_all("甘孜州")
    with pytest.raises(ValueError, match="find_longest"):
        matcher.find_unordered("甘孜州")


@pytest.mark.parametrize("text", ["", "四川省", "到甘孜藏族自治州泸定县", "甘孜甘孜州州"])
def test_matcher_find_unordered_finds_what_find_all_finds(text: str) -> None:
    matcher = Matcher(NAMES, min_length=1)
    expected = sorted((h.start, h.end, h.payload) for h in matcher.find_all(text))
    assert sorted(matcher.find_unordered(text)) == expected


def test_matcher_min_length_and_single_characters() -> None:
    default = Matcher(NAMES)
    assert "州" not in [h[2] for h in hits(default, "甘孜州")]
    singles = Matcher(NAMES, min_length=1)
    assert hits(singles, "甘孜州") == [(0, 3, "甘孜州", 2), (0, 2, "甘孜", 1), (2, 3, "州", 6)]
    longer = Matcher(NAMES, min_length=3)
    assert hits(longer, "甘孜州泸定") == [(0, 3, "甘孜州", 2)]


def test_matcher_lookup_and_first_payload_wins() -> None:
    matcher = Matcher([("方志馆", 1), ("方志馆", 2), ("方志", 3)])
    assert "方志馆" in matcher
    assert "方" not in matcher
    assert matcher.get("方志馆") == 1
    assert matcher.get("史志馆") is None
    assert hits(matcher, "方志馆") == [(0, 3, "方志馆", 1), (0, 2, "方志", 3)]


# (name, the document's context provinces): names whose regions exist in several
# provinces, asked with the provinces in either order and with unrelated ones.
REGIONS_IN_CONTEXTS = [
    ("朝阳区地方志办公室", ("110000", "220000")),
    ("朝阳区地方志办公室", ("220000", "110000")),
    ("朝阳区地方志办公室", ("510000", "220000", "330000", "110000")),
    ("朝阳区地方志办公室", ("510000",)),
    ("朝阳区地方志办公室", ()),
    ("城关区史志办公室", ("540000", "620000")),
    ("城关区史志办公室", ("620000", "330000", "540000")),
    ("四川长征干部学院甘孜泸定桥分院", ("510000",)),
    ("四川长征干部学院甘孜泸定桥分院", ("330000",)),
    ("成都市地方志办公室", ("330000", "510000")),
    ("方志出版社", ("510000",)),
]


@pytest.mark.parametrize(("name", "provinces"), REGIONS_IN_CONTEXTS)
def test_regions_in_answers_as_with_the_whole_context(
    resources: Resources, name: str, provinces: tuple[str, ...]
) -> None:
    """``regions_in`` keys its cache on the part of the context that concerns the
    name; the answer must be the one the whole context gives."""
    from zhi_graph.recognize.regions import _regions_in, regions_in

    whole = _regions_in.__wrapped__(name, resources, provinces, frozenset({"510104", "110105"}))
    assert regions_in(name, resources, provinces, frozenset({"510104", "110105"})) == whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "湖州市安吉县、德清县地方志办公室联合编纂《太湖志》。" + ZHEJIANG,
            {"安吉县地方志办公室": "安吉县、德清县地方志办公室", "德清县地方志办公室": None},
            id="two-counties",
        ),
        pytest.param(
            "绵阳市、德阳市、乐山市地方志办公室获评先进集体。",
            {
                "绵阳市地方志办公室": "绵阳市、德阳市、乐山市地方志办公室",
                "德阳市地方志办公室": "德阳市、乐山市地方志办公室",
                "乐山市地方志办公室": None,
            },
            id="three-cities",
        ),
        pytest.param(
            "四川省、成都市地方志办公室召开会议。",
            {"成都市地方志办公室": None},
            id="levels-differ",
        ),
        pytest.param(
            "绵阳市和德阳市地方志办公室召开会议。",
            {"德阳市地方志办公室": None},
            id="only-an-enumeration-comma",
        ),
        pytest.param(
            "绵阳市、德阳市人民政府签署协议。",
            {"绵阳市人民政府": "绵阳市、德阳市人民政府", "德阳市人民政府": None},
            id="governments",
        ),
        pytest.param(
            "绵阳市、德阳市档案馆联合举办展览。",
            {"绵阳市档案馆": "绵阳市、德阳市档案馆", "德阳市档案馆": None},
            id="archives",
        ),
    ],
)
def test_regions_listed_before_a_name_share_its_ending(
    recognize_text: Callable[[str], Recognized], text: str, expected: dict[str, str | None]
) -> None:
    """Each region listed with 、 before a name, of the name's region's level, names
    a body of its own; its mention spans from the region to the end of the name."""
    recognized = recognize_text(text)
    found = {
        m.label: m.surface if m.source == COORDINATED else None
        for m in recognized.mentions
        if m.type is T.INSTITUTION
    }
    assert found == expected


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("（广东省方志办年鉴工作处供稿）\n", "广东省方志办年鉴工作处"),
        ("（省方志办综合处）\n" + SICHUAN, "省方志办综合处"),
    ],
    ids=["with-its-region", "without-a-region"],
)
def test_a_department_goes_by_its_name_as_written(
    recognize_text: Callable[[str], Recognized], text: str, written: str
) -> None:
    departments = [m for m in recognize_text(text).mentions if m.label.endswith("处")]
    assert [m.surface for m in departments] == [written]
    assert written in departments[0].aliases


def test_a_column_of_people_names_them_whatever_their_form(
    recognize_text: Callable[[str], Recognized],
) -> None:
    # names no surname list holds (苏和巴特尔), under 作者 and 主编; a body's name is not one
    text = (
        "序号\t论文题目\t作者\t作者单位\n"
        "1\t民族地区综合年鉴特色化编纂路径探析\t萨仁高娃\t敖特根\t内蒙古大学\n\n"
        "序号\t成果名称\t编纂单位\t主编\n"
        "1\t《额济纳旗志（1991—2020）》\t额济纳旗地方志办公室\t方志出版社\t苏和巴特尔\n"
    )
    persons = {label for type_, label in labels(recognize_text(text)) if type_ is EntityType.PERSON}
    assert persons == {"萨仁高娃", "敖特根", "苏和巴特尔"}
