"""What a reader sees for the database's names and codes: Chinese first, the English term beside it.

The database keeps stable English codes (``role = 'reporter'``, ``kind = 'brief'``,
``date_source = 'text'``) so that SQL written against it never breaks; the web pages
show these labels instead, with the code in a tooltip or a second line.
"""

from __future__ import annotations

# Tables and views, as headings.
TABLES: dict[str, tuple[str, str]] = {
    "newspaper": ("报纸", "newspapers"),
    "issue": ("期次", "issues"),
    "page": ("版面", "pages"),
    "article": ("文章", "articles"),
    "article_search": ("文章检索", "article search"),
    "article_source": ("文章来源文件", "article sources"),
    "person": ("人物", "people"),
    "organization": ("机构", "organizations"),
    "place": ("地点", "places"),
    "mention": ("提及", "mentions"),
    "page_staff": ("版面编辑人员", "page staff"),
    "person_title": ("人物职务", "person titles"),
    "source_file": ("源文件", "source files"),
    "source_file_name": ("源文件路径", "source file names"),
    "rejected_file": ("未能载入的文件", "rejected files"),
    "load_run": ("载入记录", "load runs"),
}

# Columns, as table and query headings.
COLUMNS: dict[str, str] = {
    "id": "编号", "name": "名称", "masthead": "报头", "newspaper": "报纸", "newspaper_id": "报纸",
    "issue_id": "期次", "issue_date": "日期", "edition": "版别", "date_source": "日期来源", "label": "标签",
    "page_id": "版面", "page_label": "版次", "section": "栏目", "file_order": "文件内顺序",
    "has_header": "有版头", "editor": "编辑", "proofreader": "校对", "layout_editor": "组版", "hotline": "新闻热线",
    "first_line": "首行", "seq": "序号", "kind": "类型", "title": "标题", "headline": "标题", "kicker": "引题",
    "subheadline": "副题", "dateline": "电头", "byline": "署名", "event_date": "事件日期", "body": "正文",
    "start_offset": "起始位置", "end_offset": "结束位置", "line_start": "起始行", "line_end": "结束行",
    "content_hash": "内容哈希", "text_key": "文本键", "article_id": "文章", "person_id": "人物",
    "organization_id": "机构", "place_id": "地点", "role": "身份", "roles": "身份", "surface": "原文写法",
    "field": "所在字段", "found_by": "识别方式", "entity": "名称", "entity_kind": "类别", "entity_id": "编号",
    "variants": "其他写法", "variant_evidence": "合并依据", "articles": "文章数", "mentions": "提及次数",
    "titles_printed": "所印职务", "title_printed": "所印职务", "first_seen": "首见", "last_seen": "末见",
    "first_article": "首篇文章", "person": "人物", "appears_with": "同时出现", "appears_with_id": "编号",
    "articles_together": "共同文章", "first_together": "首次同现", "last_together": "末次同现",
    "credited_as": "署名身份", "characters": "字数", "month": "月份", "path": "路径", "sha256": "SHA-256",
    "size_bytes": "字节数", "encoding": "编码", "newline": "换行符", "first_loaded_at": "首次载入",
    "last_loaded_at": "最近载入", "last_load_run_id": "最近载入记录", "source_file_id": "源文件",
    "reason": "原因", "first_rejected_at": "首次拒收", "last_rejected_at": "最近拒收", "times": "次数",
    "started_at": "开始", "finished_at": "结束", "status": "状态", "files_seen": "文件数",
    "files_added": "新增", "files_replaced": "替换", "files_unchanged": "未变", "files_failed": "失败",
    "articles_loaded": "载入文章", "tool_version": "版本", "arguments": "参数", "errors": "错误",
    "bm25": "相关度", "search": "检索", "weight": "共同文章数", "source": "起点", "target": "终点",
}

# Parameters of the canned queries, as form labels.
PARAMS: dict[str, str] = {
    "name": "姓名或名称", "other": "另一人", "date": "日期（YYYY-MM-DD）", "start": "起始日期（YYYY-MM-DD）",
    "end": "截止日期（YYYY-MM-DD）", "title": "职务", "q": "检索词",
}

# Code values of a column, by column name.
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "role": {
        "mentioned": ("提及", "mentioned"), "reporter": ("记者", "reporter"),
        "correspondent": ("通讯员", "correspondent"), "trainee_reporter": ("见习记者", "trainee reporter"),
        "photographer": ("摄影", "photographer"), "author": ("作者", "author"), "credit": ("署名", "credit"),
        "editor": ("编辑", "editor"), "proofreader": ("校对", "proofreader"),
        "layout_editor": ("组版", "layout editor"),
    },
    "kind": {
        "article": ("文章", "article"), "brief": ("简讯", "brief"), "photo": ("图片", "photo"),
        "commentary": ("评论", "commentary"), "other": ("其他", "other"),
    },
    "entity_kind": {
        "person": ("人物", "person"), "organization": ("机构", "organization"), "place": ("地点", "place"),
    },
    "date_source": {
        "header": ("版头印刷", "printed in a page header"), "text": ("据正文推断", "inferred from the text"),
    },
    "field": {"headline": ("标题", "headline"), "body": ("正文", "body"), "byline": ("署名", "byline")},
    "found_by": {"parse": ("本文识别", "found in this article"), "corpus": ("他文已知", "known from other articles")},
    "status": {
        "running": ("进行中", "running"), "ok": ("成功", "ok"), "partial": ("部分失败", "partial"),
        "failed": ("失败", "failed"),
    },
}
# Columns holding codes of another column, or lists of them ("mentioned,reporter").
CODE_COLUMNS = {"role": "role", "roles": "role", "credited_as": "role", "kind": "kind",
                "entity_kind": "entity_kind", "date_source": "date_source", "field": "field",
                "found_by": "found_by", "status": "status"}


def table_label(name: str) -> tuple[str, str]:
    """(Chinese, English) for a table; the name itself when it has none."""
    return TABLES.get(name, (name, name))


def column_label(name: str) -> str | None:
    return COLUMNS.get(name)


def code_label(column: str, value: str) -> tuple[str, str] | None:
    """(Chinese, English) for one code of ``column`` (or a column holding its codes), else None."""
    codes = CODES.get(CODE_COLUMNS.get(column, column), {})
    return codes.get(value)


def codes_label(column: str, value: str, separator: str = "、") -> tuple[str, str] | None:
    """Like ``code_label`` for a comma-separated list of codes (``group_concat(role)``)."""
    if column not in CODE_COLUMNS or not isinstance(value, str):
        return None
    labels = [code_label(column, part.strip()) for part in value.split(",") if part.strip()]
    if not labels or any(x is None for x in labels):
        return None
    return separator.join(x[0] for x in labels), ", ".join(x[1] for x in labels)
