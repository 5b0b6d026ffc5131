"""Attaching files to a case: checked, stored outside the database, recorded in the history.

The file goes to the default storage (MEDIA_ROOT) under a random name; the row keeps the
name the person gave it, the type read from its bytes, its size and SHA-256. The event that
records the upload carries the same hash, so the hash chain vouches for the file's content.
Row, event and file are written together: if anything fails after the file was written, the
file is removed again.

Attaching is an action of the workflow table (ATTACH, no change of status) and goes through
the same transition path as every other action, so it is allowed exactly where the table
says and two writers to one case cannot both win.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from tiaojie.core import uploads
from tiaojie.core.errors import DomainError

from .models import Attachment, AttachmentKind, Case, CaseEvent
from .sensitivity import restricted
from .services.engine import ActionNotAllowed, Actor, Change, transition
from .workflow import Action

# Enough of the head for every signature in core/uploads.py and for checking that a text
# file is UTF-8.
HEAD_BYTES = 4096
MAX_DESCRIPTION = 500
STORAGE_DIR = "attachments"
_CHUNK = 64 * 1024
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


class FileRejected(DomainError):
    """The file may not be attached (empty, too large, a type the center does not take)."""

    code = "upload_rejected"


def rejection(code: str) -> FileRejected:
    """The message for core.uploads' reason, in words a clerk can act on."""
    limit = settings.TIAOJIE_UPLOAD_MAX_BYTES // (1024 * 1024)
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(mb)s MB.") % {"mb": limit},
        "type": _(
            "Files of this type cannot be attached. Allowed: PDF, pictures (JPG, PNG, GIF, "
            "WebP), Word and Excel documents, plain text, audio (MP3, AMR, WAV) and video (MP4)."
        ),
    }
    return FileRejected(messages[code], code=f"file_{code}")


def clean_name(name: str) -> str:
    """The name to show and to offer on download: no folders, no control characters."""
    name = _UNSAFE_NAME.sub("", name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 200 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:200]
    return name or "file"


def storage_name(now: dt.datetime) -> str:
    """attachments/YYYY/MM/<32 random hex digits>: nothing a person could be found by."""
    return f"{STORAGE_DIR}/{now:%Y/%m}/{uuid.uuid4().hex}"


def _read(file: File) -> tuple[bytes, int, str]:
    """The head, the size and the SHA-256 of the whole file, read once in chunks."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    file.seek(0)
    for chunk in file.chunks(_CHUNK):
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > settings.TIAOJIE_UPLOAD_MAX_BYTES:
            break  # the size the client declared was wrong; no need to read the rest
    file.seek(0)
    return head, size, digest.hexdigest()


def attach(
    case: Case,
    *,
    actor: Actor,
    file: File,
    kind: str = AttachmentKind.EVIDENCE,
    description: str = "",
    expected_version: int | None = None,
) -> Attachment:
    """附件: check the file, store it, add the row and its event to the case, all or nothing."""
    if kind not in AttachmentKind.values:
        raise DomainError(_("Choose what kind of material this is."), code="invalid_input")
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            _("The description may have at most %(n)s characters.") % {"n": MAX_DESCRIPTION},
            code="invalid_input",
        )
    name = clean_name(file.name or "")
    declared = file.size or 0
    if declared > settings.TIAOJIE_UPLOAD_MAX_BYTES:
        raise rejection("too_large")
    head, size, sha256 = _read(file)
    try:
        content_type = uploads.check(head, name, size)
    except uploads.UploadRejected as exc:
        raise rejection(exc.code) from None
    # Checked before the version, like the upload itself: a labelled case takes files from
    # cleared staff only (the system holds no clearance).
    if restricted(actor.user, case):
        raise ActionNotAllowed(_("Only staff cleared for sensitive cases may add files here."))

    written: list[str] = []
    created: list[Attachment] = []
    change = Change(
        reason=description,
        payload={"name": name, "size": size, "sha256": sha256, "content_type": content_type},
    )

    def mutate(c: Case, now: dt.datetime) -> None:
        # Runs after the table allowed the action and the case row was claimed: a refused or
        # stale attempt never touches the disk. The table never lets the system attach.
        assert actor.user is not None
        stored = default_storage.save(storage_name(now), file)
        written.append(stored)
        row = Attachment.objects.create(
            case_id=c.pk,
            file=stored,
            original_name=name,
            content_type=content_type,
            size=size,
            sha256=sha256,
            kind=kind,
            description=description,
            uploaded_by=actor.user,
            uploaded_by_unit_id=actor.unit_id,
            uploaded_at=now,
        )
        created.append(row)
        change.payload["attachment"] = row.pk

    try:
        transition(
            case,
            actor,
            Action.ATTACH,
            expected_version=expected_version,
            change=change,
            mutate=mutate,
            claim_first=True,
        )
    except BaseException:
        for stored in written:
            default_storage.delete(stored)
        raise
    return created[0]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_files() -> Iterator[str]:
    """Every disagreement between the attachment rows, their events and the files on disk.

    A row's file must exist with the recorded size and SHA-256, and the hash must be the one
    its event carries (the event is hash-chained; the row is not). A file under the
    attachments folder that no row names is reported too: it was left behind by a transaction
    rolled back around ``attach`` or restored from a newer backup than the database.
    """
    root = Path(settings.MEDIA_ROOT)
    recorded = {
        event["payload"].get("attachment"): event["payload"].get("sha256")
        for event in CaseEvent.objects.filter(action=Action.ATTACH).values("payload")
    }
    named: set[str] = set()
    rows = Attachment.objects.order_by("pk").values_list("pk", "file", "size", "sha256")
    for pk, name, size, sha256 in rows.iterator(chunk_size=2000):
        named.add(name)
        path = root / name
        if recorded.get(pk) != sha256:
            yield f"attachment {pk}: its hash differs from the one in the case history"
        if not path.is_file():
            yield f"attachment {pk}: file {name} is missing"
        elif path.stat().st_size != size or _sha256_of(path) != sha256:
            yield f"attachment {pk}: file {name} was changed after it was stored"
    folder = root / STORAGE_DIR
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and str(path.relative_to(root)) not in named:
                yield f"file {path.relative_to(root)} belongs to no attachment"
