"""Attachments are checked by their bytes and size, not by what their name claims."""

import pytest

from tiaojie.core.uploads import UploadRejected, check

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (PNG, "现场照片.png", "image/png"),
        (PDF, "调解协议.pdf", "application/pdf"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "IMG_0001.JPG", "image/jpeg"),
        (
            b"PK\x03\x04" + b"\x00" * 16,
            "笔录.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("情况说明：双方同意调解。".encode(), "说明.txt", "text/plain"),
        (b"\x00\x00\x00\x18ftypmp42", "录音.m4a", "video/mp4"),
    ],
)
def test_known_formats_are_accepted(head: bytes, name: str, expected: str) -> None:
    assert check(head, name, len(head)) == expected


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 16, "照片.png"),  # a Windows program pretending to be a photo
        (b"<script>alert(1)</script>", "page.html"),
        (b"PK\x03\x04" + b"\x00" * 16, "archive.zip"),
        (b"\xff\xfe\x00\xd8", "notes.txt"),
    ],
)
def test_anything_else_is_refused(head: bytes, name: str) -> None:
    with pytest.raises(UploadRejected) as refused:
        check(head, name, len(head))
    assert refused.value.code == "type"


def test_size_limits(settings) -> None:
    settings.TIAOJIE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRejected, match="too_large"):
        check(PNG, "a.png", 101)
    with pytest.raises(UploadRejected, match="empty"):
        check(b"", "a.png", 0)
