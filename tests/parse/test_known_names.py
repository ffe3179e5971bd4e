"""Names known from other documents, recognized in a text only where jieba cuts them as words."""

from __future__ import annotations

import pytest

from etl.parse.known_names import find_known_names

NAMES = frozenset({"吕沛", "高峰", "王东", "杨磊", "赵俊峰", "赵俊生"})

CASES = [
    # text, names found (surface, title)
    ("市政协副主席、高新区党工委书记吕沛出席会议。", [("吕沛", "市政协副主席、高新区党工委书记")]),
    ("吕沛强调，要抓好安全生产。", [("吕沛", None)]),
    ("早晚高峰期车辆较多，高峰表示同意。", [("高峰", None)]),  # not the 高峰 of 高峰期
    ("王东村召开大会。", []),  # a village, not the person
    ("赵俊峰、赵俊生参加活动。", [("赵俊峰", None), ("赵俊生", None)]),  # side by side, both kept
    ("沛县召开会议。", []),
    ("", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_known_names(text, expected):
    found = find_known_names(text, NAMES)
    assert [(m.surface, m.title) for m in found] == expected
    for m in found:
        assert text[m.start:m.end] == m.surface and m.kind == "person" and m.role == "mentioned"


def test_spans_already_taken_are_left_alone():
    text = "杨磊主持会议，杨磊指出。"
    assert [m.start for m in find_known_names(text, NAMES, taken=[(0, 2)])] == [7]


def test_field_is_recorded():
    assert find_known_names("吕沛调研", NAMES, field="headline")[0].field == "headline"


def test_result_depends_on_the_text_and_names_only():
    """The names jieba is given for one call are gone afterwards: the next cut is unaffected."""
    import jieba

    before = jieba.lcut("高峰期车辆较多")
    find_known_names("高峰表示同意", NAMES)
    assert jieba.lcut("高峰期车辆较多") == before
    # names the text does not hold change nothing (the corpus grows between loads)
    assert find_known_names("吕沛强调安全生产", NAMES) == find_known_names("吕沛强调安全生产", NAMES | {"张三", "李四"})
