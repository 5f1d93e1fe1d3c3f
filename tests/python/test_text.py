"""Name normalization from Python, rule by rule."""
import numpy as np
import pandas as pd
import pytest

from creditgraph import text


def test_org_name_parts():
    frame = text.normalize_org_name(["山东省淄博市桓台县鑫源商贸有限责任公司",
                                     "淄博鑫源商贸有限公司济南分公司", None])
    first = frame.iloc[0]
    assert (first.region, first.region_code, first.trade_name, first.industry, first.form) == \
        ("山东省淄博市桓台县", "370321", "鑫源", "商贸", "有限公司")
    assert not first.is_branch
    branch = frame.iloc[1]
    assert branch.is_branch and branch.branch == "济南分公司" and branch.branch_marker == "分公司"
    assert branch.parent_canonical == "淄博市鑫源商贸有限公司"
    assert branch.canonical != branch.parent_canonical
    assert frame.canonical.isna()[2]


@pytest.mark.parametrize("a,b", [
    ("淄博鑫源商贸有限责任公司", "淄博市鑫源商贸有限公司"),
    ("鑫源商贸（淄博）有限公司", "淄博鑫源商贸有限公司"),
    ("山东鲁能股份公司", "山东省鲁能股份有限公司"),
    ("淄博鑫源投资（有限合伙）", "淄博鑫源投资合伙企业(有限合伙)"),
    ("張三五金個體戶", "张三五金个体工商户"),
    ("ＡＢＣ科技有限公司", "abc科技有限公司"),
])
def test_same_canonical(a, b):
    assert text.normalize_org_name([a, b], parts=False).nunique() == 1


@pytest.mark.parametrize("a,b", [
    ("鑫源商贸有限公司", "鑫源商贸股份有限公司"),
    ("鑫源商贸有限公司", "鑫源商贸有限公司济南分公司"),
    ("鑫源商贸有限公司济南分公司", "鑫源商贸有限公司青岛分公司"),
    ("鑫源集团有限公司", "鑫源有限公司"),
])
def test_different_canonical(a, b):
    assert text.normalize_org_name([a, b], parts=False).nunique() == 2


def test_keys_drop_region_only():
    assert text.org_name_key(["山东省淄博市鑫源商贸有限公司", "鑫源商贸有限责任公司"]) == \
        ["鑫源商贸有限公司", "鑫源商贸有限公司"]
    series = text.org_name_key(pd.Series(["鑫源商贸有限公司"], index=[7]))
    assert series.index.tolist() == [7]


def test_person_names():
    assert text.normalize_person_name(["艾力.买买提", "艾力•买买提", "张 三", "John  Smith", None]) == \
        ["艾力·买买提", "艾力·买买提", "张三", "JOHN SMITH", None]


def test_normalize_text_and_arrays():
    values = np.array(["臺灣（機械）", "Ａ Ｂ"], dtype=object)
    assert text.normalize_text(values) == ["台湾(机械)", "A B"]


def test_word_lists_are_exposed():
    assert "建筑工程" in text.industry_words()
    forms = text.org_forms()
    assert forms.set_index("variant").loc["有限责任公司", "canonical"] == "有限公司"
    markers = text.branch_markers()
    assert not markers.set_index("marker").loc["分公司", "needs_parent_form"]
    assert markers.set_index("marker").loc["经营部", "needs_parent_form"]


def test_large_batch_matches_single_thread():
    names = [f"淄博鑫源{i}商贸有限公司" for i in range(40000)]
    parallel = text.normalize_org_name(names, parts=False)
    serial = text.normalize_org_name(names, parts=False, threads=1)
    assert parallel.equals(serial)
