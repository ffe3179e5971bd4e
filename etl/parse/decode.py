"""Stage 1: raw bytes -> DecodedText.

Supported: UTF-8 (with or without BOM), UTF-16 LE/BE (with a BOM, or without
one when the byte pattern makes it plain), UTF-32 with a BOM, GB18030 (which
includes GBK and GB2312). Line endings CRLF and CR are normalized to LF and
the file's own ending is recorded. Empty files, binary data, bytes that decode
in no supported encoding and a multibyte character cut at the end of the file
raise InputFileError with a reason.
"""

from __future__ import annotations

import codecs
import re

from etl.errors import InputFileError
from etl.parse.records import DecodedText

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"BM", None),  # too short to trust alone; checked with NUL bytes below
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xd0\xcf\x11\xe0", "OLE2 (old Office) document"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "RIFF (WAV/AVI/WEBP) data"),
    (b"\x00\x00\x01\x00", "ICO image"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, source: str = "<bytes>") -> DecodedText:
    """Decode one file's bytes; raise InputFileError when they are not text we support."""
    if not data:
        raise InputFileError(source, "empty file")
    for magic, what in _MAGIC:
        if what and data.startswith(magic):
            raise InputFileError(source, f"binary data ({what}), not a text dump")

    text, encoding = _decode(data, source)
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _control_chars(text)
    if bad:
        raise InputFileError(source, f"binary data: {bad} control characters (e.g. NUL bytes) in the decoded text")
    if not text.strip():
        raise InputFileError(source, "empty file (only whitespace)")
    newline = _newline(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(text=text, encoding=encoding, newline=newline)


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec.startswith("utf-16") and len(body) % 2:
                raise InputFileError(source, "truncated UTF-16 text: odd number of bytes (a character is cut at the end of the file)")
            if codec == "utf-32" and len(body) % 4:
                raise InputFileError(source, "truncated UTF-32 text: a character is cut at the end of the file")
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputFileError(source, f"invalid {codec} data after the byte order mark at byte {exc.start}") from None

    nul = data.count(b"\x00")
    if nul:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess
        raise InputFileError(source, f"binary data: {nul} NUL bytes and not UTF-16 text")

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                data[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise InputFileError(source, "truncated UTF-8 text: a multibyte character is cut at the end of the file") from None
        utf8_error = exc

    guess = _utf16_without_bom(data)
    if guess is not None:
        return guess

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) - 1 and "incomplete" in exc.reason:
            raise InputFileError(source, "truncated GB18030 text: a multibyte character is cut at the end of the file") from None
        raise InputFileError(
            source,
            f"undecodable text: not UTF-8 (bad byte at {utf8_error.start}), UTF-16 or GB18030 (bad byte at {exc.start})",
        ) from None
    if _plausible(text) < 0.9:
        raise InputFileError(source, "undecodable text: bytes decode only to unlikely characters (binary data?)")
    return text, "gb18030"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    if len(data) % 2 or len(data) < 4:
        return None
    best = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best and best[0] >= 0.95:
        # ASCII-heavy UTF-16 has NULs in one parity; CJK-heavy text must look like CJK.
        return best[1], best[2]
    return None


def _plausible(text: str) -> float:
    """Share of characters that are ordinary in this genre (CJK, ASCII, CJK punctuation)."""
    if not text:
        return 0.0
    return (len(text) - len(_ORDINARY.sub("", text))) / len(text)


# The characters _plausible counts as ordinary, and the control characters (category Cc)
# that never belong in a text dump: one C-level pass each instead of a Python loop per character.
_ORDINARY = re.compile("[\x20-\x7e\n\r\t\u3000\ufeff\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
                       "\u2000-\u27bf\u2b00-\u2bff\u3400-\u4dbf\u00a0-\u00ff\u2e80-\u2fdf]+")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _control_chars(text: str) -> int:
    return len(_CONTROL.findall(text))


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf >= max(cr, lf) and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"
