"""The date rules of the contract, seen from Python."""
import pytest

from creditgraph import _core


@pytest.mark.parametrize("text", ["2016-08-05", "2016/8/5", "20160805", "2016年8月5日"])
def test_four_forms(text):
    assert _core.date.parse(text) == "2016-08-05"


def test_bad_dates_are_none():
    assert _core.date.parse("2016-02-30") is None
    assert _core.date.parse("05.08.2016") is None


def test_period_clamps_to_month_end():
    assert _core.date.add_period("2024-02-29", "1y") == "2025-02-28"


def test_input_error_is_raised_and_typed():
    from creditgraph import InputError, CreditGraphError

    with pytest.raises(InputError):
        _core.date.add_period("nonsense", "1y")
    assert issubclass(InputError, CreditGraphError)
