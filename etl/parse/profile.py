"""Genre profiles: the conventions of a paper, read from TOML (no text of any paper in code).

``profiles/default.toml`` (package data) covers Chinese newspapers broadly. A
paper's own profile is a TOML file with the same tables, laid over the
default: lists are extended, single values replaced (a list named in
``[profile] replace`` is replaced instead). One is selected

* by ``--profile FILE`` (or ``$NEWSETL_PROFILE``);
* else by the newspaper name (``--newspaper``, ``$NEWSETL_NEWSPAPER``) listed in
  a profile's ``newspapers``;
* else by a masthead string of a profile's ``mastheads`` printed near the top
  of the file;

among the profiles shipped in ``etl/parse/profiles/`` and those in the folder
``$NEWSETL_PROFILE_DIR`` (default ``./profiles`` when it exists). Profiles are
read and compiled once per process.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.errors import ProfileError

PACKAGE_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_FILE = PACKAGE_DIR / "default.toml"
ROLES = ("reporter", "correspondent", "trainee_reporter", "photographer", "author", "credit")
MASTHEAD_WINDOW = 3000  # characters from the top of a file searched for a profile's masthead

# What a profile may contain: table -> keys. Anything else is a typo worth an error.
SCHEMA: dict[str, set[str]] = {
    "profile": {"name", "description", "newspapers", "mastheads", "replace", "extends"},
    "macros": set(),  # any name
    "datelines": {"patterns", "reported_by", "reprint_lines", "reprint_tail"},
    "roles": {"words", "prefixes", "media_role", "photo_tags", "text_tags", "attached_tags", "byline_tags", "markers",
              "nickname_prefixes", "institution_endings"},
    "pages": {"labels", "label_hint", "date_line", "column_line", "masthead", "staff_line", "staff_keys", "banner"},
    "items": {"brief_markers", "caption_markers", "numbered_markers", "signature_mark", "photo_cues",
              "column_labels", "brief_columns", "column_label_endings", "brief_column_endings", "column_label_pattern",
              "intertitle", "caption_opening", "report_opening", "news_lead", "interview_speakers", "editor_notes",
              "furniture", "title_max_chars",
              "long_item_chars"},
}


@dataclass(frozen=True)
class PageLabelPattern:
    regex: re.Pattern
    repeats: bool  # a block header repeated under the page's own label: no new page


@dataclass(frozen=True)
class Profile:
    """A compiled genre profile. Patterns apply to a line's clean text (etl.parse.clean)."""

    name: str
    files: tuple[str, ...]  # the TOML files it was merged from, default first
    newspapers: tuple[str, ...]
    mastheads: tuple[str, ...]
    # datelines
    dateline: re.Pattern  # at the start of a text with whitespace removed
    reported_by: re.Pattern
    reprint_line: re.Pattern
    reprint_tail: re.Pattern
    # credits
    role_of: dict  # role word -> role code
    role_token: re.Pattern  # prefixes + a role word; group "word"
    role_word: re.Pattern  # a role word alone (a quick test)
    media_token: re.Pattern
    media_role: str
    photo_tags: tuple[str, ...]
    text_tags: tuple[str, ...]
    attached_tags: tuple[str, ...]
    byline_tags: tuple[str, ...]  # words after the names of a byline printed above the body ("本报记者 赵静 报道")
    credit_markers: str
    nickname_prefixes: tuple[str, ...]
    institution_endings: tuple[str, ...]
    # pages
    page_labels: tuple[PageLabelPattern, ...]
    any_page_label: re.Pattern  # all of them at once (a quick test before trying each)
    label_hint: re.Pattern | None  # a page-label line holds one of these characters
    date_line: re.Pattern
    column_line: re.Pattern
    masthead: re.Pattern
    staff_line: re.Pattern
    staff_keys: dict
    banner: re.Pattern
    # items
    brief_markers: str
    caption_markers: str
    numbered_markers: str
    signature_mark: str
    photo_cues: tuple[str, ...]
    column_labels: frozenset[str]
    brief_columns: frozenset[str]
    column_label_endings: tuple[str, ...]
    brief_column_endings: tuple[str, ...]
    column_label_pattern: re.Pattern
    intertitle: re.Pattern
    caption_opening: re.Pattern
    report_opening: re.Pattern
    news_lead: re.Pattern
    interview_speakers: tuple[str, ...]
    editor_notes: tuple[str, ...]
    furniture: re.Pattern  # lines of page furniture in the text (editors, where the article was printed)
    title_max_chars: int
    long_item_chars: int

    def is_column_label(self, text: str) -> bool:
        """A column label or decorative line: "图片新闻", "县区头条", "【民生速递】" (spaces removed)."""
        return text in self.column_labels or bool(self.column_label_pattern.match(text)) or (
            2 <= len(text) <= 6 and any(text.endswith(e) and len(text) > len(e) for e in self.column_label_endings))

    def is_brief_column(self, text: str) -> bool:
        """A label under which every paragraph is a brief: "简讯", "本市简讯", "【民生速递】"."""
        text = text.strip("【】[]〖〗")
        return text in self.brief_columns or (
            2 <= len(text) <= 6 and any(text.endswith(e) for e in self.brief_column_endings))


# ---------------------------------------------------------------- reading

def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ProfileError(str(path), "no such file") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(str(path), f"not a readable TOML file: {exc}") from None
    for table, keys in data.items():
        if table not in SCHEMA:
            raise ProfileError(str(path), f"unknown table [{table}] (known: {', '.join(SCHEMA)})")
        if not isinstance(keys, dict):
            raise ProfileError(str(path), f"[{table}] must be a table")
        unknown = set(keys) - SCHEMA[table] if SCHEMA[table] else set()
        if unknown:
            raise ProfileError(str(path), f"unknown key(s) in [{table}]: {', '.join(sorted(unknown))}")
    return data


def _merge(base: dict, over: dict) -> dict:
    replace = set(over.get("profile", {}).get("replace", []))
    out = {table: dict(keys) for table, keys in base.items()}
    for table, keys in over.items():
        target = out.setdefault(table, {})
        for key, value in keys.items():
            old = target.get(key)
            if table != "profile" and isinstance(old, list) and isinstance(value, list) \
                    and f"{table}.{key}" not in replace:
                target[key] = value + [v for v in old if v not in value]  # the paper's own first
            else:
                target[key] = value
    return out


# ---------------------------------------------------------------- compiling

def _expand(pattern: str, macros: dict[str, str], path: str) -> str:
    for _ in range(8):  # macros may use macros
        new = re.sub(r"\{([A-Z_]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    left = re.findall(r"\{([A-Z_]+)\}", pattern)
    if left:
        raise ProfileError(path, f"unknown macro {{{left[0]}}} in pattern {pattern[:60]!r}")
    return pattern


def _compile(pattern: str, macros: dict[str, str], path: str, what: str, anchored: bool = True) -> re.Pattern:
    expanded = _expand(pattern, macros, path)
    try:
        return re.compile(rf"^(?:{expanded})$" if anchored else expanded)
    except re.error as exc:
        raise ProfileError(path, f"{what}: bad pattern {pattern[:60]!r}: {exc}") from None


def _unnamed(pattern: str) -> str:
    """A pattern with its named groups made plain groups (so several can be joined in one)."""
    return re.sub(r"\(\?P<\w+>", "(", pattern)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _build(data: dict, files: tuple[str, ...]) -> Profile:
    path = files[-1]
    try:
        p, dl, ro, pg, it = (data.get(t, {}) for t in ("profile", "datelines", "roles", "pages", "items"))
        macros = {k: str(v) for k, v in data.get("macros", {}).items()}
        words = [(str(w), str(r)) for w, r in ro["words"]]
        bad = [r for _, r in words if r not in ROLES] + ([ro["media_role"]] if ro["media_role"] not in ROLES else [])
        if bad:
            raise ProfileError(path, f"unknown role {bad[0]!r} (known: {', '.join(ROLES)})")
        prefixes = "|".join(f"(?:{x})" for x in ro["prefixes"])
        macros["ROLE"] = rf"(?:(?:{prefixes})\s*)*(?:{_alternation(w for w, _ in words)})"
        role_token = _compile(rf"(?:(?:{prefixes})\s*)*(?P<word>{_alternation(w for w, _ in words)})",
                              macros, path, "roles", anchored=False)
        labels = tuple(PageLabelPattern(_compile(str(x["pattern"]), macros, path, "pages.labels"),
                                        bool(x.get("repeats", False))) for x in pg["labels"])
        return Profile(
            name=str(p.get("name", Path(path).stem)), files=files,
            newspapers=tuple(p.get("newspapers", ())), mastheads=tuple(p.get("mastheads", ())),
            dateline=_compile("(?:" + "|".join(f"(?:{x})" for x in dl["patterns"]) + ")", macros, path,
                              "datelines.patterns", anchored=False),
            reported_by=_compile(dl["reported_by"], macros, path, "datelines.reported_by", anchored=False),
            reprint_line=_compile("|".join(f"(?:{x})" for x in dl["reprint_lines"]), macros, path,
                                  "datelines.reprint_lines"),
            reprint_tail=_compile(dl["reprint_tail"], macros, path, "datelines.reprint_tail"),
            role_of=dict(words), role_token=role_token,
            role_word=re.compile(_alternation(w for w, _ in words)),
            media_token=_compile(macros.get("MEDIA", "(?!x)x"), macros, path, "macros.MEDIA", anchored=False),
            media_role=str(ro["media_role"]),
            photo_tags=tuple(ro["photo_tags"]), text_tags=tuple(ro["text_tags"]),
            attached_tags=tuple(ro.get("attached_tags", ())),
            byline_tags=tuple(ro.get("byline_tags", ())),
            credit_markers=str(ro["markers"]), nickname_prefixes=tuple(ro["nickname_prefixes"]),
            institution_endings=tuple(ro["institution_endings"]),
            page_labels=labels,
            label_hint=re.compile("[" + re.escape(pg["label_hint"]) + "]") if pg.get("label_hint") else None,
            any_page_label=re.compile("|".join(f"(?:{_unnamed(x.regex.pattern)})" for x in labels)),
            date_line=_compile(pg["date_line"], macros, path, "pages.date_line"),
            column_line=_compile(pg["column_line"], macros, path, "pages.column_line"),
            masthead=_compile(pg["masthead"], macros, path, "pages.masthead"),
            staff_line=_compile(pg["staff_line"], macros, path, "pages.staff_line", anchored=False),
            staff_keys=dict((str(k), str(v)) for k, v in pg["staff_keys"]),
            banner=_compile(pg["banner"], macros, path, "pages.banner"),
            brief_markers=str(it["brief_markers"]), caption_markers=str(it["caption_markers"]),
            numbered_markers=str(it["numbered_markers"]), signature_mark=str(it["signature_mark"]),
            photo_cues=tuple(it["photo_cues"]), column_labels=frozenset(it["column_labels"]),
            brief_columns=frozenset(it["brief_columns"]),
            column_label_endings=tuple(it["column_label_endings"]),
            brief_column_endings=tuple(it["brief_column_endings"]),
            column_label_pattern=_compile(it["column_label_pattern"], macros, path, "items.column_label_pattern"),
            intertitle=_compile(it["intertitle"], macros, path, "items.intertitle", anchored=False),
            caption_opening=_compile(it["caption_opening"], macros, path, "items.caption_opening", anchored=False),
            report_opening=_compile(it["report_opening"], macros, path, "items.report_opening", anchored=False),
            news_lead=_compile(it["news_lead"], macros, path, "items.news_lead", anchored=False),
            interview_speakers=tuple(it.get("interview_speakers", ())),
            editor_notes=tuple(it.get("editor_notes", ())),
            furniture=_compile("|".join(f"(?:{x})" for x in it.get("furniture", ())) or "(?!)", macros, path,
                               "items.furniture"),
            title_max_chars=int(it["title_max_chars"]), long_item_chars=int(it["long_item_chars"]),
        )
    except KeyError as exc:
        raise ProfileError(path, f"missing key {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise ProfileError(path, f"a value has the wrong type: {exc}") from None


@lru_cache(maxsize=32)
def _load(paths: tuple[str, ...]) -> Profile:
    data = _read(DEFAULT_FILE)
    for path in paths:
        data = _merge(data, _read(Path(path)))
    return _build(data, (str(DEFAULT_FILE), *paths))


def default_profile() -> Profile:
    return _load(())


def load_profile(path: str | os.PathLike) -> Profile:
    """The default profile with the paper's profile at ``path`` laid over it."""
    return _load((str(Path(path).resolve()),))


# ---------------------------------------------------------------- selecting

def profile_dirs() -> list[Path]:
    dirs = [PACKAGE_DIR]
    extra = os.environ.get("NEWSETL_PROFILE_DIR")
    if extra:
        dirs += [Path(d) for d in extra.split(os.pathsep) if d]
    elif Path("profiles").is_dir():
        dirs.append(Path("profiles"))
    return dirs


@lru_cache(maxsize=8)
def _paper_profiles(dirs: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(path, newspapers, mastheads) of every paper profile in ``dirs`` (not the default)."""
    out = []
    for d in dirs:
        for path in sorted(Path(d).glob("*.toml")):
            if path.resolve() == DEFAULT_FILE:
                continue
            head = _read(path).get("profile", {})
            out.append((str(path.resolve()), tuple(head.get("newspapers", ())), tuple(head.get("mastheads", ()))))
    return tuple(out)


def select_profile(text: str = "", newspaper: str | None = None, profile: str | os.PathLike | None = None) -> Profile:
    """The profile for a file: given explicitly, else by newspaper name, else by masthead, else the default.

    ``profile`` and ``newspaper`` default to $NEWSETL_PROFILE and $NEWSETL_NEWSPAPER, so
    parse worker processes see what the command line chose.
    """
    profile = profile or os.environ.get("NEWSETL_PROFILE") or None
    if profile:
        return load_profile(profile)
    newspaper = newspaper or os.environ.get("NEWSETL_NEWSPAPER") or None
    papers = _paper_profiles(tuple(str(d) for d in profile_dirs()))
    if newspaper:
        for path, names, _ in papers:
            if newspaper in names:
                return load_profile(path)
    head = text[:MASTHEAD_WINDOW]
    for path, _, mastheads in papers:
        if any(m and m in head for m in mastheads):
            return load_profile(path)
    return default_profile()
