"""Place-name normalisation and the precomputed name index.

News spells the same Kurdish, Arabic, Persian or Turkish place many ways
(Koysinjaq, Koy Sanjaq; Khabur, Habur; Bashmaq, Bashmagh). Three keys make
those spellings meet:

* :func:`fold` -- case, diacritics, apostrophes, hyphens and leading articles;
* :func:`phonetic_key` -- :func:`fold` plus the transliteration variants
  (kh/x/h, q/gh/k, j/c, sh/ş, ch/ç, w/v, -iyah/-iya/-ia, doubled letters),
  without spaces;
* :func:`skeleton` -- the consonants of the phonetic key (first letter kept),
  which absorbs vowel spellings (Penjwen, Panjwin).

:class:`NameIndex` maps each key to its entries once; a lookup is a few
dictionary probes (and, for fuzzy matching, the one-deletion neighbourhood
of the query), never a scan of every name.

Examples
--------
>>> fold("al-ʿAmādīyah")
'amadiyah'
>>> phonetic_key("Koy Sanjaq") == phonetic_key("Koysanjaq")
True
>>> phonetic_key("Khabur") == phonetic_key("Habur") == phonetic_key("Xabur")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Generic, TypeVar

__all__ = [
    "NameIndex",
    "edit_distance",
    "fold",
    "is_latin",
    "phonetic_key",
    "skeleton",
    "tokens",
]

T = TypeVar("T")

# Letters NFKD does not take apart, or that must become two letters first.
_PRE: Final = str.maketrans({
    "ş": "sh", "ș": "sh", "ç": "ch", "ğ": "gh", "ı": "i", "ł": "l", "ə": "e", "ø": "o",
    "ß": "ss", "æ": "ae", "đ": "d", "ħ": "h", "ṟ": "r", "ɛ": "e",
    # Arabic-script spellings: one letter for the variants of a sound.
    "ي": "ی", "ى": "ی", "ێ": "ی", "ك": "ک", "ة": "ه", "ە": "ه", "ھ": "ه", "ۆ": "و",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ڕ": "ر", "ڵ": "ل", "ۊ": "و", "ؤ": "و",
})  # fmt: skip
_APOSTROPHES: Final = re.compile(r"[ʿʾ’‘'`´ʼʹ\u0640]")  # also the Arabic tatweel
_SEPARATORS: Final = re.compile(r"[^\w]+|_")
_ARTICLES: Final = frozenset({"al", "el", "the", "ul"})
_SUFFIX: Final = re.compile(r"(?:iy|y|i)(?:ah|a|eh|e)$")
_FINAL_H: Final = re.compile(r"(?<=[aeiou])h$")
# Transliteration variants: digraphs first (in this order), then single letters.
_DIGRAPHS: Final = (
    ("ee", "i"), ("oo", "u"), ("ou", "u"), ("kh", "h"), ("gh", "k"), ("ck", "k"), ("sh", "s"),
    ("ch", "c"), ("ph", "f"), ("dh", "d"), ("th", "t"),
)  # fmt: skip
_LETTERS: Final = str.maketrans({"x": "h", "q": "k", "j": "c", "w": "v", "y": "i"})
_DOUBLE: Final = re.compile(r"(.)\1+")
_VOWELS: Final = re.compile(r"[aeiou]")
_LATIN: Final = re.compile(r"^[a-z0-9 ]*$")


@lru_cache(maxsize=65_536)
def fold(name: str) -> str:
    """Case, diacritics, apostrophes, hyphens and leading articles folded.

    Words are separated by single spaces; "al"/"el" are dropped wherever
    they stand before another word, "the" only at the start.

    Parameters
    ----------
    name : str
        A place name in any script.

    Returns
    -------
    str
        The folded name ("" when nothing is left).

    Examples
    --------
    >>> fold("  Şırnak "), fold("Qeładizê"), fold("Ibrahim al-Khalil")
    ('shirnak', 'qeladize', 'ibrahim khalil')
    >>> fold("The Qandil Mountains"), fold("Kanî Masê"), fold("Sêmalka")
    ('qandil mountains', 'kani mase', 'semalka')
    """
    if name.isascii():
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKC", name).lower().translate(_PRE)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", text)
    text = _APOSTROPHES.sub("", text)
    words = [w for w in _SEPARATORS.split(text) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if len(words) > 1:
        words = [w for i, w in enumerate(words) if not (w in _ARTICLES and i + 1 < len(words))]
    return " ".join(words)


def tokens(name: str) -> list[str]:
    """The folded words of a name.

    Examples
    --------
    >>> tokens("outskirts of al-Kirkuk")
    ['outskirts', 'of', 'kirkuk']
    """
    folded = fold(name)
    return folded.split(" ") if folded else []


def is_latin(folded: str) -> bool:
    """True when a folded name is written in Latin letters and digits only.

    Examples
    --------
    >>> is_latin(fold("Bashmaq")), is_latin(fold("باشماق"))
    (True, False)
    """
    return _LATIN.match(folded) is not None


def _phonetic_word(word: str) -> str:
    if len(word) > 3 and word[-1] in "aeh":
        word = _SUFFIX.sub("ia", word)
    if word[-1:] == "h":
        word = _FINAL_H.sub("", word)
    for old, new in _DIGRAPHS:
        if old in word:
            word = word.replace(old, new)
    word = word.translate(_LETTERS)
    return _DOUBLE.sub(r"\1", word)


@lru_cache(maxsize=65_536)
def phonetic_key(name: str) -> str:
    """A spelling-insensitive key: :func:`fold` plus transliteration variants.

    Latin names lose their spaces so that "Koy Sanjaq" meets "Koysanjaq";
    other scripts are folded only.

    Examples
    --------
    >>> phonetic_key("Bashmagh") == phonetic_key("Bashmaq") == phonetic_key("Başmaq")
    True
    >>> phonetic_key("Amadiyah") == phonetic_key("Amadiya") == phonetic_key("Amadia")
    True
    >>> phonetic_key("Chuman") == phonetic_key("Çuman") == phonetic_key("Juman")
    True
    >>> phonetic_key("Parwez") == phonetic_key("Parvez")
    True
    >>> phonetic_key("Hewler") == phonetic_key("Hawler")
    False
    >>> phonetic_key("Penjween"), phonetic_key("Sulaymaniyah"), phonetic_key("Kirkouk")
    ('pencvin', 'sulaimania', 'kirkuk')
    """
    folded = fold(name)
    if not is_latin(folded):
        return folded.replace(" ", "")
    return "".join(_phonetic_word(w) for w in folded.split(" ") if w)


@lru_cache(maxsize=65_536)
def skeleton(key: str) -> str:
    """The consonants of a phonetic key, its first letter kept.

    Examples
    --------
    >>> skeleton(phonetic_key("Penjwen")) == skeleton(phonetic_key("Panjwin"))
    True
    >>> skeleton(phonetic_key("Koysinjaq")) == skeleton(phonetic_key("Koy Sanjaq"))
    True
    """
    if not key:
        return key
    return key[0] + _DOUBLE.sub(r"\1", _VOWELS.sub("", key[1:]))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau–Levenshtein distance (adjacent transpositions), capped at ``limit + 1``.

    Examples
    --------
    >>> edit_distance("kirkuk", "kirkuk"), edit_distance("bashmak", "bashmka")
    (0, 1)
    >>> edit_distance("amedi", "ramadi")
    2
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def _deletions(key: str) -> Iterator[str]:
    yield key
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One indexed name: the spelling as written, its phonetic key and its value."""

    name: str
    key: str
    value: T


class NameIndex(Generic[T]):
    """Names -> values, looked up by phonetic key, skeleton or one edit.

    The exact maps are built at once; the fuzzy ones (one-deletion
    neighbourhoods and skeletons) on the first fuzzy lookup, and only from
    names marked ``fuzzy=True``.

    Examples
    --------
    >>> index: NameIndex[str] = NameIndex()
    >>> index.add("Penjwen", "penjwen"); index.add("Koy Sanjaq", "koya")
    >>> [e.value for e in index.exact("Penjwin")]
    []
    >>> [(e.value, d) for e, d in index.fuzzy("Penjwin")]
    [('penjwen', 1)]
    >>> [e.value for e in index.exact("koy-sanjaq")]
    ['koya']
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[Entry[T]]] = {}
        self._fuzzy_source: list[Entry[T]] = []
        self._deleted: dict[str, list[Entry[T]]] | None = None
        self._skeletons: dict[str, list[Entry[T]]] | None = None

    def __len__(self) -> int:
        return sum(len(v) for v in self._exact.values())

    def add(self, name: str, value: T, *, fuzzy: bool = True) -> None:
        """Index ``name`` for ``value``; ``fuzzy=False`` keeps it out of fuzzy lookups."""
        key = phonetic_key(name)
        if not key:
            return
        entry = Entry(name, key, value)
        self._exact.setdefault(key, []).append(entry)
        if fuzzy and is_latin(key):
            self._fuzzy_source.append(entry)
            self._deleted = self._skeletons = None

    def extend(self, items: Iterable[tuple[str, T]], *, fuzzy: bool = True) -> None:
        """Index many ``(name, value)`` pairs."""
        for name, value in items:
            self.add(name, value, fuzzy=fuzzy)

    def exact(self, name: str) -> list[Entry[T]]:
        """Entries whose phonetic key equals the query's."""
        return list(self._exact.get(phonetic_key(name), ()))

    def exact_key(self, key: str) -> list[Entry[T]]:
        """Entries for an already computed phonetic key."""
        return list(self._exact.get(key, ()))

    def _build_fuzzy(self) -> tuple[dict[str, list[Entry[T]]], dict[str, list[Entry[T]]]]:
        if self._deleted is None or self._skeletons is None:
            deleted: dict[str, list[Entry[T]]] = {}
            skeletons: dict[str, list[Entry[T]]] = {}
            for entry in self._fuzzy_source:
                for variant in set(_deletions(entry.key)):
                    deleted.setdefault(variant, []).append(entry)
                skeletons.setdefault(skeleton(entry.key), []).append(entry)
            self._deleted, self._skeletons = deleted, skeletons
        return self._deleted, self._skeletons

    def fuzzy(self, name: str, *, max_distance: int = 2) -> list[tuple[Entry[T], int]]:
        """Entries one edit away, or with the same skeleton and at most ``max_distance`` edits.

        Exact entries (distance 0) are not returned. Sorted by distance.
        """
        key = phonetic_key(name)
        if not is_latin(key):
            return []
        deleted, skeletons = self._build_fuzzy()
        seen: dict[int, tuple[Entry[T], int]] = {}
        candidates: list[Entry[T]] = []
        for variant in set(_deletions(key)):
            candidates.extend(deleted.get(variant, ()))
        candidates.extend(skeletons.get(skeleton(key), ()))
        for entry in candidates:
            if id(entry) in seen or entry.key == key:
                continue
            distance = edit_distance(key, entry.key, max_distance)
            if distance <= max_distance:
                seen[id(entry)] = (entry, distance)
        return sorted(seen.values(), key=lambda pair: pair[1])
