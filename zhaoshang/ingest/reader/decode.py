"""Step 1: bytes to text.

The encoding is detected on the bytes (BOM, strict UTF-8, then charset-normalizer). Lines that were
garbled by a GBK/Big5/UTF-8 mix-up are repaired by a round trip through the encodings (with a
one-byte shift for a lost lead byte); a repair is kept only when it raises the share of CJK
characters and leaves no U+FFFD. Latin-1 mojibake of UTF-8 (æ‹›å•†) is fixed by ftfy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ftfy
from charset_normalizer import from_bytes
from django.utils.translation import gettext_noop

from zhaoshang.core.chinese import to_simplified

MAX_BYTES = 20 * 1024 * 1024


class ReaderError(ValueError):
    """Input the reader refuses, with a message for the user (gettext msgid)."""


@dataclass
class Decoded:
    text: str
    encoding: str
    repaired_lines: list[int] = field(default_factory=list)


_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
# Characters that almost never occur in a Chinese report but do when GBK bytes are read as another
# encoding: bopomofo, kana, box drawing, half-width forms, private use.
_SUSPECT = re.compile(r"[\u3100-\u312f\u3040-\u30ff\u2500-\u257f\uff61-\uff9f\ue000-\uf8ff]")


def cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if _CJK.match(c)) / len(chars) if chars else 0.0


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def _candidates(segment: str) -> list[str]:
    out = []
    for enc in ("gbk", "big5", "utf-8"):
        try:
            raw = segment.encode(enc)
        except UnicodeEncodeError:
            continue
        for dec in ("gbk", "big5", "utf-8"):
            for shifted in (raw, b"\xa1" + raw, raw[1:]):
                if enc == dec and shifted is raw:
                    continue
                out.append(shifted.decode(dec, errors="replace"))
    return out


def _common(ch: str) -> bool:
    """A character of everyday text: GB2312 level 1 after folding to Simplified, or not Chinese."""
    if not _CJK.match(ch):
        return not _SUSPECT.match(ch)
    try:
        code = to_simplified(ch).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= code[0] <= 0xD7


def common_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if _common(c)) / len(chars) if chars else 0.0


def repair_line(line: str) -> str:
    """The line repaired by a round trip through the encodings, when the repair raises the share of
    CJK characters and of everyday characters and leaves no U+FFFD; otherwise unchanged."""
    if not _SUSPECT.search(line):
        return line
    best, best_cjk, best_common = line, cjk_share(line), common_share(line)
    for cand in _candidates(line):
        if "\ufffd" in cand or _SUSPECT.search(cand):
            continue
        cjk, common = cjk_share(cand), common_share(cand)
        if cjk > best_cjk and common > best_common:
            best, best_cjk, best_common = cand, cjk, common
    return best


def decode(data: bytes) -> Decoded:
    if not data.strip():
        raise ReaderError(gettext_noop("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ReaderError(gettext_noop("The file is too large (more than 20 MB) to be a report."))
    if _is_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReaderError(gettext_noop("The file is not text (it looks like a binary file)."))
    text: str | None = None
    encoding = ""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            text, encoding = data.decode(enc), enc
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252"]).best()
            if best is None:
                best = from_bytes(data).best()
            if best is None:
                raise ReaderError(gettext_noop("The encoding of the file could not be recognised.")) from None
            text, encoding = str(best), best.encoding
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if cjk_share(text) < 0.05:
        fixed = ftfy.fix_text(text, normalization=None, fix_character_width=False, uncurl_quotes=False)
        if cjk_share(fixed) > cjk_share(text):
            text = fixed
    if cjk_share(text) < 0.05:
        raise ReaderError(
            gettext_noop("The file contains no Chinese text: its encoding is unknown or it is not a report.")
        )
    lines = text.split("\n")
    repaired = []
    for i, line in enumerate(lines):
        fixed = repair_line(line)
        if fixed != line:
            lines[i] = fixed
            repaired.append(i + 1)
    return Decoded("\n".join(lines), encoding, repaired)
