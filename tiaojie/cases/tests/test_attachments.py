"""Attaching files: checked by their bytes, stored outside the database, recorded in the history."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tiaojie.accounts.roles import Role
from tiaojie.cases import services
from tiaojie.cases.attachments import FileRejected, attach, clean_name, verify_files
from tiaojie.cases.history import verify_case
from tiaojie.cases.models import Attachment, AttachmentKind, Case, CaseEvent
from tiaojie.cases.services import ActionNotAllowed, Actor, PartyInput
from tiaojie.cases.tests.samples import pdf, png
from tiaojie.cases.workflow import Action, Status
from tiaojie.core.enums import CaseKind, Category, Channel
from tiaojie.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db

PHOTO = png()


@pytest.fixture
def cast(world):
    """A clerk and dispatcher of town A, the 人社 handler, a village mediator, a leader, town B."""
    w = world
    return SimpleNamespace(
        world=w,
        clerk=Actor(w.user("clerk_a", w.center_a, Role.WINDOW_CLERK)),
        dispatcher=Actor(w.user("dispatcher_a", w.center_a, Role.DISPATCHER)),
        handler=Actor(w.user("hrss_handler", w.hrss, Role.HANDLER)),
        village=Actor(w.user("village_mediator", w.committee_a, Role.MEDIATOR)),
        leader=Actor(w.user("leader", w.center, Role.LEADER)),
        outsider=Actor(w.user("clerk_b", w.center_b, Role.WINDOW_CLERK, Role.DISPATCHER)),
    )


@pytest.fixture
def case(cast) -> Case:
    """A labour case of town A, led by 人社 with the village committee assisting."""
    case = services.register_case(
        actor=cast.clerk,
        kind=CaseKind.DISPUTE,
        category=Category.LABOUR,
        channel=Channel.WINDOW,
        title="工地拖欠工资",
        description="申请人在工地务工三个月，工资未结。",
        region=cast.world.village_a,
        parties=[PartyInput(name="王建国")],
    )
    case = services.accept(case, actor=cast.clerk)
    case = services.assign(
        case, actor=cast.dispatcher, lead=cast.world.hrss, assisting=[cast.world.committee_a]
    )
    return services.check_in(case, actor=cast.handler)


def upload(content: bytes, name: str = "现场照片.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_file_is_stored_on_disk_under_a_random_name_and_its_hash_enters_the_history(
    cast, case, media_root
) -> None:
    before = case.version

    attachment = attach(
        case,
        actor=cast.handler,
        file=upload(PHOTO, "王建国工资条.png"),
        kind=AttachmentKind.EVIDENCE,
        description="工资条照片",
    )

    stored = media_root / attachment.file.name
    assert stored.read_bytes() == PHOTO
    assert attachment.file.name.startswith("attachments/")
    # Nothing of the person's name, nor the extension the client claimed, is on the disk.
    assert "王建国" not in attachment.file.name and ".png" not in attachment.file.name
    assert len(stored.name) == 32
    assert stat.S_IMODE(stored.stat().st_mode) == 0o640  # not readable by other users
    assert files_under(media_root) == [stored]
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "王建国工资条.png",
        "image/png",
        len(PHOTO),
    )
    assert attachment.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert attachment.uploaded_by == cast.handler.user
    assert attachment.uploaded_by_unit == cast.world.hrss

    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.version == before + 1
    event = case.events.order_by("-seq").first()
    assert (event.action, event.from_status, event.to_status) == (
        Action.ATTACH,
        Status.IN_PROGRESS,
        Status.IN_PROGRESS,
    )
    assert event.actor_id == cast.handler.user_id and event.reason == "工资条照片"
    assert event.payload == {
        "attachment": attachment.pk,
        "name": "王建国工资条.png",
        "size": len(PHOTO),
        "sha256": attachment.sha256,
        "content_type": "image/png",
    }
    assert verify_case(case) is None


def test_the_type_comes_from_the_bytes_not_from_the_client(cast, case) -> None:
    attachment = attach(
        case, actor=cast.clerk, file=upload(pdf(), "协议.pdf", content_type="image/png")
    )
    assert attachment.content_type == "application/pdf"


def _nothing_written(case: Case, media_root: Path, *, version: int, events: int) -> None:
    case.refresh_from_db()
    assert (case.version, case.event_count) == (version, events)
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not Attachment.objects.exists()
    assert files_under(media_root) == []


@pytest.mark.parametrize(
    ("content", "name", "code", "words"),
    [
        (b"", "空白.png", "file_empty", "文件是空的"),
        (PHOTO + b"\x00" * (1 << 20), "大照片.png", "file_too_large", "超过 1 MB"),
        (b"MZ\x90\x00" + b"\x00" * 60, "照片.png", "file_type", "不能上传这种类型的文件"),
        (b"<html><script>alert(1)</script>", "page.html", "file_type", "不能上传"),
    ],
    ids=["empty", "too-large", "program-named-png", "html"],
)
def test_a_refused_file_leaves_nothing_behind(
    cast, case, media_root, settings, content, name, code, words
) -> None:
    settings.TIAOJIE_UPLOAD_MAX_BYTES = 1 << 20
    version, events = case.version, case.event_count

    with pytest.raises(FileRejected) as refused:
        attach(case, actor=cast.handler, file=upload(content, name))

    assert refused.value.code == code and words in refused.value.message
    _nothing_written(case, media_root, version=version, events=events)


@pytest.mark.parametrize(
    "who", ["clerk", "dispatcher", "handler", "village"], ids=["desk", "area", "lead", "assisting"]
)
def test_the_desk_the_area_the_lead_and_assisting_units_may_attach(cast, case, who) -> None:
    attach(case, actor=getattr(cast, who), file=upload(PHOTO))
    assert case.attachments.count() == 1


@pytest.mark.parametrize("who", ["leader", "outsider"])
def test_leaders_and_other_towns_may_not_attach(cast, case, media_root, who) -> None:
    version, events = case.version, case.event_count
    with pytest.raises(ActionNotAllowed):
        attach(case, actor=getattr(cast, who), file=upload(PHOTO))
    _nothing_written(case, media_root, version=version, events=events)


def test_a_closed_case_takes_no_more_files(cast, case, media_root) -> None:
    case = services.resolve(case, actor=cast.handler, outcome="已支付工资。")
    case = services.follow_up(case, actor=cast.clerk, satisfaction="satisfied")
    version, events = case.version, case.event_count
    with pytest.raises(ActionNotAllowed):
        attach(case, actor=cast.clerk, file=upload(PHOTO))
    _nothing_written(case, media_root, version=version, events=events)


def test_a_stale_page_is_refused_before_anything_is_written(cast, case, media_root) -> None:
    stale = case.version
    case = services.record_session(case, actor=cast.handler, summary="第一次调解")
    with pytest.raises(Conflict):
        attach(case, actor=cast.handler, file=upload(PHOTO), expected_version=stale)
    _nothing_written(case, media_root, version=stale + 1, events=case.event_count)


def test_when_the_database_refuses_the_write_the_file_is_removed_again(
    cast, case, media_root
) -> None:
    # An event already holds the next sequence number (as if written by a process that
    # did not raise the chain head): the event insert fails after the file was written.
    CaseEvent.objects.create(
        case=case, seq=case.event_count + 1, action="report", at=case.received_at
    )
    version, events = case.version, case.event_count

    with pytest.raises(IntegrityError):
        attach(case, actor=cast.handler, file=upload(PHOTO))

    case.refresh_from_db()
    assert (case.version, case.event_count) == (version, events)
    assert not Attachment.objects.exists()
    assert files_under(media_root) == []


def test_the_kind_and_the_description_are_checked(cast, case, media_root) -> None:
    with pytest.raises(DomainError):
        attach(case, actor=cast.handler, file=upload(PHOTO), kind="selfie")
    with pytest.raises(DomainError):
        attach(case, actor=cast.handler, file=upload(PHOTO), description="长" * 501)
    assert files_under(media_root) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\clerk\\Desktop\\调解协议.pdf", "调解协议.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("照片\x00\x1b[31m.png", "照片[31m.png"),
        ("   ", "file"),
        ("长" * 300 + ".docx", "长" * 195 + ".docx"),
    ],
)
def test_the_name_shown_has_no_folders_or_control_characters(given: str, kept: str) -> None:
    assert clean_name(given) == kept


def test_verification_finds_changed_missing_and_stray_files(cast, case, media_root) -> None:
    first = attach(case, actor=cast.clerk, file=upload(PHOTO, "一.png"))
    second = attach(case, actor=cast.clerk, file=upload(pdf(), "二.pdf"))
    call_command("verify-attachments", stdout=io.StringIO())

    (media_root / first.file.name).write_bytes(png(5, 5))
    (media_root / second.file.name).unlink()
    (media_root / "attachments" / "stray").write_bytes(b"left behind")
    # Rewriting a row's hash to match a changed file shows against the hash-chained event.
    Attachment.objects.filter(pk=first.pk).update(
        sha256=hashlib.sha256(png(5, 5)).hexdigest(), size=len(png(5, 5))
    )

    assert list(verify_files()) == [
        f"attachment {first.pk}: its hash differs from the one in the case history",
        f"attachment {second.pk}: file {second.file.name} is missing",
        "file attachments/stray belongs to no attachment",
    ]
    with pytest.raises(CommandError, match="3 problem"):
        call_command("verify-attachments", stderr=io.StringIO())
