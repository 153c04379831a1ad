"""forms/parsers.py: what administrators actually type into dialogs and Excel cells."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import CourseCategory, Gender, MentorRole, StudentStatus
from forms import parsers as p
from forms import specs

DATE_HINT = "write it like 2025-09-01, 2025/9/1 or 2025年9月1日"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2025, 9, 1),
        dt.datetime(2025, 9, 1, 0, 0),  # openpyxl reads a date cell as a datetime
        dt.datetime(2025, 9, 1, 14, 30),
        45901,  # Excel serial day number of 2025-09-01
        45901.0,
        45901.75,  # a serial with a time of day
        "2025-09-01",
        "2025/9/1",
        "2025/09/01",
        "2025.9.1",
        "2025年9月1日",
        "2025年9月1",
        "20250901",
        " 2025-09-01 ",
        "2025-09-01 08:30",
        "２０２５－０９－０１",  # full-width digits and dash
        "２０２５年９月１日",
        "2025 年 9 月 1 日",
    ],
)
def test_date_accepts_what_people_type(raw: object) -> None:
    assert p.date(raw) == dt.date(2025, 9, 1)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_date_is_none(raw: object) -> None:
    assert p.date(raw) is None


@pytest.mark.parametrize("raw", ["2025-02-30", "2025-13-01", "9/1/2025", "next monday", "2025-9", "2025年", True, -3])
def test_bad_dates_are_refused_with_a_hint(raw: object) -> None:
    with pytest.raises(ValueError) as err:
        p.date(raw)
    message = str(err.value)
    assert DATE_HINT in message
    assert str(raw) in message  # the message repeats what was typed


def test_date_message_in_chinese() -> None:
    from db.i18n import set_language

    set_language("zh")
    with pytest.raises(ValueError, match="不是日期：请写成 2025-09-01、2025/9/1 或 2025年9月1日"):
        p.date("明天")


# --------------------------------------------------------------------------- text and codes


def test_text_normalises_full_width_and_stray_spaces() -> None:
    parse = p.text(60)
    assert parse("  王　小明  ") == "王 小明"  # ideographic space becomes one ordinary space
    assert parse("Ｚｈａｎｇ  Ｗｅｉ") == "Zhang Wei"
    assert parse("\u200b李雷\ufeff") == "李雷"  # zero-width characters pasted from the web
    # Chinese punctuation is text, not a width to fold: a name or a feedback keeps it as typed
    assert parse("人工智能工程（产教融合）") == "人工智能工程（产教融合）"
    assert parse("按时完成，达到预期。") == "按时完成，达到预期。"
    assert p.code()("ＡＩ－ＥＮＧ") == "AI-ENG"  # identifiers are folded
    assert parse("   ") is None
    assert parse(None) is None


def _clean_the_long_way(value: object) -> str:
    """What parsers.clean did for every cell before its fast path for already-clean cells."""
    import unicodedata

    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(p._ZERO_WIDTH)
    return " ".join(text.split()) if "\n" not in text else text.strip()


def test_clean_fast_path_gives_what_the_full_normalisation_gives() -> None:
    import random
    import sys

    # every code point of the planes people type in (a sample of the rest), alone and next to spaces;
    # then random strings mixing the awkward ones: controls, zero-width, NBSP, ideographic space, line
    # separators, full-width forms, compatibility characters and combining marks
    points = [*range(0x3000), *range(0xFB00, 0x10000), *range(0x3000, 0xFB00, 7), *range(0x10000, sys.maxunicode, 997)]
    singles = [chr(c) for c in points if not 0xD800 <= c < 0xE000]
    for ch in singles:
        for value in (ch, f" {ch}", f"{ch}a", f"a  {ch}"):
            assert p.clean(value) == _clean_the_long_way(value), hex(ord(ch[0]))
    awkward = list("ab Z09-_.@ \t\n\r\x00\x01\x7f\x85\xa0\u3000\u200b\u200d\ufeff\u2028\u2000\u00b2"
                   "ＡＢ１　王伟ｶﾞ\u0301eéﬁ①\x1c\u00ad")
    rnd = random.Random(8)
    for _ in range(20_000):
        value = "".join(rnd.choices(awkward, k=rnd.randint(0, 8)))
        assert p.clean(value) == _clean_the_long_way(value), repr(value)
    for value in (None, 0, -1, 2025, 10**20, 1.5, 2025.0, 1e20, -0.0, float("nan"), float("inf"), True,
                  dt.date(2025, 9, 1), dt.datetime(2025, 9, 1, 8, 30)):
        assert p.clean(value) == _clean_the_long_way(value), value


def test_text_keeps_numbers_typed_into_a_text_column() -> None:
    assert p.text()(2025010001.0) == "2025010001"  # Excel stores a student number as a float


def test_text_refuses_too_long_values() -> None:
    with pytest.raises(ValueError, match="at most 5 characters"):
        p.text(5)("123456")


def test_code_drops_inner_spaces_and_full_width_letters() -> None:
    parse = p.code()
    assert parse(" ＡＩ－ＥＮＧ ") == "AI-ENG"
    assert parse("2025 0100 01") == "2025010001"
    assert parse("HW 0001") == "HW0001"
    assert parse("") is None


def test_code_list_splits_on_chinese_and_ascii_separators() -> None:
    assert p.code_list("CS101、CS102,CS103；CS104") == ["CS101", "CS102", "CS103", "CS104"]
    assert p.code_list("CS101 / CS102") == ["CS101", "CS102"]
    assert p.code_list(" ") is None


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("raw,expected", [(8, 8), (8.0, 8), ("8", 8), ("１２", 12), (" 1,200 ", 1200), ("3.0", 3)])
def test_integer(raw: object, expected: int) -> None:
    assert p.integer()(raw) == expected


@pytest.mark.parametrize("raw", ["8.5", 8.5, "八", "abc", True])
def test_integer_refuses_fractions_and_words(raw: object) -> None:
    with pytest.raises(ValueError, match="is not a whole number"):
        p.integer()(raw)


def test_integer_bounds() -> None:
    parse = p.integer(0, 200)
    assert parse("200") == 200
    with pytest.raises(ValueError, match="Must be at most 200"):
        parse(201)
    with pytest.raises(ValueError, match="Must be at least 0"):
        parse("-1")


def test_number_and_percent() -> None:
    share = p.number(0, 1, percent_ok=True)
    assert share("50%") == pytest.approx(0.5)
    assert share("５０％") == pytest.approx(0.5)  # full-width percent sign
    assert share(0.45) == pytest.approx(0.45)
    assert share("0.55") == pytest.approx(0.55)
    with pytest.raises(ValueError, match="Must be at most 1"):
        share("150%")
    with pytest.raises(ValueError, match="is not a number"):
        p.number()("nan")
    with pytest.raises(ValueError, match="is not a number"):
        p.number()("三")


def test_year() -> None:
    assert p.year("2025") == 2025
    assert p.year(2025.0) == 2025
    with pytest.raises(ValueError, match="is not a year"):
        p.year("25")


# --------------------------------------------------------------------------- booleans and choices


@pytest.mark.parametrize("raw", ["是", "Y", "yes", "TRUE", "1", "√", "必修", True])
def test_boolean_yes(raw: object) -> None:
    assert p.boolean(raw) is True


@pytest.mark.parametrize("raw", ["否", "n", "No", "false", "0", "×", "选修", False])
def test_boolean_no(raw: object) -> None:
    assert p.boolean(raw) is False


def test_boolean_refuses_other_words() -> None:
    assert p.boolean("") is None
    with pytest.raises(ValueError, match="is not yes or no"):
        p.boolean("也许")


@pytest.mark.parametrize(
    "raw,expected",
    [("在读", StudentStatus.ACTIVE), ("active", StudentStatus.ACTIVE), ("Active", StudentStatus.ACTIVE),
     ("休学", StudentStatus.SUSPENDED), ("毕业", StudentStatus.GRADUATED), ("退学", StudentStatus.WITHDRAWN),
     (" 在读 ", StudentStatus.ACTIVE), ("WITHDRAWN", StudentStatus.WITHDRAWN)],
)
def test_status_choice(raw: str, expected: StudentStatus) -> None:
    assert specs.STATUS(raw) is expected


@pytest.mark.parametrize(
    "raw,expected",
    [("学术", MentorRole.ACADEMIC), ("学术导师", MentorRole.ACADEMIC), ("academic", MentorRole.ACADEMIC),
     ("产业", MentorRole.INDUSTRY), ("Industry mentor", MentorRole.INDUSTRY), ("学业", MentorRole.STUDY),
     ("学业导师", MentorRole.STUDY)],
)
def test_mentor_role_choice(raw: str, expected: MentorRole) -> None:
    assert p.choice(MentorRole, specs.ROLE_EXTRA)(raw) is expected


def test_choice_refuses_unknown_word_and_lists_the_choices() -> None:
    with pytest.raises(ValueError) as err:
        specs.STATUS("在校")
    assert "在校" in str(err.value)
    for word in ("在读", "休学", "毕业", "退学"):
        assert word in str(err.value)


def test_gender_and_category_choices() -> None:
    assert specs.GENDER("女") is Gender.FEMALE
    assert specs.GENDER("male") is Gender.MALE
    assert specs.CATEGORY("基础") is CourseCategory.FOUNDATION
    assert specs.CATEGORY("AGI前沿基础课") is CourseCategory.FOUNDATION
    assert specs.CATEGORY("产业应用课") is CourseCategory.INDUSTRY
    assert specs.CATEGORY("其他") is CourseCategory.OTHER


@pytest.mark.parametrize("raw", ["学术、产业", "学术,产业", "学术，产业", "学术 , 产业", "academic;industry",
                                 "学术、产业、学术"])
def test_role_lists(raw: str) -> None:
    assert specs.ROLES(raw) == [MentorRole.ACADEMIC, MentorRole.INDUSTRY]


def test_role_list_with_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="教学"):
        specs.ROLES("学术、教学")


# --------------------------------------------------------------------------- contact details


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678", "0086 13812345678",
     "１３８１２３４５６７８", 13812345678, 13812345678.0],
)
def test_mobile_numbers(raw: object) -> None:
    assert p.mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["1381234567", "138123456789", "12812345678", "23812345678", "023-6512345",
                                 "+1 415 555 0100"])
def test_bad_mobile_numbers(raw: object) -> None:
    with pytest.raises(ValueError, match="is not a mainland mobile number"):
        p.mobile(raw)


def test_email() -> None:
    assert p.email(" WangZH@Example.CN ") == "wangzh@example.cn"
    assert p.email("ｌｉ＠ｃｑｕ．ｅｄｕ．ｃｎ") == "li@cqu.edu.cn"
    assert p.email("") is None
    for bad in ("wangzh", "wangzh@", "@example.cn", "wang zh@example", "a@b.c"):
        with pytest.raises(ValueError, match="is not an e-mail address"):
            p.email(bad)


# --------------------------------------------------------------------------- unified social credit code


def test_uscc_check_char_on_real_codes() -> None:
    # Published codes, checked by hand against GB 32100-2015.
    assert p.uscc_check_char("91440300192203821") == "6"  # 华为技术有限公司 914403001922038216
    assert p.uscc_check_char("9144030071526726X") == "G"  # 深圳市腾讯计算机系统有限公司 9144030071526726XG
    assert p.uscc("914403001922038216") == "914403001922038216"
    assert p.uscc("9144030071526726xg") == "9144030071526726XG"  # lower case typed


def test_uscc_constructed_code() -> None:
    first17 = "91500000MA5U4XXXX"
    code = first17 + p.uscc_check_char(first17)
    assert code == "91500000MA5U4XXXXR"
    assert p.uscc(code) == code
    assert p.uscc(" ９１５０００００ＭＡ５Ｕ４ＸＸＸＸＲ ") == code  # full-width, spaces


def test_uscc_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(ValueError, match="the check character should be 6"):
        p.uscc("914403001922038217")
    with pytest.raises(ValueError, match="the check character should be A"):
        p.uscc("91110000100000589B")


def test_uscc_length_and_characters() -> None:
    with pytest.raises(ValueError, match="must have 18 characters"):
        p.uscc("91440300192203821")
    with pytest.raises(ValueError, match="I is not allowed"):
        p.uscc("91440300192203821I")  # I, O, S, V, Z are not used in credit codes
    assert p.uscc("") is None


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    "raw,expected",
    [(86, ("86", 86.0)), ("86", ("86", 86.0)), (86.5, ("86.5", 86.5)), ("１００", ("100", 100.0)), (0, ("0", 0.0)),
     ("优", ("优", 95.0)), ("良", ("良", 85.0)), ("中", ("中", 75.0)), ("及格", ("及格", 65.0)),
     ("不及格", ("不及格", 50.0))],
)
def test_scores(raw: object, expected: tuple[str, float]) -> None:
    assert p.score(raw) == expected


@pytest.mark.parametrize("raw", [101, "101", -1, "A+", "差"])
def test_bad_scores(raw: object) -> None:
    with pytest.raises(ValueError, match="is not a score: give 0–100 or 优/良/中/及格/不及格"):
        p.score(raw)


# --------------------------------------------------------------------------- a whole row through a spec


def test_parse_values_reports_every_bad_field() -> None:
    raw = {"student_no": " ２０２５０１０００１ ", "name": "王梓涵", "cohort": "2025", "programme": "AI-ENG",
           "status": "在校", "enrolled_on": "2025/9/1", "phone": "12345", "email": "x"}
    values, errors = specs.parse_values(specs.STUDENTS, raw, present=set(raw))
    assert values["student_no"] == "2025010001"
    assert values["enrolled_on"] == dt.date(2025, 9, 1)
    assert set(errors) == {"status", "phone", "email"}


def test_parse_values_required_and_absent_columns() -> None:
    values, errors = specs.parse_values(specs.STUDENTS, {"student_no": "S1", "name": " "},
                                        present={"student_no", "name", "phone"})
    assert "name" in errors  # blank required cell
    assert "cohort" in errors and "programme" in errors  # required columns missing from the file
    assert "phone" in values and values["phone"] is None  # present optional column may blank a value
    assert "email" not in values  # absent optional column is left alone on re-import
