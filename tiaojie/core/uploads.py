"""What files may be attached: size and type checked from the bytes, not from the name.

A short table of file signatures rather than a library: the formats the center needs are
few and stable, and python-magic would need the C library libmagic on every server.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


_SIGNATURES: list[tuple[bytes, int, Kind]] = [
    (b"%PDF-", 0, Kind("application/pdf", (".pdf",))),
    (b"\x89PNG\r\n\x1a\n", 0, Kind("image/png", (".png",))),
    (b"\xff\xd8\xff", 0, Kind("image/jpeg", (".jpg", ".jpeg"))),
    (b"GIF8", 0, Kind("image/gif", (".gif",))),
    (b"ftyp", 4, Kind("video/mp4", (".mp4", ".m4a", ".mov"))),
    (b"ID3", 0, Kind("audio/mpeg", (".mp3",))),
    (b"\xff\xfb", 0, Kind("audio/mpeg", (".mp3",))),
    (b"#!AMR", 0, Kind("audio/amr", (".amr",))),
]
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_ZIP = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OFFICE_OLE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}


class UploadRejected(Exception):
    """The file may not be attached; ``code`` says why (too_large, type, empty)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def sniff(head: bytes, name: str) -> str:
    """The content type the file really has, or UploadRejected('type')."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for signature, offset, kind in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return kind.content_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(_ZIP) and ext in _OFFICE_ZIP:
        return _OFFICE_ZIP[ext]
    if head.startswith(_OLE) and ext in _OFFICE_OLE:
        return _OFFICE_OLE[ext]
    if ext == ".txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # The head may cut a character in two; that alone is not a reason to refuse.
            head[:-3].decode("utf-8", errors="strict")
        return "text/plain"
    raise UploadRejected("type")


def check(head: bytes, name: str, size: int) -> str:
    if size == 0:
        raise UploadRejected("empty")
    if size > settings.TIAOJIE_UPLOAD_MAX_BYTES:
        raise UploadRejected("too_large")
    try:
        return sniff(head, name)
    except UnicodeDecodeError:
        raise UploadRejected("type") from None
