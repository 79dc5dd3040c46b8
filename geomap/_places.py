"""Sentences and candidate place mentions in article text.

Sentences are found with their character offsets. Place candidates are runs
of capitalised words ("Haji Omaran", "Qasr-e Shirin"), with the kind of place
that follows them ("Khabur border crossing", "Erbil airport") and the cue that
precedes them ("near Penjwen", "outskirts of Kirkuk"). Whether a candidate is
a place is the gazetteer's answer (:mod:`geomap._locate`).

Tokens are matched one by one and runs are built in Python, so no pattern
backtracks over long runs of repeated characters.

Examples
--------
>>> text = "Drills were held near the Bashmakh border crossing. Gen. Ali Bagheri said so."
>>> [text[a:b] for a, b in split_sentences(text)]
['Drills were held near the Bashmakh border crossing.', 'Gen. Ali Bagheri said so.']
>>> [(m.text, m.cue) for m in place_mentions(text[:51])]
[('near the Bashmakh border crossing', 'near')]
>>> place_mentions(text[:51])[0].names
('Bashmakh border crossing', 'Bashmakh crossing', 'Bashmakh')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["PlaceMention", "place_mentions", "split_sentences", "strip_dateline"]

_BOUNDARY: Final = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH: Final = re.compile(r"\n")
_ABBREVIATIONS: Final = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "brig",
        "capt",
        "sgt",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "e.g",
        "i.e",
        "vs",
        "approx",
        "adm",
        "gov",
        "sen",
        "rep",
        "prof",
        "km",
    }
)
# Words that may start a name: not starting with an ASCII lower-case letter (or "al-", "el-").
_CAPITAL_TOKEN: Final = re.compile(r"(?<![\w'’-])(?:al-|el-)?[^\W\d_a-z][\w'’-]*")
_DATELINE: Final = re.compile(
    r"[A-Z][A-Z'’-]{2,}(?: [A-Z][A-Z'’-]+){0,2}(?:,[ A-Za-z'’-]{0,40})?"
    r"(?: \([^()\n]{0,30}\))? ?[–—-]+ "
)

#: Kinds of place that may follow a name, as (words, whether the whole phrase is worth a lookup).
_PLACE_NOUNS: Final = (
    ("border crossing", "crossing"),
    ("border gate", "gate"),
    ("border post", "post"),
    ("border point", "point"),
    ("border terminal", "terminal"),
    ("crossing point", "crossing"),
    ("crossings", "crossing"),
    ("crossing", "crossing"),
    ("gate", "gate"),
    ("international airport", "airport"),
    ("airport", "airport"),
    ("mountains", "mountains"),
    ("mountain", "mountain"),
    ("district", "district"),
    ("province", "province"),
    ("governorate", "governorate"),
    ("camp", "camp"),
    ("area", "area"),
    ("valley", "valley"),
    ("dam", "dam"),
)
_PLACE_NOUN_WORDS: Final = frozenset(words.split()[0] for words, _ in _PLACE_NOUNS)
_LOCATIVES: Final = frozenset(
    {
        "in",
        "at",
        "near",
        "outside",
        "inside",
        "around",
        "from",
        "to",
        "towards",
        "toward",
        "into",
        "across",
        "via",
        "between",
        "and",
        "of",
        "on",
        "along",
        "by",
        "nearby",
        "over",
        "hit",
        "struck",
        "targeted",
        "shelled",
        "bombed",
        "visited",
        "entered",
    }
)
_QUALIFIERS: Final = (
    "outskirts of",
    "near",
    "close to",
    "around",
    "outside",
    "north of",
    "south of",
    "east of",
    "west of",
    "vicinity of",
    "area of",
)


def _words(text: str) -> list[str]:
    return text.split()


_QUALIFIER_ENDS: Final = frozenset(q.split()[-1] for q in _QUALIFIERS)


# Capitalised words that never start or continue a place name.
_STOP: Final = frozenset(
    _words("""a an the in on at of and or but for to by with from as after before during since
    while when he she they it its his her their this that these those there here we our you i
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december
    president minister prime general gen maj lt col mr mrs ms dr chief commander deputy head
    spokesman spokeswoman official officials ministry army staff armed forces force government
    state news agency tv reuters ap afp irna isna tasnim fars rudaw kurdistan24 sputnik reported
    according read more also both however meanwhile earlier later last next several some many
    foreign defence defense interior security border borders military joint region international
    iranian iraqi turkish kurdish syrian american russian israeli arab shiite sunni persian
    revolutionary guards corps islamic republic central federal kurds shia
    rockets drones missiles artillery troops tanks units soldiers officers drills exercises
    shelling clashes airstrikes strikes flights talks
    photo upvote downvote notify inline feedbacks view comments help confirmed breaking""")
)
_TITLES: Final = frozenset(
    _words("""president minister general gen maj lt col mr mrs ms dr chief commander spokesman
    spokeswoman governor mayor ayatollah sheikh brigadier colonel captain lieutenant admiral
    counterpart prince king emir secretary ambassador envoy""")
)
_SPEECH: Final = frozenset({"said", "says", "told", "added", "stated", "noted", "stressed"})


@dataclass(frozen=True)
class PlaceMention:
    """A candidate place: its span, the words as written, lookup names (longest first), its cue."""

    start: int
    end: int
    text: str
    names: tuple[str, ...]
    cue: str | None
    kind: str | None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``; line breaks always end a sentence.

    Examples
    --------
    >>> text = "Mr. Araji spoke. Units moved.\\nNew line here"
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Mr. Araji spoke.', 'Units moved.', 'New line here']
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for line in _PARAGRAPH.split(text):
        _split_line(line, position, spans)
        position += len(line) + 1
    return spans


def _split_line(line: str, offset: int, spans: list[tuple[int, int]]) -> None:
    start = 0
    for match in _BOUNDARY.finditer(line):
        words = line[max(start, match.start() - 12) : match.start()].split()
        word = words[-1].lower().lstrip("(\"'“") if words else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        _add_span(line, offset, start, match.start() + len(match.group(0).rstrip()), spans)
        start = match.end()
    _add_span(line, offset, start, len(line), spans)


def _add_span(line: str, offset: int, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((offset + start + lead, offset + start + lead + len(stripped)))


def strip_dateline(sentence: str) -> int:
    """Length of a leading dateline ("ERBIL, Kurdistan Region – "), else 0.

    Examples
    --------
    >>> strip_dateline("ERBIL, Kurdistan Region – Forces moved.")
    26
    >>> strip_dateline("Forces moved.")
    0
    """
    match = _DATELINE.match(sentence)
    return match.end() if match else 0


def place_mentions(
    sentence: str, *, exclude: list[tuple[int, int]] | None = None
) -> list[PlaceMention]:
    """Candidate place mentions in a sentence, skipping the spans in ``exclude`` (actors, regions).

    Examples
    --------
    >>> [m.names[0] for m in place_mentions("President Rashid met officials in Haji Omaran.")]
    ['Haji Omaran']
    """
    excluded = exclude or []
    tokens = [m for m in _CAPITAL_TOKEN.finditer(sentence) if _starts(m)]
    if excluded:
        tokens = [m for m in tokens if not any(a <= m.start() < b for a, b in excluded)]
    mentions: list[PlaceMention] = []
    run: list[re.Match[str]] = []
    for token in [*tokens, None]:
        if token is not None and _continues(sentence, run, token):
            run.append(token)
            continue
        if run:
            mention = _mention(sentence, run)
            if mention is not None:
                mentions.append(mention)
        run = [token] if token is not None else []
    return mentions


def _starts(token: re.Match[str]) -> bool:
    word = token.group(0)
    if word.lower() in _STOP:
        return False
    return word[0].isupper() or (word.lower().startswith(("al-", "el-")) and len(word) > 3)


def _continues(sentence: str, run: list[re.Match[str]], token: re.Match[str]) -> bool:
    return bool(run) and token.start() == run[-1].end() + 1 and sentence[token.start() - 1] == " "


def _mention(sentence: str, run: list[re.Match[str]]) -> PlaceMention | None:
    start, end = run[0].start(), run[-1].end()
    name = sentence[start:end].rstrip("'’-")
    before = sentence[max(0, start - 40) : start].lower().split()
    if before and before[-1].rstrip(".") in _TITLES:
        return None
    after = sentence[end : end + 40]
    next_word = after.split()[0].lower().strip(",.;:") if after.split() else ""
    if next_word in _SPEECH:
        return None
    kind, end, names = _with_place_noun(sentence, name, end)
    cue, start = _cue(sentence, start, before)
    previous = (
        before[-1] if before and before[-1] != "the" else (before[-2] if len(before) > 1 else "")
    )
    cue_word = cue or (previous if previous in _LOCATIVES else None)
    return PlaceMention(start, end, sentence[start:end], names, cue_word, kind)


def _with_place_noun(sentence: str, name: str, end: int) -> tuple[str | None, int, tuple[str, ...]]:
    """Extend a name by the kind of place after it: ("crossing", new end, lookup names)."""
    after = sentence[end : end + 30].lower()
    base = name.removesuffix("'s").removesuffix("’s")
    first = after.split(None, 1)[0] if after[:1] == " " and after.strip() else ""
    if first.rstrip(",.;:") not in _PLACE_NOUN_WORDS:
        return None, end, (base,)
    for words, kind in _PLACE_NOUNS:
        if after.startswith(" " + words) and not after[len(words) + 1 : len(words) + 2].isalpha():
            full = f"{base} {sentence[end + 1 : end + 1 + len(words)]}"
            names = (
                (full, f"{base} {kind}", base)
                if full.lower() != f"{base} {kind}".lower()
                else (full, base)
            )
            return kind, end + 1 + len(words), names
    return None, end, (base,)


def _cue(sentence: str, start: int, before: list[str]) -> tuple[str | None, int]:
    """A qualifier before the name ("outskirts of", "near") and where the mention starts."""
    last = before[-1] if before and before[-1] != "the" else (before[-2] if len(before) > 1 else "")
    if last not in _QUALIFIER_ENDS:
        return None, start
    head = sentence[max(0, start - 40) : start]
    lowered = head.lower()
    stripped = lowered.removesuffix("the ").rstrip()
    for qualifier in _QUALIFIERS:
        if stripped.endswith(qualifier) and (
            len(stripped) == len(qualifier) or not stripped[-len(qualifier) - 1].isalpha()
        ):
            offset = len(head) - (len(lowered) - len(stripped)) - len(qualifier)
            return qualifier, max(0, start - 40) + offset
    return None, start
