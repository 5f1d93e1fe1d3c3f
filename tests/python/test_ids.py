"""Identifiers from Python: vectorized checks, their columns, and an independent reference
(python-stdnum's check-character arithmetic) on generated codes and single substitutions."""
import random

import numpy as np
import pandas as pd
import pytest

from creditgraph import ids

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
TODAY = "2026-11-22"


def uscc_check(first17):  # the standard's formula, written out independently here
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def org_check(first8):
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def id_check(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def shandong_counties():
    table = ids.divisions()
    return table[(table.level == "county") & table.current & table.code.str.startswith("37")]


def random_uscc(rng, counties):
    kind = rng.choice(["91", "92", "93", "11", "12", "51", "52", "53"])
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    first17 = kind + rng.choice(counties) + body + org_check(body)
    return first17 + uscc_check(first17)


def random_id(rng, counties):
    year = rng.randint(1930, 2008)
    first17 = f"{rng.choice(counties)}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
              f"{rng.randint(0, 999):03d}"
    return first17 + id_check(first17)


@pytest.fixture(scope="module")
def counties():
    return shandong_counties().code.tolist()


def test_examples_from_the_issue():
    frame = ids.check_uscc(["91350100M000100Y43", "91350100M000100Y4Z", "91110000600037341L"])
    assert frame.status.tolist() == ["valid", "invalid", "valid"]
    assert frame.reason[1] == "bad_character"  # Z is not in the alphabet
    row = frame.iloc[0]
    assert (row.authority, row.authority_name, row.org_type_name, row.kind) == \
        ("9", "工商", "企业", "enterprise")
    assert (row.division, row.division_name, row.org_code) == ("350100", "福建省", "M000100Y4")


def test_check_digit_failed_is_flagged_not_rejected():
    row = ids.check_uscc(["91350100M000100Y4Y"]).iloc[0]
    assert row.status == "check_digit_failed" and row.reason == "check_char"
    assert row.org_code == "M000100Y4"


def test_inputs_list_array_series_and_missing():
    codes = ["91350100m000100y43", "９１３５０１００Ｍ０００１００Ｙ４３", None, float("nan"), "9135 0100-M000 100Y43"]
    for values in (codes, np.array(codes, dtype=object), pd.Series(codes, index=list("abcde"))):
        frame = ids.check_uscc(values)
        assert frame.status.tolist() == ["valid", "valid", "invalid", "invalid", "valid"]
        assert frame.reason.tolist()[2:4] == ["empty", "empty"]
        assert frame.normalized[frame.status == "valid"].eq("91350100M000100Y43").all()
    assert list(ids.check_uscc(pd.Series(codes, index=list("abcde"))).index) == list("abcde")
    with pytest.raises(TypeError):
        ids.check_uscc("91350100M000100Y43")


def test_generated_codes_pass_and_every_substitution_is_caught(counties):
    rng = random.Random(5)
    codes = [random_uscc(rng, counties) for _ in range(400)]
    assert (ids.check_uscc(codes).status == "valid").all()
    changed = []
    for code in codes[:40]:
        for position in range(18):
            for replacement in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                if replacement != code[position]:
                    changed.append(code[:position] + replacement + code[position + 1:])
    frame = ids.check_uscc(changed)
    assert not (frame.status == "valid").any()


def test_agrees_with_stdnum_on_digit_authorities(counties):
    uscc = pytest.importorskip("stdnum.cn.uscc")
    rng = random.Random(8)
    codes = [random_uscc(rng, counties) for _ in range(300)]
    mutated = [c[:5] + rng.choice(ALPHABET) + c[6:] for c in codes]
    frame = ids.check_uscc(codes + mutated)
    ours = (frame.status == "valid").tolist()
    theirs = [uscc.is_valid(c) for c in codes + mutated]
    assert ours == theirs


def test_id_numbers(counties):
    rng = random.Random(9)
    codes = [random_id(rng, counties) for _ in range(500)]
    frame = ids.check_id_number(codes, today=TODAY)
    assert (frame.status == "valid").all()
    assert (frame.birth_date.dt.strftime("%Y%m%d") == [c[6:14] for c in codes]).all()
    assert (frame.sex == ["M" if int(c[16]) % 2 else "F" for c in codes]).all()
    example = ids.check_id_number(["11010519491231002X", "110105194912310021", "11010520991231002X"],
                                  today=TODAY)
    assert example.status.tolist() == ["valid", "check_digit_failed", "invalid"]
    assert example.reason[2] == "future_birth_date"


def test_upgrade_round_trip(counties):
    rng = random.Random(10)
    codes = [c for c in (random_id(rng, counties) for _ in range(300)) if c[6:8] == "19"]
    short = [c[:6] + c[8:17] for c in codes]
    assert ids.upgrade_id_15_to_18(short) == codes
    frame = ids.check_id_number(short, today=TODAY)
    assert frame.from_15.all() and (frame.normalized == codes).all()
    assert (frame.warnings == "upgraded_from_15").all()


def test_masking_and_masked_frames():
    assert ids.mask_id_number(["370102199001011234", "370102900101123", None]) == \
        ["370102********1234", "370102*****1123", None]
    frame = ids.check_id_number(["370102199001011234"], today=TODAY, mask=True)
    assert frame.input[0] == "370102********1234"
    assert frame.normalized[0] == "370102********1234"


def test_org_code_and_reg_no():
    frame = ids.check_org_code(["M000100Y-4", "m000100y4", "M000100Y-5", "M000100Y"])
    assert frame.status.tolist() == ["valid", "valid", "check_digit_failed", "invalid"]
    assert frame.formatted[0] == "M000100Y-4"
    first14 = "37030260012345"
    total = 10
    for c in first14:  # ISO 7064 MOD 11,10, written out
        s = (total + int(c)) % 10 or 10
        total = (2 * s) % 11
    reg = first14 + str((11 - total) % 10)
    frame = ids.check_reg_no([reg, reg[:-1] + str((int(reg[-1]) + 1) % 10)])
    assert frame.status.tolist() == ["valid", "check_digit_failed"]
    assert frame.kind[0] == "individual_business"
    assert frame.division_name[0] == "淄川区"  # 370302


def test_numeric_columns_are_accepted():
    frame = ids.check_id_number(np.array([11010519491231002], dtype=np.int64), today=TODAY)
    assert frame.reason[0] == "bad_length"


def test_divisions_table():
    table = ids.divisions()
    assert ((table.level == "county") & table.current & table.code.str.startswith("37")).sum() == 136
    assert ((table.level == "prefecture") & table.current).sum() == 16
    assert (table.level == "province").sum() == 34


def test_bad_today_is_an_input_error():
    from creditgraph.errors import InputError
    with pytest.raises(InputError):
        ids.check_id_number(["11010519491231002X"], today="yesterday")


def test_unencodable_strings_do_not_break_the_batch():
    frame = ids.check_uscc(["91350100M000100Y43", "\ud800"])
    assert frame.status.tolist() == ["valid", "invalid"]
    assert frame.reason[1] == "bad_character"
