"""The mentor self-service forms (Qt-free): the fields of the session, task, submission, review and
assignment dialogs. They reuse the import KINDs' fields (forms.specs), so a dialog and an import row
parse the same way and the service (db.mentoring) gives the same message to both."""

from __future__ import annotations

from dataclasses import replace

from . import parsers as p
from .specs import ASSIGNMENTS, MENTOR_ASSIGNMENTS, SESSIONS, EntitySpec, _f

NOTES = _f("notes", "记录", "Notes", p.text(4000), width=40, multiline=True)
DESCRIPTION = _f("description", "任务说明", "Description", p.text(4000), width=40, multiline=True)
REASON = _f("reason", "理由", "Reason", p.text(200), True)
OVERRIDE = _f("override_reason", "超额指派理由", "Capacity override reason", p.text(200),
              hint_zh="仅在导师名额已满时填写", hint_en="only when the mentor is at capacity")


def _required(spec: EntitySpec, key: str) -> object:
    return replace(spec.field(key), required=True)


def _form(name: str, zh: str, en: str, *fields: object) -> EntitySpec:
    return EntitySpec(name, zh, en, tuple(fields), key=())  # type: ignore[arg-type]


SESSION_FORM = _form("session-form", "指导记录", "Mentoring session", SESSIONS.field("date"), SESSIONS.field("minutes"),
                     SESSIONS.field("kind"), SESSIONS.field("topic"), NOTES)
TASK_FORM = _form("task-form", "指导任务", "Assignment", ASSIGNMENTS.field("title"), DESCRIPTION,
                  ASSIGNMENTS.field("assigned_on"), ASSIGNMENTS.field("due_on"))
SUBMISSION_FORM = _form("submission-form", "登记提交", "Record submission", _required(ASSIGNMENTS, "submitted_on"))
REVIEW_FORM = _form("review-form", "评阅", "Review", _required(ASSIGNMENTS, "reviewed_on"), ASSIGNMENTS.field("score"),
                    replace(ASSIGNMENTS.field("feedback"), multiline=True))  # a paragraph, not one line
ASSIGN_FORM = _form("assign-form", "指派导师", "Assign a mentor", MENTOR_ASSIGNMENTS.field("start"), OVERRIDE)
REASSIGN_FORM = _form("reassign-form", "更换导师", "Reassign", MENTOR_ASSIGNMENTS.field("start"), REASON, OVERRIDE)
END_FORM = _form("end-form", "结束指派", "End the assignment", _required(MENTOR_ASSIGNMENTS, "end"), REASON)
DELETE_FORM = _form("delete-form", "删除", "Delete", REASON)
CANCEL_FORM = _form("cancel-form", "取消任务", "Cancel the task", REASON)
