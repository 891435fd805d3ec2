import re

import pytest

from minigpt.report import display_width, format_duration, format_ratio, format_table

SANITIZE_TIME = re.compile(r"\d+(\.\d+)?\s?(s|ms|µs|us)\b")  # the [timings] rule of tests/nbval_sanitize.cfg


@pytest.mark.parametrize("seconds, text", [(0.00085, "850 µs"), (0.0123, "12.3 ms"), (0.1234, "123 ms"),
                                           (1.234, "1.23 s"), (41.53, "41.5 s")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
    assert SANITIZE_TIME.fullmatch(text)


def test_format_ratio():
    assert format_ratio(23.44) == "23.4×" and format_ratio(0.8) == "0.8×"
    with pytest.raises(ValueError):
        format_duration(-1)


def test_table_aligns_wide_characters():
    assert display_width("中文ab") == 6
    text = format_table([["俄语", "4.33", "12.3 ms"], ["中文字", "2.35", "1.23 s"]], header=["语言", "x", "时间"])
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1  # every line ends at the same column
    assert lines[2].endswith("12.3 ms") and lines[3].endswith(" 1.23 s")  # numbers are right-aligned
