"""Alliance credit recognition (学分互认): grading scales, equivalence rules with versions, transfer
requests, their proposals and decisions, a student's recognised credits, and visiting students'
transcripts for their home universities.

Rules
- An equivalence rule maps one external course to one local course (``course``), several external
  courses together to one local course (``combined``: all of them needed), or one external course to
  category credit (``category``). It carries a credit amount, or None to convert from hours with the
  university's hours-per-credit rate, a minimum score and a validity window of terms.
- Rules are drafted, approved and retired. An approved rule is never edited: ``new_version`` makes a
  draft with the next revision that supersedes it; approving that draft retires the old version and
  closes its window at the term before the new one starts, so decisions of earlier terms keep
  pointing at the version they used. Among approved (and retired) versions, the windows of one
  external course never overlap, so a term finds at most one rule.
- A transfer request is one external course of one student, with its term and score. ``propose``
  finds the rule valid for the term and says what would be recognised, or why it must be rejected:
  outside the agreement period, no rule for the term, below the minimum score, the same external
  course already recognised, the local equivalent already passed or recognised, or the programme's
  cap on recognised credits reached (a request that only partly fits is proposed as a partial
  approval).
- A combined rule is recognised once the student has requests for ALL of its external courses (the
  schema keeps one external course per request). Approving any request of the set grants the rule's
  credits on that request; the other requests of the set are approved with 0 credits and a reason
  naming the completing request, so each external course is marked as used and nothing is counted
  twice.
- ``decide`` approves, approves with fewer credits (a reason is required) or rejects (a reason is
  required), recording the day, the user, the rule version and the outcome on the request exactly as
  ``db.balance.earned_credits`` reads it: status approved, ``credits``, ``local_course_id`` or
  ``category``, ``decided_on``.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from .actor import Actor
from .balance import Credits, in_band, student_credits
from .curriculum import TERM_RE, term_bounds
from .errors import NotFound, PermissionDenied, RuleViolation, TalentDeskError, ValidationError
from .errors import invalid as _invalid
from .errors import unknown as _unknown
from .i18n import t
from .labels import label
from .listing import Column, Filter, ListSpec, period_filter
from .models import (
    Course,
    CourseCategory,
    Enrolment,
    EquivalenceRule,
    ExternalCourse,
    Organisation,
    Programme,
    RuleExternalCourse,
    RuleKind,
    RuleStatus,
    Student,
    Term,
    TransferRequest,
    TransferStatus,
    University,
)
from .permissions import check_student_access, require_admin
from .records import IMPORT_ROW, by_key, flush, get_for_update
from .sqltyping import AnySelect

# --------------------------------------------------------------------------- terms and windows


def check_term(code: str, key: str) -> str:
    code = (code or "").strip()
    try:
        term_bounds(code)
    except ValueError as exc:
        raise _invalid(key, str(exc)) from None
    return code


def previous_term(code: str) -> str:
    m = TERM_RE.match(code)
    assert m, code
    first, second, n = int(m.group(1)), int(m.group(2)), m.group(3)
    return f"{first}-{second}-1" if n == "2" else f"{first - 1}-{first}-2"


def in_window(term: str, start: str | None, end: str | None) -> bool:
    """Term codes sort as text (fixed widths); None is open."""
    return (start is None or start <= term) and (end is None or term <= end)


def _empty(start: str | None, end: str | None) -> bool:
    return start is not None and end is not None and end < start


def windows_overlap(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    if _empty(*a) or _empty(*b):
        return False
    lo = max((x for x in (a[0], b[0]) if x is not None), default=None)
    hi = min((x for x in (a[1], b[1]) if x is not None), default=None)
    return lo is None or hi is None or lo <= hi


def window_text(start: str | None, end: str | None) -> str:
    if start and end:
        return t("{start} to {end}", start=start, end=end)
    if start:
        return t("from {start}", start=start)
    if end:
        return t("until {end}", end=end)
    return t("all terms")


def _date_window(start: dt.date | None, end: dt.date | None) -> str:
    return window_text(start.isoformat() if start else None, end.isoformat() if end else None)


# --------------------------------------------------------------------------- grading scales

# A university without a scale of its own reports 0–100 or the common Chinese five-level grades.
FIVE_LEVEL = {"优": 95.0, "优秀": 95.0, "良": 85.0, "良好": 85.0, "中": 75.0, "中等": 75.0, "及格": 65.0,
              "合格": 65.0, "不及格": 50.0, "不合格": 50.0}


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").strip()


def scale_of(uni: University) -> dict[str, float]:
    if uni.grading_scale:
        return {str(k): float(v) for k, v in uni.grading_scale.items()}
    return dict(FIVE_LEVEL)


def convert_score(uni: University, value: Any) -> tuple[str, float]:
    """A score as reported by ``uni`` -> (text as entered, score on 0–100). Raises ValueError when
    it is not on the university's scale (an unknown grade, a grade point on a 0–100 scale …)."""
    text = _clean(value).replace(" ", "")
    scale = scale_of(uni)
    for grade, score in scale.items():
        if grade.lower() == text.lower():
            return grade, score
    grades = "、".join(scale)
    try:
        number = float(text)
    except ValueError:
        raise ValueError(t("{value} is not on the grading scale of {university}: give a score from 0 to 100 or "
                           "one of {grades}.", value=text, university=uni.name, grades=grades)) from None
    if number != number or not 0 <= number <= 100:
        raise ValueError(t("{value} is not on the grading scale of {university}: give a score from 0 to 100 or "
                           "one of {grades}.", value=text, university=uni.name, grades=grades))
    if 0 < number <= 5:
        extra = t(" or as {grades}", grades=grades) if grades else ""
        raise ValueError(t("{value} looks like a grade point, but {university} reports scores from 0 to 100{grades}.",
                           value=text, university=uni.name, grades=extra))
    return (str(int(number)) if number.is_integer() else str(number)), number


def parse_scale(text: str) -> dict[str, float] | None:
    """'A=95, B=85; C=75' (or A:95, one per line) -> {'A': 95.0, …}; blank -> None."""
    text = _clean(text)
    if not text:
        return None
    out: dict[str, float] = {}
    for part in re.split(r"[,;，；、\n]+", text):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(.+?)\s*[=:：]\s*([-\d.]+)$", part)
        if not m:
            raise _invalid("grading_scale", t("The grading scale must map grades to scores, like A=95, B=85."))
        value = float(m.group(2))
        if not 0 <= value <= 100:
            raise _invalid("grading_scale", t("{grade}: the score {value} is not between 0 and 100.",
                                              grade=m.group(1), value=m.group(2)))
        out[m.group(1).strip()] = value
    return out or None


def scale_text(scale: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={float(v):g}" for k, v in (scale or {}).items())


def set_grading_scale(session: Session, actor: Actor, university_id: int, expected_version: int | None,
                      scale: dict[str, float] | None) -> University:
    require_admin(actor)
    uni = get_for_update(session, University, university_id, expected_version, t("University"))
    uni.grading_scale = dict(scale) if scale else None
    flush(session)
    return uni


# --------------------------------------------------------------------------- look-ups


def alliance_university(session: Session, code: str, key: str = "university") -> University:
    uni = session.scalar(select(University).where(func.lower(University.code) == (code or "").strip().lower()))
    if uni is None:
        raise _invalid(key, t("{code} is not an alliance university.", code=code))
    return uni


def external_course(session: Session, uni: University, code: str, key: str = "external") -> ExternalCourse:
    ext = session.scalar(select(ExternalCourse).where(ExternalCourse.university_id == uni.id,
                                                      func.lower(ExternalCourse.code) == code.strip().lower()))
    if ext is None:
        raise _unknown(key, t("External course {code} is not in the catalogue of {university}.", code=code,
                              university=uni.name))
    return ext


def _local_course(session: Session, code: str, key: str = "local") -> Course:
    course = session.scalar(select(Course).where(func.lower(Course.code) == code.strip().lower()))
    if course is None:
        raise _unknown(key, t("Course {code} does not exist.", code=code))
    return course


def _student(session: Session, no: str, key: str = "student_no") -> Student:
    st = by_key(session, Student, Student.student_no, no or "")
    if st is None:
        raise _unknown(key, t("There is no student with number {no}.", no=no))
    return st


def external_codes(value: Any) -> list[str]:
    """'CS301+CS302' (also 、 , ；) or a list -> ['CS301', 'CS302']."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_clean(v).replace(" ", "") for v in value if _clean(v)]
    return [p.replace(" ", "") for p in re.split(r"[+＋、,，;；\s]+", _clean(value)) if p]


# --------------------------------------------------------------------------- rules

RULE_KEYS = ("university", "external", "local", "category", "credits", "min_score", "valid_from", "valid_to")


def _next_rule_key(session: Session, uni: University) -> str:
    prefix = f"{uni.code}-R"
    best = 0
    for (key,) in session.execute(select(EquivalenceRule.rule_key).where(EquivalenceRule.rule_key.like(f"{prefix}%"))):
        tail = key[len(prefix):]
        if tail.isdigit():
            best = max(best, int(tail))
    return f"{prefix}{best + 1:02d}"


@dataclass
class _RuleValues:
    uni: University
    externals: list[ExternalCourse]
    local: Course | None
    category: CourseCategory | None
    credits: float | None
    min_score: float
    valid_from: str | None
    valid_to: str | None

    @property
    def kind(self) -> RuleKind:
        if len(self.externals) > 1:
            return RuleKind.COMBINED
        return RuleKind.COURSE if self.local is not None else RuleKind.CATEGORY


def _rule_values(session: Session, values: dict[str, Any], base: EquivalenceRule | None) -> _RuleValues:
    def pick(key: str, current: Any) -> Any:
        return values[key] if key in values else current

    uni = alliance_university(session, values["university"]) if values.get("university") else (
        base.university if base else alliance_university(session, ""))
    errors: dict[str, str] = {}
    codes = external_codes(values["external"]) if "external" in values else (
        [link.external_course.code for link in base.external_links] if base else [])
    externals: list[ExternalCourse] = []
    if not codes:
        errors["external"] = t("At least one external course is required.")
    for code in codes:
        try:
            ext = external_course(session, uni, code)
        except ValidationError as exc:
            errors["external"] = exc.errors["external"]
            continue
        if any(e.id == ext.id for e in externals):
            errors["external"] = t("External course {code} is listed twice.", code=code)
        externals.append(ext)
    local_code = values["local"] if "local" in values else (base.local_course.code if base and base.local_course
                                                           else None)
    category = pick("category", base.category if base else None)
    local = None
    if local_code:
        try:
            local = _local_course(session, local_code)
        except ValidationError as exc:
            errors["local"] = exc.errors["local"]
    if local_code and category is not None:
        errors["category"] = t("Give the local course or the category, not both.")
    elif not local_code and category is None:
        errors["local"] = t("Give the local course or the category.")
    elif category is not None and len(codes) > 1:
        errors["category"] = t("Several external courses together can only map to one local course, not to "
                               "category credit.")
    credits = pick("credits", base.credits if base else None)
    if credits is not None and credits <= 0:
        errors["credits"] = t("Credits must be more than 0.")
    min_score = pick("min_score", base.min_score if base else None)
    min_score = 60.0 if min_score is None else float(min_score)
    if not 0 <= min_score <= 100:
        errors["min_score"] = t("The minimum score must be between 0 and 100.")
    window: dict[str, str | None] = {}
    for key in ("valid_from", "valid_to"):
        raw = pick(key, getattr(base, key) if base else None)
        window[key] = None
        if raw:
            try:
                window[key] = check_term(str(raw), key)
            except ValidationError as exc:
                errors[key] = exc.errors[key]
    if window["valid_from"] and window["valid_to"] and window["valid_to"] < window["valid_from"]:
        errors["valid_to"] = t("The last term {to} is before the first term {start}.", to=window["valid_to"],
                               start=window["valid_from"])
    if errors:
        first = next(iter(errors))
        raise ValidationError(t("{field}: {reason}", field=first, reason=errors[first]), errors)
    return _RuleValues(uni, externals, local, category, credits, min_score, window["valid_from"],
                       window["valid_to"])


def _apply_rule(rule: EquivalenceRule, v: _RuleValues) -> None:
    rule.university_id = v.uni.id
    rule.kind = v.kind
    rule.local_course_id = v.local.id if v.local else None
    rule.category = v.category if v.local is None else None
    rule.credits = v.credits
    rule.min_score = v.min_score
    rule.valid_from, rule.valid_to = v.valid_from, v.valid_to
    wanted = {e.id for e in v.externals}
    for link in list(rule.external_links):
        if link.external_course_id not in wanted:
            rule.external_links.remove(link)
    have = {link.external_course_id for link in rule.external_links}
    for ext in v.externals:
        if ext.id not in have:
            rule.external_links.append(RuleExternalCourse(external_course_id=ext.id))


def save_rule(session: Session, actor: Actor, values: dict[str, Any], *, rule_id: int | None = None,
              expected_version: int | None = None) -> tuple[EquivalenceRule, bool]:
    """Create a draft rule, or change a draft. Approved and retired versions are never edited."""
    require_admin(actor)
    rule = None
    if rule_id is not None:
        rule = get_for_update(session, EquivalenceRule, rule_id, expected_version, t("Equivalence rule"))
        if rule.status is not RuleStatus.DRAFT:
            raise RuleViolation(t("An approved rule is never edited: make a new version of it."))
        values = {k: v for k, v in values.items() if k != "university"}  # a version keeps its university
    v = _rule_values(session, values, rule)
    created = rule is None
    if rule is None:
        rule = EquivalenceRule(rule_key=_next_rule_key(session, v.uni), revision=1, status=RuleStatus.DRAFT)
        session.add(rule)
    _apply_rule(rule, v)
    flush(session)
    return rule, created


def latest_revision(session: Session, rule_key: str) -> EquivalenceRule:
    return session.scalars(select(EquivalenceRule).where(EquivalenceRule.rule_key == rule_key)
                           .order_by(EquivalenceRule.revision.desc())).first()  # type: ignore[return-value]


def new_version(session: Session, actor: Actor, rule_id: int, values: dict[str, Any]) -> EquivalenceRule:
    """A draft with the next revision of an approved rule, its values changed by ``values``."""
    require_admin(actor)
    base = session.get(EquivalenceRule, rule_id)
    if base is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Equivalence rule"), key=rule_id))
    latest = latest_revision(session, base.rule_key)
    if latest.status is RuleStatus.DRAFT:
        raise RuleViolation(t("Rule {key} already has a draft (version {revision}); edit that draft instead.",
                              key=base.rule_key, revision=latest.revision))
    if latest.id != base.id:
        raise RuleViolation(t("A new version is made from the latest version of rule {key} (version {revision}).",
                              key=base.rule_key, revision=latest.revision))
    v = _rule_values(session, {k: val for k, val in values.items() if k != "university"}, base)
    rule = EquivalenceRule(rule_key=base.rule_key, revision=base.revision + 1, status=RuleStatus.DRAFT,
                           supersedes_id=base.id)
    session.add(rule)
    _apply_rule(rule, v)
    flush(session)
    return rule


def _in_force() -> ColumnElement[bool]:
    """Versions that decide requests: approved, or retired after having been approved."""
    return or_(EquivalenceRule.status == RuleStatus.APPROVED,
               (EquivalenceRule.status == RuleStatus.RETIRED) & EquivalenceRule.approved_at.is_not(None))


def _decided(session: Session, rule_id: int) -> tuple[int, str | None]:
    """How many requests ``rule_id`` has decided, and the last term among them."""
    n, last = session.execute(select(func.count(), func.max(TransferRequest.term)).where(
        TransferRequest.rule_id == rule_id, TransferRequest.status != TransferStatus.PENDING)).one()
    return n, last


def _check_no_overlap(session: Session, rule: EquivalenceRule,
                      windows: dict[int, tuple[str | None, str | None]]) -> None:
    """Refuse ``rule`` when its window overlaps that of another rule in force for one of its external
    courses (``windows``: a rule's window as it is about to be, by id, where it differs from the stored one)."""
    for link in rule.external_links:
        others = session.scalars(
            select(EquivalenceRule).join(RuleExternalCourse, RuleExternalCourse.rule_id == EquivalenceRule.id)
            .where(RuleExternalCourse.external_course_id == link.external_course_id, EquivalenceRule.id != rule.id,
                   _in_force()))
        for other in others:
            window = windows.get(other.id) or (other.valid_from, other.valid_to)
            if windows_overlap(window, (rule.valid_from, rule.valid_to)):
                raise _invalid("valid_from", t(
                    "External course {code} is already recognised by rule {key} (version {revision}; {window}): "
                    "the validity windows of one external course must not overlap.",
                    code=link.external_course.code, key=other.rule_key, revision=other.revision,
                    window=window_text(*window)))


def approve_rule(session: Session, actor: Actor, rule_id: int, expected_version: int | None,
                 now: dt.datetime | None = None) -> EquivalenceRule:
    """Approve a draft. A version that supersedes another retires it and ends its window at the term
    before this one starts. Refused when the windows of one external course would overlap."""
    require_admin(actor)
    rule = get_for_update(session, EquivalenceRule, rule_id, expected_version, t("Equivalence rule"))
    if rule.status is not RuleStatus.DRAFT:
        raise RuleViolation(t("Only a draft can be approved."))
    old = session.get(EquivalenceRule, rule.supersedes_id) if rule.supersedes_id else None
    old_window = None
    if old is not None and old.status is RuleStatus.APPROVED:
        old_window = (old.valid_from, old.valid_to)
        if windows_overlap(old_window, (rule.valid_from, rule.valid_to)):
            if rule.valid_from is None or (old.valid_from is not None and rule.valid_from <= old.valid_from):
                raise _invalid("valid_from", t(
                    "The new version must start after {term}, the first term of version {revision}: give it a later "
                    "first term so that earlier terms keep the version they used.",
                    term=old.valid_from or "—", revision=old.revision))
            cut = previous_term(rule.valid_from)
            _n, decided = _decided(session, old.id)
            if decided is not None and decided > cut:  # that request must keep the version it was decided by
                raise _invalid("valid_from", t(
                    "Version {revision} of rule {key} decided a request of term {term}: the new version can start "
                    "only after that term.", revision=old.revision, key=old.rule_key, term=decided))
            old_window = (old.valid_from, cut if old.valid_to is None or cut < old.valid_to else old.valid_to)
    _check_no_overlap(session, rule, {old.id: old_window} if old is not None and old_window else {})
    if old is not None and old.status is RuleStatus.APPROVED:
        old.status = RuleStatus.RETIRED
        if old_window is not None:
            old.valid_to = old_window[1]
    rule.status = RuleStatus.APPROVED
    rule.approved_by = actor.username
    rule.approved_at = now or dt.datetime.now().replace(microsecond=0)
    flush(session)
    return rule


def retire_rule(session: Session, actor: Actor, rule_id: int, expected_version: int | None,
                last_term: str | None = None) -> EquivalenceRule:
    """Retire an approved rule. ``last_term`` is the last term it still applies to (requests for
    earlier terms keep using it); None leaves its window as it is."""
    require_admin(actor)
    rule = get_for_update(session, EquivalenceRule, rule_id, expected_version, t("Equivalence rule"))
    if rule.status is not RuleStatus.APPROVED:
        raise RuleViolation(t("Only an approved rule can be retired."))
    if last_term:
        last_term = check_term(last_term, "valid_to")
        if rule.valid_to is None or last_term < rule.valid_to:
            rule.valid_to = last_term
    rule.status = RuleStatus.RETIRED
    flush(session)
    return rule


def find_rule(session: Session, external_course_id: int, term: str) -> EquivalenceRule | None:
    """The version valid for ``term`` among approved (and formerly approved) rules of the course."""
    found = [r for r in session.scalars(
        select(EquivalenceRule).join(RuleExternalCourse, RuleExternalCourse.rule_id == EquivalenceRule.id)
        .where(RuleExternalCourse.external_course_id == external_course_id, _in_force())
        .order_by(EquivalenceRule.status, EquivalenceRule.revision.desc()))
        if in_window(term, r.valid_from, r.valid_to)]
    return found[0] if found else None


def import_rule(session: Session, actor: Actor, values: dict[str, Any]) -> tuple[EquivalenceRule, bool]:
    """The ``equivalences`` import: a rule agreed on paper arrives approved. A row is known by its
    university, external course(s) and first term (生效学期):

    - the same rule with the same values is left as it is (a version replaced later keeps the last
      term its successor gave it, so the file's open 失效学期 still reads as the same);
    - the same rule with other values is changed in place while no decided request has used it; once
      one has, only its last term may change, and not to before a term it decided;
    - a later first term than the approved version of the same course(s) is a new version of that rule:
      the approved one is retired and closed at the term before, as in the app;
    - anything else is a new rule, refused when its window overlaps another rule of one of its courses.
    """
    require_admin(actor)
    v = _rule_values(session, values, None)
    wanted = sorted(e.id for e in v.externals)
    same_courses = [rule for rule in session.scalars(
        select(EquivalenceRule).where(EquivalenceRule.university_id == v.uni.id, _in_force())
        .order_by(EquivalenceRule.id))
        if sorted(link.external_course_id for link in rule.external_links) == wanted]
    for rule in same_courses:
        if rule.valid_from != v.valid_from:
            continue
        same = (rule.local_course_id == (v.local.id if v.local else None)
                and rule.category == (None if v.local else v.category) and rule.credits == v.credits
                and rule.min_score == v.min_score)
        if same and (rule.valid_to == v.valid_to or (rule.status is RuleStatus.RETIRED and rule.valid_to is not None
                                                      and (v.valid_to is None or rule.valid_to < v.valid_to))):
            return rule, False
        _change_imported_rule(session, actor, rule, v, same)
        return rule, False
    current = next((r for r in same_courses if r.status is RuleStatus.APPROVED), None)
    if current is not None and v.valid_from is not None and (current.valid_from is None
                                                             or v.valid_from > current.valid_from):
        latest = latest_revision(session, current.rule_key)
        if latest.status is RuleStatus.DRAFT:  # a draft started in the app: the file's version replaces it
            _apply_rule(latest, v)
            flush(session)
            rule = latest
        else:
            # the row is the whole rule: what it leaves blank is blank, not inherited from the old version
            rule = new_version(session, actor, current.id, {k: values.get(k) for k in RULE_KEYS if k != "university"})
        approve_rule(session, actor, rule.id, None)
        return rule, True
    rule, _ = save_rule(session, actor, values)
    approve_rule(session, actor, rule.id, None)
    return rule, True


def _change_imported_rule(session: Session, actor: Actor, rule: EquivalenceRule, v: _RuleValues,
                          only_last_term: bool) -> None:
    """An import row naming ``rule`` (same courses, same first term) with other values."""
    if rule.status is RuleStatus.RETIRED:
        raise _invalid("valid_from", t(
            "Version {revision} of rule {key} has been replaced by a later version and is kept as it was for the "
            "requests of its terms: change the later version, or give a new first term.",
            revision=rule.revision, key=rule.rule_key))
    n, last = _decided(session, rule.id)
    if n and not only_last_term:
        raise _invalid("valid_from", t(
            "Rule {key} (version {revision}) has already decided {n} request(s), so its values are not changed: to "
            "apply new values from a later term, give that term as the first term (the rule then ends the term "
            "before).", key=rule.rule_key, revision=rule.revision, n=n))
    if v.valid_to is not None and last is not None and last > v.valid_to:
        raise _invalid("valid_to", t(
            "Rule {key} decided a request of term {term}: its last term cannot be before that.",
            key=rule.rule_key, term=last))
    _apply_rule(rule, v)
    rule.approved_by = actor.username  # the file's administrator approves the values it brings
    rule.approved_at = dt.datetime.now().replace(microsecond=0)
    flush(session)
    _check_no_overlap(session, rule, {})


# --------------------------------------------------------------------------- proposals


class Outcome(str, enum.Enum):
    APPROVE = "approve"
    PARTIAL = "partial"  # approve with fewer credits (the programme's cap)
    REJECT = "reject"
    INCOMPLETE = "incomplete"  # a combined rule still misses one of its courses


def outcome_label(outcome: Outcome) -> str:
    return {Outcome.APPROVE: t("Approve"), Outcome.PARTIAL: t("Approve in part"), Outcome.REJECT: t("Reject"),
            Outcome.INCOMPLETE: t("Incomplete")}[outcome]


@dataclass(frozen=True)
class Proposal:
    """What the service proposes for a request, before an administrator decides."""

    request_id: int | None
    outcome: Outcome
    score: float | None
    rule_id: int | None = None
    rule_key: str | None = None
    revision: int | None = None
    kind: RuleKind | None = None
    local_course_id: int | None = None
    local_code: str | None = None
    local_name: str | None = None
    category: CourseCategory | None = None  # the category the credits count under
    credits: float | None = None  # what the rule gives (its amount, or hours ÷ hours per credit)
    grantable: float = 0.0  # what may be granted now (≤ credits under the programme's cap)
    reason: str | None = None
    parts: tuple[int, ...] = ()  # the other requests of a combined rule
    cap: float | None = None
    recognised: float = 0.0  # credits already recognised for the student

    @property
    def approvable(self) -> bool:
        return self.outcome in (Outcome.APPROVE, Outcome.PARTIAL)

    def target(self) -> str:
        if self.local_code:
            return f"{self.local_code} {self.local_name}"
        return label(self.category) if self.category else ""


def half_up(x: float) -> float:
    """Credits in half steps, halves rounded up (1.25 -> 1.5)."""
    return math.floor(x * 2 + 0.5 + 1e-9) / 2


def rule_credits(rule: EquivalenceRule, uni: University) -> tuple[float | None, str | None]:
    """The credits a rule gives, or (None, reason) when hours are missing for the conversion."""
    if rule.credits is not None:
        return float(rule.credits), None
    hours = 0.0
    for link in rule.external_links:
        ext = link.external_course
        if not ext.hours:
            return None, t("The rule converts from hours, but {code} has no hours in the catalogue.", code=ext.code)
        hours += ext.hours
    return half_up(hours / uni.hours_per_credit), None


def recognised_total(session: Session, student_id: int, exclude: Iterable[int] = ()) -> float:
    ids = list(exclude)
    stmt = select(func.coalesce(func.sum(TransferRequest.credits), 0.0)).where(
        TransferRequest.student_id == student_id, TransferRequest.status == TransferStatus.APPROVED)
    if ids:
        stmt = stmt.where(TransferRequest.id.not_in(ids))
    return float(session.scalar(stmt) or 0.0)


def _reject(req: TransferRequest, reason: str, **kw: Any) -> Proposal:
    return Proposal(req.id, Outcome.REJECT, req.score, reason=reason, **kw)


def propose(session: Session, req: TransferRequest) -> Proposal:
    """The outcome the rules give for ``req`` (which is not changed)."""
    uni = req.university
    start, end = term_bounds(req.term)
    if (uni.agreement_from and end < uni.agreement_from) or (uni.agreement_to and start > uni.agreement_to):
        return _reject(req, t("Term {term} is outside the agreement with {university} ({window}).", term=req.term,
                              university=uni.name, window=_date_window(uni.agreement_from, uni.agreement_to)))
    rule = find_rule(session, req.external_course_id, req.term)
    if rule is None:
        return _reject(req, t("No approved equivalence rule covers {code} in term {term}.",
                              code=req.external_course.code, term=req.term))
    local = rule.local_course
    category = local.category if local is not None else rule.category
    credits, missing_hours = rule_credits(rule, uni)
    info: dict[str, Any] = dict(rule_id=rule.id, rule_key=rule.rule_key, revision=rule.revision, kind=rule.kind,
                                local_course_id=local.id if local else None, local_code=local.code if local else None,
                                local_name=local.name if local else None, category=category, credits=credits)
    if missing_hours:
        return _reject(req, missing_hours, **info)
    if req.score is None or req.score < rule.min_score:
        return _reject(req, t("The score {score} is below the rule's minimum of {minimum}.", score=req.score_text,
                              minimum=f"{rule.min_score:g}"), **info)
    ext_ids = [link.external_course_id for link in rule.external_links]
    # double counting: any course of the rule already recognised for the student
    used = session.execute(
        select(TransferRequest.id, ExternalCourse.code)
        .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
        .where(TransferRequest.student_id == req.student_id, TransferRequest.status == TransferStatus.APPROVED,
               TransferRequest.external_course_id.in_(ext_ids), TransferRequest.id != (req.id or -1))
        .order_by(TransferRequest.id)).first()
    if used is not None:
        return _reject(req, t("{code} is already recognised for this student (request {id}).", code=used[1],
                              id=used[0]), **info)
    if local is not None:
        passed = session.scalar(select(Enrolment.id).where(Enrolment.student_id == req.student_id,
                                                           Enrolment.course_id == local.id, Enrolment.passed).limit(1))
        if passed is not None:
            return _reject(req, t("The student already passed the local equivalent {code} {name}.", code=local.code,
                                  name=local.name), **info)
        again = session.scalar(select(TransferRequest.id).where(
            TransferRequest.student_id == req.student_id, TransferRequest.status == TransferStatus.APPROVED,
            TransferRequest.local_course_id == local.id, TransferRequest.credits > 0,
            TransferRequest.id != (req.id or -1)).limit(1))
        if again is not None:
            return _reject(req, t("The local equivalent {code} {name} is already recognised for this student "
                                  "(request {id}).", code=local.code, name=local.name, id=again), **info)
    parts: list[int] = []
    if rule.kind is RuleKind.COMBINED:
        for link in rule.external_links:
            if link.external_course_id == req.external_course_id:
                continue
            ext = link.external_course
            siblings = [s for s in session.scalars(
                select(TransferRequest).where(TransferRequest.student_id == req.student_id,
                                              TransferRequest.external_course_id == ext.id,
                                              TransferRequest.status == TransferStatus.PENDING)
                .order_by(TransferRequest.id.desc()))
                if find_rule(session, ext.id, s.term) is rule]
            if not siblings:
                return Proposal(req.id, Outcome.INCOMPLETE, req.score, reason=t(
                    "Rule {key} needs {code} {name} as well: the student has no request for it in a term the rule "
                    "covers.", key=rule.rule_key, code=ext.code, name=ext.name), **info)
            best = max(siblings, key=lambda s: s.score or 0)
            if best.score is None or best.score < rule.min_score:
                return _reject(req, t("{code} of the same rule scored {score}, below the minimum of {minimum}.",
                                      code=ext.code, score=best.score_text, minimum=f"{rule.min_score:g}"), **info)
            parts.append(best.id)
    cap = req.student.programme.transfer_cap
    exclude = [i for i in [req.id, *parts] if i is not None]
    recognised = recognised_total(session, req.student_id, exclude)
    info.update(parts=tuple(parts), cap=cap, recognised=recognised)
    assert credits is not None
    if cap is not None:
        room = half_down(cap - recognised)
        if room <= 0:
            return _reject(req, t("The programme's cap of {cap} recognised credits is reached.", cap=f"{cap:g}"),
                           **info)
        if room < credits:
            return Proposal(req.id, Outcome.PARTIAL, req.score, grantable=room, reason=t(
                "Only {room} of {credits} credits fit under the programme's cap of {cap} recognised credits.",
                room=f"{room:g}", credits=f"{credits:g}", cap=f"{cap:g}"), **info)
    return Proposal(req.id, Outcome.APPROVE, req.score, grantable=credits, **info)


def half_down(x: float) -> float:
    return math.floor(x * 2 + 1e-9) / 2


# --------------------------------------------------------------------------- requests and decisions

REQUEST_KEYS = ("student_no", "university", "external", "term", "score", "submitted_on")


def submit_request(session: Session, actor: Actor, values: dict[str, Any]) -> TransferRequest:
    """Record a student's request: their external course, its term and score. The proposal's rule,
    credits and target are stored with it (and computed afresh when it is decided)."""
    require_admin(actor)
    student = _student(session, values.get("student_no") or "")
    uni = alliance_university(session, values.get("university") or "")
    codes = external_codes(values.get("external"))
    ext = external_course(session, uni, codes[0] if len(codes) == 1 else " + ".join(codes) or "")
    term = check_term(str(values.get("term") or ""), "term")
    try:
        score_text, score = convert_score(uni, values.get("score"))
    except ValueError as exc:
        raise _invalid("score", str(exc)) from None
    submitted = values.get("submitted_on") or dt.date.today()
    start, _end = term_bounds(term)
    if submitted < start:
        raise _invalid("submitted_on", t("The request is submitted before its term {term} began.", term=term))
    pending = session.scalar(select(TransferRequest.id).where(
        TransferRequest.student_id == student.id, TransferRequest.external_course_id == ext.id,
        TransferRequest.status == TransferStatus.PENDING).limit(1))
    if pending is not None:
        raise _invalid("external", t("{student} already has a pending request for {code} (request {id}).",
                                     student=f"{student.student_no} {student.name}", code=ext.code, id=pending))
    req = TransferRequest(student_id=student.id, university_id=uni.id, external_course_id=ext.id, term=term,
                          score_text=score_text, score=score, submitted_on=submitted, status=TransferStatus.PENDING)
    req.student, req.university, req.external_course = student, uni, ext
    session.add(req)
    flush(session)
    _store_proposal(req, propose(session, req))
    flush(session)
    return req


def _store_proposal(req: TransferRequest, p: Proposal) -> None:
    req.rule_id = p.rule_id
    req.proposed_credits = p.credits
    req.local_course_id = p.local_course_id
    req.category = p.category


class Decision(str, enum.Enum):
    APPROVE = "approve"
    PARTIAL = "partial"  # approve with fewer credits; a reason is required
    REJECT = "reject"  # a reason is required


def decide(session: Session, actor: Actor, request_id: int, expected_version: int | None, decision: Decision, *,
           credits: float | None = None, reason: str | None = None, on: dt.date | None = None) -> TransferRequest:
    """Decide a pending request. Approvals follow the proposal computed now; the decision records
    the day, the user, the rule version used and what counts in the balance."""
    require_admin(actor)
    req = get_for_update(session, TransferRequest, request_id, expected_version, t("Transfer request"))
    # serialise decisions for one student (the cap): PostgreSQL locks the row, SQLite has one writer
    session.execute(select(Student.id).where(Student.id == req.student_id).with_for_update())
    if req.status is not TransferStatus.PENDING:
        raise RuleViolation(t("Request {id} has already been decided.", id=req.id))
    day = on or dt.date.today()
    if day < req.submitted_on:
        raise _invalid("decided_on", t("The decision date is before the request was submitted ({day}).",
                                       day=req.submitted_on.isoformat()))
    reason = (reason or "").strip() or None
    p = propose(session, req)
    _store_proposal(req, p)
    if decision is Decision.REJECT:
        if not reason:
            raise _invalid("reason", t("A reason is required."))
        granted = None
    else:
        if not p.approvable:
            raise RuleViolation(t("This request cannot be approved: {reason}", reason=p.reason or ""))
        assert p.credits is not None
        if decision is Decision.APPROVE:
            granted = p.grantable
            if p.outcome is Outcome.PARTIAL:
                reason = reason or p.reason
        else:
            if credits is None:
                raise _invalid("credits", t("Give the credits to grant."))
            if credits <= 0:
                raise _invalid("credits", t("Credits must be more than 0."))
            if credits >= p.credits:
                raise _invalid("credits", t("Approving with fewer credits needs fewer than the {n} credits proposed.",
                                            n=f"{p.credits:g}"))
            if credits > p.grantable:
                raise _invalid("credits", t("At most {n} credits can be granted: {reason}", n=f"{p.grantable:g}",
                                            reason=p.reason or ""))
            if not reason:
                raise _invalid("reason", t("A reason is required."))
            granted = float(credits)
    req.status = TransferStatus.REJECTED if decision is Decision.REJECT else TransferStatus.APPROVED
    req.credits = granted
    req.decided_on = day
    req.decided_by = actor.username
    req.reason = reason
    if req.status is TransferStatus.APPROVED:
        for part_id in p.parts:
            part = session.get(TransferRequest, part_id)
            assert part is not None and part.status is TransferStatus.PENDING
            part.status = TransferStatus.APPROVED
            part.rule_id = p.rule_id
            part.proposed_credits = 0.0
            part.credits = 0.0
            part.local_course_id = None
            part.category = p.category
            part.decided_on = day
            part.decided_by = actor.username
            part.reason = t("Part of the combined recognition of request {id} ({code} {name}).", id=req.id,
                            code=req.external_course.code, name=req.external_course.name)
    flush(session)
    return req


def decide_many(session: Session, actor: Actor, request_ids: list[int], decision: Decision, *,
                reason: str | None = None, on: dt.date | None = None) -> list[int]:
    """Approve or reject several pending requests at once (the queue's bulk action), in the order they
    were submitted, each through ``decide``: its proposal, the student's balance and the programme's cap
    weighed after the decisions before it, as if taken one by one. All or none: a request that cannot
    be decided so refuses the whole, naming it. A request approved already as a part of a combined
    recognition decided earlier in the run is left as it is. Returns the requests decided."""
    require_admin(actor)
    if decision is Decision.PARTIAL:
        raise _invalid("decision", t("A partial approval is decided one request at a time."))
    if not request_ids:
        raise _invalid("requests", t("No requests were chosen."))
    if decision is Decision.REJECT and not (reason or "").strip():
        raise _invalid("reason", t("A reason is required."))
    chosen = list(session.scalars(select(TransferRequest).where(TransferRequest.id.in_(request_ids))
                                  .order_by(TransferRequest.submitted_on, TransferRequest.id)))
    pending_at_start = {req.id for req in chosen if req.status is TransferStatus.PENDING}
    decided = []
    for req in chosen:
        if req.status is not TransferStatus.PENDING:
            if req.id in pending_at_start:
                continue  # approved just now, as a part of a combined recognition decided before it
            raise RuleViolation(t("Request {id} has already been decided.", id=req.id))
        try:
            decide(session, actor, req.id, None, decision, reason=reason, on=on)
        except TalentDeskError as exc:
            raise RuleViolation(t("Request {id} ({student}, {code}): {reason}", id=req.id,
                                  student=f"{req.student.name}（{req.student.student_no}）",
                                  code=req.external_course.code, reason=str(exc))) from exc
        decided.append(req.id)
    return decided


TRANSFER_KEYS = (*REQUEST_KEYS, "status", "credits", "decided_on", "reason")


def import_transfer(session: Session, actor: Actor, values: dict[str, Any]) -> tuple[TransferRequest, bool]:
    """The ``transfers`` import: a request and, for decisions already taken, its decision (checked by
    the same rules as a decision taken today). The same row imported again changes nothing."""
    require_admin(actor)
    status = values.get("status") or TransferStatus.PENDING
    if status is TransferStatus.PENDING and any(values.get(k) not in (None, "") for k in
                                                ("credits", "decided_on", "reason")):
        key = next(k for k in ("credits", "decided_on", "reason") if values.get(k) not in (None, ""))
        raise _invalid(key, t("A pending request has no decision: leave credits, decision date and reason empty."))
    if status is not TransferStatus.PENDING and not values.get("decided_on"):
        raise _invalid("decided_on", t("A decided request needs its decision date."))
    student = _student(session, values.get("student_no") or "")
    uni = alliance_university(session, values.get("university") or "")
    ext = external_course(session, uni, " + ".join(external_codes(values.get("external"))))
    term = check_term(str(values.get("term") or ""), "term")
    existing = session.scalar(select(TransferRequest).where(
        TransferRequest.student_id == student.id, TransferRequest.external_course_id == ext.id,
        TransferRequest.term == term).order_by(TransferRequest.id.desc()).limit(1))
    if existing is not None:
        if status is TransferStatus.PENDING or existing.status is status:
            return existing, False
        if existing.status is not TransferStatus.PENDING:
            raise _invalid("status", t("Request {id} was already decided differently; decisions are never changed "
                                       "by an import.", id=existing.id))
        req, created = existing, False
    else:
        req, created = submit_request(session, actor, values), True
    if status is TransferStatus.PENDING:
        return req, created
    if status is TransferStatus.REJECTED:
        decide(session, actor, req.id, None, Decision.REJECT, reason=values.get("reason"), on=values.get("decided_on"))
        return req, created
    p = propose(session, req)
    waiting: dict[int, tuple[int | None, dict[str, Any]]] = session.info.setdefault(_WAITING, {})
    if p.outcome is Outcome.INCOMPLETE:
        # a combined (n:1) recognition approved on paper: its other courses may be later rows of the same
        # file. The request waits, pending; the file's last part decides them all, and a part that never
        # comes is this row's error (finish_transfer_import)
        waiting[req.id] = (session.info.get(IMPORT_ROW), dict(values))
        return req, created
    main, main_values = req, values
    if p.parts and values.get("credits") == 0:
        # this row is a part of the recognition (its credits 0): the row that carries them decides
        for part in p.parts:
            if part in waiting and waiting[part][1].get("credits") != 0:
                found = session.get(TransferRequest, part)
                assert found is not None
                main, main_values = found, waiting[part][1]
                p = propose(session, main)
                break
    _approve_as_filed(session, actor, main, p, main_values)
    # each part keeps the decision date its own row gives
    for member in dict.fromkeys((main.id, req.id, *p.parts)):
        filed = waiting.pop(member, None)
        if member == req.id:
            filed = (None, values)
        if filed is None or member == main.id:
            continue
        part_req = session.get(TransferRequest, member)
        day = filed[1].get("decided_on")
        if part_req is not None and day is not None and day >= part_req.submitted_on:
            part_req.decided_on = day
    flush(session)
    return req, created


_WAITING = "transfers_waiting_for_parts"  # session.info: request id -> (row number, the row's values)


def _approve_as_filed(session: Session, actor: Actor, req: TransferRequest, p: Proposal, values: dict[str, Any]
                      ) -> None:
    """Approve ``req`` as an import row says (its credits: all the proposal grants, or fewer)."""
    credits = values.get("credits")
    if not p.approvable:
        raise _invalid("status", t("This request cannot be approved: {reason}", reason=p.reason or ""))
    assert p.credits is not None
    if credits is not None and credits > p.grantable + 1e-9:
        raise _invalid("credits", t("At most {n} credits can be granted: {reason}", n=f"{p.grantable:g}",
                                    reason=p.reason or t("the rule's credits")))
    if credits is None or abs(credits - p.grantable) < 1e-9:
        decide(session, actor, req.id, None, Decision.APPROVE, reason=values.get("reason"),
               on=values.get("decided_on"))
    else:
        decide(session, actor, req.id, None, Decision.PARTIAL, credits=credits, reason=values.get("reason"),
               on=values.get("decided_on"))


def finish_transfer_import(session: Session) -> list[tuple[int | None, TalentDeskError]]:
    """After the last row of a transfers file: the approved parts of a combined recognition whose other
    courses the file never gave, each with its row number and the reason it cannot be approved."""
    left = session.info.pop(_WAITING, {})
    refused: list[tuple[int | None, TalentDeskError]] = []
    for request_id, (row, _values) in left.items():
        req = session.get(TransferRequest, request_id)
        if req is None or req.status is not TransferStatus.PENDING:
            continue
        p = propose(session, req)
        refused.append((row, _invalid("status", t("This request cannot be approved: {reason}",
                                                  reason=p.reason or ""))))
    return refused


# --------------------------------------------------------------------------- views for the pages


def get_request(session: Session, actor: Actor, request_id: int) -> TransferRequest:
    req = session.get(TransferRequest, request_id)
    if req is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Transfer request"), key=request_id))
    check_student_access(session, actor, req.student_id)
    return req


@dataclass(frozen=True)
class BalanceEffect:
    """A student's 50/50 balance now and after granting a proposal."""

    before: Credits
    after: Credits
    target: float
    tolerance: float

    @property
    def in_band_before(self) -> bool:
        return in_band(self.before.share, self.target, self.tolerance)

    @property
    def in_band_after(self) -> bool:
        return in_band(self.after.share, self.target, self.tolerance)


@dataclass(frozen=True)
class RequestView:
    """A request with its proposal and the effect on the student's balance (the decision pane)."""

    id: int
    version: int
    status: TransferStatus
    student_id: int
    student_no: str
    student_name: str
    programme: str
    university: str
    external_code: str
    external_name: str
    external_credits: float
    external_hours: int | None
    term: str
    score_text: str
    score: float | None
    submitted_on: dt.date
    proposal: Proposal
    effect: BalanceEffect
    credits: float | None = None
    decided_on: dt.date | None = None
    decided_by: str | None = None
    reason: str | None = None
    parts: tuple[str, ...] = field(default_factory=tuple)  # the other courses of a combined rule


def request_view(session: Session, actor: Actor, request_id: int, on: dt.date | None = None) -> RequestView:
    req = get_request(session, actor, request_id)
    day = on or dt.date.today()
    if req.status is TransferStatus.PENDING:
        p = propose(session, req)
        if p.cap is None:  # refused before the cap was weighed (no rule …): the programme's cap all the same
            p = replace(p, cap=req.student.programme.transfer_cap, recognised=recognised_total(session, req.student_id))
    else:
        p = replace(_decided_proposal(req), cap=req.student.programme.transfer_cap,
                    recognised=recognised_total(session, req.student_id))
    prog = req.student.programme
    before = student_credits(session, req.student_id, day)
    after = before
    if req.status is TransferStatus.PENDING and p.approvable and p.category is not None:
        after = before.plus(p.category, p.grantable)
    parts = tuple(f"{r.external_course.code} {r.external_course.name}" for r in
                  (session.get(TransferRequest, i) for i in p.parts) if r is not None)
    ext = req.external_course
    return RequestView(req.id, req.version, req.status, req.student_id, req.student.student_no, req.student.name,
                       f"{prog.code} {prog.name}", req.university.name, ext.code, ext.name, ext.credits, ext.hours,
                       req.term, req.score_text, req.score, req.submitted_on, p,
                       BalanceEffect(before, after, prog.target_share, prog.tolerance), req.credits, req.decided_on,
                       req.decided_by, req.reason, parts)


def _decided_proposal(req: TransferRequest) -> Proposal:
    rule = req.rule
    local = req.local_course
    outcome = Outcome.REJECT if req.status is TransferStatus.REJECTED else (
        Outcome.PARTIAL if (req.credits or 0) < (req.proposed_credits or 0) else Outcome.APPROVE)
    return Proposal(req.id, outcome, req.score, rule_id=req.rule_id, rule_key=rule.rule_key if rule else None,
                    revision=rule.revision if rule else None, kind=rule.kind if rule else None,
                    local_course_id=req.local_course_id, local_code=local.code if local else None,
                    local_name=local.name if local else None, category=req.category,
                    credits=req.proposed_credits, grantable=req.credits or 0.0, reason=req.reason)


@dataclass(frozen=True)
class RecognisedLine:
    """One approved recognition on a student's record, with its source."""

    request_id: int
    university: str
    external_code: str
    external_name: str
    term: str
    score_text: str
    score: float | None
    credits: float
    category: CourseCategory | None
    local_code: str | None
    local_name: str | None
    rule_key: str | None
    revision: int | None
    decided_on: dt.date | None
    reason: str | None


def recognised_credits(session: Session, actor: Actor, student_id: int) -> list[RecognisedLine]:
    """The student's approved recognitions, oldest decision first."""
    check_student_access(session, actor, student_id)
    local = aliased(Course)
    rows = session.execute(
        select(TransferRequest.id, University.name, ExternalCourse.code, ExternalCourse.name, TransferRequest.term,
               TransferRequest.score_text, TransferRequest.score, TransferRequest.credits,
               func.coalesce(local.category, TransferRequest.category), local.code, local.name,
               EquivalenceRule.rule_key, EquivalenceRule.revision, TransferRequest.decided_on, TransferRequest.reason)
        .join(University, University.id == TransferRequest.university_id)
        .join(ExternalCourse, ExternalCourse.id == TransferRequest.external_course_id)
        .outerjoin(local, local.id == TransferRequest.local_course_id)
        .outerjoin(EquivalenceRule, EquivalenceRule.id == TransferRequest.rule_id)
        .where(TransferRequest.student_id == student_id, TransferRequest.status == TransferStatus.APPROVED)
        .order_by(TransferRequest.decided_on, TransferRequest.id))
    out = []
    for r in rows:
        cat = r[8]
        out.append(RecognisedLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], float(r[7] or 0),
                                  CourseCategory(cat) if cat is not None else None, r[9], r[10], r[11], r[12],
                                  r[13], r[14]))
    return out


@dataclass(frozen=True)
class StudentRecognition:
    student_id: int
    student_no: str
    name: str
    programme: str
    cap: float | None
    target: float
    tolerance: float
    credits: Credits  # earned credits today (enrolments and recognitions)
    lines: list[RecognisedLine]
    pending: int

    @property
    def recognised(self) -> float:
        return sum(line.credits for line in self.lines)

    @property
    def in_band(self) -> bool:
        return in_band(self.credits.share, self.target, self.tolerance)


def student_recognition(session: Session, actor: Actor, student_id: int,
                        on: dt.date | None = None) -> StudentRecognition:
    lines = recognised_credits(session, actor, student_id)
    st = session.get(Student, student_id)
    assert st is not None
    pending = int(session.scalar(select(func.count()).select_from(TransferRequest).where(
        TransferRequest.student_id == student_id, TransferRequest.status == TransferStatus.PENDING)) or 0)
    prog = st.programme
    return StudentRecognition(st.id, st.student_no, st.name, f"{prog.code} {prog.name}", prog.transfer_cap,
                              prog.target_share, prog.tolerance,
                              student_credits(session, student_id, on or dt.date.today()), lines, pending)


@dataclass(frozen=True)
class UniversityView:
    id: int
    version: int
    code: str
    name: str
    hours_per_credit: float
    grading_scale: dict[str, float]
    agreement_from: dt.date | None
    agreement_to: dt.date | None
    organisation_id: int | None


def university_view(session: Session, actor: Actor, university_id: int) -> UniversityView:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    u = session.get(University, university_id)
    if u is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("University"), key=university_id))
    return UniversityView(u.id, u.version, u.code, u.name, u.hours_per_credit, scale_of(u) if u.grading_scale else {},
                          u.agreement_from, u.agreement_to, u.organisation_id)


@dataclass(frozen=True)
class RuleView:
    id: int
    version: int
    rule_key: str
    revision: int
    status: RuleStatus
    university: str
    values: dict[str, Any]  # keyed like the equivalences import (university, external, local …)
    latest: bool


def rule_view(session: Session, actor: Actor, rule_id: int) -> RuleView:
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    r = session.get(EquivalenceRule, rule_id)
    if r is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("Equivalence rule"), key=rule_id))
    values = {"university": r.university.code,
              "external": "+".join(link.external_course.code for link in r.external_links),
              "local": r.local_course.code if r.local_course else None, "category": r.category,
              "credits": r.credits, "min_score": r.min_score, "valid_from": r.valid_from, "valid_to": r.valid_to}
    return RuleView(r.id, r.version, r.rule_key, r.revision, r.status, r.university.name, values,
                    latest_revision(session, r.rule_key).id == r.id)


def external_view(session: Session, actor: Actor, external_id: int) -> tuple[int, int, dict[str, Any], str]:
    """(id, version, values keyed like the external-courses import, title) for the edit dialog."""
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    e = session.get(ExternalCourse, external_id)
    if e is None:
        raise NotFound(t("{entity} {key} was not found.", entity=t("External course"), key=external_id))
    return e.id, e.version, {"university": e.university.code, "code": e.code, "name": e.name, "credits": e.credits,
                             "hours": e.hours}, f"{e.code} {e.name}"


# --------------------------------------------------------------------------- visiting students


@dataclass(frozen=True)
class VisitingLine:
    """A course a visiting student passed here, as their home university needs it to recognise it."""

    student_no: str
    student_name: str
    home_university: str
    course_code: str
    course_name: str
    term: str
    hours: int | None
    credits: float
    score_text: str | None
    score: float | None
    category: CourseCategory
    passed_on: dt.date


@dataclass(frozen=True)
class HomeUniversity:
    organisation_id: int
    name: str
    students: int


def home_universities(session: Session, actor: Actor) -> list[HomeUniversity]:
    """Universities visiting students come from, with how many students each."""
    if actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    rows = session.execute(
        select(Organisation.id, Organisation.name, func.count(Student.id))
        .join(Student, Student.home_university_id == Organisation.id)
        .group_by(Organisation.id, Organisation.name).order_by(Organisation.name))
    return [HomeUniversity(i, n, int(c)) for i, n, c in rows]


def visiting_transcript(session: Session, actor: Actor, *, organisation_id: int | None = None,
                        student_ids: Iterable[int] | None = None) -> list[VisitingLine]:
    """Courses visiting students passed here (course, hours, credits, score, category), by student and
    pass date: for the students of one home university, or for the given students."""
    ids = list(student_ids) if student_ids is not None else None
    if ids is not None:
        for sid in ids:
            check_student_access(session, actor, sid)
    elif actor.is_mentor:
        raise PermissionDenied(t("You do not have permission to do this."))
    passed_on = func.coalesce(Enrolment.passed_on, Term.end_on)
    stmt = (select(Student.student_no, Student.name, Organisation.name, Course.code, Course.name, Term.code,
                   Course.hours, Course.credits, Enrolment.score_text, Enrolment.score, Course.category, passed_on)
            .join(Student, Student.id == Enrolment.student_id)
            .join(Organisation, Organisation.id == Student.home_university_id)
            .join(Course, Course.id == Enrolment.course_id)
            .join(Term, Term.id == Enrolment.term_id)
            .where(Enrolment.passed)
            .order_by(Student.student_no, passed_on, Course.code))
    if organisation_id is not None:
        stmt = stmt.where(Student.home_university_id == organisation_id)
    if ids is not None:
        stmt = stmt.where(Student.id.in_(ids))
    return [VisitingLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], float(r[7]), r[8], r[9], r[10], r[11])
            for r in session.execute(stmt)]


# --------------------------------------------------------------------------- list pages


def _staff_only(actor: Actor, stmt: AnySelect) -> AnySelect:
    return stmt.where(false()) if actor.is_mentor else stmt


def _university_options(session: Session) -> list[tuple[Any, str]]:
    return [(i, f"{c} {n}") for i, c, n in session.execute(
        select(University.id, University.code, University.name).order_by(University.code))]


def _category_text(value: Any) -> str:
    return label(CourseCategory(value)) if value is not None else ""


def _enum_options(enum_cls: type[enum.Enum]) -> Any:
    return lambda _s: [(m, label(m)) for m in enum_cls]


_ext_count = (select(func.count(ExternalCourse.id)).where(ExternalCourse.university_id == University.id)
              .correlate(University).scalar_subquery())
_rule_count = (select(func.count(func.distinct(EquivalenceRule.rule_key)))
               .where(EquivalenceRule.university_id == University.id).correlate(University).scalar_subquery())

UNIVERSITIES = ListSpec(
    name="universities",
    columns=(
        Column("code", "Code", University.code, width=80),
        Column("name", "University name", University.name, width=150),
        Column("hours_per_credit", "Hours per credit", University.hours_per_credit, "float", 90),
        Column("agreement_from", "Agreement from", University.agreement_from, "date", 100),
        Column("agreement_to", "Agreement to", University.agreement_to, "date", 100),
        Column("externals", "Catalogue courses", _ext_count, "int", 90),
        Column("rules", "Rules", _rule_count, "int", 70),
        Column("grading_scale", "Grading scale", University.grading_scale, "text", 220,
               format=lambda v: scale_text(v) if isinstance(v, dict) else ""),
    ),
    id_expr=University.id,
    version_expr=University.version,
    base=lambda actor: _staff_only(actor, select(University.id).select_from(University)),
    search=(University.code, University.name),
    default_sort="code",
)

_ext_uni = aliased(University)
_ext_rules = (select(func.count(RuleExternalCourse.rule_id)).where(RuleExternalCourse.external_course_id ==
                                                                  ExternalCourse.id)
              .correlate(ExternalCourse).scalar_subquery())

EXTERNAL_COURSES = ListSpec(
    name="external_courses",
    columns=(
        Column("university", "University", _ext_uni.name, width=130),
        Column("code", "External code", ExternalCourse.code, width=100),
        Column("name", "External course", ExternalCourse.name, width=200),
        Column("credits", "Credits", ExternalCourse.credits, "float", 60),
        Column("hours", "Hours", ExternalCourse.hours, "int", 60),
        Column("rules", "Rules", _ext_rules, "int", 60),
    ),
    id_expr=ExternalCourse.id,
    version_expr=ExternalCourse.version,
    base=lambda actor: _staff_only(actor, select(ExternalCourse.id).select_from(ExternalCourse).join(
        _ext_uni, _ext_uni.id == ExternalCourse.university_id)),
    search=(ExternalCourse.code, ExternalCourse.name, _ext_uni.code, _ext_uni.name),
    filters=(Filter("university", "University", _university_options,
                    lambda s, v: s.where(ExternalCourse.university_id == v)),),
    default_sort="university",
)

_rule_uni = aliased(University)
_rule_local = aliased(Course)
_rule_ext = aliased(ExternalCourse)
_rule_exts = (select(func.aggregate_strings(_rule_ext.code, "+"))
              .select_from(RuleExternalCourse).join(_rule_ext, _rule_ext.id == RuleExternalCourse.external_course_id)
              .where(RuleExternalCourse.rule_id == EquivalenceRule.id)
              .correlate(EquivalenceRule).scalar_subquery())
_rule_ext_names = (select(func.aggregate_strings(_rule_ext.name, "+"))
                   .select_from(RuleExternalCourse)
                   .join(_rule_ext, _rule_ext.id == RuleExternalCourse.external_course_id)
                   .where(RuleExternalCourse.rule_id == EquivalenceRule.id)
                   .correlate(EquivalenceRule).scalar_subquery())

RULES = ListSpec(
    name="equivalence_rules",
    columns=(
        Column("rule_key", "Rule", EquivalenceRule.rule_key, width=90),
        Column("revision", "Version", EquivalenceRule.revision, "int", 50),
        Column("status", "Rule status", EquivalenceRule.status, "enum", 70),
        Column("university", "University", _rule_uni.name, width=110),
        Column("external", "External code", _rule_exts, width=110),
        Column("external_name", "External course", _rule_ext_names, width=170),
        Column("kind", "Kind", EquivalenceRule.kind, "enum", 90),
        Column("local", "Local course", _rule_local.name, width=130),
        Column("category", "Category", func.coalesce(_rule_local.category, EquivalenceRule.category), "enum", 70,
               format=_category_text),
        Column("credits", "Credits", EquivalenceRule.credits, "float", 60,
               format=lambda v: t("by hours") if v is None else f"{v:g}"),
        Column("min_score", "Min. score", EquivalenceRule.min_score, "float", 70),
        Column("valid_from", "Valid from", EquivalenceRule.valid_from, width=95),
        Column("valid_to", "Valid to", EquivalenceRule.valid_to, width=95),
        Column("approved_by", "Approved by", EquivalenceRule.approved_by, width=80),
    ),
    id_expr=EquivalenceRule.id,
    version_expr=EquivalenceRule.version,
    base=lambda actor: _staff_only(actor, select(EquivalenceRule.id).select_from(EquivalenceRule)
                                   .join(_rule_uni, _rule_uni.id == EquivalenceRule.university_id)
                                   .outerjoin(_rule_local, _rule_local.id == EquivalenceRule.local_course_id)),
    search=(EquivalenceRule.rule_key, _rule_uni.code, _rule_uni.name, _rule_local.code, _rule_local.name,
            _rule_exts, _rule_ext_names),
    filters=(
        Filter("status", "Rule status", _enum_options(RuleStatus), lambda s, v: s.where(EquivalenceRule.status == v)),
        Filter("university", "University", _university_options,
               lambda s, v: s.where(EquivalenceRule.university_id == v)),
    ),
    default_sort="rule_key",
)

_tr_uni = aliased(University)
_tr_ext = aliased(ExternalCourse)
_tr_local = aliased(Course)
_tr_prog = aliased(Programme)

TRANSFERS = ListSpec(
    name="transfers",
    columns=(
        Column("id", "Request", TransferRequest.id, "int", 60),
        Column("submitted_on", "Date of request", TransferRequest.submitted_on, "date", 90),
        Column("student_no", "Student no.", Student.student_no, width=100),
        Column("name", "Name", Student.name, width=70),
        Column("university", "University", _tr_uni.name, width=110),
        Column("external", "External code", _tr_ext.code, width=90),
        Column("external_name", "External course", _tr_ext.name, width=130),
        Column("term", "Term", TransferRequest.term, width=95),
        Column("score", "Score", TransferRequest.score_text, width=50),
        Column("status", "Request status", TransferRequest.status, "enum", 70),
        Column("local", "Local course", _tr_local.name, width=120),
        Column("category", "Category", func.coalesce(_tr_local.category, TransferRequest.category), "enum", 70,
               format=_category_text),
        Column("proposed", "Proposed credits", TransferRequest.proposed_credits, "float", 70),
        Column("credits", "Granted credits", TransferRequest.credits, "float", 70),
        Column("decided_on", "Decided on", TransferRequest.decided_on, "date", 90),
        Column("reason", "Reason for the decision", TransferRequest.reason, width=220),
    ),
    id_expr=TransferRequest.id,
    version_expr=TransferRequest.version,
    base=lambda actor: _staff_only(actor, select(TransferRequest.id).select_from(TransferRequest)
                                   .join(Student, Student.id == TransferRequest.student_id)
                                   .join(_tr_uni, _tr_uni.id == TransferRequest.university_id)
                                   .join(_tr_ext, _tr_ext.id == TransferRequest.external_course_id)
                                   .outerjoin(_tr_local, _tr_local.id == TransferRequest.local_course_id)),
    search=(Student.student_no, Student.name, _tr_ext.code, _tr_ext.name, _tr_uni.name, TransferRequest.term),
    filters=(
        Filter("status", "Request status", _enum_options(TransferStatus),
               lambda s, v: s.where(TransferRequest.status == v)),
        Filter("university", "University", _university_options,
               lambda s, v: s.where(TransferRequest.university_id == v)),
        period_filter(TransferRequest.submitted_on),
    ),
    default_sort="submitted_on",
)


