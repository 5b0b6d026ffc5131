"""The HTTP answer for an attachment, shared by the page and the API (both scope first)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse

from .models import Attachment


def content_disposition(attachment: Attachment) -> str:
    """``attachment`` with an ASCII fallback name and the real one per RFC 5987 / RFC 6266.

    The fallback keeps the extension so old clients still open the file with the right
    program; the UTF-8 name (Chinese, usually) is what every current browser uses.
    """
    name = attachment.original_name
    _stem, dot, ext = name.rpartition(".")
    ext = ext if dot and ext.isascii() and ext.isalnum() else ""
    fallback = f"attachment-{attachment.pk}" + (f".{ext}" if ext else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(attachment: Attachment) -> FileResponse:
    """The file as a download: never shown inline, never sniffed, never cached."""
    content_type = attachment.content_type
    if content_type == "text/plain":
        content_type += "; charset=utf-8"  # core/uploads.py only lets UTF-8 text through
    response = FileResponse(attachment.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # If a browser ever rendered it anyway, nothing in it could run or reach out.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
