"""Text files as people save them: UTF-8 is the contract, but legacy encodings are read so that the rest of a
file can still be checked."""

from __future__ import annotations

import codecs
import re

from scheduler.load.problems import shown


def decode(data: bytes) -> tuple[str, str, int]:
    """The text of a file, a complaint when it is not UTF-8 (empty otherwise), and the line of the first bad byte.

    UTF-8 with or without a byte-order mark and UTF-16 with its mark are read as they are. Anything else is read
    as Windows-1252, the usual legacy encoding, and the complaint quotes the first word that is not UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "", 0
    try:
        return data.decode("utf-8-sig"), "", 0
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line_end = data.find(b"\n", error.start)
        line = data[line_start : line_end if line_end >= 0 else len(data)].decode("cp1252", errors="replace")
        at = len(data[line_start : error.start].decode("cp1252", errors="replace"))
        words = [m[0] for m in re.finditer(r'[^,;\t"=\[\]{}]+', line) if m.start() <= at < m.end()]
        word = words[0].strip() if words else line[at : at + 1]
        complaint = f'not UTF-8 text: "{shown(word)}" is written in a legacy encoding such as Windows-1252'
        return data.decode("cp1252", errors="replace"), complaint, data.count(b"\n", 0, error.start) + 1
