"""Context words: what the words around a place name say about which place is meant.

"Khabur crossing", "Erbil province", "outskirts of Kirkuk": the words that
are not the name choose among candidates (crossing/border/gate/post, river,
camp, mountain, village, area) or widen the answer (province/governorate,
district/county, outskirts/near). Country words ("Iranian side of Bashmaq")
choose the side of a crossing.

Examples
--------
>>> q = parse_query("Bashmaq crossing")
>>> (q.core, sorted(q.contexts), sorted(preferred_kinds(q)))
('bashmaq', ['crossing'], ['crossing'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from gazetteer.names import fold

__all__ = ["CONTEXT_WORDS", "PREFERRED_KINDS", "Query", "parse_query", "preferred_kinds"]

_WINDOW: Final = 3  # words either side of the name in a context text

CONTEXT_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("crossing", "crossings", "border", "borders", "gate", "post", "terminal",
                     "checkpoint", "boundary", "kapisi", "sinir"), "crossing"),
    **dict.fromkeys(("river", "rivers", "stream"), "river"),
    **dict.fromkeys(("camp", "camps", "base", "bases", "headquarters", "hq"), "camp"),
    **dict.fromkeys(("mountain", "mountains", "mount", "mt", "range", "peak", "heights",
                     "chiya"), "mountain"),
    **dict.fromkeys(("village", "villages", "hamlet"), "village"),
    **dict.fromkeys(("province", "governorate", "muhafazat", "ostan"), "province"),
    **dict.fromkeys(("district", "subdistrict", "administration", "qada", "nahiya", "county",
                     "shahrestan"), "district"),
    **dict.fromkeys(("outskirts", "near", "around", "outside", "vicinity", "environs", "nearby",
                     "close", "edge"), "near"),
    **dict.fromkeys(("region", "area", "valley"), "area"),
}  # fmt: skip
#: Words dropped from a query with the context words.
_FILLERS: Final = frozenset({"of", "the", "in", "at", "on", "to", "city", "town", "side", "by",
                             "from", "and", "a", "an"})  # fmt: skip
_COUNTRY_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("iran", "iranian"), "IR"),
    **dict.fromkeys(("turkey", "turkish", "turkiye"), "TR"),
    **dict.fromkeys(("iraq", "iraqi", "krg"), "IQ"),
    **dict.fromkeys(("syria", "syrian"), "SY"),
}
PREFERRED_KINDS: Final[dict[str, frozenset[str]]] = {
    "crossing": frozenset({"crossing"}),
    "river": frozenset({"river"}),
    "camp": frozenset({"camp", "village", "area"}),
    "mountain": frozenset({"area", "mountain"}),
    "village": frozenset({"village", "town"}),
    "province": frozenset({"city", "capital", "town", "governorate"}),
    "district": frozenset({"town", "city", "district"}),
    "area": frozenset({"area"}),
}

@dataclass(frozen=True)
class Query:
    """A query taken apart: its core name and the context words around it."""

    text: str
    core: str
    contexts: frozenset[str]  # from the query and the words next to it in the context text
    hints: frozenset[str]  # from anywhere in the context text: choose only, never widen
    country: str | None


def parse_query(name: str, context: str | None = None) -> Query:
    """Take a query apart: its core name, context words, country words.

    Context words in the query count, and so do those within three words of
    the name in ``context`` (e.g. an event description); words elsewhere in
    ``context`` are only hints that help choose, never widen.

    Examples
    --------
    >>> q = parse_query("outskirts of Kirkuk")
    >>> (q.core, sorted(q.contexts))
    ('kirkuk', ['near'])
    >>> q = parse_query("Khabur", context="trucks queued at the Khabur border gate for days")
    >>> (q.core, sorted(q.contexts), q.country)
    ('khabur', ['crossing'], None)
    >>> parse_query("Iranian side of Bashmaq").country
    'IR'
    """
    words = fold(name).split()
    contexts = {CONTEXT_WORDS[w] for w in words if w in CONTEXT_WORDS}
    country = next((_COUNTRY_WORDS[w] for w in words if w in _COUNTRY_WORDS), None)
    core = [w for w in words if w not in CONTEXT_WORDS and w not in _FILLERS
            and w not in _COUNTRY_WORDS]  # fmt: skip
    hints: set[str] = set()
    if context:
        around, anywhere = _context_words(core or words, fold(context).split())
        contexts |= around
        hints = anywhere
    return Query(name, " ".join(core), frozenset(contexts), frozenset(hints), country)


def _context_words(place: list[str], text: list[str]) -> tuple[set[str], set[str]]:
    """Context words next to the place in ``text`` (if found there), and anywhere in it."""
    anywhere = {CONTEXT_WORDS[w] for w in text if w in CONTEXT_WORDS}
    size = len(place)
    for i in range(len(text) - size + 1):
        if size and text[i : i + size] == place:
            window = text[max(0, i - _WINDOW) : i] + text[i + size : i + size + _WINDOW]
            return {CONTEXT_WORDS[w] for w in window if w in CONTEXT_WORDS}, anywhere
    return set(), anywhere


def preferred_kinds(query: Query) -> frozenset[str]:
    """Site kinds the query's context words prefer (from the query, else from hints).

    Examples
    --------
    >>> sorted(preferred_kinds(parse_query("Sherawa camp")))
    ['area', 'camp', 'village']
    """
    wanted = query.contexts or query.hints
    return frozenset().union(*(PREFERRED_KINDS[c] for c in wanted if c in PREFERRED_KINDS))
