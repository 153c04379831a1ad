"""Students, mentors and organisations: the base records every scheme points at.

Services take parsed values keyed by the field keys of DESIGN.md section 5 (``student_no``,
``programme`` …); references arrive as natural keys (a programme code, an organisation name) and are
resolved here, so a dialog and an Excel import go through exactly the same checks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from .actor import Actor
from .audit import _plain, execute_many, record_rows
from .errors import ValidationError
from .errors import invalid as _invalid
from .errors import unknown as _unknown
from .i18n import t
from .labels import label
from .models import (
    AuditAction,
    Mentor,
    MentorAssignment,
    MentorQualification,
    MentorRole,
    Organisation,
    OrgKind,
    Programme,
    Student,
    StudentStatus,
    University,
    _now,
)
from .permissions import check_student_access, require_admin
from .records import (
    RowOutcome,
    chunks,
    conflict,
    create_or_apply,
    flush,
    insert_reading_ids,
    record_to_save,
    save_many,
)


def organisation(session: Session, name: str, kind: OrgKind | None = OrgKind.OTHER) -> Organisation:
    """Find an organisation by name, creating it when new, of ``kind`` (None: the kind its name suggests,
    guess_org_kind). An existing organisation keeps its kind: naming it as a sponsor or a mentor's
    employer never reclassifies it (a research institute kept as 其他 stays so), and importing a file
    unchanged changes nothing."""
    name = name.strip()
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, kind=kind or guess_org_kind(name))
        session.add(org)
        session.flush()
    return org


def guess_org_kind(name: str) -> OrgKind:
    if any(w in name for w in ("大学", "学院", "学校", "研究院", "University", "College")):
        return OrgKind.UNIVERSITY
    if any(w in name for w in ("政府", "委员会", "管委会", "局")):
        return OrgKind.GOVERNMENT
    return OrgKind.COMPANY


_ABSENT: Any = object()  # a field the values do not carry (None: one they carry empty)


def _same_programme(current: Programme | None, code: Any) -> bool:
    """``code`` names ``current`` (as ``programme_by_code`` finds a programme: any letter case)."""
    return current is not None and isinstance(code, str) and current.code.lower() == code.strip().lower()


def _same_organisation(current: Organisation | None, name: Any) -> bool:
    """``name`` names ``current`` (as ``organisation`` finds one: the exact name, spaces around it aside)."""
    return current is not None and isinstance(name, str) and current.name == name.strip()


def programme_by_code(session: Session, code: str, field: str = "programme") -> Programme:
    prog = session.scalar(select(Programme).where(func.lower(Programme.code) == code.strip().lower()))
    if prog is None:
        raise _unknown(field, t("Programme {code} does not exist.", code=code))
    return prog


# --------------------------------------------------------------------------- students

STUDENT_KEYS = ("student_no", "name", "cohort", "programme", "gender", "status", "home_university",
                "enrolled_on", "phone", "email", "notes")


def save_student(session: Session, actor: Actor, values: dict[str, Any], *, student_id: int | None = None,
                 expected_version: int | None = None, upsert: bool = False) -> tuple[Student, bool]:
    """Create or update a student. Returns (student, created).

    ``upsert`` (the import path) updates the student with the same number instead of refusing it.
    """
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in STUDENT_KEYS}
    programme = data.pop("programme", None) if "programme" in data else _ABSENT
    university = data.pop("home_university", None) if "home_university" in data else _ABSENT
    if data.get("status") is None and "status" in data:
        data["status"] = StudentStatus.ACTIVE
    # the student's programme (joined by the model) and home university come with it: a reference the
    # save leaves as it was is not looked up again
    found = record_to_save(session, Student, "student_no", data, record_id=student_id,
                           expected_version=expected_version, upsert=upsert, label=t("Student"),
                           options=[joinedload(Student.home_university)])
    if programme is not _ABSENT:
        if found is not None and _same_programme(found.programme, programme):
            data["programme_id"] = found.programme_id
        else:
            data["programme_id"] = programme_by_code(session, programme).id
    if university is not _ABSENT:
        if not university:
            data["home_university_id"] = None
        elif found is not None and _same_organisation(found.home_university, university):
            data["home_university_id"] = found.home_university_id
        else:
            data["home_university_id"] = organisation(session, university, OrgKind.UNIVERSITY).id
    if found is None:
        data.setdefault("status", StudentStatus.ACTIVE)
    student, created = create_or_apply(session, Student, found, data)
    flush(session)
    return student, created


def organisations(session: Session, wanted: list[tuple[str, OrgKind | None]]) -> dict[str, Organisation]:
    """``organisation(session, name, kind)`` for many (name, kind) pairs at once, in their order: one
    query per 900 names, new organisations created through the ORM (so audited as usual) of the kind
    first asked for (None: guessed from the name); existing ones as they are. Keyed by the stripped name."""
    orgs: dict[str, Organisation] = {}
    names = sorted({name.strip() for name, _kind in wanted})
    for chunk in chunks(names):
        orgs.update((o.name, o) for o in session.scalars(select(Organisation).where(Organisation.name.in_(chunk))))
    for name, kind in wanted:
        name = name.strip()
        org = orgs.get(name)
        if org is None:
            orgs[name] = Organisation(name=name, kind=kind or guess_org_kind(name))
            session.add(orgs[name])
    if wanted:
        flush(session)
    return orgs


def save_students_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_student(..., upsert=True)`` for many rows at once (the import path), with the same checks
    and the same messages on the same fields, in a handful of statements instead of several per row:
    programmes resolved from one query, organisations through ``organisations``, the rest (existing
    numbers, case clashes, INSERT/UPDATE with versions, audit rows) by ``records.save_many``.
    When any row is refused nothing is written and the outcomes say why; the caller rolls back.
    """
    require_admin(actor)
    outcomes: list[RowOutcome | None] = [None] * len(rows)
    datas = [{k: v for k, v in values.items() if k in STUDENT_KEYS} for values in rows]

    programmes: dict[str, int] = {}
    for programme_id, code in session.execute(select(Programme.id, Programme.code).order_by(Programme.id)):
        programmes.setdefault(code.strip().lower(), programme_id)
    for i, data in enumerate(datas):
        if "programme" in data:
            code = data.pop("programme")
            pid = programmes.get(code.strip().lower())
            if pid is None:
                outcomes[i] = RowOutcome(error=_unknown("programme", t("Programme {code} does not exist.", code=code)))
                continue
            data["programme_id"] = pid

    orgs = organisations(session, [(d["home_university"], OrgKind.UNIVERSITY) for d in datas
                                   if d.get("home_university")])
    for i, data in enumerate(datas):
        if outcomes[i] is None and "home_university" in data:
            name = data.pop("home_university")
            data["home_university_id"] = orgs[name.strip()].id if name else None
        if data.get("status") is None and "status" in data:
            data["status"] = StudentStatus.ACTIVE
    return save_many(session, Student, "student_no", datas, outcomes, label=t("Student"))


def get_student(session: Session, actor: Actor, student_id: int) -> Student:
    check_student_access(session, actor, student_id)
    student = session.get(Student, student_id)
    assert student is not None
    return student


# --------------------------------------------------------------------------- mentors

MENTOR_KEYS = ("staff_no", "name", "organisation", "roles", "title", "capacity", "phone", "email", "active")


def save_mentor(session: Session, actor: Actor, values: dict[str, Any], *, mentor_id: int | None = None,
                expected_version: int | None = None, upsert: bool = False) -> tuple[Mentor, bool]:
    """Create or update a mentor with their role qualifications.

    ``roles`` is a list of MentorRole; ``capacity`` (default 8) applies to each new role, or a dict
    role -> capacity sets them one by one. A mentor may edit their own contact details only.
    """
    own_profile = actor.is_mentor and mentor_id is not None and mentor_id == actor.mentor_id
    if own_profile:
        values = {k: v for k, v in values.items() if k in ("phone", "email", "title")}
    else:
        require_admin(actor)
    data = {k: v for k, v in values.items() if k in MENTOR_KEYS}
    roles = data.pop("roles", None)
    capacity = data.pop("capacity", None)
    name = data.pop("organisation", None) if "organisation" in data else _ABSENT
    if name is not _ABSENT and not name:
        raise _invalid("organisation", t("The organisation is required."))
    # the mentor's organisation (joined by the model) and role qualifications come with it: an organisation
    # the save leaves as it was is not looked up again, the roles are compared without another read
    found = record_to_save(session, Mentor, "staff_no", data, record_id=mentor_id,
                           expected_version=expected_version, upsert=upsert, label=t("Mentor"),
                           options=[joinedload(Mentor.qualifications)])
    if name is not _ABSENT:
        if found is not None and _same_organisation(found.organisation, name):
            data["organisation_id"] = found.organisation_id
        else:
            data["organisation_id"] = organisation(session, name, None).id
    if found is None and not roles:
        raise _invalid("roles", t("A mentor needs at least one role."))
    mentor, created = create_or_apply(session, Mentor, found, data)
    if roles is not None:
        if not roles:
            raise _invalid("roles", t("A mentor needs at least one role."))
        _set_roles(session, mentor, list(roles), capacity)
    elif capacity is not None and not created:
        _set_roles(session, mentor, [q.role for q in mentor.qualifications], capacity)
    flush(session)
    return mentor, created


def _set_roles(session: Session, mentor: Mentor, roles: list[MentorRole], capacity: Any) -> None:
    current = {q.role: q for q in mentor.qualifications}
    for role in roles:
        cap = capacity.get(role) if isinstance(capacity, dict) else capacity
        q = current.get(role)
        if q is None:
            mentor.qualifications.append(MentorQualification(role=role, capacity=8 if cap is None else cap))
        elif cap is not None and q.capacity != cap:
            q.capacity = cap
    for role, q in current.items():
        if role in roles:
            continue
        if mentor.id is not None:
            held = session.scalar(
                select(func.count()).select_from(MentorAssignment).where(
                    MentorAssignment.mentor_id == mentor.id, MentorAssignment.role == role,
                    MentorAssignment.end_on.is_(None)))
            if held:
                raise _invalid("roles", t("Role {role} is still held for {n} students; end those assignments first.",
                                          role=label(role), n=held))
        mentor.qualifications.remove(q)  # deleted as an orphan by the flush (and audited: db.audit)


def _roles_refusal() -> ValidationError:
    return _invalid("roles", t("A mentor needs at least one role."))


def save_mentors_bulk(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[RowOutcome]:
    """``save_mentor(..., upsert=True)`` for many rows at once (the import path), with the same checks
    and the same messages on the same fields, in a handful of statements instead of several per row:
    organisations through ``organisations`` (each of the kind ``guess_org_kind`` gives its name), the
    mentors by ``records.save_many``, their role qualifications inserted, updated (capacity) and
    deleted with one statement each (version-checked), with the audit rows the flush listener writes
    for them. When any row is refused nothing is written and the outcomes say why; the caller rolls back.
    """
    require_admin(actor)
    outcomes: list[RowOutcome | None] = [None] * len(rows)
    datas = [{k: v for k, v in values.items() if k in MENTOR_KEYS} for values in rows]
    roles = [d.pop("roles", None) for d in datas]
    capacities = [d.pop("capacity", None) for d in datas]
    row_of = {id(d): i for i, d in enumerate(datas)}  # save_many's checks are handed these same dicts

    orgs = organisations(session, [(name, None) for d in datas if (name := d.get("organisation"))])
    for i, data in enumerate(datas):
        if "organisation" in data:
            name = data.pop("organisation")
            if not name:
                outcomes[i] = RowOutcome(error=_invalid("organisation", t("The organisation is required.")))
            else:
                data["organisation_id"] = orgs[name.strip()].id

    # the qualifications of the mentors already there (found by exact staff number, as save_many finds
    # them), in the mentor's own order (by role)
    Q = MentorQualification
    current: dict[int, dict[MentorRole, Any]] = {}
    mentor_of: dict[str, int] = {}
    keys = [d["staff_no"] for i, d in enumerate(datas) if outcomes[i] is None and d.get("staff_no")]
    for chunk in chunks(keys):
        for row in session.execute(select(Mentor.staff_no, Q.mentor_id, Q.id, Q.role, Q.capacity, Q.version)
                                   .join(Mentor).where(Mentor.staff_no.in_(chunk)).order_by(Q.mentor_id, Q.role)):
            current.setdefault(row.mentor_id, {})[row.role] = row
            mentor_of[row.staff_no] = row.mentor_id

    def target(i: int, mentor_id: int | None) -> list[MentorRole] | None:
        """The roles row ``i`` leaves its mentor with (``mentor_id`` None: a new mentor), or None when
        it leaves the qualifications alone (``save_mentor``'s rule: roles given, or only a capacity)."""
        if roles[i] is not None:
            return list(roles[i])
        if capacities[i] is not None and mentor_id is not None:
            return list(current.get(mentor_id, {}))
        return None

    def check_new(data: dict[str, Any]) -> ValidationError | None:
        return None if roles[row_of[id(data)]] else _roles_refusal()

    held: dict[tuple[int, MentorRole], int] = {}

    def check_existing(data: dict[str, Any], old: Any) -> ValidationError | None:
        i = row_of[id(data)]
        if roles[i] is not None and not roles[i]:
            return _roles_refusal()
        wanted = target(i, old.id)
        if wanted is None:
            return None
        for role in current.get(old.id, {}):
            if (n := held.get((old.id, role))) and role not in wanted:
                return _invalid("roles", t("Role {role} is still held for {n} students; end those assignments "
                                           "first.", role=label(role), n=n))
        return None

    # open assignments of the mentors losing a role (one query per 900 of them; none when no row takes
    # a role away)
    losing = sorted({mid for i, d in enumerate(datas) if outcomes[i] is None and roles[i]
                     and (mid := mentor_of.get(d.get("staff_no") or "")) is not None
                     and any(r not in roles[i] for r in current[mid])})
    A = MentorAssignment
    for chunk in chunks(losing):
        held.update(((mid, role), n) for mid, role, n in session.execute(
            select(A.mentor_id, A.role, func.count()).where(A.mentor_id.in_(chunk), A.end_on.is_(None))
            .group_by(A.mentor_id, A.role)))

    saved = save_many(session, Mentor, "staff_no", datas, outcomes, label=t("Mentor"),
                      check_new=check_new, check_existing=check_existing)
    if any(o.error is not None for o in saved):
        return saved

    # the qualifications, as _set_roles changes them: new roles inserted (capacity 8 unless given),
    # changed capacities updated, roles no longer listed deleted; each audited as the flush listener does
    ids: dict[str, int] = {}
    for chunk in chunks([d["staff_no"] for d in datas]):
        ids.update(session.execute(select(Mentor.staff_no, Mentor.id).where(Mentor.staff_no.in_(chunk))).all())
    now = _now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[Any] = []
    audit: list[tuple[AuditAction, object, dict[str, list[Any]]]] = []
    for i, (data, outcome) in enumerate(zip(datas, saved)):
        mid = ids[data["staff_no"]]
        wanted = target(i, None if outcome.created else mid)
        if wanted is None:
            continue
        have = current.get(mid, {})
        capacity = capacities[i]
        writes = len(inserts) + len(updates) + len(deletes)
        for role in wanted:
            cap = capacity.get(role) if isinstance(capacity, dict) else capacity
            q = have.get(role)
            if q is None:
                inserts.append({"mentor_id": mid, "role": role, "capacity": 8 if cap is None else cap,
                                "version": 1, "created_at": now, "updated_at": now})
            elif cap is not None and q.capacity != cap:
                updates.append({"capacity": cap, "_id": q.id, "_version": q.version, "_new_version": q.version + 1,
                                "_now": now})
                audit.append((AuditAction.UPDATE, q.id, {"capacity": [_plain(q.capacity), _plain(cap)]}))
        deletes += [q for role, q in have.items() if role not in wanted]
        if len(inserts) + len(updates) + len(deletes) > writes and not outcome.changed:
            saved[i] = replace(outcome, changed=True)  # the mentor's roles or capacity changed
    table = cast(Table, Q.__table__)
    if updates:
        statement = (update(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
                     .values(capacity=bindparam("capacity"), version=bindparam("_new_version"),
                             updated_at=bindparam("_now")))
        if execute_many(session, statement, updates) != len(updates):
            raise conflict()
    if inserts:
        new_ids = insert_reading_ids(session, table, inserts, ("mentor_id", "role"))
        for p in inserts:
            qid = new_ids[(p["mentor_id"], p["role"])]
            audit.append((AuditAction.INSERT, qid, {"id": [None, qid], "mentor_id": [None, p["mentor_id"]],
                                                    "role": [None, _plain(p["role"])],
                                                    "capacity": [None, _plain(p["capacity"])]}))
    if deletes:
        removal = delete(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
        if execute_many(session, removal, [{"_id": q.id, "_version": q.version} for q in deletes]) != len(deletes):
            raise conflict()
        audit += [(AuditAction.DELETE, q.id, {"id": [q.id, None], "mentor_id": [q.mentor_id, None],
                                              "role": [_plain(q.role), None], "capacity": [q.capacity, None]})
                  for q in deletes]
    record_rows(session, Q.__tablename__, audit)
    # the ORM may hold some of these qualifications (or mentors' lists of them): let it reload them
    for obj in list(session.identity_map.values()):
        if isinstance(obj, MentorQualification):
            session.expire(obj)
    return saved

# --------------------------------------------------------------------------- universities (base data)

UNIVERSITY_KEYS = ("code", "name", "hours_per_credit", "grading_scale", "agreement_from", "agreement_to")


def save_university(session: Session, actor: Actor, values: dict[str, Any], *, university_id: int | None = None,
                    expected_version: int | None = None, upsert: bool = False) -> tuple[University, bool]:
    require_admin(actor)
    data = {k: v for k, v in values.items() if k in UNIVERSITY_KEYS}
    if data.get("hours_per_credit") is None and "hours_per_credit" in data:
        data["hours_per_credit"] = 16.0
    uni = record_to_save(session, University, "code", data, record_id=university_id,
                         expected_version=expected_version, upsert=upsert, label=t("University"))
    af, at = data.get("agreement_from", uni.agreement_from if uni else None), data.get(
        "agreement_to", uni.agreement_to if uni else None)
    if af and at and at < af:
        raise _invalid("agreement_to", t("The agreement ends before it starts."))
    if uni is None:
        data.setdefault("hours_per_credit", 16.0)
        if data.get("name"):
            data["organisation_id"] = organisation(session, data["name"], OrgKind.UNIVERSITY).id
    uni, created = create_or_apply(session, University, uni, data)
    flush(session)
    return uni, created


