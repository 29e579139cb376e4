"""The words of time expressions: month, weekday, number, unit, season and part-of-day names,
and the regular-expression fragments built from them."""

from __future__ import annotations

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90}
NUMBER_WORDS = {
    "a": 1, "an": 1, **UNITS_WORDS, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, **TENS_WORDS,
    "hundred": 100, "a hundred": 100, "half a": 0.5, "half an": 0.5,
}
VAGUE_NUMBERS = {"few", "several", "some", "many", "couple of", "a few", "a couple of", "couple", "a couple"}
UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
              "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "night": "D", "weekend": "WE"}
TIME_UNITS = {"second", "minute", "hour"}
# A fraction of a unit is written in the next smaller one ("2 1/2 years" = P2Y6M); TimeML has no decimals.
SMALLER_UNIT = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7), "day": ("hour", 24),
                "night": ("hour", 24), "hour": ("minute", 60), "minute": ("second", 60)}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
HALVES = {"first": 1, "second": 2, "last": 2}
NAMED_CLOCK = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}

MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_COMPOUND = rf"(?:{'|'.join(TENS_WORDS)})[\s-](?:{'|'.join(UNITS_WORDS)})"
NUMBER = (rf"(?:\d+(?:\s+1/2)?|{_COMPOUND}|a hundred|half an?|a few|few|several|some|a couple of|couple of|many|"
          rf"{'|'.join(sorted((w for w in NUMBER_WORDS if ' ' not in w), key=len, reverse=True))})")
NUM = rf"(?P<num>{NUMBER})"
UNIT = r"(?P<unit>second|minute|hour|day|night|week|weekend|month|quarter|year|decade|century|centurie)s?"
PART = r"(?P<part>morning|afternoon|evening|night|overnight)"
TIMEZONE = r"(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local time)"
CLOCK = (r"(?:(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am\b|pm\b)"
         r"|(?P<named>noon|midday|midnight)\b)")


def number_value(word: str) -> float | None:
    """The number a numeral or number word stands for; None for vague ones ("several")."""
    word = " ".join(word.lower().split())
    if word in VAGUE_NUMBERS:
        return None
    whole, half, _ = word.partition(" 1/2")
    if whole.isdigit():
        return int(whole) + (0.5 if half else 0)
    parts = word.replace("-", " ").split()
    if len(parts) == 2 and parts[0] in TENS_WORDS and parts[1] in UNITS_WORDS:
        return TENS_WORDS[parts[0]] + UNITS_WORDS[parts[1]]
    return NUMBER_WORDS.get(word)


def month_number(word: str) -> int:
    """1-12 for a month name or abbreviation."""
    return MONTHS[word.lower().rstrip(".")]
