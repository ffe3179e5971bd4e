"""Stage 7: items -> items with person, organization and place mentions.

Persons come from high-precision genre rules, then every later mention of a
name the rules found anywhere in the document is marked too:

* leader lists: "县领导卢继成、李怀琛……等出席会议";
* title chains: "市政协副主席、温县县委书记杨磊主持" (the title is kept on the mention);
* names in bylines and credits are found again when the body names them;
* well-known public figures from jieba's dictionary (tag "nrfg", e.g. 习近平).

Organizations and places come from jieba tokens (POS tags read from jieba's
dictionary, not from the slower posseg tagger) merged by generic suffix rules
(…局, …委, …公司, …大学 / …县, …镇, …村, …街道). jieba is loaded once,
lazily; it never downloads anything.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate

from etl import gazetteer
from etl.parse import lac
from etl.parse.titles import trim_title
from etl.parse._text import looks_like_name
from etl.parse.lexicon import (
    CJK, HONORIFICS, LEADER_LIST_RE, NATIONAL_MEDIA, NOT_HOUSEHOLD, NOT_PERSON, ORG_SUFFIXES, PLACE_SUFFIXES, PROVINCES, SURNAMES_1, SURNAMES_2,
    TITLE_WORDS, TITLES_AFTER_NAME, TRANSLITERATION,
)
from etl.parse.records import Item, Mention

# What may follow a person's name: punctuation or a verb/preposition opening the predicate.
_AFTER_NAME = re.compile(
    r"^(?:[，、。；：:,;！？）)（(”\s]|$|等|一行|主持|出席|参加|列席|参会|陪同|带领|带队|率|与|和|及|对|在|到|赴|为|向|"
    r"所作|所|表示|强调|指出|要求|介绍|说|讲|作|做|进行|会见|会谈|交流|宣布|代表|感谢|详细|暗访|调研|深入|实地|正|"
    r"先后|同志|的|家|一起|一同|等人|说道|认为|告诉|介绍|也|还|就|则|又|都|是|将|已|曾|被|把|从|于|通过|"
    r"逐一|一一|带头|随后|首先|最后|同|分别|亲自|现场|察看|查看|检查|看望|慰问|听取|考察|莅临|来到|走进|"
    r"参观|观看|主讲|授课|当选|获得|荣获|获|担任|任|兼|负责|牵头|再次|多次|专门|认真|共同|依次|立即|"
    r"见证|上台|登台|发现|专程|笑着|同时|启程|悄悄|带着|拿着|提出|提醒|希望|建议|透露|坦言|回忆|感慨|"
    r"一直|已经|刚刚|正在|随即|特意|早早|主动|积极|现年|今年|年仅|出生|毕业)"
)
# What a speaker's name is followed by at the start of a clause: "杨珍笑着对记者说".
_SPEAKS = re.compile(r"(?:说|表示|告诉|介绍|笑着|坦言|认为|指出|说道|回忆|感慨|补充|解释|强调)")
_TITLE_SET = frozenset(TITLE_WORDS)
# where a speaker's name may open a clause: two Chinese characters after a clause's start, a verb of
# saying right after them or one character later (each start is then read as _rule_names says)
_SPEAKER_AT = re.compile(f"(?:^|(?<=[，。；：！？“”\\s]))(?=[{CJK}]{{2}}[\\s\\S]?{_SPEAKS.pattern})")
_BEFORE_TITLE_TAGS = frozenset({None, "nr", "nrfg", "nz"})
_FUNCTION_TAIL = set("家等说和与在到对为将是的也还就则又都被把从于同所")
_TITLE_RE = re.compile("(?:" + "|".join(sorted(set(TITLE_WORDS), key=len, reverse=True)) + ")$")
_TITLES_ALT = "|".join(sorted(set(TITLE_WORDS), key=len, reverse=True))
# every title word ending where a name may start (overlapping: "副总编辑" ends "副总" and "总编辑")
# (the leading class of first characters lets the regex engine skip most positions at C speed)
_TITLE_FIRST = "".join(sorted({w[0] for w in TITLE_WORDS}))
_TITLE_THEN_NAME = re.compile(f"(?=[{_TITLE_FIRST}])(?=({_TITLES_ALT})\\s?[{CJK}]{{2,4}})")
_NAME_THEN_TITLE = frozenset(TITLES_AFTER_NAME)  # a whole word, looked up
_CHAIN_STOP = re.compile(r"[，。；：！？“”\s《》]|本报讯")
_LIST_END = re.compile(r"^(?:等|出席|参加|列席|参会|陪同|一同|作|在|到)")
# Clauses worth the neural recognizer's time on newspaper pages: an organization's or a
# place's head word, a province, or a word jieba's dictionary tags as a place or organization.
_CUE_WORDS = {w for w in ORG_SUFFIXES + PLACE_SUFFIXES if len(w) >= 2} | set(PROVINCES)
_CUE_ONE = "局厅委办院校司行社队站所部署馆台团省县镇乡村街路桥园湖河山岛"
_LAC_CUE = re.compile(
    "(?=[" + "".join(sorted({w[0] for w in _CUE_WORDS} | set(_CUE_ONE) | set("市区"))) + "])(?:"
    + "|".join(sorted(_CUE_WORDS, key=len, reverse=True))
    + rf"|[{_CUE_ONE}](?![长员主任])"
    + r"|(?<![城社地超])[市区](?![场民长级内外域别间]))"
)
_ORG_HEAD = re.compile("(?:" + "|".join(sorted(set(ORG_SUFFIXES), key=len, reverse=True)) + ")$")
_PLACE_HEAD = re.compile("(?:" + "|".join(sorted(set(PLACE_SUFFIXES), key=len, reverse=True)) + ")$")


def attach_entities(items: tuple[Item, ...], genre: str = "newspaper") -> tuple[Item, ...]:
    """Find persons, organizations and places in every content item.

    ``genre`` is "newspaper" for pages of the local press (genre rules first, the
    neural recognizer only for organizations and places) or "free" for any other
    text (``newsetl ner``: the neural recognizer's persons are taken too).
    """
    content = [it for it in items if it.kind != "other"]
    names: set[str] = set()
    keys = [(it.seq, field, text) for it in content
            for field, text in (("headline", it.headline or ""), ("body", it.body)) if text]
    jieba, _ = _jieba()
    tokens = [_base_cut(text) for _, _, text in keys]
    # a city or county this page names in full ("焦作市") is a cue where it is named short ("焦作")
    stems = {w[:-1] for ws in tokens for w in ws if w[-1] in "市县" and len(w) == 3 and w not in _GENERIC_PLACE}
    stems |= {w for ws in tokens for w, nxt in zip(ws, ws[1:])
              if (nxt[0] in "市县" and _ORG_HEAD.search(nxt) or nxt.endswith("高新区")) and len(w) == 2 and _CJK_WORD.match(w)}
    stems = {st for st in stems if st not in PROVINCES and st not in _GENERIC_PLACE and st not in ("中国", "全国")}
    stem_re = re.compile("|".join(sorted(stems, key=len, reverse=True))) if stems else None
    marks: list[list[int]] = []
    for (_, _, text), ws in zip(keys, tokens):
        found, cues = _rule_names(text, ws)
        if genre == "newspaper":  # free text (newsetl ner) takes the neural recognizer's persons instead
            found |= _cued_names(text)
        if stem_re:
            cues = sorted(cues + [m.start() for m in stem_re.finditer(text)])
        names |= found
        marks.append(cues)
    neural: dict[tuple[int, str], list] = {}
    # Pieces tagged for earlier documents are forgotten: the cache serves the repeats within
    # one page (headlines, titles), and a corpus that repeats whole pages must not look fast.
    lac.clear_cache()
    _KIND_MEMO.clear()
    if lac.available():
        tagged = lac.words_many([t for _, _, t in keys], marks if genre == "newspaper" else None)
        for (seq, field, text), ws in zip(keys, tagged):
            neural[(seq, field)] = _neural_spans(text, ws)
        for spans in neural.values():
            for kind, surface, _, _ in spans:
                if kind == "person" and len(surface) >= 2 and _neural_person_ok(surface, genre):
                    names.add(surface)  # marked wherever the document names it again
    names = {n for n in names if n not in NOT_PERSON}
    _RECUT.clear()
    with _user_words(names):
        first = {(seq, field): ws for (seq, field, _), ws in zip(keys, tokens)}
        return tuple(_one(it, names, neural, genre, frozenset(stems), first) if it.kind != "other" else it
                     for it in items)


@contextmanager
def _user_words(names: set[str], keep_total: bool = False):
    """Grow jieba's dictionary with names, and take them out again afterwards.

    ``keep_total``: leave the dictionary's total frequency as it was, so the cut of
    a text depends only on the names that occur in it (etl/parse/known_names.py).
    """
    jieba, _ = _jieba()
    dt = jieba.dt
    saved = {n: dt.FREQ.get(n) for n in names}
    total = dt.total
    for n in names:
        jieba.add_word(n, 2000)
    if keep_total:
        dt.total = total
    try:
        yield
    finally:
        for n, old in saved.items():
            if old is None:
                dt.FREQ.pop(n, None)
            else:
                dt.FREQ[n] = old
        dt.total = total


def _one(it: Item, names: set[str], neural: dict, genre: str, stems: frozenset[str] = frozenset(),
         first: dict | None = None) -> Item:
    first = first or {}
    mentions: list[Mention] = []
    credit_spans = [(c.start, c.end) for c in it.credits]
    byline_end = 0
    if it.byline:
        pos = it.body.find(it.byline)
        byline_end = pos + len(it.byline) if pos >= 0 else 0
    company_names: set[str] = set()  # firms named in full so far in this item (their short names follow)
    for field, text in (("body", it.body), ("headline", it.headline or "")):
        if not text:
            continue
        lo = byline_end if field == "body" else 0
        hi = len(text)
        if field == "body" and credit_spans:
            tail = [s for s, e in credit_spans if s >= len(text) * 0.5]
            if tail:
                hi = min(hi, min(tail))
                # the opening parenthesis or role words of a trailing credit
        persons = _persons(text, names, lo, hi)
        if genre == "free":  # a bare surname ("老王" -> 王) only where the recognizer saw it
            for k, sur, a, b in neural.get((it.seq, field), ()):
                if (k == "person" and len(sur) == 1 and lo <= a and b <= hi
                        and not any(a < pb and pa < b for _, pa, pb, _ in persons)):
                    persons.append((sur, a, b, None))
        mentions += [Mention("person", s, field, a, b, title=t) for s, a, b, t in persons]
        taken = [(a, b) for _, a, b, _ in persons]
        words = first.get((it.seq, field))  # jieba's words of the field, when the batch cut them
        rules = _orgs_places(text, lo, hi, taken, words)
        if genre == "free":
            rules = [r for r in rules if _free_rule_ok(r)]
        extra = [(k, s, a, b) for k, s, a, b in neural.get((it.seq, field), ())
                 if k != "person" and lo <= a and b <= hi]
        if genre == "newspaper" and words is not None:
            extra = _on_word_edges(extra, words)
        rules += _congresses(text, lo, hi) + _commissions(text, lo, hi) + _numbered_schools(text, lo, hi)
        if genre == "newspaper":
            rules += _highways(text, lo, hi) + _media(text, lo, hi) + _civic_centres(text, lo, hi)
            rules += _brand_firms(text, lo, hi, words) + _abbreviated_bureaus(text, lo, hi) + _scenic_areas(text, lo, hi, words)
        chosen = _choose(text, rules, extra, taken, genre)
        if genre == "free":
            chosen = _free_conventions(text, chosen, extra, taken, lo, hi, words)
        if genre == "newspaper":
            chosen = _firm_short_names(text, chosen, lo, hi, words, company_names)
            chosen = _sites_listed(text, chosen, lo, hi, words)
            company_names |= {c[1] for c in chosen if c[0] == "organization" and _FIRM_END.search(c[1])}
            chosen = _extend_orgs(text, chosen, hi)
            chosen = _extend_streets(text, chosen, hi)
            chosen = sorted(chosen + _places_in_orgs(text, chosen, stems), key=lambda x: (x[2], -x[3]))
            chosen = [c for c in chosen if c[0] != "place" or not _in_a_slogan(text, c[2], c[3])]
        for kind, s, a, b in chosen:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            s = _WS.sub("", text[a:b])  # "I B村": no mention opens or ends with a space
            if len(s) >= 2 or kind != "organization" and s:
                mentions.append(Mention(kind, s, field, a, b))
    mentions.sort(key=lambda m: (m.field != "headline", m.start))
    return replace(it, mentions=tuple(mentions))


_FIRM_END = re.compile("(?:公司|集团)$")
# (a column-wrapped page breaks a list's line anywhere: white space may stand around its 、 and before 等)
_FIRM_LIST = re.compile(
    f"((?:[{CJK}A-Za-z0-9]{{2,8}}\\s*、\\s*)*[{CJK}A-Za-z0-9]{{2,8}})\\s*等(?:[0-9一二三四五六七八九十几多]+[家个])?"
    "(?:[^，。；、]{0,4}?)(?:企业|公司|集团|厂家|厂商|品牌)")
_SITE_LIST = re.compile(
    f"((?:[{CJK}A-Za-z0-9]{{2,12}}\\s*、\\s*)*[{CJK}A-Za-z0-9]{{2,12}})\\s*等(?:[0-9一二三四五六七八九十几多]+[个处])?"
    "(?:人文|自然|红色|旅游|网红)*(?:景点|景区|旅游资源|名胜古迹|打卡地|打卡点)")
# Trade words a firm is called by after its brand when its full name is not printed (钰欣机械, 迈科冶金)
_BRAND_TRADES = frozenset({"科技", "机械", "药业", "冶金", "乳业", "实业", "制药", "电子", "化工", "股份", "控股", "置业",
                           "电器", "重工", "钢铁", "电气", "纺织", "服饰", "建工", "环保", "物流", "医药", "牧业", "传媒",
                           "热力", "索具", "新材", "生物", "集团"})
# ... and, inside a list that ends in 等企业 (already firms by the list), broader ones: 立白实业, 某某食品
_TRADE_WORDS = _BRAND_TRADES - {"冶金", "热力", "索具"} | {"材料", "能源", "食品", "地产", "汽车", "电力", "智能"}
_BRAND_BEFORE = frozenset({"v", "p", "vn", "d", "c"})


def _brand_and_trade(surface: str) -> bool:
    """"钰欣机械", "磐升科技": a brand jieba does not know (or knows as a name) and a trade word."""
    brand, trade = surface[:-2], surface[-2:]
    return (trade in _BRAND_TRADES and 2 <= len(brand) <= 3 and _CJK_WORD.match(brand) is not None
            and _jieba()[1].get(brand) in (None, "nr", "nrt", "nz") and brand not in NOT_PERSON)


_SIGHT_HEADS = frozenset({"景区", "风景区", "旅游区", "度假区"})
_SIGHT_TAIL = re.compile("(?:风景名胜区|风景区|景区|旅游区|度假区)")


def _scenic_areas(text: str, lo: int, hi: int, words: list[str] | None):
    """"西滑" + "封" + "景区": a scenic area's name jieba does not know, cut into pieces before its head.
    The name holds a word jieba does not know; a word it knows as common (旅游景区, 该景区) or a
    division before it (武陟县) is no part of it."""
    if not words:
        return []
    tags = _jieba()[1]
    out = []
    ends = list(accumulate(len(w) for w in words))
    for i, w in enumerate(words):
        if w not in _SIGHT_HEADS:
            continue
        k, unknown = i, False
        while k > 0 and i - k < 3:
            pw = words[k - 1]
            tag = tags.get(pw)
            if not _CJK_WORD.match(pw) or tag in ("ns", "v", "vn", "p", "r", "c", "u", "uj", "d", "a", "m", "n", "f"):
                break
            unknown = unknown or (tag is None and len(pw) >= 2)
            k -= 1
        a, b = ends[k] - len(words[k]), ends[i]
        if unknown and lo <= a and b <= hi and b - a - len(w) >= 2:
            out.append(("place", text[a:b], a, b))
    return out


def _brand_firms(text: str, lo: int, hi: int, words: list[str] | None):
    """A firm named by brand and trade alone, after a verb or in a list: "支持钰欣机械、河南理工大学申报",
    "依托磐升科技". A common word before the trade names none ("信息科技", "巨力索具科技产业园")."""
    if not words:
        return []
    tags = _jieba()[1]
    out = []
    ends = list(accumulate(len(w) for w in words))
    for i in range(1, len(words)):
        b = ends[i]
        a = b - len(words[i]) - len(words[i - 1])
        if words[i] not in _BRAND_TRADES or a < lo or b > hi or not _brand_and_trade(text[a:b]):
            continue
        before = words[i - 2] if i >= 2 else ""
        if before and _NAME_CHAR.match(before[-1]) and tags.get(before) not in _BRAND_BEFORE:
            continue  # the brand may be the end of a longer name: leave it to the name's own rules
        out.append(("organization", text[a:b], a, b))
    return out


_BRAND_TAGS = frozenset({None, "nr", "nrt", "nrfg", "nz", "ns", "j", "eng", "x"})
_LEAD_VERBISH = frozenset({"v", "vd", "vn", "p", "d", "c", "ad", "r", "u", "f", "m", "q", "t", "uj", "ul"})


def _listed_before(text: str, lo: int, hi: int, pattern: re.Pattern, edges: set[int]) -> list[tuple[int, int]]:
    """The names of a list that ends in what they are ("A、B等企业", "A、B等景点"): spans of the items
    that hold a word jieba does not know as a common one ("龙头、骨干等企业" names none)."""
    tags = _jieba()[1]
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text, lo, hi):
        start = m.start(1)
        for n_item, raw in enumerate(m.group(1).split("、")):
            item = raw.strip()
            a = start + len(raw) - len(raw.lstrip())
            b = a + len(item)
            start += len(raw) + 1
            toks = _base_cut(item)
            if n_item == 0:  # "引导" + "科瑞森": the verb before the list is not part of its first name
                opened = a == lo or not _NAME_CHAR.match(text[a - 1])
                verb = max((j for j, t in enumerate(toks[:-1]) if tags.get(t) in ("v", "p")), default=-1)
                if verb >= 0:  # "重点" + "支持" + "明仁药业"
                    a += sum(len(t) for t in toks[:verb + 1])
                    toks = toks[verb + 1:]
                    opened = True
                while len(toks) > 1 and (tags.get(toks[0]) in _LEAD_VERBISH or tags.get(toks[0]) == "nz"
                                         and tags.get(toks[1]) is None):
                    a += len(toks[0])
                    toks = toks[1:]
                    opened = True
                if not opened:
                    continue  # cut out of a longer phrase ("李万街道" + "大北张村征迁工地"): no name's start
            # (a brand jieba does not know at all comes out as single characters: "瀚" + "韬")
            proper = (any(tags.get(t) in _BRAND_TAGS and len(t) >= 2 for t in toks) or sum(len(t) == 1 for t in toks) >= 2
                      or pattern is _FIRM_LIST and len(toks) >= 2 and toks[-1] in _TRADE_WORDS
                      and not _common_word(toks[0]))  # "立白" + "实业"
            if b - a >= 2 and proper and a in edges:
                spans.append((a, b))
    return spans


def _sites_listed(text: str, chosen, lo: int, hi: int, words: list[str] | None):
    """Sights listed before 等景点 ("拥有西湖展览馆、某某体验馆、润丰园等景点"): places, whatever their
    heads say (展览馆 heads an organization elsewhere)."""
    if words is None or "等" not in text:
        return chosen
    edges, pos = {0}, 0
    for w in words:
        pos += len(w)
        edges.add(pos)
    spans = _listed_before(text, lo, hi, _SITE_LIST, edges)
    if not spans:
        return chosen
    out = list(chosen)
    for a, b in spans:
        if any(c[2] < b and a < c[3] and not (a <= c[2] and c[3] <= b) for c in out):
            continue  # a name the list item cuts into
        out = [c for c in out if not (a <= c[2] and c[3] <= b)]
        out.append(("place", text[a:b], a, b))
    return sorted(out, key=lambda x: x[2])


def _firm_short_names(text: str, chosen, lo: int, hi: int, words: list[str] | None, companies: set[str]):
    """Firms named by their brand alone: listed before 等企业 ("依托明仁、蒙牛等企业", "力争科瑞森、
    卓立膜材料等3家企业"), or by the opening of a full name printed in the same item ("河北瀚佰新能源科技
    有限公司" ... "期待北京蓝乔、河北瀚佰发挥优势"). A brand has a word jieba does not know as a common
    one ("龙头、骨干等企业" names none); it takes the place of the places read inside it."""
    if words is None:
        return chosen
    tags = _jieba()[1]
    edges, pos = {0}, 0
    for w in words:
        pos += len(w)
        edges.add(pos)
    spans = _listed_before(text, lo, hi, _FIRM_LIST, edges)
    for name in companies | {c[1] for c in chosen if c[0] == "organization" and _FIRM_END.search(c[1])}:
        for k in range(len(name) - 3, 3, -1):
            stem = name[:k]
            rest = _base_cut(stem)[1:]
            if not (any(tags.get(t) is None and len(t) >= 2 for t in rest) or sum(len(t) == 1 for t in rest) >= 2):
                continue
            found = [(lo + mm.start(), lo + mm.end()) for mm in re.finditer(re.escape(stem), text[lo:hi])]
            found = [(a, b) for a, b in found if a in edges and b in edges and text[b:b + 1] != name[k]]
            if found:
                spans += found
                break
    if not spans:
        return chosen
    busy = _Spans([(a, b) for kind, _, a, b in chosen if kind != "place"])
    out = list(chosen)
    for a, b in sorted(set(spans)):
        if busy.overlaps(a, b):
            continue
        busy.add(a, b)
        out = [c for c in out if not (c[0] == "place" and a <= c[2] and c[3] <= b)]
        out.append(("organization", text[a:b], a, b))
    return sorted(out, key=lambda x: x[2])


_QUOTED = re.compile("“([^“”\n]{2,15})”")


def _in_a_slogan(text: str, a: int, b: int) -> bool:
    """A place inside a short quoted phrase that is more than the place, read as part of a slogan,
    an honour or a campaign rather than a place of the story."""
    left = text.rfind("“", max(0, a - 15), a + 1)
    if left < 0:
        return False
    m = _QUOTED.match(text, left)
    if not (m and m.start(1) <= a and b <= m.end(1) and (b - a) < len(m.group(1))):
        return False
    surface = text[a:b]
    # the country in a slogan ("舞动中国", "中国曲艺之乡"); a place the slogan ends on ("技能河南");
    # a word only the recognizer reads as a place ("五美庭院", "五彩文昌"). A town the slogan is
    # about stays ("新乡师德先进群体", "烟头不落地亭城更美丽").
    if b == m.end(1) - 1 and len(m.group(1)) <= 6 and text[b] not in _PLACE_HEAD_CHARS and _NAME_CHAR.match(text[b]):
        return True  # "四季村晚", "XX村宴": the place's name and one more word name an event
    return (surface in ("中国", "中华") or b == m.end(1) and a - m.start(1) >= 2
            or len(surface) == 2 and _jieba()[1].get(surface) != "ns" and surface[-1] not in _PLACE_HEAD_CHARS | {"城"})


def _named_otherwise(text: str, surface: str, a: int) -> bool:
    """A recognizer's place that jieba's dictionary knows as a name of another kind (a person's, a
    brand's: 崇德, 新天地, 红桥) and that no division, place head or locative verb supports."""
    if _jieba()[1].get(surface) not in ("nr", "nrt", "nrfg", "nz"):
        return False
    if surface in _PROVINCE_SET or len(surface) >= 3 and _PLACE_HEAD.search(surface) or _short_division(surface, "市县旗州"):
        return False
    return not _GOES_TO.search(text, max(0, a - 3), a)


_GOES_TO = re.compile("(?:在|到|赴|至|从|自|往|于|去|出访|访问|前往|抵达|来到|途经|位于|来自|飞抵|走进|回到|离开)$")


def _on_word_edges(spans, words: list[str]):
    """The recognizer's places, less those that cut a word of jieba's dictionary in two ("在建" +
    "城改" -> 建城, "伊河" + "龙门" -> 伊河龙): a misreading. A cut is no sign where the word is
    jieba's own guess at unknown characters ("从丽景门"), where only a function word is cut off
    before a place with a head ("以" + "西苕溪"), or where the place's own head opens the word ("马庄" + "村农民")."""
    freq = _jieba()[0].dt.FREQ
    inside: dict[int, tuple[int, str]] = {}  # offset strictly inside a word -> (word start, word)
    pos = 0
    for w in words:
        if len(w) >= 2 and freq.get(w):
            for k in range(pos + 1, pos + len(w)):
                inside[k] = (pos, w)
        pos += len(w)
    tags = _jieba()[1]
    starts = {0}
    last_word: dict[int, str] = {}  # word end -> the word
    pos = 0
    for w in words:
        pos += len(w)
        starts.add(pos)
        last_word[pos] = w
    out = []
    for sp in spans:
        kind, surface, a, b = sp
        if kind == "place" and a in starts and b in starts and tags.get(surface) in _WORD_NOT_A_PLACE_TAGS:
            continue  # one word jieba knows as a verb, an idiom or a phrase: 振兴 (乡村振兴)
        if kind == "place" and b in starts and b - a > len(last_word.get(b, "")) \
                and tags.get(last_word.get(b)) in ("d", "ad", "v", "vd", "a") and not _short_division(last_word[b], "市县"):
            continue  # a name does not end in an adverb or a verb: "焦作" + "高新" (焦作高新政务服务); 登封 is 登封市
        if kind == "place":
            cut = inside.get(a)
            if cut and not (a - cut[0] == 1 and cut[1][0] in _FUNCTION_START | {"以"} and surface[-1] in _PLACE_HEAD_CHARS):
                continue
            cut = inside.get(b)
            if cut and (surface[-1] not in _PLACE_HEAD_CHARS or surface[-1] in "路街桥" and cut[0] == b - 1):
                continue  # ... and "孟州" + "路网": the street's head opens another word (路网, 路口, 桥面)
        out.append(sp)
    return out


_WORD_NOT_A_PLACE_TAGS = frozenset({"v", "vn", "vd", "a", "ad", "an", "d", "i", "l", "m"})
_PLACE_HEAD_CHARS = frozenset("省市县区镇乡村庄屯寨街路道巷桥岭山峰河江湖溪港湾岛门关")


def _persons(text: str, names: set[str], lo: int, hi: int):
    out = []
    if not names:
        return out
    pat = _name_pattern(frozenset(names))
    prev_end = 0
    for m in pat.finditer(text, lo, hi):
        name = m.group(0)
        out.append((name, m.start(), m.end(), _title_before(text, m.start(), prev_end)))
        prev_end = m.end()
    return out


@lru_cache(maxsize=64)
def _name_pattern(names: frozenset[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _title_before(text: str, start: int, floor: int = 0) -> str | None:
    """The title chain printed right before a name, never reaching back over an earlier name."""
    lo = start
    while lo > floor and not _CHAIN_STOP.match(text[lo - 1]) and not text.endswith("本报讯", 0, lo) and start - lo < 40:
        lo -= 1
    chain = text[lo:start].lstrip("、")
    # "高新区（示范区）党工委副书记": parentheses inside a chain are kept, an unbalanced one cuts it
    close = max(chain.rfind("）"), chain.rfind(")"))
    if close >= 0 and "（" not in chain[:close] and "(" not in chain[:close]:
        chain = chain[close + 1:].lstrip("、")
    return trim_title(chain) if chain and _TITLE_RE.search(chain) else None


def _rule_names(text: str, tokens: list[str] | None = None) -> tuple[set[str], list[int]]:
    """Names the genre rules find in text, and where text holds a cue of an organization or place.

    The cues (offsets, ascending) tell the neural recognizer which clauses to read:
    a word jieba's dictionary tags as a place or organization, an organization's or
    place's head word (…局, …委, …公司, …县, …街道), a province.
    """
    found: set[str] = set()
    # leader lists
    for m in LEADER_LIST_RE.finditer(text):
        found |= _name_list(text, m.end())
    # title chains ("副市长余成林见证签约", "管委会主任 张海虎")
    for m in _TITLE_THEN_NAME.finditer(text):
        at = m.start() + len(m.group(1))
        if m.group(1) == "户" and text[at - 2:at] in NOT_HOUSEHOLD:
            continue
        if text[at:at + 1].isspace():
            at += 1
        name = _name_at(text, at) or _foreign_name_at(text, at, m.group(1))
        if name:
            found.add(name)
            found |= _name_list(text, at + len(name) + 1, require_sep=True) if text[at + len(name):at + len(name) + 1] == "、" else set()
    # speakers opening a clause ("杨珍笑着对记者说")
    for m in _SPEAKER_AT.finditer(text):
        for n in (3, 2):
            cand = text[m.start():m.start() + n]
            if len(cand) == n and _SPEAKS.match(text, m.start() + n) and _person_ok(cand):
                found.add(cand)
                break
    # public figures from the dictionary
    jieba, tags = _jieba()
    cues = [m.start() for m in _LAC_CUE.finditer(text)]
    pos = 0
    words = tokens if tokens is not None else _base_cut(text)
    last = len(words) - 1
    tag_of = tags.get
    for k, w in enumerate(words):
        tag = tag_of(w)
        size = len(w)
        if tag is not None:
            if size >= 2 and tag in _CUE_TAGS:
                cues.append(pos)
            elif tag == "nrfg" and size == 3 and looks_like_name(w):
                found.add(w)
        # a name before its title: "温家宝总理", "王其梅司令员" (the title word is looked up first: it is rare)
        if 2 <= size <= 3 and k < last and tag in _BEFORE_TITLE_TAGS:
            nxt = words[k + 2] if words[k + 1] == "副" and k + 2 <= last else words[k + 1]
            if (nxt in _NAME_THEN_TITLE and looks_like_name(w) and not _ORG_HEAD.search(w)
                    and not _PLACE_HEAD.search(w) and w not in NOT_PERSON):
                found.add(w)
        pos += size
    found |= _listed_names(text)
    cues.sort()
    return found, cues


# ---- names introduced by what the press prints around them (issue 15) ----------------
# A word saying who someone is, printed right before the name: 村民赵成国, 大学生刘国民说,
# 市民:张九龄, 摄影爱好者陈嘉专程赶来. (The title words of the lexicon count too.)
_ROLE_NOUNS = ("群众", "大学生", "研究生", "学生", "小学生", "中学生", "爱好者", "游客", "家长", "干部", "村干部",
               "老党员", "退役军人", "理事长", "副理事长", "总编辑", "副总编辑", "获奖者", "创业者", "种植户",
               "养殖户", "店主", "车主", "司机", "员工", "技术员", "护士", "患者", "业主", "读者", "观众", "村支书",
               "好人", "楷模", "标兵", "能手", "成员", "演员", "歌唱家", "艺术家", "运动员", "教练", "总统", "首相",
               "大使", "司令员", "外长")
# (one-character title words such as 户 are read by the title rules, which know 落户明光 is no household)
_ROLE_BEFORE = re.compile("(?:" + "|".join(sorted({w for w in set(_ROLE_NOUNS) | set(TITLE_WORDS) if len(w) >= 2},
                                                  key=len, reverse=True))
                          + ")[:：]?(?=[" + CJK + "]{2,4})")
# A title printed after the name: 温家宝总理, 王其梅司令员.
_TITLE_AFTER = re.compile("(?:副总理|总理|国家主席|副主席|主席|司令员|总统|副总统|首相|同志|政委)(?=[和与及、，。,；等的在到向说]|$)")
_LEFT_EDGE = set("的了和与及、，。；：:“”,;（(向对给被由是在让将把跟同为")
# 赵俊道、郭玉群等17名群众; 吴金保等3名群众: a list of names closed by how many people it stands for
_COUNTED_LIST = re.compile(r"等(?:[0-9０-９]+|[一二三四五六七八九十百两几]+)(?:名|位|人)")
# 学雷锋, 雷锋精神: a person jieba's dictionary knows, as the press invokes a role model
_ROLE_MODEL = re.compile(rf"(?:学习?|争做|学做一回|做一回)(?=[{CJK}]{{2,3}})|(?<=[{CJK}])(?:精神|同志|故事|日记|事迹)")
# a two-character name after a role word only where it speaks or the clause ends (群众崇德向善 is no name)
_CLAUSE_OR_SPEECH = re.compile(r"[说讲，,。、：:；;！？”]|表示|告诉|介绍|认为|笑着|高兴|激动|感慨")
_LOOSE_AFTER_TAGS = {"v", "p", "d", "c", "ad", "vd", "u", "r", "m", "t", "f"}
_NOT_ROLE_MODEL = {"红旗渠", "愚公"}  # places and fables the dictionary tags as names


def _after_ok(text: str, end: int) -> bool:
    """What follows a name opens the predicate: _AFTER_NAME, or a verb or adverb jieba knows."""
    rest = text[end:end + 4]
    if _AFTER_NAME.match(rest):
        return True
    _, tags = _jieba()
    return any(tags.get(rest[:n]) in _LOOSE_AFTER_TAGS for n in (2, 1) if len(rest) >= n)


def _cued_ok(cand: str, after: str = "") -> bool:
    """A name read after a cue: a plausible name (or one jieba's dictionary knows as a name) that
    does not end inside a word (敬献哈 of 敬献哈达) or end in a common word (和村民)."""
    _, tags = _jieba()
    freq = _jieba()[0].dt.FREQ
    if cand in NOT_PERSON or cand[1:] in HONORIFICS or cand[2:] in HONORIFICS:
        return False  # 霍先生, 刘师傅: a form of address, even where jieba's dictionary calls it a name
    if not (_person_ok(cand) or (tags.get(cand) or "").startswith("nr") and 2 <= len(cand) <= 3):
        return False
    if after and freq.get(cand[-1] + after[0]) and not (tags.get(cand) or "").startswith("nr"):
        return False
    if len(cand) == 3 and cand[-1] in _FUNCTION_TAIL and not (tags.get(cand) or "").startswith("nr"):
        return False  # 吕沛与, 侯牛家: the name ends before the function word
    return cand[0] not in _FUNCTION_START and cand[0] not in "都也还就又才均"  # 和村民, 都不敢


def _name_from(text: str, pos: int) -> str | None:
    """The name that starts at pos after a role word (3 characters before 2, unless the third is a
    function word: 村民王强说 is 王强)."""
    options = [text[pos:pos + n] for n in (3, 2) if len(text[pos:pos + n]) == n
               and _cued_ok(text[pos:pos + n], text[pos + n:pos + n + 1]) and _after_ok(text, pos + n)
               and (n == 3 or _CLAUSE_OR_SPEECH.match(text, pos + n))]
    if not options:
        return None
    if len(options) > 1 and (options[0][-1] in _FUNCTION_TAIL or _SPEAKS.match(options[0][-1])):
        return options[1]  # 吕沛与, 杨珍说: the name ends before the function word or the verb of saying
    return options[0]


def _name_before(text: str, end: int) -> str | None:
    """The name that ends at end (a title printed after it), with a word edge before it."""
    _, tags = _jieba()
    for n in (3, 2):
        start = end - n
        cand = text[start:end]
        if start < 0 or not _cued_ok(cand):
            continue
        if start == 0 or text[start - 1] in _LEFT_EDGE or not _CJK_WORD.match(text[start - 1]) \
                or (tags.get(cand) or "").startswith("nr") or _ORG_HEAD.search(text[max(0, start - 3):start]):
            return cand
    return None


def _cued_names(text: str) -> set[str]:
    """Names the press introduces by a role word, a title after them, a counted list or as a role model."""
    found: set[str] = set()
    for m in _ROLE_BEFORE.finditer(text):
        name = _name_from(text, m.end())
        if name:
            found.add(name)
    for m in _TITLE_AFTER.finditer(text):
        name = _name_before(text, m.start())
        if name:
            found.add(name)
    for m in _COUNTED_LIST.finditer(text):
        found |= _names_back(text, m.start())
    _, tags = _jieba()
    for m in _ROLE_MODEL.finditer(text):
        if m.group(0)[0] in "学争做":
            cands = [text[m.end():m.end() + n] for n in (3, 2)]
        else:
            cands = [text[m.start() - n:m.start()] for n in (3, 2) if m.start() >= n]
        for cand in cands:
            if (tags.get(cand) or "").startswith("nr") and cand not in _NOT_ROLE_MODEL and _person_ok(cand):
                found.add(cand)
                break
    return found


def _names_back(text: str, end: int) -> set[str]:
    """The names of a 、-separated list ending at end: 该街道的赵俊道、郭玉群 -> 赵俊道, 郭玉群."""
    start = end
    while start > 0 and text[start - 1] not in "，。；：！？“”,;:!?\n（()）" and end - start < 40:
        start -= 1
    parts = text[start:end].split("、")
    out: set[str] = set()
    for i, part in enumerate(reversed(parts)):
        first = i == len(parts) - 1
        if 2 <= len(part) <= 4 and _person_ok(part):
            out.add(part)
            continue
        if first:  # the list's first name may follow what introduces it: 该街道的赵俊道
            name = next((part[-n:] for n in (3, 2) if len(part) > n and _person_ok(part[-n:])
                         and part[-n - 1] in _LEFT_EDGE), None)
            if name:
                out.add(name)
                continue
        return set()  # an element that is no name: not a list of people
    return out


_LIST_ITEM = f"[{CJK}]{{2,3}}"
_LIST = re.compile(f"(?:^|(?<=[，。；：！？“”（(\\s]))({_LIST_ITEM}(?:、{_LIST_ITEM}){{2,}})(?=[，。；：！？]|等|同时|出席|参加|一起|一同|分别|先后|共同|也|都|和)")


_NOT_IN_A_LISTED_NAME = set("省市县区镇乡村等和与及的了")


def _listed_names(text: str) -> set[str]:
    """A list of three or more names ("关牧村、杭天琪、幺红、刘维维同时登台"): all but one must look like names."""
    out: set[str] = set()
    for m in _LIST.finditer(text):
        items = m.group(1).split("、")
        ok = [i for i in items if _person_ok(i)]
        if len(ok) >= 3 and len(ok) >= len(items) - 1:
            out.update(ok)
            tags = _jieba()[1]
            # the odd one out, among names, is a name with a rare surname (幺红) unless jieba knows it as a word
            out.update(i for i in items if i not in ok and _odd_name_ok(i))
    return out


def _odd_name_ok(cand: str) -> bool:
    """A word that may be a name with a rare surname, standing among names: no word jieba knows."""
    tags = _jieba()[1]
    return (_CJK_WORD.match(cand) is not None and tags.get(cand) is None and cand[0] not in _FUNCTION_START
            and cand not in NOT_PERSON and not _NOT_IN_A_LISTED_NAME.intersection(cand) and tags.get(cand[:2]) != "ns")


_TITLES_BEFORE_FOREIGN = ("总统", "副总统", "总理", "首相", "外长", "国王", "大使", "主席", "秘书长", "部长")


def _foreign_name_at(text: str, pos: int, title: str) -> str | None:
    """A transliterated name after a head of state's title: "总统伊利埃斯库"."""
    if title not in _TITLES_BEFORE_FOREIGN:
        return None
    end = pos
    while end < len(text) and text[end] in TRANSLITERATION and end - pos < 8:
        end += 1
    if end - pos >= 3 and _AFTER_NAME.match(text[end:end + 4]):
        return text[pos:end]
    return None


_CUE_TAGS = {"ns", "nt", "nz", "j"}


_NOT_NAME_TAGS = {"n", "p", "c", "d", "a", "ad", "an", "v", "vn", "vd", "u", "r", "f", "m", "q", "t", "ns", "nt", "l", "i", "j", "s", "z"}


def _person_ok(cand: str) -> bool:
    if not looks_like_name(cand) or cand in NOT_PERSON:
        return False
    if cand[1:] in HONORIFICS or cand[2:] in HONORIFICS and cand[:2] in SURNAMES_2:
        return False  # "王女士", "刘师傅": a surname and a form of address
    if cand[1:] in _TITLE_SET or cand[2:] in _TITLE_SET and cand[:2] in SURNAMES_2:
        return False  # "罗总统", "王书记": a surname and a title
    if len(cand) == 2 and cand[1] in "委局厅处办署":
        return False  # "民宗委", "李局": the end of an office's name, or a surname and an office
    if any(c in cand for c in "我你他她它们咱"):
        return False  # "和我们": a pronoun
    _, tags = _jieba()
    tag = tags.get(cand)
    if tag is not None and not tag.startswith("nr"):
        return False
    if len(cand) >= 3 and tags.get(cand[:2]) in _NOT_NAME_TAGS:
        return False
    return True


def _name_at(text: str, pos: int) -> str | None:
    """The name starting at pos, when what follows it opens the predicate."""
    options = []
    for n in (3, 2, 4):
        cand = text[pos:pos + n]
        if len(cand) == n and _person_ok(cand) and _AFTER_NAME.match(text[pos + n:pos + n + 4]):
            options.append(cand)
    if not options:
        return None
    if len(options) > 1 and options[0][-1] in _FUNCTION_TAIL and len(options[0]) == 3:
        return options[1]
    return options[0]


def _name_list(text: str, pos: int, require_sep: bool = False) -> set[str]:
    """Names separated by "、" from pos, as in "卢继成、李怀琛、孙启卫等出席"."""
    out: set[str] = set()
    odd_taken = False
    while pos < len(text):
        seg_end = pos
        while seg_end < len(text) and text[seg_end] not in "、，。；：,;（(\n" and seg_end - pos < 12:
            seg_end += 1
        seg = text[pos:seg_end]
        name = None
        if seg_end < len(text) and text[seg_end] == "、" and 2 <= len(seg) <= 4 and _person_ok(seg):
            name = seg
        elif (not odd_taken and len(out) >= 2 and seg_end < len(text) and text[seg_end] == "、" and 2 <= len(seg) <= 3
              and _odd_name_ok(seg) and _name_list(text, seg_end + 1, require_sep)):
            name = seg  # "赵俊生、富宽、闫占明": the odd one out among names has a rare surname
            odd_taken = True
        else:
            for n in (3, 2, 4):
                cand = seg[:n]
                if len(cand) == n and _person_ok(cand) and (len(seg) == n or _LIST_END.match(seg[n:])):
                    name = cand
                    break
        if not name:
            break
        out.add(name)
        if seg_end < len(text) and text[seg_end] == "、" and len(seg) == len(name):
            pos = seg_end + 1
            continue
        break
    return out


# ---- organizations and places ------------------------------------------

_ORG_MODIFIER_TAGS = {"ns", "nt", "nz", "j", "n", "b", "vn", "nr", "x", "eng", "m"}
_ORG_PREFIXES = {"中共", "中国", "国家", "全国", "省", "市", "县", "区", "乡", "镇", "村"}
_ADMIN = re.compile(r"(街道|社区|镇|乡|村)")
_ADMIN_BEFORE = re.compile(rf"(?:[^{CJK}]|街道|[县市区镇乡村省在到赴于的了和与及对向从])$")
_DETERMINERS = set("各该全本每等一两几多村此其余要了")  # (要: "要抓强社区" is an order, no village)
_FUNCTION_START = set("在到赴于的和与及对向从由以实加强分将为是把被暨")
_FUNCTION_END = set("在到赴于的和与及对向从由以为是把被暨同上了着")
# function characters no town or village name holds past its first character (和, 平, 向 … do: 太和镇)
_NEVER_INSIDE_A_NAME = set("把被的了着也并或已将是在从对等有到")


# verbs, adverbs, time words, conjunctions: a word of the clause, not of a name, before 社区 / 村
_CLAUSE_WORD_TAGS = frozenset({"v", "vn", "vd", "t", "d", "ad", "p", "c", "r"})


def _admin_places(text: str, lo: int, hi: int):
    """Towns, villages and sub-districts: "温县张羌街道马庄村" -> 张羌街道, 马庄村."""
    _, tags = _jieba()
    out = []
    for m in _ADMIN.finditer(text, lo, hi):
        end = m.end()
        best = None
        for size in range(2, 5):
            st = m.start() - size
            if st < lo:
                break
            cand = text[st:end]
            if not re.match(f"^[{CJK}]+$", cand) or cand[0] in _DETERMINERS or cand[0] in _FUNCTION_START:
                continue
            if any(ch in _NEVER_INSIDE_A_NAME for ch in cand[1:-1]):
                continue  # "要把城镇": a clause, not a name
            if any(w in cand for w in ("乡村", "城乡", "农村", "返乡", "乡镇", "村村", "城中村")):
                continue
            tag = tags.get(cand)
            if tag is not None and tag != "ns":
                continue
            name = cand[:-len(m.group(1))]
            if m.group(1) == "社区" and tags.get(name) in _CLAUSE_WORD_TAGS and tags.get(name) != "t":
                continue  # "引导社区", "来自社区": a verb and its object, no community's name
            if tags.get(name[:2]) in _CLAUSE_WORD_TAGS and len(name) >= 3:
                continue  # "启动富康社区", "今年吕山乡": the name starts after the verb (see below)
            before = text[max(0, st - 2):st]
            if _ADMIN_BEFORE.search(before) or st == lo or st - 2 >= lo and tags.get(before) in _CLAUSE_WORD_TAGS:
                strong = bool(re.search("(街道|[县市区镇乡村省])$", before))
                if best is None or strong or not best[3]:
                    best = (st, end, cand, strong)
        if best:
            out.append(("place", best[2], best[0], best[1]))
    for m in _HAMLET.finditer(text, lo, hi):
        name = m.group(1)
        if tags.get(name) in (None, "ns") and not any(m.start(1) < b and a < m.end(1) for _, _, a, b in out):
            out.append(("place", name, m.start(1), m.end(1)))  # "定和街道" + "小庄": a hamlet in the town
    return out


# a hamlet named without 村 right after its town or street office, as northern villages are (小庄, 滩陆庄)
_HAMLET = re.compile(f"(?:街道|[镇乡])([{CJK}]{{1,2}}(?:庄|营|寨|屯|堡))(?![稼园严重子上里])")


def _hamlet_at(text: str, a: int, b: int) -> bool:
    """A hamlet the rules read after its town (no support from the recognizer needed)."""
    for n in (2, 1):
        m = _HAMLET.match(text, a - n) if a - n >= 0 else None
        if m and m.start(1) == a and m.end(1) == b:
            return True
    return False


_STOP_TOKENS = set("在和与及对向为由把被从于是的了着等将已也并或、，。；：“”《》！？")
_PARENS = re.compile(r"^[（(][^（）()]{1,8}[）)]$")


class _Spans:
    """Half-open character spans, asked "does [a, b) overlap any of them?" in O(log n).

    The spans given at the start may overlap each other (a prefix maximum of their
    ends answers for them); spans added later must not overlap any span present
    (chosen entities never do), so sorted starts and ends answer for those. Pairwise
    checks made one long line of text cost quadratic time.
    """

    def __init__(self, spans=()) -> None:
        fixed = sorted(spans)
        self._starts = [a for a, _ in fixed]
        self._reach: list[int] = []
        for _, b in fixed:
            self._reach.append(max(b, self._reach[-1]) if self._reach else b)
        self._added_starts: list[int] = []
        self._added_ends: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_left(self._starts, b)
        if i and self._reach[i - 1] > a:
            return True
        j = bisect_left(self._added_starts, b)
        return bool(j) and self._added_ends[j - 1] > a

    def add(self, a: int, b: int) -> None:
        """Add a span that overlaps none present."""
        i = bisect_left(self._added_starts, a)
        self._added_starts.insert(i, a)
        self._added_ends.insert(i, b)


def _orgs_places(text: str, lo: int, hi: int, taken: list[tuple[int, int]], first: list[str] | None = None):
    jieba, tags = _jieba()
    toks = _retokenize(text, lo, hi, taken, first)
    out = _admin_places(text, lo, hi)
    taken_spans = _Spans([*taken, *((a, b) for _, _, a, b in out)])
    person_spans = _Spans(taken)
    i = 0
    n = len(toks)
    memo = _KIND_MEMO
    while i < n:
        w, a, b = toks[i]
        kind = memo.get(w, _UNKNOWN)
        if kind is _UNKNOWN:
            kind = memo[w] = _word_kind(w, tags)
        if not kind and i + 1 < n and 2 <= len(w) <= 3 and toks[i + 1][0][-1:] in "区县镇" and _short_division(w) \
                and _word_kind(toks[i + 1][0], tags) == "place" and not taken_spans.overlaps(a, toks[i + 1][2]):
            # "宁夏" + "银川" + "兴庆区": a city named short before a district of it, one chain
            out.append(("place", text[a:toks[i + 1][2]], a, toks[i + 1][2]))
            i += 2
            continue
        if not kind:
            t = _ORG_TITLE_TOKEN.match(w) if w[1:2] == "委" else None
            if t:
                s0 = a
                if i > 0 and toks[i - 1][2] == a and not taken_spans.overlaps(toks[i - 1][1], a) and (
                        _word_kind(toks[i - 1][0], tags) == "place" or _short_division(toks[i - 1][0], w[0])):
                    s0 = toks[i - 1][1]  # "山阳" + "区委书记": the committee of the place before it
                out.append(("organization", text[s0:a + len(t.group(1))], s0, a + len(t.group(1))))
                i += 1
                continue
            # (only a head token can end an organization here: the test is inlined, most words are none)
            if w in _HEAD_TOKENS or w[-1:] == "局":
                k = _headed_org(toks, i, tags)
            elif w in _COMPANY_HEADS:
                k = _company_start(toks, i, tags, taken_spans)
            elif w in _LANDMARK_WORDS:
                k = _landmark_start(toks, i, tags, taken_spans)
                if k is not None and not taken_spans.overlaps(toks[k][1], b):
                    out.append(("place", text[toks[k][1]:b], toks[k][1], b))
                k = None
            else:
                k = None
            if k is not None:
                s, e = toks[k][1], b
                if not taken_spans.overlaps(s, e):
                    out.append(("organization", text[s:e], s, e))
            i += 1
            continue
        # extend to the right over organization heads: "温县" + "县委" + "组织部"
        j = i
        while j + 1 < n:
            nw = toks[j + 1][0]
            if (_ORG_HEAD.search(nw) and nw not in _STOP_TOKENS and (len(nw) >= 2 or nw in "局部厅委办")
                    and tags.get(nw) not in ("v", "vn", "vd", "d", "a", "ad", "b")):
                j += 1
                kind = "organization"
            elif _PARENS.match(nw) and j + 2 < n and _ORG_HEAD.search(toks[j + 2][0]):
                j += 2
                kind = "organization"
            else:
                break
        # extend to the left over modifiers: places and organizations printed before the head
        k = i
        if kind == "organization" or len(w) == 1:
            while k - 1 >= 0:
                pw = toks[k - 1][0]
                if pw in _OPENING and k - 3 >= 0 and toks[k - 3][0] == _OPENING[pw] and _entity_kind(toks[k - 2][0], tags):
                    k -= 3
                    continue
                if _HALL_INSIDE.search(pw):
                    break  # "北京人民大会堂" + "国务院": where it met, not part of its name
                unknown = (tags.get(pw) is None and len(pw) >= 2 and re.match(f"^[{CJK}]+$", pw)
                           and pw[0] not in _FUNCTION_START and pw[-1] not in _FUNCTION_END)
                head = _ORG_HEAD.search(pw) and tags.get(pw) in ("n", "nt", "nz") and len(pw) >= 2
                if (_entity_kind(pw, tags) or tags.get(pw) in ("ns", "nt", "j", "nz") or pw in _ORG_PREFIXES
                        or unknown or head):
                    if b - toks[k - 1][1] > 20:
                        break
                    k -= 1
                    continue
                # "老城区" + "历史" + "文化" + "街区" + "管委会": common nouns between a place and the head
                q = k - 1
                while q >= 0 and k - q <= 3 and tags.get(toks[q][0]) in ("n", "vn", "s") and len(toks[q][0]) >= 2 \
                        and not _org_head(toks[q][0]):
                    q -= 1
                if (q >= 0 and q < k - 1 and kind == "organization" and b - toks[q][1] <= 20
                        and _entity_kind(toks[q][0], tags) == "place" and toks[q][0].rstrip("省") not in _PROVINCE_SET):
                    k = q
                    continue
                break
        s, e = toks[k][1], toks[j][2]
        while s < e and text[s] in "暨和与及、（）":
            s += 1
        surface = text[s:e]
        if len(surface) >= 2 and not (person_spans if kind == "organization" else taken_spans).overlaps(s, e):
            # (an organization may hold the village or town the rules read before: "麻屯村" + "卫生所")
            if kind == "place" and _ORG_HEAD.search(surface) and not _PLACE_HEAD.search(surface):
                kind = "organization"
            out.append((kind, surface, s, e))
        i = j + 1
    return out


_OPENING = {"）": "（", ")": "("}  # a bracket's own opening one: the widths are not mixed
_HEAD_TOKENS = {"局", "分局", "工委", "党委", "党组"}
_NOT_BUREAU = {"布局", "格局", "大局", "全局", "结局", "开局", "当局", "骗局", "赌局", "僵局", "时局", "政局", "好局", "新局", "变局"}
# of those, the ones no organization's name ends with (安全局, 民政局 and 货币当局 do end so)
_NOT_A_BUREAU_END = frozenset(_NOT_BUREAU - {"当局", "政局", "全局"})
_NOT_MODIFIER = {"工作", "各级", "有关", "相关", "全体", "各个", "年度", "今年", "去年", "全年"}
_MODIFIER_TAGS = {"n", "vn", "nz", "l", "j", "ns", "nt"}


# Heads of a company's or a cooperative's name: what stands before them is the firm's own name,
# verbs included (机械制造有限公司, 种植专业合作社), so it is bounded by the clause, not by word classes.
_COMPANY_HEADS = {"有限公司", "有限责任公司", "股份有限公司", "分公司", "公司", "集团", "合作社", "专业合作社"}
# Word classes no firm's name holds: adverbs, pronouns (该公司), prepositions, numerals, measure words.
_NOT_A_FIRM_START = set("两一二三四五六七八九十几多每各某如这那该此本其家个")  # 两大集团, 某公司, 三家大公司
_NOT_IN_FIRM = {"d", "ad", "r", "p", "c", "u", "m", "q", "mq", "f", "t", "uj", "ul", "y"}


def _company_start(toks, i: int, tags: dict, persons: "_Spans") -> int | None:
    """Where a firm's name ending in the head toks[i] starts: "蒙牛" + "乳业" + "(焦作)" + "有限公司",
    "高新区" + "老" + "农民" + "种植" + "专业" + "合作社". The name opens with its first proper word
    (a place, a brand jieba tags nz, or a word jieba does not know) after the clause's start; a firm
    with no such word ("该公司", "农民专业合作社") is not named here."""
    k, start = i, None
    while k - 1 >= 0 and i - k < 12:
        pw, pa, pb = toks[k - 1]
        if pw in _OPENING and k - 3 >= 0 and toks[k - 3][0] == _OPENING[pw] and _CJK_WORD.match(toks[k - 2][0]):
            k -= 3  # "(焦作)": the seat printed inside the name
            continue
        if pw.isspace():
            k -= 1
            continue
        tag = tags.get(pw)
        if (not _CJK_WORD.match(pw) or pw in _STOP_TOKENS or tag in _NOT_IN_FIRM or len(pw) >= 3 and _org_head(pw)
                or persons.overlaps(pa, pb)):
            break  # (another firm's head: "宝马汽车公司收购劳斯莱斯汽车公司" names two)
        proper = len(pw) >= 2 and (tag in ("ns", "nz", "nt", "j", "nr", "nrt", "nrfg")
                                   or tag is None and pw[0] not in _NOT_A_FIRM_START and not _STOP_TOKENS.intersection(pw)
                                   or _entity_kind(pw, tags) == "place")
        if start is not None and not proper and tag not in ("n", "vn"):
            break  # "收购" + "劳斯莱斯汽车公司": left of the name's first proper word, only nouns go on
        k -= 1
        if proper:
            start = k
    if start is None or toks[start][0] in _NOT_HEAD_WORDS:
        return None
    if start > k and len(toks[start - 1][0]) == 1 and tags.get(toks[start - 1][0]) == "n" and tags.get(toks[start][0]) is None:
        start -= 1  # "虎" + "石新": a character jieba split off a name it does not know
    return start


def _landmark_start(toks, i: int, tags: dict, persons: "_Spans") -> int | None:
    """Where a park's, an estate's or a square's name ending in toks[i] starts: "怀川" + "高科" + "产业园",
    "孟州市" + "文化" + "广场", "古杨" + "家园". Only names: at least one word jieba does not know or
    knows as a place ("城市公园", "该产业园" name none)."""
    k, proper = i, False
    while k - 1 >= 0 and i - k < 5:
        pw, pa, pb = toks[k - 1]
        tag = tags.get(pw)
        if not _CJK_WORD.match(pw) or len(pw) < 2 or pw in _STOP_TOKENS or persons.overlaps(pa, pb):
            break
        if (tag is None and not _STOP_TOKENS.intersection(pw) or tag == "ns" or _entity_kind(pw, tags) == "place"
                or proper is False and k < i and _short_division(pw, "市县")):
            proper = True
        elif tag != "n" and (proper or tag not in ("v", "vn")):
            break  # "怀川高科" + "绿色" + "制造" + "产业园": what the park makes, printed after its name

        k -= 1
    while k < i and tags.get(toks[k][0]) in ("v", "vn"):
        k += 1  # "推进" + "怀川" + "产业园": the verb before the name is no part of it
    proper = proper and any(tags.get(w) not in ("n", "v", "vn") or _short_division(w, "市县") for w, _, _ in toks[k:i])
    return k if proper and k < i else None


def _headed_org(toks, i: int, tags: dict) -> int | None:
    """Where an organization ending in the head token toks[i] starts: "区" + "生态" + "环境局",
    "公安" + "分局", "卫健" + "工委"; None when no modifier stands before the head."""
    w = toks[i][0]
    if not (w in _HEAD_TOKENS or len(w) >= 3 and w.endswith("局") and tags.get(w) in (None, "n") and w not in ORG_SUFFIXES
            and w[-2:] not in _NOT_BUREAU):
        return None
    k = i
    while k - 1 >= 0 and i - k < 3:
        pw = toks[k - 1][0]
        tag = tags.get(pw)
        if not _CJK_WORD.match(pw) or pw in _STOP_TOKENS or len(pw) < 2:
            break
        if tag in _MODIFIER_TAGS and pw not in _NOT_MODIFIER or (
                tag is None and len(w) >= 2 and pw[0] not in _FUNCTION_START and pw[-1] not in _FUNCTION_END):
            k -= 1
            continue
        break
    if k < i and k - 2 >= 0 and toks[k - 1][0] == "大" and toks[k - 2][0] in ("和", "与"):
        k -= 1  # "行政审批" + "与" + "大" + "数据" + "管理局"
    joined = k - 2 >= 0 and toks[k - 1][0] in ("和", "与") and len(toks[k - 2][0]) >= 2 and not _org_head(toks[k - 2][0])
    portfolio = joined and (tags.get(toks[k - 2][0]) in ("n", "vn", "l")
                            or k - 3 >= 0 and tags.get(toks[k - 2][0]) == "v" and tags.get(toks[k - 3][0]) in ("n", "vn"))
    if w.endswith("局") and portfolio and (k == i or toks[k][0] == "大"):
        # "文化" + "和" + "旅游局", "住房和城乡建设局": a bureau joining two portfolios is named with 和
        k -= 2
        while k - 1 >= 0 and i - k < 6 and (tags.get(toks[k - 1][0]) in _MODIFIER_TAGS and toks[k - 1][0] not in _NOT_MODIFIER
                                            or _entity_kind(toks[k - 1][0], tags) == "place"):
            k -= 1
    if k == i and w in _HEAD_TOKENS:
        return None
    if k - 1 >= 0 and toks[k - 1][0] in ("区", "市", "县", "省") and (k - 2 < 0 or not _CJK_WORD.match(toks[k - 2][0])
                                                                   or toks[k - 2][0] in _STOP_TOKENS):
        k -= 1  # "区生态环境局": the level of government printed before it
    return k


# Highways by number (309省道, G207国道, S88郑焦高速) and expressways by the towns they join (沁伊高速,
# 京港澳高速公路): roads as the local press names them. "高速" alone is also "fast" (经济高速发展), so an
# expressway needs an edge after it (punctuation, a road word, a place) and a name before it that is no
# common word.
_NUMBERED_ROAD = re.compile(rf"[GSXY]?[0-9]{{1,4}}(?:[{CJK}]{{2,3}}?高速(?:公路)?|国道|省道|县道|乡道)")
_EXPRESSWAY = re.compile(
    rf"高速(?:公路)?(?=[，。、；：,;:）)\s]|公路|收费站|出口|入口|服务区|互通|沿线|连接线|[{CJK}]{{2,3}}(?:段|[市县区镇乡村]|黄河|大桥|特大桥))")
_BEFORE_ROAD = set("，。、；：,;:（(“\n 沿经从到至和与及在的临邻入上进往向过")
_HIGHWAY = re.compile(_NUMBERED_ROAD.pattern + rf"|[{CJK}]{{2,3}}高速(?:公路)?")


_MEDIA = re.compile("|".join(sorted(NATIONAL_MEDIA, key=len, reverse=True)))


def _media(text: str, lo: int, hi: int):
    return [("organization", m.group(0), m.start(), m.end()) for m in _MEDIA.finditer(text, lo, hi)]


# Every county, town and village runs a 新时代文明实践 centre, station or post, named after the place
# (温县新时代文明实践中心, 春阳社区新时代文明实践站); jieba cuts the name into common words.
_CIVIC_CENTRE = re.compile("新时代文明实践(?:分中心|中心|所|站|点|基地)")
_UNIT_END = re.compile("(?:街道|社区|[省市县区镇乡村])(?![委政人])")
_CIVIC_PLACE = re.compile(f"[{CJK}]{{1,10}}?(?:社区|村|街道|镇|乡|县|市|区|庄)$")


def _civic_centres(text: str, lo: int, hi: int):
    out = []
    for m in _CIVIC_CENTRE.finditer(text, lo, hi):
        a = m.start()
        while a > lo and a > m.start() - 12 and _NAME_CHAR.match(text[a - 1]) and text[a - 1] not in _FUNCTION_END \
                and text[a - 1] not in "该各每":
            a -= 1
        p = _CIVIC_PLACE.search(text, a, m.start())
        if p and p.start() == a:
            # named after the place it serves, not the units above it: "南谯区" + "发能国际城社区"
            inner = [u.end() for u in _UNIT_END.finditer(text, a, m.start()) if u.end() < m.start() - 1]
            a = inner[-1] if inner else a
            out.append(("organization", text[a:m.end()], a, m.end()))
    return out


def _highways(text: str, lo: int, hi: int):
    out = []
    for m in _NUMBERED_ROAD.finditer(text, lo, hi):
        if not (m.start() > lo and text[m.start() - 1].isdigit()):
            out.append(("place", m.group(0), m.start(), m.end()))
    for m in _EXPRESSWAY.finditer(text, lo, hi):
        e = m.start()
        for n in (2, 3):  # the shortest name with an edge before it: "转入" + "沁伊高速"
            a = e - n
            if a < lo or not _CJK_WORD.match(text[a:e]) or a > lo and text[a - 1] not in _BEFORE_ROAD:
                continue
            name = text[a:e]
            if _jieba()[1].get(name) in _COMMON_TAGS | {"vn", "nr", "t", "f", "r", "p", "c"} or name[-1] in _FUNCTION_END:
                break  # "推进高速公路建设", "经济高速发展": no road's name before it
            if not any(x[2] <= a < x[3] for x in out):
                out.append(("place", text[a:m.end()], a, m.end()))
            break
    return out


_ORG_TITLE_TOKEN = re.compile("^([省市县区]委)(?:副?书记|常委)$")
_CONGRESS = re.compile(
    "(?:[省市县区]|全国|(?P<place>[{0}]{{2,3}}[省市县]))?第?[一二三四五六七八九十]+届(?:(?:全国)?(?:人大常委会|人大|政协)|(?P<central>中央(?:政治局|委员会|纪委)))"
    "(?:[一二三四五六七八九十]+次会议[{0}]{{2,3}}代表团)?".format(CJK))


def _congresses(text: str, lo: int, hi: int):
    """"市十四届人大", "十四届全国人大二次会议江苏代表团": a congress named by its term."""
    out = []
    for m in _CONGRESS.finditer(text, lo, hi):
        a = m.start()
        if m.group("central"):  # "二十届中央纪委二次全会": the term dates the plenum; the body is 中央纪委
            a = m.start("central")
        elif m.group("place"):  # "福建省第九届人大常委会": the province's own, when jieba knows the province
            place = m.group("place")
            known = [n for n in (3, 4) if len(place) >= n and _jieba()[1].get(place[-n:]) == "ns"]
            a = m.end("place") - (known[-1] if known else 1)  # else only its level: "在市十四届人大"
        out.append(("organization", text[a:m.end()], a, m.end()))
    return out


# Commissions named by their portfolio, in full or short, the same in every province's papers:
# 国家卫生健康委, 市卫健委, 省发展改革委, 县发改委, 市民宗委. jieba cuts them apart (发展|改革|委).
_COMMISSION = re.compile(
    "(?:国家|[省市县区])?(?:卫生健康|卫健|卫计|发展改革|发展和改革|发改|民族宗教|民宗|民族|经济和信息化|经信|工信|"
    "网信|政法|编|机构编制|住建|国资|教育|教体|科技|农业农村|外事|财经|审计)委(?:员会)?(?![员])")

_COMMISSION_END = re.compile(_COMMISSION.pattern + "$")


# Bureaus printed by their portfolio's short form, which jieba cuts apart (住 + 建局, 人 + 社局): the
# same in every province's papers. The level (市, 县, 区) or the town printed before is part of the name.
_BUREAU_ABBR = re.compile("(?:[省市县区])?(?:住建|人社|市监|自规|资规|文广旅|文广新|文旅|卫健|医保|教体|农农|生态环境|自然资源)局")


def _abbreviated_bureaus(text: str, lo: int, hi: int):
    """"县住建局", "温县人社局", "示范区文旅局": a bureau by its portfolio's short form."""
    out = []
    for m in _BUREAU_ABBR.finditer(text, lo, hi):
        a, b = m.span()
        if text[a] in "市县区" and a - lo >= 2 and _jieba()[1].get(text[a - 2:a + 1]) == "ns":
            a -= 2  # "温县" + "人社局": the county's own
        out.append(("organization", text[a:b], a, b))
    return out


def _commissions(text: str, lo: int, hi: int):
    """"国家卫生健康委", "市卫健委": a commission, with the level printed before it."""
    out = []
    for m in _COMMISSION.finditer(text, lo, hi):
        a, b = m.span()
        if text[a] in "市县区" and a >= 2 and _jieba()[1].get(text[a - 2:a + 1]) == "ns":
            a -= 2  # "焦作市卫健委": the city's own
        out.append(("organization", text[a:b], a, b))
    return out


# A town's numbered high school, named short: 温县一中, 市十一中, 焦作十二中 (焦作市第十二中学).
_NUMBERED_SCHOOL = re.compile("第?[一二三四五六七八九十]{1,3}中(?![国央心华学文外部期层级小间旬])")


def _numbered_schools(text: str, lo: int, hi: int):
    """"温县一中", "市十一中": a school named by its town and its number."""
    out = []
    for m in _NUMBERED_SCHOOL.finditer(text, lo, hi):
        a = m.start()
        town = next((n for n in (4, 3, 2) if a - n >= lo and (_jieba()[1].get(text[a - n:a]) == "ns"
                                                            or _short_division(text[a - n:a], "市县"))), 0)
        if town:
            a -= town
        elif a > lo and text[a - 1] in "市县区" and not _jieba()[0].dt.FREQ.get(text[max(lo, a - 2):a]):
            a -= 1  # "市十一中": the paper's own city's
        else:
            continue
        out.append(("organization", text[a:m.end()], a, m.end()))
    return out


_STREET_TAIL = re.compile("(?:大道|大街|路|街坊|街)(?![线口径程况上费面人边灯段网])")
_UNIT_HEAD = re.compile("(?:街道|社区|小区|[省市县区镇乡村])$")
_COMMUNITY_TAIL = re.compile("(?:社区|小区)(?![卫居服党])")


def _extend_streets(text: str, chosen, hi: int):
    """"民主" + "路": a place printed before 路 / 街 / 大道 names the street (民主路大沙河桥)."""
    out = []
    starts = {a for _, _, a, _ in chosen}
    for kind, surface, a, b in chosen:
        if kind == "place" and b < hi and b not in starts and not _PLACE_HEAD.search(surface):
            m = _STREET_TAIL.match(text, b, hi)
            if m:
                b = m.end()
                surface = text[a:b]
        if (kind == "place" and b < hi and b not in starts and not _UNIT_HEAD.search(surface)
                and surface not in _PROVINCE_SET and not _a_division(surface)):
            m = _SIGHT_TAIL.match(text, b, hi)
            if m:  # "西岭堡" + "景区": the scenic area named after the place (not 焦作景区: the city's)
                b = m.end()
                surface = text[a:b]
        if kind == "place" and b < hi and b not in starts and not _UNIT_HEAD.search(surface):
            m = _COMMUNITY_TAIL.match(text, b, hi)
            if m:  # "发能国际城" + "社区", "金山路" + "社区": the community named after the estate or the street
                b = m.end()
                out += [(kind, text[pa:pb], pa, pb) for pa, pb in _admin_parts(text, a, b)]  # "杭州" / "馒头山社区"
                continue
        out.append((kind, surface, a, b))
    return out


_ORG_TAIL_EXT = re.compile("常委会(?!议)|常委会(?=议军)|理论学习中心组|中心组|"
                           "第[一二三四五六七八九十]+(?:巡回|巡视|巡察)?(?:督导|指导|联络|巡视|巡察|工作)?(?:小组|组)")


_BRANCH = re.compile("(?:分局|分公司|分行|支行|分院|分会|分中心|支队|大队)$")


_DEPARTMENT_OF_MINISTRY = re.compile(f"[{CJK}]{{1,5}}?(?<!公)司(?=原|副|司长|、|，|。|和|与)")


def _extend_orgs(text: str, chosen, hi: int):
    """"焦作市委" + "常委会", "县委" + "理论学习中心组": an organization's own body printed after it;
    "焦作市生态环境局" + "孟州分局": a branch printed after its parent is one organization."""
    merged = []
    for kind, surface, a, b in chosen:
        if (merged and kind == "organization" and merged[-1][0] == "organization" and merged[-1][3] == a
                and _BRANCH.search(surface) and not _BRANCH.search(merged[-1][1])):
            pa = merged[-1][2]
            merged[-1] = ("organization", text[pa:b], pa, b)
            continue
        merged.append((kind, surface, a, b))
    chosen = merged
    out = []
    for i, (kind, surface, a, b) in enumerate(chosen):
        if kind == "organization" and surface.endswith("部"):
            m = _DEPARTMENT_OF_MINISTRY.match(text, b, hi)
            if m and (i + 1 == len(chosen) or m.end() <= chosen[i + 1][2]):
                b = m.end()  # "商务部" + "外资司": a ministry's department
                surface = text[a:b]
        if kind == "organization" and surface.endswith("委"):
            m = _ORG_TAIL_EXT.match(text, b, hi)
            nxt = chosen[i + 1][2] if i + 1 < len(chosen) else hi
            if m and m.end() <= nxt:
                b = m.end()
                surface = text[a:b]
        out.append((kind, surface, a, b))
    return out


_LEVEL_ORG = re.compile("[市县区]委|[市县区]政府|[市县区]人大|[市县区]政协")
_PARTY_PREFIX = re.compile("^(?:中共|中国共产党|共青团)")
_ADMIN_PREFIX = re.compile(f"[{CJK}]{{1,3}}?(?:市|县|区|镇|乡|街道|社区|村(?![委民])|庄(?=新时代))")


def _places_in_orgs(text: str, chosen, stems: frozenset[str]):
    """Places an organization's name opens with: "温县县委" -> 温县, "焦作市委常委会" -> 焦作,
    "孟州市河雍中心校" -> 孟州市, "示范区（高新区）党工委" -> 示范区. Provinces are left
    out ("河南理工大学" names no place of the story)."""
    out = []
    for kind, surface, a, b in chosen:
        if kind != "organization" or _NOT_OF_A_GOVERNMENT.search(surface):
            continue
        m = _PARTY_PREFIX.match(surface)
        pa = a + (m.end() if m else 0)
        place = None
        for n in (2, 3):  # "焦作" + "市委", "温县" + "县委"
            if pa + n < b and _LEVEL_ORG.match(text, pa + n, b) and (n == 2 or text[pa + n - 1] not in "市县区"):
                if text[pa + n - 1] in "县区" and text[pa + n] == text[pa + n - 1] or text[pa + n - 1] not in "市县区":
                    place = (pa, pa + n)
                    break
        if place is None:
            m = _ADMIN_PREFIX.match(text, pa, b)
            if (m and m.end() - pa >= 2 and m.end() + 2 <= b and text[pa] not in _DETERMINERS | _FUNCTION_START
                    and text[pa] not in "省市县区镇乡村" and not (text[m.end() - 1] == "乡" and text[m.end()] == "村")):
                place = (pa, m.end())
        if place is None:
            for st in stems:
                if text.startswith(st, pa) and pa + len(st) + 2 <= b:
                    place = (pa, pa + len(st))
                    break
        if place is None:
            continue
        ends = _word_ends(surface)
        if place[1] - a not in ends:
            if text[place[1]] in "市县区" and place[1] + 1 - a in ends:
                place = (place[0], place[1] + 1)  # "焦作市" + "人大常委会": the city in full
            else:
                continue  # "中原区域细胞制备中心": 中原 + 区域, no 中原区
        cand = text[place[0]:place[1]]
        if cand in _GENERIC_PLACE or _NOT_A_PLACE.search(cand) or cand in NOT_PERSON - {"高新区", "示范区"}:
            continue
        out.append(("place", cand, place[0], place[1]))
        pos = place[1]
        m = _ZONE_ALIAS.match(text, pos, b)
        if m and m.group(1) in _ZONES and m.group(1) not in _DESIGNATIONS:
            # "示范区（高新区）党工委": the zone's other name is a place too; a designation is no place
            # of its own ("高新区（示范区）党工委": 示范区 names what the zone was made, not where it is)
            out.append(("place", m.group(1), m.start(1), m.end(1)))
            continue
        # "孟州市" + "城伯镇" + "中心学校": the town or village in the county, named on after it
        while True:
            m = _TOWN_IN_ORG.match(text, pos, b)
            if (not m or m.end() + 2 > b or text[pos] in _DETERMINERS | _FUNCTION_START or m.group(0) in _GENERIC_PLACE
                    or _NOT_A_PLACE.search(m.group(0)) or _common_word(m.group(0)[:-1].removesuffix("街"))):
                break
            out.append(("place", m.group(0), pos, m.end()))
            pos = m.end()
    return out


# Firms, funds and associations carry a town's name as a brand ("焦作可屹隆瓶业有限责任公司",
# "上海市外商投资协会", "嘉兴代表团"); a government's or a school's name says where it is.
_NOT_OF_A_GOVERNMENT = re.compile("(?:公司|集团|基金|协会|商会|学会|研究会|代表团|基地|银行|分行|支行|厂|店|培训学校|培训中心)$")
_ZONE_ALIAS = re.compile(f"[（(]([{CJK}]{{2,5}})[）)]")
_DESIGNATIONS = frozenset({"示范区", "综试区"})  # zones named for a programme (国家自主创新示范区)


def _word_ends(surface: str) -> set[int]:
    """Offsets in ``surface`` where one of jieba's words ends."""
    return set(accumulate(len(w) for w in _base_cut(surface)))


def _common_word(w: str) -> bool:
    """A word of everyday use (特色, 生态, 文明), not a rare one or a name: a town is seldom named so."""
    jieba, tags = _jieba()
    return tags.get(w) in _COMMON_TAGS and jieba.dt.FREQ.get(w, 0) >= 500


# a town, a street office or a village after a county's name inside an organization's name
_TOWN_IN_ORG = re.compile(f"[{CJK}]{{2,3}}?(?:街道|镇(?![区街])|乡(?![村镇])|村(?![民委]))")


_HAN_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")


def _retokenize(text: str, lo: int, hi: int, persons: list[tuple[int, int]], first: list[str] | None):
    """jieba's words of text[lo:hi] with this document's names in its dictionary, as (word, start, end).

    jieba cuts each run of Chinese characters (between punctuation) on its own, so
    the words of the first pass (before the names were added) are reused for every
    run that holds no name; only runs with a name are cut again.
    """
    jieba, _ = _jieba()
    if first is None:
        toks, pos = [], lo
        for w in _base_cut(text[lo:hi]):
            toks.append((w, pos, pos + len(w)))
            pos += len(w)
        return toks
    ends = list(accumulate(map(len, first)))
    starts = [0, *ends[:-1]] if ends else []

    def at_start(x: int) -> bool:
        k = bisect_left(starts, x)
        return k < len(starts) and starts[k] == x

    if (ends[-1] if ends else 0) != len(text) or lo < len(text) and not at_start(lo) \
            or hi < len(text) and not at_start(hi):
        return _retokenize(text, lo, hi, persons, None)
    # the words inside [lo, hi): starts and ends ascend, so they are one slice
    toks = list(zip(first, starts, ends))[bisect_left(starts, lo):bisect_right(ends, hi)]
    if not persons:
        return toks
    out = []
    names = _Spans(persons)
    i, n = 0, len(toks)  # toks cover the text in order: one pass, keeping words outside the re-cut runs
    for m in _HAN_BLOCK.finditer(text, lo, hi):
        a, b = m.span()
        if not names.overlaps(a, b):
            continue
        while i < n and toks[i][2] <= a:
            out.append(toks[i])
            i += 1
        pos = a
        run = text[a:b]
        cut = _RECUT.get(run)
        if cut is None:
            cut = _RECUT[run] = jieba.lcut(run)
        for w in cut:
            out.append((w, pos, pos + len(w)))
            pos += len(w)
        while i < n and toks[i][1] < b:  # words of the run (and one straddling its start) are replaced
            i += 1
    out += toks[i:]
    return out


def _entity_kind(w: str, tags: dict) -> str | None:
    """"place", "organization" or None for one jieba word; remembered per word within a document."""
    try:
        return _KIND_MEMO[w]
    except KeyError:
        kind = _KIND_MEMO[w] = _word_kind(w, tags)
        return kind


# Only jieba's own tags are read (never a document's names), so a word's kind is fixed; the
# memo is cleared per document all the same (attach_entities) so a benchmark never reads text warm.
_KIND_MEMO: dict[str, str | None] = {}
# The runs cut again with this document's names in jieba's dictionary (attach_entities clears it: the
# names, and so the cut, belong to one document).
_RECUT: dict[str, list[str]] = {}
_UNKNOWN = object()


_PROVINCE_SET = frozenset(PROVINCES)
_ORG_SUFFIX_SET = frozenset(ORG_SUFFIXES)
_ORG_SUFFIX_SIZES = tuple(sorted({len(x) for x in ORG_SUFFIXES}))
_LEVEL_WORDS = frozenset({"市委", "县委", "省委", "区委", "市政府", "县政府", "党中央", "市政协", "县政协", "管委会", "党工委"})
_NOT_PLACE_WORDS = frozenset(NOT_PERSON - {"高新区", "示范区"})


def _org_head(w: str) -> bool:
    """_ORG_HEAD.search(w) for a word (no line break in it), by suffix lookups rather than a regex scan."""
    return any(w[-n:] in _ORG_SUFFIX_SET for n in _ORG_SUFFIX_SIZES)


_GENERIC_PLACE_TAILS = ("社区", "小区", "园区", "城区", "景区", "新区", "地区", "城市", "农村", "乡村")
# a city's zones, named so on its own pages as places are ("高新区党工委", "示范区召开…")
_ZONES = frozenset({"高新区", "示范区", "开发区", "经开区", "新区", "自贸区", "保税区", "综试区", "产业集聚区"})
_COMMON_TAGS = frozenset({"n", "v", "vn", "a", "an", "ad", "d", "b", "l", "i", "m"})


def _common_stem(w: str, tags: dict) -> bool:
    """A common noun ending like a place: 示范村 (示范), 卫生城市 (卫生), 进社区 (进), 危险区 (危险): what
    stands before the head is a common word. A place's stem is a name (周口市, 火石岗村)."""
    if w in _ZONES:
        return False
    stems = [w[:-1]] + [w[:-len(t)] for t in _GENERIC_PLACE_TAILS if w.endswith(t) and len(w) > len(t)]
    return any(tags.get(st) in _COMMON_TAGS for st in stems)


def _word_kind(w: str, tags: dict) -> str | None:
    size = len(w)
    if size < 2 and w not in ("县", "市", "镇", "乡", "村"):
        return None
    tag = tags.get(w)
    if w in _PROVINCE_SET or tag == "ns" and size >= 2:
        return "place"
    if size >= 2 and tag == "nt":
        return "organization"
    if size >= 3 and tag not in ("v", "vn", "n", "l", "i") and _org_head(w) or w in _LEVEL_WORDS:
        return "organization"
    # (every one of 省市县区镇乡村 is a place head of its own)
    if size >= 2 and w[-1] in "省市县区镇乡村" and (tag in (None, "ns", "nr", "nz", "x") or size >= 3 and tag == "n"
                                                   and not _common_stem(w, tags)) \
            and w not in _NOT_PLACE_WORDS:
        return "place"
    if size >= 4 and w.endswith("街道"):
        return "place"
    return None


# ---- the neural recognizer (LAC) and how its spans are merged with the rules ----

_PER_SUFFIX = re.compile(r"(?:老师|主席|总理|书记|同志|先生|女士|师傅|大爷|大娘|大妈|老汉|老人|某某|某|老|总)$")
_NAME_JOIN = set("·•．.—－-")
_GENERIC_PLACE = {
    "城市", "城中村", "乡村", "农村", "城乡", "乡镇", "社区", "小区", "园区", "景区", "街道", "各村", "全村", "本村",
    "全镇", "全县", "全市", "全区", "全省", "全国", "该乡", "该镇", "该村", "该县", "该市", "该区", "本市", "本县",
}
_GENERIC_ORG = {"党和政府", "党组织", "人民代表大会", "各级党委", "基层党组织", "政府", "党委", "企业", "中心",
                "党工委", "工委", "党组", "孵化器", "广播站", "清政府"}
_GENERIC_LOCAL_ORG = {"党支部", "党总支", "联合会"}  # on a page: which branch, which federation?
# Words for a whole level or class of bodies: "乡镇卫生院", "社区卫生服务中心", "乡镇级便民服务中心".
_KIND_OPENING = re.compile("^(?:各级|各类|基层|乡镇级?|村级|镇级|社区|乡村|城乡|农村|高校|科研|中小|驻地)")
_BARE_HEADS = {"卫生院", "医院", "学校", "中学", "小学", "大学", "学院", "幼儿园", "中心校", "研究院", "研究所", "博物馆",
               "图书馆", "文化馆", "合作社", "银行", "公司", "集团", "分公司", "服务中心", "卫生室", "卫生所"}
_KIND_OF_BODY = {"科研院所", "科研机构", "高等院校", "医疗机构", "金融机构", "社会组织", "村两委", "两委"}
# A firm's party committee printed with its secretary's title: the firm is named, the title is his.
_FIRM_PARTY = re.compile(f"^([{CJK}A-Za-z0-9（）()]{{2,30}}?(?:公司|集团|银行|分行|支行|总行|信用社))(?:党组|党委|党总支|党支部)$")
_PARTY_TITLE_AFTER = re.compile("(?:副)?书记|委员|成员")


_TWO_BODIES = re.compile(f"^([{CJK}A-Za-z0-9（）()]{{3,30}}?)[和与及]([{CJK}A-Za-z0-9（）()]{{3,30}})$")


def _names_a_body(name: str) -> bool:
    """A full name by its head: 新安县二中, 中国银行 (but 文化 in 文化和旅游局 is a portfolio)."""
    return _ORG_HEAD.search(name) is not None or _NUMBERED_SCHOOL.search(name[-4:]) is not None


def _a_kind_of_body(surface: str) -> bool:
    """"乡镇卫生院", "科研院所", a bare "洗浴中心": a kind of body, named by what it is or does,
    with no name of its own before the head (the town's own 卫生院 is "赵堡镇卫生院")."""
    surface = _WS.sub("", surface)
    if (surface in _KIND_OF_BODY or surface in _BARE_HEADS
            or _KIND_OPENING.match(surface) and not surface.startswith("社区党")):
        return True
    words = _base_cut(surface)
    # a bare service named by its verb ("洗浴中心", "培训学校"): which one, the text says before
    return (len(surface) <= 5 and len(words) == 2 and _jieba()[1].get(words[0]) in ("v", "vn")
            and words[1] in ("中心", "学校", "公司", "医院", "门店"))


_LANDMARK = re.compile("(?:产业园|科技园|工业园|园区|广场|公园|家园|新城|科创城)$")
_LANDMARK_WORDS = {"产业园", "科技园", "工业园", "园区", "广场", "公园", "家园", "新城", "科创城"}
_HALL_INSIDE = re.compile("(?:大会堂|会堂|宾馆|酒店|饭店|体育馆|体育场|展览馆|会议中心)")


def _inside_a_title(text: str, a: int, b: int) -> bool:
    """[a, b) stands inside a 《…》 title and is not the whole of it (《焦作日报》 names the paper)."""
    opening = text.rfind("《", max(0, a - 40), a + 1)
    if opening < 0 or text.rfind("》", opening, a) >= 0:
        return False
    closing = text.find("》", b, b + 80)
    if closing < 0 or (opening + 1, closing) == (a, b):
        return False
    # 《中共温县县委关于…的意见》: the body issuing a document is named; 《中国共产党纪律处分条例》 names a rule
    return not text.startswith("关于", b)


_NAME_CHAR = re.compile(f"[{CJK}A-Za-z0-9]")
_PLACE_PAIR = re.compile(f"^([{CJK}]{{2,4}})[和与及、]([{CJK}]{{2,4}})$")
_CHINA_TERMS = ("特色", "式现代化", "梦")
_REGIONS = frozenset({"中原", "豫北", "豫南", "豫东", "豫西", "华北", "华中", "华东", "华南", "西北", "东北", "西南",
                      "江南", "江北", "苏南", "苏北", "皖北", "陕北", "关中", "岭南", "长三角", "珠三角"})
_REGION_NOUNS = ("大地", "地区", "腹地", "一带", "各地", "全境", "沃土", "儿女")


def _in_a_title(text: str, a: int, b: int) -> bool:
    """[a, b) stands inside a 《…》 title, its issuer included (《焦作市关于…》): a place there is the
    document's, not the story's (``_inside_a_title`` keeps an organization that issues it)."""
    opening = text.rfind("《", max(0, a - 40), a + 1)
    return opening >= 0 and text.rfind("》", opening, a) < 0 and text.find("》", b, b + 80) >= 0


_PLACE_JUNK_TAIL = re.compile("(?:城市|城乡|地区|全域)$")
_PARTY_THEN_GOVERNMENT = re.compile(
    f"([{CJK}]{{1,8}}?(?:党工委|党委|[省市县区]委))((?:[省市县区])?(?:人民政府|政府|管委会|管理委员会))$")
_OFFICE_THEN_UNIT = re.compile(f"([{CJK}]{{2,6}}?(?:办事处|街道办))[{CJK}]{{2,8}}(?:社区|村)$")
_SITE_TAIL = re.compile("(?:工地|现场|附近|周边|一带|境内|辖区|门前|主桥|引桥)$")
_NOT_A_PLACE = re.compile(
    "(?:模范|先进|百强|文明|卫生|园林|强)[县市区镇乡村]$|^[各该全本每][乡镇村县市区]|"
    "^(?:合作区|试验区|功能区|核心区|安置小区|人才公寓)$|(?:智慧谷|智慧岛)$|"
    "^美丽(?:乡村|中国|城市|城乡|家园)?$|"
    "^(?:产业|创新|智慧|数字|未来|完整|绿色|低碳|零碳|特色|基金|文旅|康养|宜居|韧性|人才|科技|电商|淘宝)(?:社区|小镇|街区|乡村|村庄)$|(?:文明|卫生|园林|模范|双拥模范|旅游)城市?$|^(?:国家|省|市|县)级|"
    "(?:[A-Z]{1,5}|[一二三四五]星)级")  # (jieba tags the adjective 美丽 a place; a rating: 国家AAA级旅游景区, 五星级)
_WEATHER_TAIL = re.compile(r"(?:晴转多云|多云转晴|多云转阴|阴转多云|雷阵雨|阵雨|小雨|中雨|大雨|暴雨|小雪|中雪|大雪|雨夹雪|多云|晴|阴|雨|雪|雾)$")
_COUNTRY_ABBR = set("中美日俄韩朝印巴英法德意澳加越泰苏欧亚非港澳台京沪津渝")
_GENERIC_AREA = {"局部", "沿海", "贫困", "大部", "部分", "偏远", "边远", "山区", "农村", "城市", "发达", "落后", "少数民族", "受灾", "灾区"}
_DATELINE_LEAD = re.compile("^(?:日电|电|本报讯)")


def _opens_a_name(surface: str) -> bool:
    """What looks like a function word opening a span is the first character of a name jieba knows:
    以色列, 对外贸易经济合作部 (以 and 对 are no prepositions there)."""
    _, tags = _jieba()
    # three characters at least: a county of two (和县) is read as 和 + 县 as often as not
    return any(tags.get(surface[:n]) in ("ns", "nt", "l") for n in range(min(len(surface), 4), 2, -1))


_LEAD_JUNK = re.compile(r"^(?:[在到赴于的和与及对向从由以为是把被将暨据、，]|同(?=党中央|中央|[省市县区]委)|四是|照|组织|推进|助力)+")
# Words that end like an organization's head but are verbs or common nouns.
_NOT_HEAD_WORDS = {"部署", "签署", "全部", "内部", "外部", "局部", "干部", "举办", "主办", "承办", "协办", "创办",
                   "开办", "督办", "交办", "场所", "住所", "厕所"}
_VERB_AFTER_ORG = {"部署", "签署", "举办", "主办", "承办", "协办", "督办", "交办"}
_ORG_WORD_TAGS = {"n", "nz", "ORG", "vn"}


def _neural_spans(text: str, words: list[tuple[int, int, str]]) -> list[tuple[str, str, int, int]]:
    """Persons, organizations and places from LAC's words, with generic repairs of its word boundaries."""
    out: list[tuple[str, str, int, int]] = []
    i, n = 0, len(words)
    while i < n:
        a, b, tag = words[i]
        if tag == "PER":
            j = i
            # "差猜·春哈旺", "伯奇" + "费尔": one person cut in two
            while j + 1 < n:
                na, nb, nt = words[j + 1]
                if nt == "PER" and na == words[j][1]:
                    j += 1
                elif (j + 2 < n and text[na:nb] in _NAME_JOIN and words[j + 2][2] == "PER"):
                    j += 2
                else:
                    break
            e = words[j][1]
            if e - a == 2 and text[a] in "老小阿" and text[a + 1] in SURNAMES_1:
                a += 1  # "老王" -> 王
            m = _PER_SUFFIX.search(text[a:e])
            if m and e - a - len(m.group(0)) >= 1 and text[a] in SURNAMES_1 | {x[0] for x in SURNAMES_2}:
                e -= len(m.group(0))
            out.append(("person", text[a:e], a, e))
            i = j + 1
            continue
        if tag in ("LOC", "ORG"):
            # "以" + "色列": a place word cut after its first character
            if a >= 1 and i >= 1 and words[i - 1][1] - words[i - 1][0] == 1 and _jieba()[1].get(text[a - 1:b]) == "ns":
                a -= 1
            if b - a == 1 and i + 1 < n and words[i + 1][2] == tag and tag == "ORG":
                i += 1  # "同" + "党中央"
                continue
            if text[a] in "区市县" and a >= 2 and text[a - 2:a + 1] in _jieba()[0].dt.FREQ and _CJK_WORD.match(text[a - 2:a]):
                a -= 2  # "示范" + "区工业设计产业研究院"
            j = i
            kind = tag
            while j + 1 < n:
                na, nb, nt = words[j + 1]
                w = text[na:nb]
                if nt == "LOC" and kind == "LOC":
                    j += 1  # "沁泉" + "湖南" + "北苑社区"
                elif kind == "LOC" and nt in ("n", "nz") and _LANDMARK.search(w) and w not in _LANDMARK_WORDS:
                    j += 1  # "怀川高科" + "产业园"
                elif (kind == "LOC" and nt in ("n", "nz") and j + 2 < n and words[j + 2][2] in ("n", "nz")
                      and _LANDMARK.fullmatch(text[words[j + 2][0]:words[j + 2][1]])):
                    j += 2  # "孟州市" + "文化" + "广场"
                elif nt == "ORG":
                    j += 1
                    kind = "ORG"  # "中国银行" + "焦作分行"
                elif (nt in _ORG_WORD_TAGS and len(w) >= 2 and _ORG_HEAD.search(w) and _CJK_WORD.match(w)
                      and _jieba()[1].get(w) not in ("v", "vn", "b") and w not in _NOT_HEAD_WORDS):
                    j += 1
                    kind = "ORG"  # "县委" + "常委会", "人武部" + "党委"
                elif _TITLE_RE.search(w) and _ORG_HEAD.fullmatch(w[:len(w) - len(_TITLE_RE.search(w).group(0))] or "-"):
                    # "温县" + "县委书记": the organization ends before the title
                    head = w[:len(w) - len(_TITLE_RE.search(w).group(0))]
                    out.append(("organization", text[a:na + len(head)], a, na + len(head)))
                    j = -1
                    break
                elif (nt in ("n", "nz") and j + 2 < n and _CJK_WORD.match(w) and words[j + 2][2] in _ORG_WORD_TAGS
                      and _jieba()[1].get(text[words[j + 2][0]:words[j + 2][1]]) not in ("v", "vn", "b")
                      and text[words[j + 2][0]:words[j + 2][1]] not in _NOT_HEAD_WORDS
                      and words[j + 2][1] - words[j + 2][0] >= 2 and _ORG_HEAD.search(text[words[j + 2][0]:words[j + 2][1]])):
                    j += 2
                    kind = "ORG"  # "焦作腾云科技" + "企业" + "孵化器"
                else:
                    break
            if j < 0:
                i += 2
                continue
            e = words[j][1]
            out.append(("organization" if kind == "ORG" else "place", text[a:e], a, e))
            i = j + 1
            continue
        i += 1
    return out


_CJK_WORD = re.compile(f"^[{CJK}]+$")
_WS = re.compile(r"\s+")


def _neural_person_ok(name: str, genre: str) -> bool:
    # On newspaper pages the genre rules find the persons (precision first); the
    # neural recognizer's guesses there are mostly fragments of companies and slogans.
    return genre == "free" and bool(name) and name not in NOT_PERSON and name not in _GENERIC_PLACE


def _free_rule_ok(span) -> bool:
    """On free text only the rules' organizations with a head word are added to the neural recognizer's."""
    kind, surface, _, _ = span
    return kind == "organization" and len(surface) >= 3 and _ORG_HEAD.search(surface) is not None


_MEETING_TAIL = re.compile(r"(?:全会|全体会议|会议|大会)$")
# buildings and works named with the town they stand in: "河南省人民会堂", "孟州黄河特大桥"
_BUILDING = re.compile("(?:会堂|大厦|宾馆|酒店|饭店|体育馆|体育场|博物馆|纪念馆|展览馆|中心|机场|车站|码头|水库|大桥|桥|景区)$")
_ADMIN_UNIT = re.compile(rf"[{CJK}]+?(?:街道|[省市县区镇乡村])")


def _admin_parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """"温县赵堡镇南保丰村" -> 温县, 赵堡镇, 南保丰村: a chain of administrative units is cut into its units."""
    m = _STREET_THEN_BRIDGE.match(text, a, b)
    if m and m.end() == b:
        return [(a, m.end(1)), (m.end(1), b)]  # "民主路" + "大沙河桥": the street, and the bridge on it
    m = _HIGHWAY.match(text, a, b)
    if m and m.end() < b and _short_division(text[m.end():b], "市县区"):
        return [(a, m.end()), (m.end(), b)]  # "沁伊高速" + "孟州": the highway, then where on it
    parts = []
    pos = a
    province = next((n for n in (3, 2) if text[a:a + n] in _PROVINCE_SET), 0)
    if province and b - a - province >= 2:
        rest = text[a + province:b]
        if _place_within(rest) and rest not in _ZONES:
            # "北京中南海", "云南圭山", "宁夏银川兴庆区": the province, then the place(s) in it
            return [(a, a + province), *_admin_parts(text, a + province, b)]
    while pos < b:
        m = _ADMIN_UNIT.match(text, pos, b)
        if not m:
            break
        city = next((n for n in (2, 3) if m.end() - pos - n >= 3 and _short_division(text[pos:pos + n], "市县")), 0)
        generic = _GENERIC_TAIL.search(text, pos, m.end())
        if (generic and generic.group(0) in ("社区", "小区") and generic.start() - (pos + city) >= 2
                and _jieba()[1].get(text[pos:pos + city]) == "ns"):
            generic = None  # "杭州" + "馒头山社区": a community with a name of its own, in the city
        if city and not _short_division(text[pos:m.end() - 1]) and not generic:
            parts.append((pos, pos + city))  # "银川兴庆区", "兰溪游埠镇": a city named short, then a unit in it
            pos += city
        parts.append((pos, m.end()))
        pos = m.end()
    if parts and pos < b and b - pos <= 3 and _short_division(text[pos:b]):
        parts.append((pos, b))  # "焦作市沁阳", "洛阳市伊川": a county named short after its city
        pos = b
    rest = text[pos:b]
    if (parts and b - pos >= 2 and all(pb - pa >= 2 for pa, pb in parts) and _place_within(rest)
            and rest not in _GENERIC_PLACE):
        parts.append((pos, b))  # "琅琊区滁阳街道金山路", "南谯区发能国际城": the units, then the place in them
        pos = b                 # (a landmark keeps its town's name: "孟州市文化广场")
    if len(parts) >= 2 and pos == b:
        return parts
    return [(a, b)]


def _place_within(rest: str) -> bool:
    """What follows a province or a chain of units names a place of its own: not a unit's suffix, a
    function word, or a landmark or building, which keep the town they stand in (孟州市文化广场)."""
    return (_CJK_WORD.match(rest) is not None and rest[0] not in "省市县区镇乡村街" and rest[0] not in _FUNCTION_START
            and not _LANDMARK.search(rest) and not _BUILDING.search(rest))


_STREET_THEN_BRIDGE = re.compile(f"([{CJK}]{{1,6}}?(?:大道|大街|路))[{CJK}]{{2,6}}桥")
_GENERIC_TAIL = re.compile("(?:小区|社区|园区|景区|城区|新区)$")


def _a_division(name: str) -> bool:
    """焦作, 孟州市, 河南: a province, prefecture or county in full or short form (the gazetteer's names)."""
    if _short_division(name):
        return True
    try:
        return bool(gazetteer.candidates(name))
    except gazetteer.GazetteerError:  # the division data is missing: jieba's dictionary alone decides
        return False


def _short_division(name: str, suffixes: str = "市县区") -> bool:
    """沁阳 (沁阳市), 伊川 (伊川县): a county or city named without its suffix, as jieba knows the full name."""
    tags = _jieba()[1]
    return _CJK_WORD.match(name) is not None and any(tags.get(name + suffix) == "ns" for suffix in suffixes)


def _clean_span(text: str, kind: str, a: int, b: int, genre: str = "newspaper"):
    surface = text[a:b]
    m = _LEAD_JUNK.match(surface)
    if m and not _opens_a_name(surface):
        a += m.end()
        surface = text[a:b]
    m = _DATELINE_LEAD.match(surface)
    if m and (m.group(0) == "本报讯" or m.group(0) == "日电" and a > 0 and text[a - 1].isdigit()
              or m.group(0) == "电" and a > 1 and text[a - 1] == "日" and text[a - 2].isdigit()):  # 6月2日电国务院
        a += m.end()
        surface = text[a:b]
    if kind == "organization" and "暨" in surface:  # "焦作市委全会暨市委经济工作会议"
        b = a + surface.index("暨")
        surface = text[a:b]
        t = _MEETING_TAIL.search(surface)
        if t:
            b -= len(t.group(0))
            surface = text[a:b]
    if kind in ("organization", "place") and len(surface) >= 3:
        if surface.endswith("干部"):
            return None  # "广大干部", "村干部": cadres, not a department (部)
        if kind == "organization" and surface[-2:] in _VERB_AFTER_ORG and len(surface) >= 4:
            b -= 2  # "按照市委部署", "建设局协办": the organization, then the verb
            surface = text[a:b]
        elif genre == "newspaper" and len(surface) >= 4 and surface[-2] in "东西南北中" and surface[-1] == "部":
            kind, b = "place", b - 2  # "武陟西部": a part of a place, not a department
            surface = text[a:b]
    if kind == "place" and genre == "free":
        t = _WEATHER_TAIL.search(surface)  # "悉尼晴", "大连多云": a place before a weather report
        if t and len(surface) > len(t.group(0)) + 1:
            b -= len(t.group(0))
            surface = text[a:b]
        if len(surface) == 2 and all(ch in _COUNTRY_ABBR for ch in surface):
            return [("place", surface[0], a, a + 1), ("place", surface[1], a + 1, b)]  # "中美" -> 中, 美
        if surface.endswith("地区") and len(surface) > 3:
            if surface[:-2] in _GENERIC_AREA:
                return None
            b -= 2
            surface = text[a:b]
    if kind == "place" and genre == "newspaper":
        while a < b and not _NAME_CHAR.match(text[a]):
            a += 1  # "▶南巷上小区": a mark printed before the name
        surface = text[a:b]
        pair = _PLACE_PAIR.match(surface)
        if pair and all(_jieba()[1].get(x) == "ns" or _short_division(x) for x in pair.groups()):
            x, y = pair.groups()  # "三门峡和平顶山": jieba reads 和平 as one word
            return [("place", x, a, a + len(x)), ("place", y, b - len(y), b)]
        if surface == "中国" and text.startswith(_CHINA_TERMS, b):
            return None  # "中国特色社会主义", "中国式现代化": a political term, no mention of the country
        t = _PLACE_JUNK_TAIL.search(surface)  # "焦作城市建设": the place is 焦作 (but "文明城市" is none)
        head = surface[:len(surface) - len(t.group(0))] if t else ""
        freq, tags = _jieba()[0].dt.FREQ, _jieba()[1]
        if t and len(head) >= 2 and (tags.get(head) == "ns" or freq.get(head + "市") or freq.get(head + "县")):
            b -= len(t.group(0))
            surface = text[a:b]
        t = _SITE_TAIL.search(surface)
        if t and t.start() >= 2:
            b -= len(t.group(0))  # "小庄工地", "马庄村附近": the place, then where in it
            surface = text[a:b]
        if _NOT_A_PLACE.search(surface) or text.startswith("村", b) and surface.endswith("乡"):
            return None  # "双拥模范县", "各乡镇", "四美乡村"
        if surface.endswith("流域") and len(surface) > 2:
            return None  # "黄河流域生态保护": a river's basin, a policy's scope rather than a place of the story
        if surface in _REGIONS and b < len(text) and _NAME_CHAR.match(text[b]) and not text.startswith(_REGION_NOUNS, b):
            return None  # "中原城市群", "中原组织资源库": the region qualifies a thing; "中原大地" is the region
        if _in_a_title(text, a, b):
            return None  # 《焦作市关于深化营商环境…》: the document's title, no place of the story
        if surface in NOT_PERSON and surface not in PROVINCES and not _PLACE_HEAD.search(surface):
            return None  # "文明乡风": a common word the recognizer read as a place out of context
    pair = _TWO_BODIES.match(surface) if kind == "organization" and genre == "newspaper" else None
    if pair and all(_names_a_body(x) for x in pair.group(1, 2)):
        cut = a + pair.end(1)  # "新安县二中和扶沟一中": two bodies, each named in full
        return [c for c in (_clean_span(text, kind, a, cut, genre), _clean_span(text, kind, cut + 1, b, genre))
                if c and not isinstance(c, list)]
    two = _PARTY_THEN_GOVERNMENT.match(surface) if kind == "organization" and genre == "newspaper" else None
    if two:  # "高新区党工委" + "管委会", "温县县委" + "县政府": the party committee and the government
        cut = a + two.end(1)
        return [("organization", text[a:cut], a, cut), ("organization", text[cut:b], cut, b)]
    o = _OFFICE_THEN_UNIT.match(surface) if genre == "newspaper" else None
    if o:  # "洛浦办事处" + "工农社区": the street office, and the community it runs
        cut = a + o.end(1)
        return [("organization", text[a:cut], a, cut), ("place", text[cut:b], cut, b)]
    if len(surface) < 2 or surface in _GENERIC_PLACE or not re.search(f"[{CJK}A-Za-z]", surface):
        return None
    if kind == "place" and _ORG_HEAD.search(surface) and not _PLACE_HEAD.search(surface) and len(surface) >= 3:
        kind = "organization"
    if (kind == "organization" and genre == "newspaper" and len(surface) >= 4 and surface[0] in "市县区"
            and a > 0 and text[a - 1] in "该本此"):
        a += 1  # "该市安委办": the city is the story's; the office is 安委办
        surface = text[a:b]
    if kind == "organization" and "中国共产党" in surface and not surface.startswith("中国共产党"):
        a += surface.index("中国共产党")  # "守好中国共产党": the verb before the party's name
        surface = text[a:b]
    if kind == "organization" and genre == "newspaper" and _inside_a_title(text, a, b):
        return None  # 《中国共产党纪律处分条例》: part of a document's title, no mention of the party
    if kind == "organization" and surface[-2:] in _NOT_A_BUREAU_END:
        return None  # "新格局" (jieba: nt), "产业布局": no bureau (局)
    if kind == "place" and re.search("军(?:分)?区$", surface):
        kind = "organization"  # "省军区", "军分区": a command, not a district
    if kind == "organization" and genre == "newspaper":
        hall = _HALL_INSIDE.search(surface)
        if hall and _ORG_HEAD.search(surface[hall.end():]) and len(surface) - hall.end() >= 2:
            cut = a + hall.end()  # "北京人民大会堂" + "国务院": where it met, then who
            return [("place", text[a:cut], a, cut), ("organization", text[cut:b], cut, b)]
    if kind == "organization" and genre == "newspaper" and (len(surface) >= 2 and surface[-2] == "之"
                                                            or surface in _GENERIC_LOCAL_ORG):
        return None  # "民之所忧": a classical phrase, no office (所); a bare 党支部 names no one branch
    if kind == "organization" and surface.endswith("中小学"):
        return None  # "新时代大中小学", "全市中小学": the schools of a level, no one school
    if kind == "organization" and genre == "newspaper" and _a_kind_of_body(surface):
        return None  # "乡镇卫生院", "社区卫生服务中心", "科研院所": a kind of body, no one body
    if kind == "organization" and genre == "newspaper":
        party = _FIRM_PARTY.match(surface)
        if party and _PARTY_TITLE_AFTER.match(text, b):
            b = a + party.end(1)  # "中国银行焦作分行党委书记": the bank, and its officer's title
            surface = text[a:b]
    if kind == "organization" and (surface in _GENERIC_ORG or genre == "newspaper" and not _ORG_HEAD.search(surface)
                                   and not _COMMISSION_END.search(surface) and surface not in NATIONAL_MEDIA
                                   and not _NUMBERED_SCHOOL.search(surface[-4:]) and not _brand_and_trade(surface)):
        return None  # "新能源汽车", "党和政府": no organization's name ends so
    return kind, surface, a, b


def _supported(kind: str, surface: str, a: int, b: int, extra, extra_places: _Spans) -> bool:
    """A rule's place is kept when the neural recognizer saw a name there too, or its suffix is strong.

    The recognizer reads only the clauses with a cue on newspaper pages, so an
    empty ``extra`` is no licence when it is installed: the place stays unsupported.
    ``extra_places``: the spans of the recognizer's places.
    """
    if kind != "place" or not extra and not lac.available():
        return True
    if surface in PROVINCES or len(surface) >= 3 and re.search("(?:街道|[省市县区镇]|国道|省道|县道|高速|公路)$", surface):
        return True
    if _short_division(surface, "市县") and _jieba()[0].dt.FREQ.get(surface, 0) < 500:
        return True  # 孟州 (孟州市), 伊川 (伊川县): a division named short (not 新建, 平原, 商城: words too)
    return extra_places.overlaps(a, b)


def _choose(text: str, rules, extra, taken, genre: str = "newspaper"):
    """Merge rule and neural spans: the longest wins, no overlap with each other or with persons."""
    cands = []
    extra_places = _Spans((ea, eb) for k, _, ea, eb in extra if k == "place")
    for pri, group in ((0, rules), (1, extra)):
        for kind, _, a, b in group:
            if pri == 0 and not _supported(kind, text[a:b], a, b, extra, extra_places) and not _hamlet_at(text, a, b):
                continue
            if pri == 1 and kind == "place" and genre == "newspaper" and _named_otherwise(text, text[a:b], a):
                continue  # 崇德 (崇德向善), 新天地 (打开新天地), 红桥 (网红桥): jieba knows them as other words
            c = _clean_span(text, kind, a, b, genre)
            if isinstance(c, list):
                cands += [(x, pri) for x in c]
            elif c:
                cands.append((c, pri))
    cands.sort(key=lambda x: (-(x[0][3] - x[0][2]), x[1], x[0][2]))
    chosen = []
    busy = _Spans(taken)
    for (kind, surface, a, b), _ in cands:
        if busy.overlaps(a, b):
            continue
        busy.add(a, b)
        if kind == "place":
            for pa, pb in _admin_parts(text, a, b):
                if not _NOT_A_PLACE.search(text[pa:pb]):  # "焦作市" + "智慧岛": a platform, no place
                    chosen.append((kind, text[pa:pb], pa, pb))
        else:
            chosen.append((kind, surface, a, b))
    chosen.sort(key=lambda x: x[2])
    return chosen



@lru_cache(maxsize=1)
def _rjieba():
    """jieba-rs (the rjieba package): jieba's algorithm and its dictionary, about 15 times faster."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - a pinned dependency; jieba itself is the fallback
        return None
    return rjieba.Jieba()


def _base_cut(text: str) -> list[str]:
    """jieba's words of text with jieba's own dictionary (no names of this document added).

    This is most of the segmentation work, so it runs in jieba-rs, which gives the
    same words as ``jieba.lcut`` (tests/parse/test_entities.py checks it on the
    seeds); text with this document's names in the dictionary is cut by jieba
    itself, whose dictionary can be grown and shrunk per document.
    """
    fast = _rjieba()
    if fast is None:
        jieba, _ = _jieba()
        return jieba.lcut(text)
    return fast.cut(text)


@lru_cache(maxsize=1)  # called per text; jieba's log level and dictionary are set up once per process
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba, jieba.posseg.dt.word_tag_tab


# ---- free text: the conventions of Chinese NER corpora (People's Daily, MSRA) ------------
# These corpora mark a country or a province named by one character (访华, 中美关系, 青藏高原 ->
# 青, 藏), never mark a government as an organization (中国政府 is the place 中国), and mark
# a region without the compass part after it (新疆北部 -> 新疆). `newsetl ner` follows them;
# the newspaper pages keep their own (a local paper's 市政府 is an organization).

# one character standing for a country or a province, in a pair or a run (中美, 中美俄, 京津冀)
_ABBR_CHARS = set("中美俄日韩朝印巴英法德意澳加墨欧非以伊越泰蒙苏港台京津沪渝冀晋辽吉黑浙皖闽赣鲁豫鄂湘粤琼川黔滇陕甘陇青宁藏桂淮黄")
# ... and those too common as words of their own to open a run found in jieba's words (以 "by", 加 "add")
_ABBR_NOT_IN_RUNS = set("以加黄宁")
# two or three countries before what they share: 中美关系, 日俄首脑会晤, 墨美两国
_PAIR_BEFORE = re.compile(
    "([中美日俄韩朝英法德印巴意墨越泰澳欧蒙苏伊]{2,3})(?=两国|三国|四国|关系|双方|首脑|会晤|会谈|联合|友好|合作|边境|贸易"
    "|外长|元首|领导人|建交|谈判|之间|峰会|经贸|双边|友谊|对话|战略|伙伴|人民)")
# a visit or a stay: 访华, 对华投资, 驻华使馆, 在京, 进京 (华 and 京 open no word here: 在华盛顿, 在京剧)
_VISITED = re.compile("(?<=[访来驻对赴离抵援侵在])华(?![盛东南北西中侨人裔语文夏丽灯诞贵山府表章为商])"
                      "|(?<=[进抵在来赴离返回晋驻])京(?![剧城味韵都郊沪津华腔戏派族畿九广港东西哈])"
                      "|(?<=[抵在来赴离返驻])沪(?![上剧])")
# 俄 alone is Russia (俄政府, 对俄贷款, 日俄), unless it opens 俄罗斯, 俄国, 俄语 or closes 俄亥俄
_RUSSIA = re.compile("(?<!亥)俄(?!罗斯|国|语|文|族|式|亥俄|顷|而)")
# a country visited, named by one character of jieba's words: 访美, 对日, 离俄
_VISIT_VERBS = set("访赴驻对抵离")
_ONE_COUNTRY = set("美日韩英法德印巴朝越泰意澳墨欧")
# 中方, 美方: the side a country takes
_SIDE = re.compile("^[中美日俄韩朝英法德印巴以意]方$")
# a compass part after a place: 新疆北部, 西南地区东部, 华北中南部
_COMPASS_TAIL = re.compile("(?:地区)?(?:[东西南北中]|东南|东北|西南|西北|中南|中东|中西|中北)部$")
# a party congress named by its number: 十五大, 中共十五大 (十大 "the top ten" is none: a number of two characters)
_PARTY_CONGRESS = re.compile("(?:中共)?(?:十[一二三四五六七八九]|二十[一二三四五六七八九]?)大"
                             "(?=精神|报告|代表|文件|决定|以来|以后|前后|期间|召开|提出|确定|强调|指出|明确|上|后|的|和|、|，|。|”|$)")
# legislatures, cabinets and armed services, alone or after their country: 国家杜马, 伊朗议会, 桥本内阁, 海军
_BODY_WORDS = {"国会", "议会", "杜马", "国家杜马", "国民议会", "参议院", "众议院", "上议院", "下议院", "内阁", "海军",
               "陆军", "空军"}
# venues the corpora mark as places: 中国美术馆, 南非国家博物馆, 香港展览中心, 虹口体育馆
_VENUE_TAIL = re.compile("(?:美术馆|博物馆|纪念馆|档案馆|展览馆|展览中心|体育馆|体育场|大剧院|演艺中心|图书大厦)$")
# what a country has that is no organization's name: 美国公司, 印度当局, 非洲球队, 墨西哥军队
_GENERIC_BELONGING = re.compile("(?:公司|球队|军队|部队|当局|政党|执政党|企业)$")
_GENERIC_OWNERS = {"上市", "外国", "国外", "跨国", "国有", "民营", "私营", "外资", "合资", "大型", "中小", "各国", "两国"}
# regions and bodies that the corpora mark as places when they stand as words of their own
_FREE_PLACE_WORDS = {"地球", "月球", "华北", "东北", "西北", "西南", "华南", "华东", "华中", "中华"}


def _abbreviation_places(text: str, lo: int, hi: int, words: list[str] | None) -> list[tuple[int, int]]:
    """Single characters naming a country or a province, as (start, end)."""
    out: set[tuple[int, int]] = set()
    for m in _PAIR_BEFORE.finditer(text, lo, hi):
        out.update((k, k + 1) for k in range(m.start(1), m.end(1)))
    for m in _VISITED.finditer(text, lo, hi):
        out.add(m.span())
    for m in _RUSSIA.finditer(text, lo, hi):
        out.add(m.span())
    if not words:
        return sorted(out)
    _, tags = _jieba()
    freq = _jieba()[0].dt.FREQ
    toks, pos = [], 0
    for w in words:
        toks.append((w, pos, pos + len(w)))
        pos += len(w)
    i, n = 0, len(toks)
    while i < n:
        w, a, b = toks[i]
        if a < lo or b > hi:
            i += 1
            continue
        if _SIDE.match(w):
            out.add((a, a + 1))
        # a run of jieba's words made only of abbreviation characters: 中美, 中/美/俄, 京津冀
        j = i
        while j < n and toks[j][2] <= hi and len(toks[j][0]) <= 2 and all(c in _ABBR_CHARS for c in toks[j][0]) \
                and not (len(toks[j][0]) == 1 and toks[j][0] in _ABBR_NOT_IN_RUNS):
            j += 1
        ra, rb = a, toks[j - 1][2] if j > i else b
        if j > i and 2 <= rb - ra <= 4 and not (ra > 0 and text[ra - 1].isdigit()):
            run = text[ra:rb]
            word_tag = tags.get(run) if j == i + 1 else None
            # one word of jieba's: a pair it knows (中美 ns, 中日 t), not a word of its own (非法, 中意) nor a
            # place it knows by that name (中欧, 中非)
            if j > i + 1 or word_tag in ("ns", "nt", "nz", "t", "j", "nr") and not (word_tag == "ns" and freq.get(run, 0) >= 50):
                out.update((k, k + 1) for k in range(ra, rb))
                i = j
                continue
        # 访美, 对日: a country after a visit, the verb and the country each a word (or one word of two)
        if w[-1:] in _ONE_COUNTRY and (len(w) == 2 and w[0] in _VISIT_VERBS
                                       or len(w) == 1 and i > 0 and toks[i - 1][0] in _VISIT_VERBS):
            out.add((b - 1, b))
        i += 1
    return sorted(out)


def _split_place_chain(text: str, a: int, b: int) -> list[tuple[str, str, int, int]]:
    """A place printed after its country or province is two places in these corpora: 江苏宜兴 -> 江苏, 宜兴;
    上海虹口体育馆 -> 上海, 虹口体育馆. The first must be a place jieba knows, the rest a place too."""
    surface = text[a:b]
    _, tags = _jieba()
    for n in (3, 2):
        head, rest = surface[:n], surface[n:]
        if len(rest) >= 2 and (head in PROVINCES or tags.get(head) == "ns") and (
                tags.get(rest) == "ns" or rest[-1] in "市县区镇村省州" and len(rest) >= 3 or _VENUE_TAIL.search(rest)):
            return [("place", head, a, a + n), ("place", rest, a + n, b)]
    return [("place", surface, a, b)]


def _free_place_prefix(text: str, a: int, e: int, extra_places) -> tuple[int, int] | None:
    """The place an organization's or region's name opens with (中国 of 中国政府, 新疆 of 新疆北部)."""
    head = text[a:e]
    if not head:
        return None
    _, tags = _jieba()
    if (head in PROVINCES or tags.get(head) == "ns" or (a, e) in extra_places
            or len(head) == 1 and head in _ABBR_CHARS or len(head) >= 2 and head[-1] in "省市县区州国"
            and head not in _GENERIC_PLACE and not _NOT_A_PLACE.search(head)):
        return a, e
    return None


def _free_conventions(text: str, chosen, extra, taken, lo: int, hi: int, words: list[str] | None):
    """Spans chosen on free text, brought to the conventions of Chinese NER corpora (see above)."""
    extra_places = {(a, b) for k, _, a, b in extra if k == "place"}
    out = []
    for kind, surface, a, b in chosen:
        if kind == "organization" and surface.endswith("政府"):
            end = b - 2
            while end > a and text[end - 1] in "新两各":  # 金大中新政府, 印度两国政府
                end -= 1
            place = _free_place_prefix(text, a, end, extra_places)
            if place:
                out.append(("place", text[place[0]:place[1]], *place))
            continue
        m = _COMPASS_TAIL.search(surface)
        if m and kind in ("organization", "place"):
            place = _free_place_prefix(text, a, b - len(m.group(0)), extra_places)
            if place:
                out.append(("place", text[place[0]:place[1]], *place))
            continue
        m = _GENERIC_BELONGING.search(surface) if kind == "organization" else None
        if m:  # 美国公司 -> 美国; 大公司 -> nothing; 微软公司 stays
            place = _free_place_prefix(text, a, b - len(m.group(0)), extra_places)
            if place:
                out.append(("place", text[place[0]:place[1]], *place))
            if place or b - a - len(m.group(0)) <= 1 or text[a:b - len(m.group(0))] in _GENERIC_OWNERS:
                continue
        if kind == "organization" and _VENUE_TAIL.search(surface):
            kind = "place"
        if kind == "place":
            out += _split_place_chain(text, a, b)
            continue
        out.append((kind, surface, a, b))
    for m in _PARTY_CONGRESS.finditer(text, lo, hi):
        out = [x for x in out if not (x[2] < m.end() and m.start() < x[3])]
        out.append(("organization", m.group(0), m.start(), m.end()))
    if words:  # a legislature or a service: after its country (伊朗议会) or alone (国会)
        pos = 0
        for w in words:
            end = pos + len(w)
            # the longest body word it ends with (国家杜马, not 杜马): a set's order changes from run to run
            body = max((x for x in _BODY_WORDS if w.endswith(x)), key=len, default=None) if lo <= pos and end <= hi else None
            if body:
                at = end - len(body)  # where the body's own word starts (伊朗议会 is one word of jieba's)
                before = [x for x in out if x[3] == at and x[2] >= pos - 8]
                inside = [x for x in out if x[2] < end and at < x[3] and x not in before]
                if before and not inside:
                    out.remove(before[0])
                    out.append(("organization", text[before[0][2]:end], before[0][2], end))
                elif not inside and at == pos:
                    out.append(("organization", w, pos, end))
            pos = end
    busy = _Spans([*taken, *((a, b) for _, _, a, b in out)])
    found = _abbreviation_places(text, lo, hi, words)
    if words:
        pos = 0
        for w in words:
            if w in _FREE_PLACE_WORDS and lo <= pos and pos + len(w) <= hi:
                found.append((pos, pos + len(w)))
            pos += len(w)
    for a, b in sorted(found):
        if not busy.overlaps(a, b):
            busy.add(a, b)
            out.append(("place", text[a:b], a, b))
    out.sort(key=lambda x: x[2])
    return out
