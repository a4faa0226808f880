"""Partial dates: parsing (strict and loose) and the derived first/last day and sort key."""

from __future__ import annotations

import datetime as dt

import pytest

from testimony_archive.dates import PartialDate, parse_date, parse_loose_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016", PartialDate(2016)),
        ("2016-03", PartialDate(2016, 3)),
        ("2016-03-12", PartialDate(2016, 3, 12)),
        ("  2016-03-12 ", PartialDate(2016, 3, 12)),
        ("2016-03-12\n", PartialDate(2016, 3, 12)),
        ("2016-02-29", PartialDate(2016, 2, 29)),  # leap year
        ("2000-02-29", PartialDate(2000, 2, 29)),  # divisible by 400: leap
        ("2015-02-28", PartialDate(2015, 2, 28)),
        ("2016-12-31", PartialDate(2016, 12, 31)),
        ("2016-01-01", PartialDate(2016, 1, 1)),
        ("2016-04-30", PartialDate(2016, 4, 30)),
        ("1000", PartialDate(1000)),
        ("9999-12", PartialDate(9999, 12)),
        (2016, PartialDate(2016)),
        (1865, PartialDate(1865)),
        (dt.date(2016, 3, 12), PartialDate(2016, 3, 12)),
        (dt.datetime(2016, 3, 12, 23, 59, 59), PartialDate(2016, 3, 12)),
    ],
)
def test_parse_date_accepts(value: object, expected: PartialDate) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2015-02-29",  # not a leap year
        "1900-02-29",  # divisible by 100, not by 400: not a leap year
        "2016-02-30",
        "2016-04-31",
        "2016-13",
        "2016-00",
        "2016-13-01",
        "2016-03-00",
        "2016-03-32",
        "March 2016",
        "12 March 2016",
        "2016/03/12",
        "12-03-2016",
        "2016-3",
        "2016-03-1",
        "20160312",
        "16",
        "999",
        "0999",
        "0000",
        "2016-W10",
        "2016-03-12T10:00:00",  # a timestamp is for parse_loose_date only
        "",
        "   ",
        "2016-",
        "-2016",
        999,
        0,
        -5,
        True,  # a bool is not a year
        2016.0,
        None,
        [2016],
    ],
)
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(ValueError, match=r"YYYY|out of range"):
        parse_date(value)


def test_parse_date_error_names_the_expected_forms() -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("March 2016")
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(caught.value)
    assert "'March 2016'" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "part"),
    [("2016-13", "month 13"), ("2015-02-29", "day 29"), ("2016-04-31", "day 31")],
)
def test_parse_date_out_of_range_names_the_part(value: str, part: str) -> None:
    with pytest.raises(ValueError, match=part):
        parse_date(value)


@pytest.mark.parametrize("value", ["２０１６", "٢٠١٦-٠٣", "२०१६"])
def test_parse_date_rejects_non_ascii_digits(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2016", PartialDate(2016)),
        ("2016-03", PartialDate(2016, 3)),
        ("2016-03-12", PartialDate(2016, 3, 12)),
        ("2016-03-12T10:00:00", PartialDate(2016, 3, 12)),
        ("2016-03-12T10:00:00Z", PartialDate(2016, 3, 12)),
        ("2016-03-12T10:00:00.123456+02:00", PartialDate(2016, 3, 12)),
        ("2016-03-12 10:00", PartialDate(2016, 3, 12)),
        ("  2016-03-12T23:59:59-06:00  ", PartialDate(2016, 3, 12)),
        (2016, PartialDate(2016)),
        (dt.date(2016, 2, 29), PartialDate(2016, 2, 29)),
        (dt.datetime(2016, 3, 12, 8, 30), PartialDate(2016, 3, 12)),
    ],
)
def test_parse_loose_date_accepts(value: object, expected: PartialDate | None) -> None:
    assert parse_loose_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "March 2016",
        "2016-02-30T10:00:00",  # the date part of a timestamp is still checked
        "2015-02-29T00:00:00Z",
        "2016-13-01T00:00",
        "T10:00:00",
        "10:00 2016-03-12",
        False,
        0,
        2016.5,
    ],
)
def test_parse_loose_date_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_loose_date(value)


@pytest.mark.parametrize("value", ["   ", "\t", " \n"])
def test_parse_loose_date_reads_blank_as_no_date(value: str) -> None:
    assert parse_loose_date(value) is None


@pytest.mark.parametrize(
    ("date", "first", "last", "sort_key", "text"),
    [
        (PartialDate(2016), dt.date(2016, 1, 1), dt.date(2016, 12, 31), 20160101, "2016"),
        (PartialDate(2016, 2), dt.date(2016, 2, 1), dt.date(2016, 2, 29), 20160201, "2016-02"),
        (PartialDate(2015, 2), dt.date(2015, 2, 1), dt.date(2015, 2, 28), 20150201, "2015-02"),
        (PartialDate(1900, 2), dt.date(1900, 2, 1), dt.date(1900, 2, 28), 19000201, "1900-02"),
        (PartialDate(2016, 4), dt.date(2016, 4, 1), dt.date(2016, 4, 30), 20160401, "2016-04"),
        (PartialDate(2016, 12), dt.date(2016, 12, 1), dt.date(2016, 12, 31), 20161201, "2016-12"),
        (
            PartialDate(2016, 3, 12),
            dt.date(2016, 3, 12),
            dt.date(2016, 3, 12),
            20160312,
            "2016-03-12",
        ),
        (PartialDate(1865, 1, 5), dt.date(1865, 1, 5), dt.date(1865, 1, 5), 18650105, "1865-01-05"),
    ],
)
def test_partial_date_properties(
    date: PartialDate, first: dt.date, last: dt.date, sort_key: int, text: str
) -> None:
    assert date.first_day == first
    assert date.last_day == last
    assert date.sort_key == sort_key
    assert str(date) == text


@pytest.mark.parametrize("text", ["2016", "2016-02", "2016-02-29", "1000-01-01", "9999-12-31"])
def test_str_round_trips_through_parse_date(text: str) -> None:
    assert str(parse_date(text)) == text


def test_sort_key_orders_dates_by_their_first_day() -> None:
    dates = [
        parse_date(text)
        for text in ["2017", "2016-03-12", "2016", "2016-02", "2015-12-31", "2016-03"]
    ]
    ordered = sorted(dates, key=lambda date: date.sort_key)
    assert [str(date) for date in ordered] == [
        "2015-12-31",
        "2016",
        "2016-02",
        "2016-03",
        "2016-03-12",
        "2017",
    ]


def test_partial_dates_of_one_precision_compare() -> None:
    assert PartialDate(2015) < PartialDate(2016)
    assert PartialDate(2016, 2) < PartialDate(2016, 3)
    assert PartialDate(2016, 3, 1) < PartialDate(2016, 3, 12)


def test_partial_dates_of_mixed_precision_compare() -> None:
    dates = [PartialDate(2016, 3), PartialDate(2016), PartialDate(2016, 3, 12)]
    ordered = sorted(dates)
    keys = [date.sort_key for date in ordered]
    assert keys == sorted(keys)
