"""Generic lexicons and patterns of the genre (no functions, no text from any one file).

Shared by the parse stages: punctuation classes, credit and marker patterns,
title words, organization and place suffixes, common surnames.
"""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")

# Sentence-final punctuation: a line ending with one of these may end a paragraph.
TERMINAL = "。！？!?…”」』）)"
# Punctuation that never ends or fills a headline line.
BODY_PUNCT = "。，、；,;"
# Markers that open an item.
BRIEF_MARK = "●"
SIGN_MARK = "□"
ARROWS = "⬅➡←→"

WS_RE = re.compile(r"[\s\u3000\u00a0\ufeff]+")

DATELINE_RE = re.compile(r"^\s*本\s*报\s*讯")
XINHUA_RE = re.compile(r"^\s*(新华社(?:记者)?|新华社[\u4e00-\u9fff]{2,4}\d{1,2}月\d{1,2}日电)\s*$")

# A byline parenthesis right after the dateline.
BYLINE_RE = re.compile(r"[（(]([^（()）]{0,40})[）)]")

# Role keywords inside bylines and credits, longest first.
ROLE_WORDS = (
    ("新华社记者", "reporter"),
    ("本报见习记者", "trainee_reporter"),
    ("见习记者", "trainee_reporter"),
    ("本报记者", "reporter"),
    ("特约记者", "reporter"),
    ("记者", "reporter"),
    ("本报通讯员", "correspondent"),
    ("特约通讯员", "correspondent"),
    ("通讯员", "correspondent"),
)
ROLE_SPLIT_RE = re.compile("(" + "|".join(w for w, _ in ROLE_WORDS) + ")")
ROLE_OF = dict(ROLE_WORDS)

# A photo credit at the end of a caption: "本报记者 刘金元 摄", "徐宏星 摄", "朱 瑜 摄".
PHOTO_CREDIT_RE = re.compile(
    rf"((?:本报)?(?:见习)?(?:记者|通讯员)?[\s{CJK}、]{{0,40}}?)\s*摄\s*$")
PHOTO_CREDIT_LINE_RE = re.compile(
    rf"^\s*(?:(?:本报|新华社)?(?:见习)?(?:记者|通讯员)\s*)?[{CJK}](?:\s*[{CJK}]){{1,3}}"
    rf"(?:\s+(?:(?:本报)?(?:见习)?(?:记者|通讯员)\s*)?[{CJK}](?:\s*[{CJK}]){{1,3}})*\s*摄\s*$")
# A trailing credit parenthesis: "（白靖杰 黄福兴）", "（新华社记者丁小溪、范思翔）".
CREDIT_PAREN_RE = re.compile(
    rf"[（(]\s*((?:新华社记者|本报记者|记者|通讯员)?\s*[{CJK}]{{1,4}}(?:[\s、，,]+(?:记者|通讯员)?\s*[{CJK}]{{1,4}}){{0,8}})\s*[）)]\s*$")
XINHUA_DATELINE_PAREN_RE = re.compile(r"^[（(]新华社[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电[）)]$")

# Page header pieces.
MASTHEAD_RE = re.compile(r"^\s*[A-Z][A-Z .]{4,40}\s*$")
PAGE_LABEL_RE = re.compile(
    r"^\s*([A-Z]{1,2}\d{1,3})\s*[│|｜丨]\s*(.*?)\s*(?<!\d)(\d{4,})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(星期[一二三四五六日天])?\s*$")
STAFF_KEYS = {
    "新闻热线": "hotline",
    "热线": "hotline",
    "责任编辑": "editor",
    "编辑": "editor",
    "责编": "editor",
    "校对": "proofreader",
    "组版": "layout_editor",
    "美编": "layout_editor",
}
STAFF_LINE_RE = re.compile(r"(编辑|校对|组版|热线)\s*[：:]")

# A section banner printed alone: a place name + a section word.
BANNER_RE = re.compile(rf"^[{CJK}]{{1,5}}(?:区|县|市|州|镇)(?:动态|强音|视窗|之窗|新闻|之声|风采|观察|聚焦|快讯|速递)$")
# Column labels and decorative lines that belong to no article.
LABEL_WORDS = (
    "一周动态", "百字新闻", "政务简报", "图片新闻", "新闻速递", "简讯", "快讯", "一周要闻",
    "要闻速览", "微信公众号", "扫码关注", "新闻短波", "图说", "视觉", "速读",
)
LABEL_RE = re.compile(r"^(?:" + "|".join(LABEL_WORDS) + r"|[\u4e00-\u9fff]{1,4}头条)$")

# Words that end a person's title (the title chain printed before a name).
TITLE_WORDS = (
    "总书记", "副书记", "书记", "副主席", "主席", "副主任", "主任", "副市长", "市长", "副县长", "县长",
    "副区长", "区长", "副镇长", "镇长", "副乡长", "乡长", "副省长", "省长", "副局长", "局长", "副部长",
    "部长", "宣传部长", "组织部长", "统战部长", "副组长", "组长", "董事长", "副董事长", "总经理", "副总经理",
    "经理", "副行长", "行长", "会长", "副会长", "院长", "副院长", "校长", "副校长", "常委", "委员", "总会计师",
    "创始人", "调研员", "秘书长", "副秘书长", "司长", "副司长", "处长", "副处长", "科长", "所长", "站长",
    "队长", "主任委员", "检察长", "庭长", "政委", "社长", "总编辑", "总监", "总裁", "副总裁", "顾问",
    "专家", "教授", "研究员", "老师", "教师", "医生", "村民", "市民", "居民", "志愿者", "党员", "工人",
    "负责人", "代表", "户", "农民", "老人", "副总", "常务副总", "第一书记", "支部书记", "网格员", "同志",
    "先生", "女士", "选手", "冠军", "英雄", "模范", "劳模", "工匠", "职工", "村医", "民警",
    "干警", "法官", "检察官", "律师", "厂长", "主管", "馆长", "团长", "班长", "监测户", "五保户",
    "低保户", "脱贫户", "贫困户", "副主委", "主委", "首席", "巡视员", "督导员", "辅导员", "协理员",
    "副组长", "主持人", "作者", "诗人", "画家", "书法家", "作家",
)
# Phrases introducing a list of officials: "县领导卢继成、李怀琛……等出席".
LEADER_LIST_RE = re.compile(
    rf"(?:[{CJK}]{{0,6}}(?:县|市|区|州|镇|乡|省)领导|(?:县|市|区)委常委|市领导|区领导|县领导|中心组成员|班子成员)"
)

ORG_SUFFIXES = (
    "有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团", "大学", "学院", "中学", "小学",
    "幼儿园", "中心校", "学校", "医院", "卫生院", "研究院", "研究所", "设计院", "协会", "商会", "学会",
    "联合会", "分行", "支行", "银行", "信用社", "合作社", "联社", "常委会", "人大", "政协", "党工委", "工委",
    "管委会", "县委", "市委", "区委", "省委", "党委", "党组", "纪委", "监委", "政府", "人民政府", "委员会",
    "办公室", "厅", "局", "分局", "总局", "部", "署", "办", "所", "站", "队", "大队", "支队", "工会", "总工会",
    "妇联", "团委", "法院", "检察院", "中心", "孵化器", "博物馆", "展览馆", "图书馆", "文化馆", "剧场",
    "报社", "电视台", "基金", "俱乐部", "联盟", "组", "小组", "指挥部", "专班", "中央", "国务院", "代表团",
)
PLACE_SUFFIXES = (
    "省", "市", "县", "区", "镇", "乡", "村", "街道", "社区", "路", "街", "大道", "桥", "广场", "园区",
    "产业园", "家园", "小区", "景区", "湖", "河", "山", "岛", "新区", "开发区", "自贸区",
)
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "中原", "豫北",
)

# Common surnames (single and compound): a generic lexicon.
SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "司徒", "夏侯", "长孙", "宇文")
SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊"
    "葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉"
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班"
    "储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门"
    "云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宦敖琚璩买行"
    "但揭侍幸仉智酆暴习"
)
# Words that look like names to a tokenizer but are not persons.
NOT_PERSON = {
    "高新区", "示范区", "高新", "马克思", "马克思主义", "列宁", "毛泽东思想", "雷锋精神", "习近平新时代", "高质量",
    "常态化", "高标准", "高水平", "高品质", "新时代", "全过程", "方向", "江山", "万家", "万企", "金标准", "周期",
    "周边", "周密", "时代", "时间", "文明", "文化", "安全", "安排", "明确", "和谐", "和平", "向阳",
    "高度", "高效", "严格", "严肃", "严重", "任务", "任何", "于是", "关于", "关键", "于此", "宁夏", "高校",
    "程序", "张力", "钱财", "余额", "华夏", "齐心", "甘于", "应急", "单位", "景区", "党建", "国家",
    "包括", "全面", "全县", "全市", "全区", "全省", "全国", "黄河", "向前",
    "成效", "成果", "成为", "连日", "时时", "万人", "史上", "同时", "尚未", "常务", "龙头", "车间", "路线",
}
