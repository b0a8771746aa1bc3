"""Bytes to text and back for the .bib writer, so that untouched bytes survive exactly.

The writer edits text and encodes it again, which is lossless only when decoding
and encoding are exact inverses. That holds for strict UTF-8 and for Latin-1
(one character per byte); any other codec a caller names is checked on the file
itself before anything is edited. A file that is not UTF-8 and whose encoding the
caller does not name is read byte for byte as Latin-1: its structure (braces,
commas, ASCII names) reads the same in every ASCII-compatible 8-bit encoding, but
its letters do not, so only ASCII may be written into it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .._text import LineIndex
from ..errors import BibWriteError

UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
_ASCII = "".join(map(chr, range(128)))


@dataclass(frozen=True, slots=True)
class DecodedBib:
    """The text of a .bib file and how to turn edited text back into its bytes."""

    bom: bytes          # a UTF-8 byte-order mark to put back, or b""
    text: str           # the file minus the BOM, line ends as in the file
    encoding: str       # codec that encodes ``text`` back to the original bytes
    known: bool         # False: not UTF-8 and not named by the caller (read as Latin-1)
    name: str = "UTF-8"  # the encoding as the caller named it, for messages

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)

    def check_value(self, value: str) -> str | None:
        """Why ``value`` cannot be written into this file, or None when it can."""
        if not self.known:
            if value.isascii():
                return None
            return ("the file is not UTF-8 and its encoding was not given, so only ASCII can "
                    "be written into it (pass encoding=, e.g. 'latin-1')")
        try:
            value.encode(self.encoding)
        except UnicodeEncodeError as exc:
            char = value[exc.start]
            return f"the value holds {char!r} (U+{ord(char):04X}), which {self.name} cannot encode"
        return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset].decode("latin-1")
    return LineIndex(before.replace("\r\n", "\n").replace("\r", "\n")).position(len(before))


def _codec(name: str, path: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise BibWriteError(f"unknown encoding {name!r}", path=path) from None
    try:
        ascii_ok = _ASCII.encode(codec) == _ASCII.encode("ascii")
    except UnicodeError:
        ascii_ok = False
    if not ascii_ok:
        raise BibWriteError(f"encoding {name!r} is not ASCII-compatible; a .bib file in it "
                            "cannot be edited safely", path=path)
    return codec


def _strict_decode(body: bytes, codec: str, path: str) -> str:
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line, col = _position(body, exc.start)
        raise BibWriteError(f"not valid {codec} (byte 0x{body[exc.start]:02X})",
                            path=path, line=line, col=col) from None
    if codec not in ("utf-8", "latin-1", "iso8859-1") and text.encode(codec) != body:
        raise BibWriteError(f"{codec} does not read and write this file's bytes identically; "
                            "it cannot be edited safely in that encoding", path=path)
    return text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes, path: str) -> DecodedBib:
    if data.startswith(UTF8_BOM):
        return DecodedBib(UTF8_BOM, _strict_decode(data[3:], "utf-8", path), "utf-8", True)
    try:
        return DecodedBib(b"", data.decode("utf-8"), "utf-8", True)
    except UnicodeDecodeError:
        return DecodedBib(b"", data.decode("latin-1"), "latin-1", False)


def decode_bib(data: bytes, path: str, encoding: str | None = None) -> DecodedBib:
    """Decode ``data``: UTF-8 (with or without BOM), else ``encoding``, else Latin-1 as bytes.

    A named encoding that contradicts the bytes is refused rather than obeyed: a UTF-8
    BOM, or non-ASCII bytes that read as UTF-8, mean the file is UTF-8, and writing
    another encoding into it would leave it half one, half the other."""
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise BibWriteError(f"the file is {name} (byte-order mark); only ASCII-compatible "
                                "encodings such as UTF-8 or Latin-1 can be edited", path=path)
    if encoding is None:
        return _detect(data, path)
    codec = _codec(encoding, path)
    if codec in ("utf-8", "utf-8-sig"):
        bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
        return DecodedBib(bom, _strict_decode(data[len(bom):], "utf-8", path), "utf-8", True)
    if data.startswith(UTF8_BOM):
        raise BibWriteError(f"the file starts with a UTF-8 byte-order mark, not {encoding}",
                            path=path)
    if not data.isascii() and _is_utf8(data):
        raise BibWriteError(f"the file reads as UTF-8, not {encoding}; leave the encoding out",
                            path=path)
    return DecodedBib(b"", _strict_decode(data, codec, path), codec, True, encoding)
