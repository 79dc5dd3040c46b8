"""Actors in news sentences: names and spellings -> normalised actors.

Names are matched word by word, longest name first, from a table of spellings
(:data:`ACTOR_NAMES`); short acronyms that are ordinary words in lower case
("PAK", "KRG") must be written in capitals, and a capital after a preposition
("in Tehran") is a place, not its government.

Examples
--------
>>> actors_in("The IRGC shelled PDKI positions; Peshmerga forces were on alert.")
['IRGC', 'KDPI/PDKI', 'KRG/Peshmerga']
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ACTOR_NAMES", "CAPITALS", "actor_spans", "actors_in"]

#: Normalised actor -> names that mean it (longest first wins, case-insensitive unless upper case).
ACTOR_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "Iranian Kurdish groups": (
        "Iranian Kurdish opposition groups",
        "Iranian Kurdish opposition parties",
        "Iranian Kurdish groups",
        "Iranian Kurdish parties",
        "Iranian Kurdish dissidents",
        "Iranian Kurdish opposition",
        "Kurdish opposition groups",
        "armed Kurdish groups",
    ),
    "IRGC": (
        "Islamic Revolutionary Guard Corps",
        "Islamic Revolution Guards Corps",
        "Islamic Revolutionary Guards Corps",
        "Revolutionary Guards",
        "Revolutionary Guard",
        "IRGC",
        "Sepah",
        "Quds Force",
    ),
    "KDPI/PDKI": (
        "Kurdistan Democratic Party of Iran",
        "Democratic Party of Iranian Kurdistan",
        "Democratic Party of Kurdistan Iran",
        "KDPI",
        "PDKI",
        "HDKA",
    ),
    "PAK": ("Kurdistan Freedom Party", "Parti Azadi Kurdistan", "PAK"),
    "Komala": ("Komala", "Komalah", "Komele"),
    "PJAK": ("Party of Free Life of Kurdistan", "Free Life Party of Kurdistan", "PJAK"),
    "PKK": (
        "Kurdistan Workers' Party",
        "Kurdistan Workers Party",
        "Kurdistan Workers’ Party",
        "PKK",
        "HPG",
        "People's Defence Forces",
    ),
    "Hashd al-Shaabi": (
        "Hashd al-Shaabi",
        "al-Hashd al-Shaabi",
        "Hashd al-Shaabi",
        "Hashed al-Shaabi",
        "Popular Mobilisation Forces",
        "Popular Mobilization Forces",
        "Popular Mobilization Units",
        "Popular Mobilisation Units",
        "PMF",
        "PMU",
        "Hashd",
    ),
    "KRG/Peshmerga": (
        "Kurdistan Regional Government",
        "Kurdistan Region Government",
        "Kurdish regional government",
        "Kurdistan Region Security Council",
        "Kurdistan government",
        "Kurdish authorities",
        "Kurdish officials",
        "Peshmerga",
        "Pêşmerge",
        "KRG",
        "Zeravani",
        "Asayish",
    ),
    "Islamic State": ("Islamic State", "ISIS", "ISIL", "Daesh", "IS militants"),
    "United States": (
        "United States",
        "US-led coalition",
        "Washington",
        "Pentagon",
        "American forces",
        "US forces",
        "U.S.",
        "US",
    ),
    "Syria": ("Syria", "Syrian"),
    "Iran": ("Iran", "Iranian", "Iranians", "Tehran", "Islamic Republic"),
    "Iraq": ("Iraq", "Iraqi", "Iraqis", "Baghdad", "federal government", "central government"),
    "Turkey": ("Turkey", "Türkiye", "Turkish", "Turks", "Ankara", "TSK"),
}

# Capitals stand for their governments unless a preposition makes them a place.
CAPITALS: Final = frozenset({"tehran", "baghdad", "ankara", "washington"})
_PLACE_PREPOSITIONS: Final = frozenset(
    {
        "in",
        "at",
        "to",
        "near",
        "into",
        "outside",
        "inside",
        "around",
        "towards",
        "toward",
        "via",
        "visited",
        "visit",
    }
)


# Actor names are matched word by word (longest name first) rather than by one huge pattern.
_NAME_TOKEN: Final = re.compile(r"[^\W_][\w-]*")
_TOKEN_GAP: Final = re.compile(r"[\s'’.]{1,3}")


def _actor_lookup() -> dict[tuple[str, ...], tuple[str, str]]:
    """Name as a tuple of lower-case words -> (actor, the name as listed)."""
    lookup: dict[tuple[str, ...], tuple[str, str]] = {}
    for actor, names in ACTOR_NAMES.items():
        for name in names:
            lookup.setdefault(tuple(_NAME_TOKEN.findall(name.lower())), (actor, name))
    return lookup


_ACTOR_LOOKUP = _actor_lookup()
_FIRST_WORDS: Final = frozenset(key[0] for key in _ACTOR_LOOKUP)
_PREFIXES: Final = frozenset(key[:n] for key in _ACTOR_LOOKUP for n in range(1, len(key) + 1))
# Short upper-case acronyms that are ordinary words in lower case.
_CASE_SENSITIVE: Final = frozenset(
    {"PAK", "IS militants", "PMF", "PMU", "KRG", "HPG", "U.S.", "US"}
)


def actor_spans(sentence: str) -> list[tuple[int, int, str]]:
    """Actor mentions in a sentence as ``(start, end, actor)``.

    Examples
    --------
    >>> actor_spans("Iranian Kurdish groups fled; Tehran denied it.")
    [(0, 22, 'Iranian Kurdish groups'), (29, 35, 'Iran')]
    >>> actor_spans("He arrived in Tehran.")
    []
    """
    spans: list[tuple[int, int, str]] = []
    tokens = list(_NAME_TOKEN.finditer(sentence))
    words = [t.group(0).lower() for t in tokens]
    i = 0
    while i < len(tokens):
        found = _name_at(sentence, tokens, words, i) if words[i] in _FIRST_WORDS else None
        if found is None:
            i += 1
            continue
        length, (actor, name) = found
        start, end = tokens[i].start(), tokens[i + length - 1].end()
        i += length
        text = sentence[start:end]
        if name in _CASE_SENSITIVE and not text.isupper():
            continue
        possessive = sentence[end : end + 2] in ("'s", "’s")
        if (
            text.lower() in CAPITALS
            and not possessive
            and _previous_word(sentence, start) in _PLACE_PREPOSITIONS
        ):
            continue
        spans.append((start, end, actor))
    return spans


def _name_at(
    sentence: str, tokens: list[re.Match[str]], words: list[str], i: int
) -> tuple[int, tuple[str, str]] | None:
    """The longest actor name starting at token ``i``: (number of tokens, (actor, name))."""
    best = None
    stop = i + 1
    while True:
        hit = _ACTOR_LOOKUP.get(tuple(words[i:stop]))
        if hit is not None:
            best = stop - i, hit
        if (
            stop >= len(tokens)
            or tuple(words[i : stop + 1]) not in _PREFIXES
            or not _TOKEN_GAP.fullmatch(sentence, tokens[stop - 1].end(), tokens[stop].start())
        ):
            return best
        stop += 1


def _previous_word(text: str, position: int) -> str:
    words = text[max(0, position - 20) : position].split()
    return words[-1].lower() if words else ""


def actors_in(sentence: str) -> list[str]:
    """Normalised actors named in a sentence, in order of first mention.

    Examples
    --------
    >>> actors_in("Turkish jets struck PKK hideouts; Ankara said Iraqi forces were told.")
    ['Turkey', 'PKK', 'Iraq']
    """
    seen: dict[str, None] = {}
    for _, _, actor in actor_spans(sentence):
        seen.setdefault(actor, None)
    return list(seen)
