"""Stage decode: bytes -> DecodedText."""

from __future__ import annotations

import codecs

import pytest

from etl.errors import InputFileError
from etl.parse.decode import decode_bytes

TEXT = "本报讯 1月7日下午，市政协副主席杨磊主持会议。\n（白靖杰 黄福兴）\n"


@pytest.mark.parametrize(
    "data, encoding, newline",
    [
        (TEXT.encode("utf-8"), "utf-8", "\n"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", "\n"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", "\r\n"),
        (TEXT.replace("\n", "\r").encode("utf-8"), "utf-8", "\r"),
        (TEXT.encode("utf-16"), "utf-16", "\n"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", "\n"),
        (TEXT.encode("utf-16-le"), "utf-16-le", "\n"),
        (TEXT.encode("utf-16-be"), "utf-16-be", "\n"),
        (TEXT.replace("\n", "\r\n").encode("gb18030"), "gb18030", "\r\n"),
        (TEXT.encode("gbk"), "gb18030", "\n"),
    ],
)
def test_supported_encodings_decode_to_the_same_text(data, encoding, newline):
    d = decode_bytes(data, "f.txt")
    assert d.text == TEXT
    assert d.encoding == encoding
    assert d.newline == newline


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"  \n\r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"abc\x00\x01\x02\x03\x04def\x00", "binary"),
        (b"\x80\x80\x80\x80\xff\xff", "undecodable"),
        ("温县新闻".encode("utf-8")[:-1], "truncated"),
        ("温县新闻".encode("gb18030")[:-1], "truncated"),
        (codecs.BOM_UTF16_LE + "温县".encode("utf-16-le")[:-1], "truncated"),
    ],
)
def test_bad_input_raises_input_file_error_with_reason(data, reason):
    with pytest.raises(InputFileError) as exc:
        decode_bytes(data, "bad.txt")
    assert reason.lower() in exc.value.reason.lower()
    assert exc.value.path == "bad.txt"
