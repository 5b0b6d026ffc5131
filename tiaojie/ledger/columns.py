"""Our fields, the column names ledgers use for them, and a proposed mapping for a header.

Ledgers are spreadsheets each office laid out itself: 事项名称 or 标题, 登记时间 or 受理日期,
当事人 or 申请人姓名. A header cell names a field when, written plainly (full-width folded,
spaces, brackets and asterisks dropped), it is one of the field's names, or failing that
contains one. Exact names win over contained ones and longer names over shorter ones; each
column serves one field. The clerk confirms or changes the proposal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerField(models.TextChoices):
    TITLE = "title", _("Case title")
    DESCRIPTION = "description", _("What the applicant asks for")
    KIND = "kind", _("Kind")
    CATEGORY = "category", _("Dispute type")
    CHANNEL = "channel", _("Channel")
    RECEIVED_AT = "received_at", _("Received on")
    REGION_CODE = "region_code", _("Division code")
    TOWN = "town", _("Town or subdistrict")
    VILLAGE = "village", _("Village or community")
    ADDRESS = "address", _("Address")
    APPLICANT = "applicant", _("Applicant")
    ID_NUMBER = "id_number", _("Applicant's ID number")
    PHONE = "phone", _("Applicant's phone")
    RESPONDENT = "respondent", _("Respondent")
    PEOPLE_COUNT = "people_count", _("People involved")
    STATUS = "status", _("Status")
    OUTCOME = "outcome", _("Outcome")
    CONCLUDED_AT = "concluded_at", _("Concluded on")


# Names seen in the ledgers of 综治中心, 信访 and 人民调解 offices, most specific first.
NAMES: dict[str, tuple[str, ...]] = {
    LedgerField.TITLE: (
        "事项名称",
        "事项标题",
        "纠纷名称",
        "矛盾纠纷名称",
        "案件名称",
        "诉求标题",
        "标题",
        "名称",
        "主题",
    ),
    LedgerField.DESCRIPTION: (
        "诉求内容",
        "事项内容",
        "纠纷内容",
        "主要诉求",
        "反映问题",
        "问题描述",
        "来信来访内容",
        "简要案情",
        "纠纷简要情况",
        "基本情况",
        "简要情况",
        "内容",
        "诉求",
    ),
    LedgerField.KIND: ("事项类型", "事项类别", "事项性质"),
    LedgerField.CATEGORY: (
        "纠纷类型",
        "矛盾纠纷类型",
        "纠纷类别",
        "问题类别",
        "问题类型",
        "案件类型",
        "类型",
        "类别",
    ),
    LedgerField.CHANNEL: ("来源渠道", "受理渠道", "反映方式", "登记方式", "来源", "渠道"),
    LedgerField.RECEIVED_AT: (
        "登记时间",
        "受理时间",
        "登记日期",
        "受理日期",
        "来访时间",
        "来访日期",
        "收件时间",
        "排查时间",
        "时间",
        "日期",
    ),
    LedgerField.REGION_CODE: ("区划代码", "行政区划代码", "统计用区划代码"),
    LedgerField.TOWN: ("所属镇街", "镇街", "镇街道", "所属乡镇", "乡镇街道", "乡镇", "镇"),
    LedgerField.VILLAGE: ("所属村社区", "村社区", "村居", "村组", "社区", "村"),
    LedgerField.ADDRESS: (
        "发生地点",
        "纠纷发生地",
        "事发地点",
        "详细地址",
        "地址",
        "地点",
        "住址",
    ),
    LedgerField.APPLICANT: (
        "当事人",
        "当事人姓名",
        "申请人",
        "申请人姓名",
        "反映人",
        "来访人",
        "信访人",
        "诉求人",
        "姓名",
    ),
    LedgerField.ID_NUMBER: ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    LedgerField.PHONE: ("联系电话", "手机号码", "手机号", "联系方式", "电话", "手机"),
    LedgerField.RESPONDENT: ("被申请人", "对方当事人", "被反映人", "被投诉人"),
    LedgerField.PEOPLE_COUNT: ("涉及人数", "来访人数", "涉及人员数", "人数"),
    LedgerField.STATUS: (
        "办理状态",
        "化解情况",
        "是否化解",
        "办结情况",
        "化解状态",
        "调处结果",
        "状态",
    ),
    LedgerField.OUTCOME: (
        "办理结果",
        "处理结果",
        "化解结果",
        "调解结果",
        "处置情况",
        "办理情况",
        "答复意见",
    ),
    LedgerField.CONCLUDED_AT: (
        "办结时间",
        "办结日期",
        "化解时间",
        "化解日期",
        "结案时间",
        "结案日期",
    ),
}

_NOISE = re.compile(r"[\s*＊:：()（）\[\]【】<>《》\-_/、.]+")


def plain(header: object) -> str:
    """A header cell written plainly: folded width, no spaces, brackets or stars."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    return _NOISE.sub("", text)


def propose(header: Sequence[object]) -> dict[str, int]:
    """Our field → the index of the column that looks like it (unmatched fields left out)."""
    cells = [plain(h) for h in header]
    scored: list[tuple[int, int, str, int]] = []
    for field_name, names in NAMES.items():
        for index, cell in enumerate(cells):
            if not cell:
                continue
            for name in names:
                if cell == name:
                    scored.append((2, len(name), field_name, index))
                elif name in cell and len(name) >= 2:
                    scored.append((1, len(name), field_name, index))
    scored.sort(key=lambda s: (-s[0], -s[1], s[3]))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _exact, _length, field_name, index in scored:
        if field_name in mapping or index in used:
            continue
        mapping[field_name] = index
        used.add(index)
    return {f: mapping[f] for f in LedgerField.values if f in mapping}


def apply_saved(header: Sequence[object], columns: dict[str, str]) -> dict[str, int] | None:
    """A saved mapping (field → column name) for this header, or None if a column is missing."""
    cells = [plain(h) for h in header]
    mapping = {}
    for field_name, name in columns.items():
        if field_name not in LedgerField.values:
            continue
        if plain(name) not in cells:
            return None
        mapping[field_name] = cells.index(plain(name))
    return mapping


def looks_like_header(cells: Sequence[object]) -> int:
    """How many of ``cells`` name one of our fields (to find the header under a title row)."""
    return len(propose(cells))
