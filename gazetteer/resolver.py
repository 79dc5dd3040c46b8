"""The :class:`Gazetteer`: names as news writes them -> :class:`~gazetteer.sites.Match`.

Resolution runs in tiers; the first tier with a candidate decides:

1. the whole query, exactly (phonetic key) -- a name, alias, native name,
   IATA/ICAO code (capitals only) or core name ("Bashmaq" of "Bashmaq
   border crossing");
2. the query without its context words ("Bashmaq crossing" -> "Bashmaq"
   with *crossing* preferred), exactly;
3. fuzzy: one edit, or the same consonant skeleton within two edits -- only
   for names of at least 5 letters, same first letter, inside the region,
   and never onto the sites that news confuses (:data:`EXACT_ONLY`);
4. online geocoders, only when asked.

Within a tier the earlier layer wins (curated, geonames, airports); among
its candidates context words choose (crossing/border/gate/post, river, camp,
mountain, village, province/governorate, outskirts/near). Candidates that
are different places and that context cannot separate make the answer
``ambiguous``, with the others in ``alternatives``.

Examples
--------
>>> gaz = Gazetteer(layers=("curated",))
>>> m = gaz.resolve("Koysinjaq")
>>> (m.site.key, m.layer, m.score)
('koya', 'curated', 1.0)
>>> gaz.resolve("Khabur crossing").site.key
'ibrahim_khalil'
>>> m = gaz.resolve("outskirts of Kirkuk")
>>> (m.site.key, m.uncertainty_m > m.site.uncertainty_m)
('kirkuk', True)
>>> gaz.resolve("Ramadi") is None
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from gazetteer import catalog
from gazetteer.context import Query, parse_query, preferred_kinds
from gazetteer.errors import GazetteerError
from gazetteer.names import NameIndex, is_latin, phonetic_key
from gazetteer.sites import Layer, Match, Site
from gazetteer.spellings import How, Named, same_place, twin
from gazetteer.spellings import spellings as site_spellings

if TYPE_CHECKING:
    from gazetteer.online import OnlineGeocoder

__all__ = ["EXACT_ONLY", "Gazetteer"]

#: Sites that resolve only by an exact name or alias, never by fuzzy match
#: (the traps of the reference notes: Bashmaq is not the Turkish Başak; Kani
#: Masi is not Kuna Masi; Kele is not Kalak/Kilis; Zap is an area, not a
#: village; Kalar is Kalar in Garmiyan only).
EXACT_ONLY: Final = frozenset({
    "bashmaq", "bashmaq_ir", "kani_masi", "kuna_masi", "kele", "kele_ir", "zap", "kalar",
})  # fmt: skip
MIN_FUZZY_LETTERS: Final = 5
#: GeoNames places smaller than this match exactly only: village names repeat
#: across the region and a misspelt town must not land on a village.
MIN_FUZZY_POPULATION: Final = 5_000
NEAR_WIDEN_M: Final = 10_000.0
DISTRICT_RADIUS_M: Final = 25_000.0
PROVINCE_RADIUS_M: Final = 80_000.0
MAX_ALTERNATIVES: Final = 5
_CACHE_SIZE: Final = 100_000
_LAYER_RANK: Final[dict[str, int]] = {"curated": 0, "geonames": 1, "airports": 2, "online": 3}
_HOW_SCORE: Final[dict[str, float]] = {
    "name": 1.0, "alias": 1.0, "native": 1.0, "code": 1.0, "core": 0.98,
}  # fmt: skip
_STRIPPED_FACTOR: Final = 0.95
_VIA_TOWN_FACTOR: Final = 0.9
_PART_FACTOR: Final = 0.9
_FUZZY_SCORE: Final = {1: 0.8, 2: 0.7}


@dataclass(frozen=True)
class _Candidate:
    named: Named
    tier: int
    score: float
    distance: int = 0

    @property
    def site(self) -> Site:
        return self.named.site


# Indexes built in this process, by (layers, extra sites): a new Gazetteer() reuses them.
_BUILT: dict[
    tuple[tuple[Layer, ...], tuple[Site, ...]],
    tuple[NameIndex[Named], dict[str, list[Named]], dict[str, Site]],
] = {}
_BUILT_MAX: Final = 16


def _fuzzy_allowed(layer: Layer, site: Site) -> bool:
    """In the region, not a trap site, not a village."""
    if site.key in EXACT_ONLY or not catalog.in_region(site.lon, site.lat):
        return False
    return not (layer == "geonames" and (site.population or 0) < MIN_FUZZY_POPULATION)


class Gazetteer:
    """Resolve place names through the packaged layers and, if asked, online geocoders.

    Parameters
    ----------
    layers : sequence of {"curated", "geonames", "airports"}, optional
        Packaged layers to use, in order of precedence; default all three.
    sites : iterable of Site, optional
        Extra sites merged over the curated layer (same key replaces).
    online : bool, default False
        Ask an online geocoder when no offline layer answers.
    user_agent : str, optional
        User agent for the online geocoder (Nominatim asks for a real one).
    geocoder : OnlineGeocoder, optional
        A configured online geocoder (default: Nominatim, created on first use).

    Notes
    -----
    Construction is cheap; the layers are read and indexed on the first
    lookup (and each packaged file once per process).

    Examples
    --------
    >>> gaz = Gazetteer()
    >>> m = gaz.resolve("Bashmaq crossing")
    >>> (m.site.key, m.site.kind, m.ambiguous)
    ('bashmaq', 'crossing', False)
    >>> gaz.resolve("EBL").site.kind
    'airport'
    """

    def __init__(
        self,
        layers: Sequence[Layer] | None = None,
        *,
        sites: Iterable[Site] = (),
        online: bool = False,
        user_agent: str | None = None,
        geocoder: OnlineGeocoder | None = None,
    ) -> None:
        chosen = tuple(catalog.PACKAGED_LAYERS if layers is None else layers)
        for layer in chosen:
            if layer not in catalog.PACKAGED_LAYERS:
                msg = f"unknown layer {layer!r} (choose from {', '.join(catalog.PACKAGED_LAYERS)})"
                raise GazetteerError(msg)
        self.layers: tuple[Layer, ...] = chosen
        self.online = online
        self.user_agent = user_agent
        self._geocoder = geocoder
        self._extra = tuple(sites)
        self._names: NameIndex[Named] | None = None
        self._codes: dict[str, list[Named]] = {}
        self._by_key: dict[str, Site] = {}
        self._cache: dict[tuple[str, str | None], Match | None] = {}

    @classmethod
    def from_files(
        cls,
        *paths: str | Path,
        layers: Sequence[Layer] | None = None,
        online: bool = False,
        user_agent: str | None = None,
        geocoder: OnlineGeocoder | None = None,
    ) -> Gazetteer:
        """A gazetteer whose curated layer is merged with the user's own sites CSVs.

        Each file has the curated columns (``key,name,lat,lon`` at least, see
        :func:`gazetteer.catalog.read_sites_csv`); a row with a packaged key
        replaces that site, later files override earlier ones.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "mine.csv")
        ...     _ = path.write_text(
        ...         "key,name,aliases,kind,country,lat,lon,radius_km\\n"
        ...         "fob_x,Forward Base X,FOB X,camp,IQ,37.1,43.4,0.5\\n", encoding="utf-8")
        ...     gaz = Gazetteer.from_files(path)
        >>> gaz.resolve("FOB X").site.key, gaz.resolve("Erbil").site.key
        ('fob_x', 'erbil')
        """
        extra: list[Site] = []
        for path in paths:
            extra = list(catalog.merge_sites(extra, catalog.read_sites_csv(path)))
        return cls(layers, sites=extra, online=online, user_agent=user_agent, geocoder=geocoder)

    # ------------------------------------------------------------------------- index

    def _layer_sites(self) -> list[tuple[Layer, tuple[Site, ...]]]:
        out: list[tuple[Layer, tuple[Site, ...]]] = []
        for layer in self.layers:
            sites = catalog.load_layer(layer)
            if layer == "curated" and self._extra:
                sites = catalog.merge_sites(sites, self._extra)
            out.append((layer, sites))
        if self._extra and "curated" not in self.layers:
            out.insert(0, ("curated", self._extra))
        return out

    def _index(self) -> NameIndex[Named]:
        """Index every spelling of every site once (on the first lookup).

        A site of a later layer whose name or alias is a curated site's and
        which lies within that site's uncertainty is the same place: its
        spellings become aliases of the curated site.
        """
        if self._names is not None:
            return self._names
        cache_key = (self.layers, self._extra)
        if cache_key in _BUILT:
            self._names, self._codes, self._by_key = _BUILT[cache_key]
            return self._names
        names: NameIndex[Named] = NameIndex()
        curated: dict[str, list[Site]] = {}
        order = 0
        for layer, sites in self._layer_sites():
            for site in sites:
                self._by_key.setdefault(site.key, site)
                order += 1
                spellings = site_spellings(site)
                same = None if layer == "curated" else twin(site, spellings, curated)
                if same is None:
                    target = Named(site, layer, "name", order)
                    fuzzy = _fuzzy_allowed(layer, site)
                else:
                    target = Named(same, "curated", "alias", order)
                    fuzzy = _fuzzy_allowed("curated", same)
                    spellings = [(n, "alias", k) for n, how, k in spellings if how != "core"]
                self._add(names, target, spellings, fuzzy=fuzzy)
                if layer == "curated" and site.is_located:
                    for _, _, key in spellings:
                        curated.setdefault(key, []).append(site)
        self._names = names
        if len(_BUILT) < _BUILT_MAX:
            _BUILT[cache_key] = (names, self._codes, self._by_key)
        return names

    def _add(
        self,
        names: NameIndex[Named],
        target: Named,
        spellings: list[tuple[str, How, str]],
        *,
        fuzzy: bool,
    ) -> None:
        for spelling, how, key in spellings:
            named = Named(target.site, target.layer, how, target.order)
            if how == "code":
                self._codes.setdefault(spelling, []).append(named)
                continue
            allow = fuzzy and len(key) >= MIN_FUZZY_LETTERS and is_latin(key)
            names.add(spelling, named, fuzzy=allow)

    # ------------------------------------------------------------------------- lookup

    def site(self, key: str) -> Site:
        """The site with this key.

        Raises
        ------
        PlaceNotFoundError
            No site has that key.

        Examples
        --------
        >>> Gazetteer(layers=("curated",)).site("penjwen").name
        'Penjwen'
        """
        from gazetteer.errors import PlaceNotFoundError

        self._index()
        try:
            return self._by_key[key]
        except KeyError:
            msg = f"no site with key {key!r}"
            raise PlaceNotFoundError(msg) from None

    def _exact(self, text: str, tier: int, factor: float) -> list[_Candidate]:
        return [
            _Candidate(named, tier, _HOW_SCORE[named.how] * factor)
            for named in (e.value for e in self._index().exact(text))
        ]

    def _fuzzy(self, text: str) -> list[_Candidate]:
        key = phonetic_key(text)
        if len(key) < MIN_FUZZY_LETTERS or not is_latin(key):
            return []
        found = []
        for entry, distance in self._index().fuzzy(text):
            if entry.key[0] != key[0]:
                continue
            score = _FUZZY_SCORE.get(distance, 0.6)
            found.append(_Candidate(entry.value, 3, score, distance))
        return found

    def _candidates(self, query: Query) -> list[_Candidate]:
        """The candidates of the first tier that has any."""
        self._index()
        stripped = query.text.strip()
        codes = [_Candidate(n, 0, 1.0) for n in self._codes.get(stripped, ())]
        if codes:
            return codes
        whole = self._exact(query.text, 1, 1.0)
        if whole:
            return whole
        if query.core and phonetic_key(query.core) != phonetic_key(query.text):
            core = self._exact(query.core, 2, _STRIPPED_FACTOR)
            if core:
                return core
        return self._fuzzy(query.core or query.text)

    def _rank(self, query: Query, candidates: list[_Candidate]) -> list[_Candidate]:
        """Sort: layer, context fit, located, match quality, population, file order."""
        kinds = preferred_kinds(query)

        def order(c: _Candidate) -> tuple[float, ...]:
            site = c.site
            fits = bool(kinds) and site.kind in kinds
            country = query.country is not None and site.country == query.country
            return (
                _LAYER_RANK[c.named.layer],
                -float(fits),
                -float(country),
                -float(site.is_located),
                -c.score,
                c.distance,
                -float(site.population or 0),
                c.named.order,
            )

        best: dict[str, _Candidate] = {}
        for cand in sorted(candidates, key=order):
            best.setdefault(cand.site.key, cand)
        return list(best.values())

    def _decide(self, query: Query, ranked: list[_Candidate]) -> Match:
        """The best candidate, flagged ambiguous when context cannot set it apart."""
        top = ranked[0]
        # "Penjwen crossing", "Marivan border": the crossing the town serves (not when
        # the crossing words are part of the name that matched).
        redirect = "crossing" in query.contexts and top.tier >= 2
        crossing = self._crossing_of(top.site) if redirect else None
        if crossing is not None:
            top = _Candidate(Named(crossing, top.named.layer, "alias", top.named.order),
                             top.tier, top.score * _VIA_TOWN_FACTOR)  # fmt: skip
            ranked = [top, *ranked]
        kinds = preferred_kinds(query)
        rivals = [
            c for c in ranked[1:]
            if c.named.layer == top.named.layer and not same_place(top.site, c.site)
        ]  # fmt: skip
        if kinds and top.site.kind in kinds:
            rivals = [c for c in rivals if c.site.kind in kinds]
        if query.country is not None and top.site.country == query.country:
            rivals = [c for c in rivals if c.site.country == query.country]
        if top.tier == 3:  # fuzzy: only a clearly nearer spelling wins
            rivals = [c for c in rivals if c.distance <= top.distance]
        others = [
            c.site for c in ranked[1:]
            if c.named.layer == top.named.layer or not same_place(top.site, c.site)
        ]  # fmt: skip
        alternatives = tuple(others[:MAX_ALTERNATIVES])
        site, uncertainty = self._widen(query, top.site)
        return Match(
            query=query.text,
            site=site,
            layer=top.named.layer,
            score=round(top.score, 3),
            uncertainty_m=uncertainty,
            ambiguous=bool(rivals),
            alternatives=alternatives,
        )

    def _crossing_of(self, site: Site) -> Site | None:
        """The located crossing a town serves (its ``paired_site``), if it is not one itself."""
        if site.kind == "crossing" or not site.paired_site:
            return None
        paired = self._by_key.get(site.paired_site)
        if paired is None or paired.kind != "crossing" or not paired.is_located:
            return None
        return paired

    def _widen(self, query: Query, site: Site) -> tuple[Site, float]:
        """Province -> the governorate around the site; district, outskirts -> wider circle."""
        uncertainty = site.uncertainty_m
        if "province" in query.contexts and site.is_located:
            governorate = self._governorate(site)
            return governorate, governorate.uncertainty_m
        if "district" in query.contexts:
            uncertainty = max(uncertainty, DISTRICT_RADIUS_M)
        if "near" in query.contexts:
            uncertainty += NEAR_WIDEN_M
        return site, uncertainty

    def _governorate(self, site: Site) -> Site:
        """The governorate (province) of a site: centred on its capital when that is known.

        Named after the site's ``admin1`` ("Erbil", "Sulaymaniyah (Garmian admin.)" ->
        Sulaymaniyah), or after the site itself when ``admin1`` is only a code.
        """
        region = site.admin1.split("(")[0].split("/")[0].strip().rstrip("?")
        if not region or not any(c.isalpha() for c in region):
            region = site.name
        centre = site
        for entry in self._index().exact(region):
            capital = entry.value.site
            if capital.kind in ("city", "capital") and capital.is_located:
                centre = capital
                break
        return replace(
            centre,
            key=f"{centre.key}:governorate",
            name=f"{region} governorate",
            kind="governorate",
            aliases=(),
            native_names=(),
            paired_site=None,
            uncertainty_m=max(PROVINCE_RADIUS_M, centre.uncertainty_m),
            population=None,
        )

    def _offline(self, query: Query, context: str | None) -> Match | None:
        candidates = self._candidates(query)
        if candidates:
            return self._decide(query, self._rank(query, candidates))
        return self._by_parts(query, context)

    def _by_parts(self, query: Query, context: str | None) -> Match | None:
        """Names written "Place, Province, Country" (GDELT and many tables): the first part that
        resolves; a part after the first counts as the province around the place."""
        parts = [p.strip() for p in query.text.split(",") if p.strip()]
        if len(parts) < 2:
            return None
        country = query.country or next(
            (q.country for q in map(parse_query, parts) if q.country), None
        )
        for i, part in enumerate(parts):
            sub = parse_query(part, context)
            if not sub.core:
                continue
            contexts = sub.contexts | ({"province"} if i else frozenset())
            sub = replace(sub, contexts=contexts, country=sub.country or country)
            candidates = self._candidates(sub)
            if candidates:
                match = self._decide(sub, self._rank(sub, candidates))
                factor = _PART_FACTOR ** (i + 1)
                return replace(match, query=query.text, score=round(match.score * factor, 3))
        return None

    # ------------------------------------------------------------------------- public

    def resolve(
        self, name: str, *, context: str | None = None, online: bool | None = None
    ) -> Match | None:
        """Resolve one place name; ``None`` when no layer knows it.

        Parameters
        ----------
        name : str
            The name as written ("Bashmaq crossing", "outskirts of Kirkuk").
        context : str, optional
            Text around the name (e.g. the event description); context words
            next to the name there count as if they were in the name.
        online : bool, optional
            Ask the online geocoder when the offline layers fail; default the
            gazetteer's ``online`` setting.

        Returns
        -------
        Match or None

        Raises
        ------
        GeocoderError
            The online geocoder failed (never turned into ``None``).

        Examples
        --------
        >>> gaz = Gazetteer(layers=("curated",))
        >>> gaz.resolve("Erbil province").site.kind
        'governorate'
        >>> gaz.resolve("Khabur").ambiguous
        True
        >>> gaz.resolve("Khabur", context="shelling at the Khabur gate").ambiguous
        False
        """
        text = " ".join(str(name).split())
        if not text:
            return None
        cache_key = (text, context)
        if cache_key in self._cache:
            match = self._cache[cache_key]
        else:
            match = self._offline(parse_query(text, context), context)
            if len(self._cache) < _CACHE_SIZE:
                self._cache[cache_key] = match
        if match is None and (self.online if online is None else online):
            match = self._online_geocoder().resolve(text)
        return match

    def resolve_many(
        self,
        names: Iterable[str],
        *,
        context: str | Sequence[str | None] | None = None,
        online: bool | None = None,
    ) -> list[Match | None]:
        """Resolve many names, in order; ``context`` is one text for all or one per name.

        Examples
        --------
        >>> gaz = Gazetteer(layers=("curated",))
        >>> [m.site.key if m else None for m in gaz.resolve_many(["Dohuk", "Nowhere-on-earth"])]
        ['duhok', None]
        """
        items = list(names)
        if context is None or isinstance(context, str):
            contexts: Sequence[str | None] = [context] * len(items)
        else:
            contexts = list(context)
            if len(contexts) != len(items):
                msg = f"{len(items)} names but {len(contexts)} contexts"
                raise GazetteerError(msg)
        pairs = zip(items, contexts, strict=True)
        return [self.resolve(n, context=c, online=online) for n, c in pairs]

    def explain(self, name: str, *, context: str | None = None) -> str:
        """Why a name resolves as it does: its parse, candidates, scores and the decision.

        Examples
        --------
        >>> print(Gazetteer(layers=("curated",)).explain("Kuna Masi village"))
        query 'Kuna Masi village': core 'kuna masi', context village
        tier 2 (query without context words): 1 candidate(s)
          kuna_masi  Kuna Masi  area IQ  curated name  score 0.95  unlocated
        answer: kuna_masi (curated, score 0.95, uncertainty unknown)
        """
        query = parse_query(" ".join(str(name).split()), context)
        words = sorted(query.contexts) + [f"{h} (from context text)" for h in
                                          sorted(query.hints - query.contexts)]  # fmt: skip
        lines = [f"query {query.text!r}: core {query.core!r}, context "
                 + (", ".join(words) or "none")
                 + (f", country {query.country}" if query.country else "")]  # fmt: skip
        candidates = self._candidates(query)
        if not candidates:
            lines.append("no candidate in any offline layer (fuzzy needs >= 5 letters, in region)")
            by_parts = self._by_parts(query, context)
            if by_parts is not None:
                lines.append(f"by its comma-separated parts: {by_parts.site.key} "
                             f"({by_parts.layer}, score {by_parts.score:.2f})")  # fmt: skip
            return "\n".join(lines)
        tiers = {0: "code", 1: "whole query", 2: "query without context words", 3: "fuzzy"}
        ranked = self._rank(query, candidates)
        lines.append(f"tier {ranked[0].tier} ({tiers[ranked[0].tier]}): {len(ranked)} candidate(s)")
        for c in ranked:
            s = c.site
            located = s.lat is not None and s.lon is not None
            where = f"{s.lat:.4f},{s.lon:.4f}" if located else "unlocated"
            edit = f"  {c.distance} edit(s)" if c.tier == 3 else ""
            lines.append(f"  {s.key}  {s.name}  {s.kind} {s.country}  {c.named.layer} {c.named.how}"
                         f"  score {c.score:.2f}{edit}  {where}")  # fmt: skip
        match = self._decide(query, ranked)
        unc = match.uncertainty_m
        radius = f"{unc / 1000:.1f} km" if math.isfinite(unc) else "unknown"
        flag = ", AMBIGUOUS" if match.ambiguous else ""
        lines.append(f"answer: {match.site.key} ({match.layer}, score {match.score:.2f}, "
                     f"uncertainty {radius}){flag}")  # fmt: skip
        return "\n".join(lines)

    def _online_geocoder(self) -> OnlineGeocoder:
        if self._geocoder is None:
            from gazetteer.online import OnlineGeocoder

            self._geocoder = OnlineGeocoder(user_agent=self.user_agent)
        return self._geocoder
