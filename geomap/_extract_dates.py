"""Dates in news sentences: explicit ones, and relative ones resolved against the publication date.

A relative date ("on Monday", "yesterday", "last week") or a date without a
year ("on March 19") is resolved only when the publication date is known;
otherwise it gives no date — never a guess. Precision is ``"day"``,
``"month"`` or ``"year"``.

Examples
--------
>>> from datetime import date
>>> [m.value for m in find_dates("Units began drills on Monday morning.", date(2017, 10, 3))]
[('2017-10-02', 'day')]
>>> [m.value for m in find_dates("Units began drills on Monday morning.", None)]
[]
>>> [m.value for m in find_dates("In November 2022, the IRGC shelled camps.", None)]
[('2022-11-01', 'month')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from geomap._normalise import MONTHS as _MONTHS

__all__ = [
    "WORD_NUMBERS",
    "DateMention",
    "date_near",
    "dates_from_anchors",
    "event_anchors",
    "find_dates",
    "is_relative_to_event",
    "parse_published",
]

_WEEKDAYS: Final = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
#: Numbers written as words (the patterns decide which ones a phrase may use).
WORD_NUMBERS: Final = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "hundred": 100,
}


def _count(text: str) -> int:
    """A count in digits or in words ("3", "three", "a").

    Examples
    --------
    >>> _count("12"), _count("Three"), _count("a")
    (12, 3, 1)
    """
    return int(text) if text.isdigit() else WORD_NUMBERS[text.lower()]


_MONTH: Final = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY: Final = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR: Final = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("iso", re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b")),
    ("dmy", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("my", re.compile(rf"\b(?:(?:early|late|mid|mid-)\s*)?{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("y", re.compile(rf"\b(?:in|since|during|of|by)\s+{_YEAR}\b")),
    (
        "weekday",
        re.compile(
            r"\b(?P<last>last\s+|this\s+|next\s+|on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|"
            r"Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+morning|"
            r"last\s+night|earlier\s+today|last\s+week|this\s+week|last\s+month|this\s+month|"
            r"earlier\s+this\s+month|last\s+year|this\s+year|earlier\s+this\s+year|"
            r"(?P<count>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+"
            r"(?P<unit>days?|weeks?)\s+ago)\b",
            re.IGNORECASE,
        ),
    ),
)
_FUTURE: Final = re.compile(
    r"\b(?:will|is\s+to|are\s+to|to\s+be\s+held|next|plans?\s+to|due\s+to)\b"
)
# Capitalised month names that are ordinary words ("may", "march") need a day or year.
_AMBIGUOUS_MONTHS: Final = frozenset({"may", "march", "mar", "jan", "sep", "dec", "oct", "aug"})


@dataclass(frozen=True)
class DateMention:
    """A date found in a sentence: its span and value, ``(ISO date, precision)``."""

    start: int
    end: int
    value: tuple[str, str]


def parse_published(value: object) -> date | None:
    """A publication date from ``YYYY-MM-DD`` (or a timestamp starting with it).

    Examples
    --------
    >>> parse_published("2023-12-06T08:00:00+03:00")
    datetime.date(2023, 12, 6)
    >>> parse_published("soon") is None
    True
    """
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def find_dates(
    sentence: str, published: date | None, words: set[str] | None = None
) -> list[DateMention]:
    """Every date a sentence states or implies, in order; unresolvable ones are left out.

    Examples
    --------
    >>> from datetime import date
    >>> pub = date(2023, 12, 6)
    >>> [m.value for m in find_dates("On March 19, they signed a pact.", pub)]
    [('2023-03-19', 'day')]
    >>> [m.value for m in find_dates("The talks were held last week.", pub)]
    [('2023-01-01', 'year')]
    >>> [m.value for m in find_dates("The talks were held last week.", date(2023, 12, 20))]
    [('2023-12-01', 'month')]
    >>> [m.value for m in find_dates("Officials met yesterday and on 4 December 2023.", pub)]
    [('2023-12-05', 'day'), ('2023-12-04', 'day')]
    """
    kinds = _kinds(sentence, words)
    if not kinds:
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    future = _FUTURE.search(sentence) is not None
    for kind, pattern in _PATTERNS:
        if kind not in kinds:
            continue
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value = _value(kind, match, published, future=future)
            taken.append((match.start(), match.end()))
            if value is not None:
                found.append(DateMention(match.start(), match.end(), value))
    return sorted(found, key=lambda m: m.start)


_RELATIVE_WORDS: Final = frozenset(
    ["yesterday", "today", "tonight", "morning", "night", "week", "month", "year", "ago"]
)
_DIGIT: Final = re.compile(r"\d")


def _kinds(sentence: str, words: set[str] | None) -> set[str]:
    """Which patterns can match: a cheap test on the digits and words of the sentence."""
    words = words if words is not None else set(re.findall(r"[a-z]+", sentence.lower()))
    kinds = set()
    if _DIGIT.search(sentence):
        kinds |= {"iso", "y"}
    if not words.isdisjoint(_MONTHS):
        kinds |= {"mdy", "dmy", "my"}
    if not words.isdisjoint(_WEEKDAYS):
        kinds.add("weekday")
    if not words.isdisjoint(_RELATIVE_WORDS):
        kinds.add("relative")
    return kinds


def date_near(mentions: list[DateMention], position: int) -> tuple[str, str] | None:
    """The value of the mention nearest to ``position`` (a cue word), if any.

    Examples
    --------
    >>> date_near([DateMention(0, 5, ("2017-10-02", "day")),
    ...            DateMention(40, 50, ("2017-09-29", "day"))], 45)
    ('2017-09-29', 'day')
    """
    if not mentions:
        return None
    best = min(mentions, key=lambda m: abs((m.start + m.end) / 2 - position))
    return best.value


def _value(
    kind: str, match: re.Match[str], published: date | None, *, future: bool
) -> tuple[str, str] | None:
    if kind == "weekday":
        return _weekday(match, published, future=future)
    if kind == "relative":
        return _relative(match, published)
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "y":
        return (f"{year:04d}-01-01", "year") if year else None
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower().rstrip("."))
    if month is None or not 1 <= month <= 12:
        return None
    if kind == "my" and year is None and month_text.lower() in _AMBIGUOUS_MONTHS:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    return _calendar(year, month, day, published)


def _calendar(
    year: int | None, month: int, day: int | None, published: date | None
) -> tuple[str, str] | None:
    """A date from its parts; a missing year is the latest one not after publication."""
    if year is None:
        if published is None:
            return None
        year = published.year
        if (month, day or 1) > (published.month, published.day):
            year -= 1
    try:
        value = date(year, month, day or 1)
    except ValueError:
        return None
    return value.isoformat(), "day" if day else "month"


def _weekday(
    match: re.Match[str], published: date | None, *, future: bool
) -> tuple[str, str] | None:
    if published is None:
        return None
    wanted = _WEEKDAYS[match["weekday"].lower()]
    qualifier = (match["last"] or "").strip().lower()
    if future and qualifier not in ("next", "last"):
        return None  # "will hold drills, he said on Saturday": the day is not the event's
    if qualifier == "next":
        ahead = (wanted - published.weekday()) % 7
        return (published + timedelta(days=ahead)).isoformat(), "day"
    back = (published.weekday() - wanted) % 7
    if qualifier == "last" and back == 0:
        back = 7
    return (published - timedelta(days=back)).isoformat(), "day"


def _relative(match: re.Match[str], published: date | None) -> tuple[str, str] | None:
    if published is None:
        return None
    text = " ".join(match["rel"].lower().split())
    if match["unit"]:
        count = (
            int(match["count"])
            if match["count"].isdigit()
            else WORD_NUMBERS[match["count"].lower()]
        )
        days = count * (7 if match["unit"].lower().startswith("week") else 1)
        if match["unit"].lower().startswith("week"):
            return _span(published - timedelta(days=days + 3), published - timedelta(days=days - 3))
        return (published - timedelta(days=days)).isoformat(), "day"
    offsets = {
        "the day before yesterday": 2,
        "yesterday": 1,
        "last night": 1,
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "earlier today": 0,
    }
    if text in offsets:
        return (published - timedelta(days=offsets[text])).isoformat(), "day"
    if text in ("last week", "this week"):
        monday = published - timedelta(days=published.weekday())
        if text == "last week":
            return _span(monday - timedelta(days=7), monday - timedelta(days=1))
        return _span(monday, published)
    if text == "last month":
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1).isoformat(), "month"
    if text in ("this month", "earlier this month"):
        return published.replace(day=1).isoformat(), "month"
    if text == "last year":
        return f"{published.year - 1:04d}-01-01", "year"
    return f"{published.year:04d}-01-01", "year"


def _span(first: date, last: date) -> tuple[str, str] | None:
    """The finest precision that holds a whole period: its month, else its year, else none."""
    if (first.year, first.month) == (last.year, last.month):
        return first.replace(day=1).isoformat(), "month"
    if first.year == last.year:
        return f"{first.year:04d}-01-01", "year"
    return None


# ============================================================ dates relative to an event

_ANCHOR_NOUN: Final = r"(?:referendum|referendums|vote|votes|ballot|polls?|elections?)"
_ANCHOR_CLASS: Final = {
    "referendum": "vote",
    "referendums": "vote",
    "vote": "vote",
    "votes": "vote",
    "voted": "vote",
    "ballot": "vote",
    "poll": "vote",
    "polls": "vote",
    "election": "election",
    "elections": "election",
}
#: "the 25 September referendum", "Monday's vote": a date just before the noun.
_NOUN_AFTER_DATE: Final = re.compile(
    rf"(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{_ANCHOR_NOUN})\b", re.IGNORECASE
)
#: "the referendum held on 25 September", "voters voted ... on Monday": the noun, then the date.
_NOUN_BEFORE_DATE: Final = re.compile(
    rf"\b(?P<noun>{_ANCHOR_NOUN}|voted)\b[^,;:.()]{{0,60}}$", re.IGNORECASE
)
_ON_BEFORE: Final = re.compile(r"\b(?:on|of)\s+$", re.IGNORECASE)
_RELATIVE_TO_EVENT: Final = re.compile(
    rf"\b(?:(?P<count>a|one|two|three|four|five|six|seven|\d{{1,2}})\s+days?|the\s+day|"
    rf"(?P<eve>on\s+the\s+eve))\s+(?P<way>before|after|ahead\s+of|prior\s+to|following|of)\s+"
    rf"(?:the|a|an|this|last|its|their)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<noun>{_ANCHOR_NOUN})\b",
    re.IGNORECASE,
)


def event_anchors(sentence: str, published: date | None) -> dict[str, set[str]]:
    """Days a sentence gives to a vote or an election, by kind (``"vote"``, ``"election"``).

    Only a date tied to the noun counts: "the 25 September referendum", "Monday's
    vote", "the referendum held on 25 September", "voted ... on Monday".

    Examples
    --------
    >>> from datetime import date
    >>> event_anchors("Voters in the region voted for independence on Monday.", date(2017, 9, 29))
    {'vote': {'2017-09-25'}}
    >>> event_anchors("The 25 September 2017 referendum was rejected by Baghdad.", None)
    {'vote': {'2017-09-25'}}
    >>> event_anchors("After the vote, Iraq closed the border on Friday.", date(2017, 9, 30))
    {}
    """
    found: dict[str, set[str]] = {}
    for mention in find_dates(sentence, published):
        iso, precision = mention.value
        if precision != "day":
            continue
        noun = _anchor_noun(sentence, mention)
        if noun is not None:
            found.setdefault(_ANCHOR_CLASS[noun.lower()], set()).add(iso)
    return found


def _anchor_noun(sentence: str, mention: DateMention) -> str | None:
    after = _NOUN_AFTER_DATE.match(sentence, mention.end)
    if after is not None:
        return after["noun"]
    before = sentence[max(0, mention.start - 80) : mention.start]
    said_on = sentence[mention.start : mention.end].lower().startswith("on ")
    if said_on or _ON_BEFORE.search(before):
        match = _NOUN_BEFORE_DATE.search(before)
        if match is not None:
            return match["noun"]
    return None


def is_relative_to_event(sentence: str) -> bool:
    """True when the sentence dates something relative to a vote ("a day before the referendum").

    Examples
    --------
    >>> is_relative_to_event("Flights stopped two days after the vote.")
    True
    >>> is_relative_to_event("Flights stopped after the vote.")
    False
    """
    return _RELATIVE_TO_EVENT.search(sentence) is not None


def dates_from_anchors(sentence: str, anchors: dict[str, set[str]]) -> list[DateMention]:
    """Dates told relative to a dated vote: "a day before the referendum", "on the eve of the vote".

    ``anchors`` are the article's dated votes (:func:`event_anchors`); a kind with
    more than one day is ambiguous and resolves nothing.

    Examples
    --------
    >>> anchors = {"vote": {"2017-09-25"}}
    >>> found = dates_from_anchors("Flights stopped a day before the referendum.", anchors)
    >>> [m.value for m in found]
    [('2017-09-24', 'day')]
    >>> dates_from_anchors("Flights stopped a day before the elections.", anchors)
    []
    """
    found = []
    for match in _RELATIVE_TO_EVENT.finditer(sentence):
        days = anchors.get(_ANCHOR_CLASS[match["noun"].lower()], set())
        if len(days) != 1:
            continue
        count, way = match["count"], match["way"].lower()
        if (way == "of") != bool(match["eve"]):
            continue  # "on the eve of", but not "the day of" or "on the eve after"
        offset = (
            1 if count is None else int(count) if count.isdigit() else WORD_NUMBERS[count.lower()]
        )
        sign = 1 if way in ("after", "following") else -1
        day = date.fromisoformat(next(iter(days))) + timedelta(days=sign * offset)
        found.append(DateMention(match.start(), match.end(), (day.isoformat(), "day")))
    return found
