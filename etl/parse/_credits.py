"""Credit phrases: who is credited, in what role, read with the profile's role words and tags.

A credit phrase is a run of role words ("本报记者", "潍坊日报社全媒体记者", "实习生"),
names ("汤 珏", "孙艺丛 台可"), and words saying what they did ("摄", "文/图",
"采访整理"), optionally in parentheses and after a marker ("□", "■"):

    记者 叶晖 通讯员 陈兴长 摄      -> 叶晖, 陈兴长: photographer (the photo word covers both)
    (小阳 文 新吴妇联 摄)           -> 小阳: credit; 新吴妇联 is an institution, no person
    见习记者 连漪 文/图              -> 连漪: trainee_reporter
    (本报记者)                      -> a credit naming nobody

Offsets returned are into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.parse._text import looks_like_name
from etl.parse.lexicon import CJK, NOT_PERSON
from etl.parse.profile import Profile, default_profile

_CJK1 = re.compile(f"[{CJK}]")
_NO_CREDIT = re.compile(r"[（()）。！？!?“”《》\n]")  # a credit holds none of these
_MEDIA_HINT = re.compile("[报台心网]")  # every paper or station a credit may name ends so
_SEP = re.compile(r"[\s、，,；;·/／]+")
_OPEN, _CLOSE = "（(", "）)"


@dataclass(frozen=True)
class CreditName:
    name: str  # whitespace removed
    role: str
    start: int  # span of the name as printed (spaces inside kept)
    end: int


@dataclass(frozen=True)
class CreditPhrase:
    start: int  # where the phrase starts (marker or parenthesis included)
    end: int
    names: tuple[CreditName, ...]
    stated: bool  # a role word or a "摄"/"文/图" word is printed
    paren: bool
    photo: bool = False  # a photo credit ("摄", "摄影")
    text: bool = False  # a credit for the text ("文", "文/图", "采访整理")
    closing: bool = False  # a credit word after the names ("张三 摄", "李四 文/图"): how credits end an item


def _tag_at(text: str, pos: int, end: int, profile: Profile) -> tuple[str, str] | None:
    """("photo"|"text", word) when a credit word ("摄", "文/图") starts at pos and ends a word there."""
    regex, kinds = _tags(profile)
    m = regex.match(text, pos, end)
    if m is None:
        return None
    tag = m.group(0)
    after = m.end()
    if after >= end or not _CJK1.match(text[after]) or profile.role_token.match(text, after, end):
        return kinds[tag], tag
    return None


def _attached_tag(text: str, pos: int, end: int, profile: Profile) -> bool:
    """A credit word right after a name, no space between ("徐宏星摄", "邢哲文/图")."""
    tag = _tag_at(text, pos, end, profile)
    if tag is None:
        return False
    after = pos + len(tag[1])
    # "图：" or "图/" after a name: the word leads the next credit ("文/李娜 图/张帆")
    return len(tag[1]) > 1 or tag[1] in profile.attached_tags or (after < end and text[after] in ":：/／")


def _tags(profile: Profile) -> tuple[re.Pattern, dict[str, str]]:
    cached = _TAGS.get(id(profile))
    if cached is None or cached[0] is not profile:
        kinds = {t: "text" for t in profile.text_tags} | {t: "photo" for t in profile.photo_tags}
        regex = re.compile("|".join(re.escape(t) for t in sorted(kinds, key=len, reverse=True)))
        cached = _TAGS[id(profile)] = (profile, regex, kinds)
    return cached[1], cached[2]


_TAGS: dict[int, tuple] = {}
MAX_PHRASE = 80  # a credit is short; longer text is a sentence


def parse_phrase(text: str, start: int = 0, end: int | None = None, profile: Profile | None = None, *,
                 default_role: str = "credit", require_stated: bool = False) -> CreditPhrase | None:
    """Read text[start:end] as one credit phrase, or None when it is anything else."""
    profile = profile or default_profile()
    end = len(text) if end is None else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    lo, hi = start, end
    while lo < hi and text[lo] in profile.credit_markers:
        lo += 1
    paren = False
    if lo < hi and text[lo] in _OPEN and text[hi - 1] in _CLOSE:
        paren, lo, hi = True, lo + 1, hi - 1
    if lo >= hi or hi - lo > MAX_PHRASE or _NO_CREDIT.search(text, lo, hi):
        return None
    # what the phrase can hold at all (quick tests that spare most per-character checks)
    has_role = profile.role_word.search(text, lo, hi) is not None
    has_tag = _tags(profile)[0].search(text, lo, hi) is not None
    has_media = _MEDIA_HINT.search(text, lo, hi) is not None
    names: list[tuple[CreditName, bool]] = []  # with: was the role printed (or a photo word)?
    pending: list[list] = []  # [name, role or None, start, end]
    role: str | None = None
    next_role: str | None = None  # a photo/text word printed before the names ("文/图 邢哲")
    stated = photo = wrote = closing = False
    chunk: list[tuple[int, int]] = []  # the name tokens being read

    def flush_chunk():
        for name, a, b in _join_tokens(text, chunk):
            pending.append(["photographer" if next_role == "photographer" else role, a, b, name])
        chunk.clear()

    def settle(tag_kind: str | None):
        for r, a, b, name in pending:
            explicit = r is not None or tag_kind == "photo"
            if tag_kind == "photo":
                r = "photographer"
            names.append((CreditName(name, r or default_role, a, b), explicit))
        pending.clear()

    pos = lo
    lead_mode = False
    after_word = False  # the last thing read was a role or credit word: a colon may follow ("文：张三")
    while pos < hi:
        if text[pos] in ":：":
            if not after_word:
                return None
            after_word = False
            pos += 1
            continue
        m = _SEP.match(text, pos, hi)
        if m:
            if not m.group(0).isspace():
                flush_chunk()  # "、" ends a name; a space may be inside a spaced-out one ("汤 珏")
            pos = m.end()
            continue
        tag = _tag_at(text, pos, hi, profile) if has_tag else None
        if tag and (chunk or pending or not (has_role and profile.role_token.match(text, pos, hi))):
            flush_chunk()
            stated = True
            photo = photo or tag[0] == "photo"
            wrote = wrote or tag[0] == "text"
            after = pos + len(tag[1])
            if not (names or pending):
                lead_mode = True  # the phrase opens with a credit word: "文 李四 图 王五"
            leads = lead_mode or after < hi and text[after] in ":："  # "图：通讯员 吴敏", "文/图 邢哲"
            if leads:
                settle(None)
                next_role = "photographer" if tag[0] == "photo" else None
                role = None
            else:
                closing = True
                settle(tag[0])
            pos = after
            after_word = True
            continue
        rm = profile.role_token.match(text, pos, hi) if has_role or has_media else None
        if rm:
            flush_chunk()
            role, stated = profile.role_of[rm.group("word")], True
            photo = photo or role == "photographer"
            pos = rm.end()
            after_word = True
            continue
        mm = profile.media_token.match(text, pos, hi) if has_media else None
        if mm and (pos == lo or not _CJK1.match(text[pos - 1])) and (mm.end() >= hi or text[mm.end()].isspace()):
            flush_chunk()
            role, stated = profile.media_role, True
            pos = mm.end()
            continue
        if not _CJK1.match(text[pos]):
            return None
        after_word = False
        # a name character: read up to a separator, a role word or a credit word
        a = pos
        while pos < hi and _CJK1.match(text[pos]) and (pos == a or (
                not ((has_role or has_media) and profile.role_token.match(text, pos, hi))
                and not (has_tag and _attached_tag(text, pos, hi, profile)))):
            pos += 1
            if pos - a > 4:
                return None  # no name is that long: this is a sentence
        chunk.append((a, pos))
    flush_chunk()
    settle(None)
    if not names and not stated:
        return None
    if require_stated and not stated:
        return None
    kept: list[CreditName] = []
    for n, explicit in names:
        if explicit and not looks_like_name(n.name) and any(n.name.endswith(e) for e in profile.institution_endings):
            continue  # "新吴妇联 摄", "新宣 摄": an institution credited, no person
        if not _person_like(n.name, explicit, profile):
            return None
        kept.append(n)
    if names and not kept and not stated:
        return None
    return CreditPhrase(start, end, tuple(kept), stated, paren, photo, wrote, closing)


def _person_like(name: str, role_stated: bool, profile: Profile) -> bool:
    if not (2 <= len(name) <= 4) or name in NOT_PERSON:
        return False
    if looks_like_name(name):
        return True
    if len(name) <= 3 and name[0] in profile.nickname_prefixes:
        return True  # 小汤, 老陈
    # a rare surname after a role word ("记者 台可"), but no words ("记者在这里")
    return role_stated and len(name) <= 3 and not any(c in _FUNCTION_CHARS for c in name)


_FUNCTION_CHARS = set("在这那了的是有和与到从对为把被将就也都还又个们着过给让向于以及其之所已再")


def _join_tokens(text: str, chunk: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Name tokens -> names: a run of single characters is one spaced-out name ("汤 珏"); a single
    character after a longer token finishes it ("刘金 元", a name cut by a line end)."""
    out: list[list] = []
    run: list[tuple[int, int]] = []

    def close_run():
        if not run:
            return
        if len(run) == 1 and out and out[-1][3]:
            out[-1][0] += text[run[0][0]:run[0][1]]
            out[-1][2] = run[0][1]
            out[-1][3] = False
        else:
            out.append(["".join(text[a:b] for a, b in run), run[0][0], run[-1][1], False])
        run.clear()

    for a, b in chunk:
        if b - a == 1:
            run.append((a, b))
            continue
        close_run()
        out.append([text[a:b], a, b, True])  # True: may take one trailing single character
    close_run()
    return [piece for n, a, b, _ in out for piece in _two_names(text, n, a, b)]


def _two_names(text: str, name: str, a: int, b: int) -> list[tuple[str, int, int]]:
    """Four characters that are no name but two ("李 明 王 芳" printed spaced out, read as "李明王芳")."""
    if len(name) != 4 or b - a != 4 or looks_like_name(name):
        return [(name, a, b)]
    if looks_like_name(name[:2]) and looks_like_name(name[2:]):
        return [(name[:2], a, a + 2), (name[2:], a + 2, b)]
    return [(name, a, b)]


# ---------------------------------------------------------------- where credits stand

_TRAIL_PAREN = re.compile(r"[（(][^（()）]{0,40}[）)]\s*$")
_TERMINAL = "。！？!?…”」』）)"
_LAST_SENTENCE_END = re.compile(f"[{re.escape(_TERMINAL)}](?=[^{re.escape(_TERMINAL)}]*$)")


def credit_line(text: str, profile: Profile | None = None, *, require_stated: bool = False) -> CreditPhrase | None:
    """The whole text (a line or paragraph) is a credit phrase: in parentheses, or with a role or credit word."""
    profile = profile or default_profile()
    if len(text) > MAX_PHRASE + 8 or not _worth_reading(text.strip(), profile):
        return None  # (a quick test: most lines are text)
    return parse_phrase(text, 0, len(text), profile, require_stated=require_stated)


def _worth_reading(s: str, profile: Profile) -> bool:
    if not s:
        return False
    if s[-1] in _CLOSE and (s[0] in _OPEN or s.lstrip(profile.credit_markers)[:1] in _OPEN):
        return True
    return bool(profile.role_word.search(s) or _tags(profile)[0].search(s)
                or _MEDIA_HINT.search(s) and profile.media_token.search(s))


def trailing_credit(text: str, profile: Profile | None = None) -> CreditPhrase | None:
    """A credit closing text: "…落户明光。 (郭茂让 周佳佳)", "…解决。   记者 武逸民 文/图",
    "…涌动。徐昱 朱立奇 李文芳 摄"; or the whole text when it is one."""
    end = len(text.rstrip())
    window = max(0, end - MAX_PHRASE - 2)  # a credit is short: only the end of text is read
    m = _TRAIL_PAREN.search(text, window, end)
    if m:
        phrase = parse_phrase(text, m.start(), end, profile)
        if phrase and (phrase.names or phrase.stated):
            return phrase
    # a bare credit after the last sentence end (a role word or a credit word required)
    last = _LAST_SENTENCE_END.search(text, window, end)
    cut = last.start() if last else -1
    if cut < 0 and window > 0:
        return None  # no sentence ends near the end: whatever closes text is longer than a credit
    if cut < end - 1 and end - cut <= MAX_PHRASE and _worth_reading(text[cut + 1:end], profile or default_profile()):
        phrase = parse_phrase(text, cut + 1, end, profile, require_stated=True)
        if phrase:
            return phrase
    return None


def leading_paren(text: str, pos: int, profile: Profile | None = None) -> CreditPhrase | None:
    """A byline parenthesis at text[pos:] (after a dateline): "（记者郭树勋 通讯员孙璐）", "(周卫合)"."""
    i = pos
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] not in _OPEN:
        return None
    close = min((text.find(c, i) for c in _CLOSE if text.find(c, i) >= 0), default=-1)
    if close < 0 or close - i > 48:
        return None
    return parse_phrase(text, i, close + 1, profile)


_TOKEN = re.compile(r"\S+")
_CJK_TOKEN = re.compile(f"[{CJK}]+")
MAX_LEAD_TOKENS = 8  # "通讯员 林晓 记者 高原 实习生 吴迪": role words and names before the text


def inline_byline(text: str, pos: int, profile: Profile | None = None) -> CreditPhrase | None:
    """A byline printed without parentheses after a dateline: "本报讯 记者 周明轩 近日，…",
    "本报讯 通讯员 林晓 记者 高原 11月18日，…" (role words and names set off by spaces), or
    "本报讯 记者周明轩近日，…" (a role word, a name, then a word that opens a report's first
    sentence: the profile's ``report_opening``). The phrase must open with a role word."""
    profile = profile or default_profile()
    i = pos
    while i < len(text) and text[i].isspace():
        i += 1
    if not profile.role_token.match(text, i, i + 24):
        return None
    tokens = []
    for m in _TOKEN.finditer(text, i, i + MAX_PHRASE):
        if len(tokens) > MAX_LEAD_TOKENS or not _CJK_TOKEN.fullmatch(m.group(0)):
            tokens.append(m)
            break
        tokens.append(m)
    best, used = None, 0
    # the longest run of whole tokens that reads as a credit, with text after it
    for n in range(1, len(tokens)):
        phrase = parse_phrase(text, i, tokens[n - 1].end(), profile, require_stated=True)
        if phrase is None:
            if best is not None:
                break
            continue
        if phrase.names and not phrase.closing:
            best, used = phrase, n
    # a name glued to the first words of the text ("记者周明轩近日，", "实习生 吴迪11月18日，"):
    # the name is followed by what opens a report's first sentence (a date, 近日, 日前…)
    if used < len(tokens):
        tok = tokens[used].start()
        if used == 0:  # nothing read yet: the name follows the role word, glued or not
            tok = profile.role_token.match(text, i).end()
            while tok < len(text) and text[tok].isspace():
                tok += 1
        for size in (2, 3):  # "吴桐自11月…" is 吴桐 (自…以来); "周明轩近日…" is 周明轩
            name = text[tok:tok + size]
            if looks_like_name(name) and profile.report_opening.match(text, tok + size):
                phrase = parse_phrase(text, i, tok + size, profile, require_stated=True)
                if phrase is not None and phrase.names and len(phrase.names) > len(best.names if best else ()):
                    return phrase
    return best


def leading_byline_paren(text: str, profile: Profile | None = None) -> CreditPhrase | None:
    """A byline parenthesis opening a body that has no dateline: "（本报记者 程雪）清晨七点，…".
    A role word is required: "（上接第一版）" or "（一）" is no byline."""
    phrase = leading_paren(text, 0, profile)
    return phrase if phrase is not None and phrase.names and phrase.stated and not phrase.photo else None
