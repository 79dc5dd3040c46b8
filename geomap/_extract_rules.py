"""Rules of the extractor: event-type cues, hedges and background (actors: :mod:`geomap._actors`).

Every pattern here is a flat alternation of words (no nested repetition), so
matching stays linear in the length of the text.

Examples
--------
>>> event_types("Iraqi and Iranian units began joint drills with tanks on Monday.")
['military_exercise']
>>> event_types("The IRGC shelled PDKI positions; Peshmerga forces were on alert.")
['shelling_artillery']
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "TYPE_CUES",
    "cue_positions",
    "event_types",
    "hedge_positions",
    "is_background",
    "is_hedged",
    "words_of",
]

_FLAGS: Final = re.IGNORECASE

#: Event type -> pattern of the words that announce it (the taxonomy of geomap.events).
TYPE_CUES: Final[dict[str, re.Pattern[str]]] = {
    "military_exercise": re.compile(
        r"\b(?:drills?|(?:military|joint|naval|air|land|army|border|live[- ]fire|tactical|\w+-day|"
        r"large[- ]scale|massive|combat)\s+(?:\w+\s+)?exercises?|exercises|war\s?games?|"
        r"manoeuvres|maneuvers|manoeuvre|maneuver)\b",
        _FLAGS,
    ),
    "deployment": re.compile(
        r"\b(?:deploy(?:s|ed|ing|ment|ments)?|redeploy(?:ed|ment)?|reinforce(?:d|ments?)|"
        r"dispatch(?:ed|es)?|stationed|sent\s+(?:more\s+|additional\s+|fresh\s+)?"
        r"(?:troops|tanks|forces|units|soldiers|reinforcements|armou?red\s+vehicles)|"
        r"(?:moved|rushed)\s+(?:more\s+|additional\s+|fresh\s+)?"
        r"(?:troops|tanks|forces|units|soldiers|armou?r|artillery)|massed|amassed|build-?up|"
        r"took\s+(?:over|control\s+of)|landed\s+by\s+helicopters?|air-?dropped|heliborne|"
        r"(?:set\s+up|established|built|erected)\s+(?:new\s+|a\s+new\s+|a\s+|an\s+|several\s+|"
        r"\w+\s+)?(?:military\s+|border\s+)?(?:bases?|outposts?|posts?|checkpoints?|positions))\b",
        _FLAGS,
    ),
    "shelling_artillery": re.compile(
        r"\b(?:shell(?:ed|ing|s)|bombard(?:ed|ment|ments|ing)|mortars?|howitzers?|cannon\s+fire|"
        r"artillery\s+(?:\w+\s+){0,2}?(?:fire|fired|shells?|shelled|pounded|pounding|hit|struck|"
        r"strikes?|attacks?|barrages?|bombard\w*|targeted|rounds)|(?:fired|using|with)\s+artillery)\b",
        _FLAGS,
    ),
    "missile_strike": re.compile(r"\b(?:missiles?|rockets?|ballistic|katyushas?)\b", _FLAGS),
    "air_drone_strike": re.compile(
        r"\b(?:air\s?strikes?|air\s+raids?|aerial\s+(?:bombardment|attacks?|strikes?)|"
        r"drones?|UAVs?|warplanes?|fighter\s+jets?|jets\s+(?:struck|bombed|hit)|"
        r"helicopters?\s+(?:struck|attacked|fired)|bombed\s+from\s+the\s+air)\b",
        _FLAGS,
    ),
    "ground_clash": re.compile(
        r"\b(?:clash(?:ed|es)?|firefights?|gunfights?|gun\s+battles?|exchanged?\s+fire|"
        r"exchanges?\s+of\s+fire|skirmish(?:es)?|ambush(?:ed|es)?|fighting\s+(?:broke|erupted)|"
        r"infiltrat(?:ed|ion|ors))\b",
        _FLAGS,
    ),
    "border_closure": re.compile(
        r"\b(?:(?:closed|closes|shut|shuts|sealed|seals|closing|shutting|sealing)\s+(?:down\s+)?"
        r"(?:the\s+|its\s+|their\s+|all\s+|two\s+|both\s+)?(?:[\w'’,-]+\s+){0,6}?"
        r"(?:border|borders|crossings?|gates?|frontier|posts?)|"
        r"closure\s+of\s+(?:the\s+|its\s+|all\s+)?(?:\w+\s+)?(?:border|crossings?|gates?|"
        r"frontier)|(?:crossings?|border|gates?|posts?)\s+(?:was|were|has\s+been|have\s+been|"
        r"remains?|remained|stayed)\s+(?:closed|shut|sealed)|border\s+closures?)\b",
        _FLAGS,
    ),
    "airspace_closure": re.compile(
        r"\b(?:flight\s+bans?|flights?\s+embargo|ban(?:ned)?\s+(?:on\s+)?(?:all\s+)?"
        r"(?:international\s+|foreign\s+|direct\s+)?flights|(?:halted|suspended|stopped|"
        r"cancelled|canceled|grounded|banned|halts|suspends)\s+(?:all\s+)?(?:international\s+|"
        r"foreign\s+|direct\s+)?flights|flights\s+(?:\w+\s+){0,4}?(?:were|was|are|have\s+been)\s+"
        r"(?:halted|suspended|banned|stopped|cancelled|canceled)|(?:closed|closes|shut)\s+"
        r"(?:its\s+|the\s+|their\s+)?airspace|airspace\s+(?:closure|was\s+closed)|"
        r"no-?fly\s+zones?|air\s+embargo)\b",
        _FLAGS,
    ),
    "agreement": re.compile(
        r"\b(?:(?:signed|sign|signs|signing|concluded|reached|struck|inked|ratified)\s+"
        r"(?:\w+\s+){0,5}?(?:agreements?|deals?|accords?|memorand(?:um|a)|pacts?|protocols?|"
        r"treaty)|agreed\s+(?:on|to|upon)|memorandum\s+of\s+understanding|(?:agreement|deal|accord|"
        r"pact|memorandum)\s+(?:[\w'’-]+\s+){0,6}?(?:was|were|has\s+been|had\s+been)\s+"
        r"(?:signed|concluded|reached|inked))\b",
        _FLAGS,
    ),
    "meeting": re.compile(
        r"\b(?:met|meets|meet|meeting|meetings|talks|visit|visits|visited|visiting|received|"
        r"hosted|conferred|delegations?\s+(?:arrived|travelled|traveled))\b",
        _FLAGS,
    ),
    "statement": re.compile(
        r"\b(?:(?:said|says)\s+in\s+a\s+statement|issued\s+a\s+statement|in\s+a\s+statement|"
        r"warned|condemned|denounced|told\s+reporters|press\s+conference)\b",
        _FLAGS,
    ),
}

# Types that describe military action; when present, talk about it is not a separate event.
_KINETIC: Final = frozenset(
    {
        "military_exercise",
        "deployment",
        "shelling_artillery",
        "missile_strike",
        "air_drone_strike",
        "ground_clash",
        "border_closure",
        "airspace_closure",
    }
)

#: Words that make a sentence a proposal, a condition or a wish rather than an event.
_HEDGES: Final = re.compile(
    r"\b(?:would|could|might|should|propos(?:ed|es|al|als|ing)|suggest(?:ed|s)|"
    r"willing(?:ness)?|readiness|ready\s+to|call(?:ed|s)?\s+(?:for|on)|urg(?:ed|es)|"
    r"(?-i:may)|vow(?:ed|s)|threat(?:en|ened|ens)|possible|possibility|if|unless|plans?\s+for|"
    r"consider(?:ed|ing|s)?|discuss(?:ed|es|ing)?\s+(?:holding|joint)|not|never|no\s+longer|"
    r"denied|deny|denies|expected\s+the|refus(?:ed|es|al|ing)|reject(?:ed|s|ing))\b",
    _FLAGS,
)

#: Background: history, the referendum, analysis and page furniture.
_BACKGROUND: Final = re.compile(
    r"(?:\bin\s+the\s+(?:19|20)\d0s\b|\bduring\s+the\s+(?:[\w–-]+\s+){0,3}?war\b|"
    r"\b(?:decades|years|centuries)\s+ago\b|\bhistor(?:y|ical|ically)\b|\bread\s+more\b|"
    r"\bsubscribe\b|\bsupport\s+us\b|\bpatreon\b|\bsign\s+up\b|\bnewsletter\b)",
    _FLAGS,
)

_BACKGROUND_WORDS: Final = frozenset(
    [
        "during",
        "ago",
        "history",
        "historical",
        "historically",
        "read",
        "subscribe",
        "support",
        "patreon",
        "sign",
        "newsletter",
    ]
)


def event_types(sentence: str, words: set[str] | None = None) -> list[str]:
    """Event types a sentence reports, in taxonomy order; talk about action is not a statement.

    Examples
    --------
    >>> event_types("Rockets and kamikaze drones hit positions near Koya.")
    ['missile_strike', 'air_drone_strike']
    >>> event_types("The ministry said in a statement that the talks went well.")
    ['meeting']
    >>> event_types("Exports of tomatoes rose by a third.")
    []
    """
    words = words if words is not None else set(words_of(sentence))
    found = [
        etype
        for etype, pattern in TYPE_CUES.items()
        if not words.isdisjoint(_TRIGGERS[etype]) and pattern.search(sentence)
    ]
    if "statement" in found and (len(found) > 1):
        found.remove("statement")
    if "meeting" in found and any(t in _KINETIC for t in found) and not _meeting_verb(sentence):
        found.remove("meeting")
    return found


_WORD: Final = re.compile(r"[a-z]+")


def words_of(sentence: str) -> list[str]:
    """The lower-case words of a sentence (letters only), for quick look-ups before a pattern.

    Examples
    --------
    >>> words_of("No-fly zone, UAVs!")
    ['no', 'fly', 'zone', 'uavs']
    """
    return _WORD.findall(sentence.lower())


# A type's pattern is tried only when the sentence has one of its words (a cheap set test).
_TRIGGERS: Final[dict[str, frozenset[str]]] = {
    etype: frozenset(words.split())
    for etype, words in {
        "military_exercise": "drill drills exercise exercises war wargame wargames games "
        "manoeuvres maneuvers manoeuvre maneuver",
        "deployment": "deploy deploys deployed deploying deployment deployments redeploy "
        "redeployed redeployment reinforce reinforced reinforcement reinforcements dispatch "
        "dispatched dispatches stationed sent moved rushed massed amassed build buildup set "
        "established built erected took landed dropped airdropped heliborne",
        "shelling_artillery": "shell shelled shelling shells bombard bombarded bombardment "
        "bombardments bombarding mortar mortars howitzer howitzers cannon artillery",
        "missile_strike": "missile missiles rocket rockets ballistic katyusha katyushas",
        "air_drone_strike": "air airstrike airstrikes aerial drone drones uav uavs warplane "
        "warplanes fighter jets helicopter helicopters bombed",
        "ground_clash": "clash clashed clashes firefight firefights gunfight gunfights gun "
        "exchanged exchange exchanges skirmish skirmishes ambush ambushed ambushes fighting "
        "infiltrated infiltration infiltrators",
        "border_closure": "closed closes shut shuts sealed seals closing shutting sealing "
        "closure closures",
        "airspace_closure": "flight flights ban bans banned airspace fly air",
        "agreement": "signed sign signs signing concluded reached struck inked ratified agreed "
        "memorandum agreement agreements deal deals accord accords pact pacts memoranda",
        "meeting": "met meets meet meeting meetings talks visit visits visited visiting received "
        "hosted conferred delegation delegations",
        "statement": "said says statement issued warned condemned denounced told press",
    }.items()
}

_MEETING_VERBS: Final = re.compile(r"\b(?:met|meets|held\s+talks|hosted|received)\b", _FLAGS)


def _meeting_verb(sentence: str) -> bool:
    return _MEETING_VERBS.search(sentence) is not None


def cue_positions(sentence: str, etype: str) -> list[int]:
    """Character positions where ``etype``'s cue words occur in the sentence.

    Examples
    --------
    >>> cue_positions("Drills began; more drills followed.", "military_exercise")
    [0, 19]
    """
    return [m.start() for m in TYPE_CUES[etype].finditer(sentence)]


def is_hedged(clause: str) -> bool:
    """True when the clause proposes, conditions, denies or wishes rather than reports.

    Examples
    --------
    >>> is_hedged("He proposed joint drills on the border.")
    True
    >>> is_hedged("The two armies held joint drills on the border.")
    False
    """
    return _HEDGES.search(clause) is not None


def hedge_positions(sentence: str, words: set[str] | None = None) -> list[int]:
    """Where hedging words ("proposed", "would", "denied", ...) start in the sentence.

    Examples
    --------
    >>> hedge_positions("Iraq denied that drills would be held.")
    [5, 24]
    """
    words = words if words is not None else set(words_of(sentence))
    if _HEDGE_WORDS.isdisjoint(words):
        return []
    return [m.start() for m in _HEDGES.finditer(sentence)]


_HEDGE_WORDS: Final = frozenset(
    [
        "would",
        "could",
        "might",
        "should",
        "proposed",
        "proposes",
        "proposal",
        "proposals",
        "proposing",
        "suggested",
        "suggests",
        "willing",
        "willingness",
        "readiness",
        "ready",
        "call",
        "called",
        "calls",
        "urged",
        "urges",
        "may",
        "vowed",
        "vows",
        "threaten",
        "threatened",
        "threatens",
        "possible",
        "possibility",
        "if",
        "unless",
        "plan",
        "plans",
        "consider",
        "considered",
        "considering",
        "considers",
        "discuss",
        "discussed",
        "discusses",
        "discussing",
        "not",
        "never",
        "no",
        "denied",
        "deny",
        "denies",
        "expected",
        "refused",
        "refuses",
        "refusal",
        "refusing",
        "rejected",
        "rejects",
        "rejecting",
        "reject",
    ]
)


def is_background(sentence: str, words: set[str] | None = None) -> bool:
    """True for history and page furniture, which never yield events.

    Examples
    --------
    >>> is_background("Both armies shelled the valley during the Iran–Iraq war.")
    True
    >>> is_background("It was the first such exercise since the 1979 revolution.")
    False
    """
    words = words if words is not None else set(words_of(sentence))
    if _BACKGROUND_WORDS.isdisjoint(words) and "0s" not in sentence:
        return False
    return _BACKGROUND.search(sentence) is not None
