"""Export cells: what a spreadsheet opening a CSV export would see."""

from __future__ import annotations

import datetime as dt

from newstrace.web.exports import csv_cell


def test_text_a_spreadsheet_would_run_is_defused_and_the_rest_kept():
    assert csv_cell('=HYPERLINK("http://evil.example","x")') == '\'=HYPERLINK("http://evil.example","x")'
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("+1") == "'+1" and csv_cell("-2+3") == "'-2+3"
    assert csv_cell(-44.4) == -44.4 and csv_cell(12) == 12  # numbers stay numbers
    assert csv_cell("Kirkuk") == "Kirkuk" and csv_cell(None) is None
    assert csv_cell(dt.date(2024, 6, 9)) == "2024-06-09"
    assert csv_cell(["IRQ", "=cmd"]) == "IRQ; =cmd"  # a joined list starts with its first value
