"""Read news articles: plain text, Markdown or HTML reduced to the article's own text.

HTML goes through trafilatura (the article body without menus, comments and
boilerplate), falling back to the text of the page's ``<body>`` through lxml.
The publication date comes from the caller, else an HTML meta tag
(``article:published_time``, ``datePublished``, ``DC.date.issued``, ...), else
a dateline near the top of the text. Binary and unreadable files raise
:class:`~geomap.errors.InputError` with a one-line reason.

Examples
--------
>>> article = article_from_text("ERBIL, Oct 2, 2017 – Drills began.", name="a.txt")
>>> article.name, article.published
('a.txt', datetime.date(2017, 10, 2))
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from geomap._extract_dates import find_dates, parse_published
from geomap.errors import InputError

__all__ = ["MAX_CHARS", "Article", "article_from_html", "article_from_text", "read_article"]

#: Characters of text kept per article; the rest is ignored (a news article is far shorter).
MAX_CHARS: Final = 200_000
#: Bytes read from a file at most.
_MAX_BYTES: Final = 20_000_000
_HTML_SUFFIXES: Final = (".html", ".htm", ".xhtml")
_META_DATES: Final = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "og:article:published_time",
)
_DATELINE_LINES: Final = 8
_UPDATE: Final = re.compile(r"\b(?:updated?|last\s+update|modified|copyright|©)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One news article: its name (file name or URL), text and publication date if known."""

    name: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None


def read_article(path: str | Path, *, published: str | date | None = None) -> Article:
    """Read an article file (.txt, .md, .html, .htm); ``"-"`` reads standard input.

    Raises
    ------
    InputError
        The file is missing, a directory, binary, or not decodable text.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "x.txt"
    ...     _ = p.write_bytes(b"Drills began near Penjwen.")
    ...     read_article(p).text
    'Drills began near Penjwen.'
    """
    if str(path) == "-":
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        raw = stream.read(_MAX_BYTES)
        text = raw if isinstance(raw, str) else _decode(raw, "<stdin>")
        if _looks_like_html(text):
            return article_from_html(text, name="<stdin>", published=published)
        return article_from_text(text, name="<stdin>", published=published)
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(_MAX_BYTES)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not an article") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    text = _decode(data, name)
    if path.suffix.lower() in _HTML_SUFFIXES or _looks_like_html(text):
        return article_from_html(text, name=path.name, published=published)
    return article_from_text(text, name=path.name, published=published)


def article_from_text(text: str, *, name: str, published: str | date | None = None) -> Article:
    """An article from plain text; the date from ``published``, else a dateline.

    Examples
    --------
    >>> article_from_text("By A. Writer December 6, 2023\\nTalks were held.", name="x").published
    datetime.date(2023, 12, 6)
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_CHARS]
    when = parse_published(published) or _dateline_date(text)
    return Article(name=name, text=text, published=when)


def article_from_html(html: str, *, name: str, published: str | date | None = None) -> Article:
    """An article from an HTML page: its main text, title, URL and publication date.

    Examples
    --------
    >>> page = ('<html><head><meta property="article:published_time" content="2022-11-15T09:00Z">'
    ...         '</head><body><article><p>Drones struck camps near Koya on Monday.</p></article>'
    ...         '</body></html>')
    >>> art = article_from_html(page, name="p.html")
    >>> art.published, "Koya" in art.text
    (datetime.date(2022, 11, 15), True)
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, TypeError, etree.ParserError) as exc:  # empty documents, encodings
        raise InputError(f"{name}: not a readable HTML page ({exc})") from None
    when = parse_published(published) or _meta_date(tree)
    body = _main_text(html, tree)
    when = when or _dateline_date(body)
    title = _first(tree.xpath("//title/text()"))
    url = _first(tree.xpath("//link[@rel='canonical']/@href")) or _first(
        tree.xpath("//meta[@property='og:url']/@content")
    )
    return Article(name=name, text=body[:MAX_CHARS], published=when, url=url, title=title)


def _first(values: list[Any]) -> str | None:
    for value in values:
        text = str(value).strip()
        if text:
            return text
    return None


def _main_text(html: str, tree: Any) -> str:
    import trafilatura

    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=False, deduplicate=False
    )
    if extracted and extracted.strip():
        return str(extracted)
    for element in tree.xpath("//script|//style|//noscript|//nav|//footer|//header"):
        element.drop_tree()
    body = tree.find("body")
    text = (body if body is not None else tree).text_content()
    lines = (" ".join(line.split()) for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


def _meta_date(tree: Any) -> date | None:
    metas = {}
    for meta in tree.xpath("//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta.get("content")
    for key in _META_DATES:
        when = parse_published(metas.get(key))
        if when is not None:
            return when
    for value in tree.xpath("//time/@datetime|//*[@itemprop='datePublished']/@content"):
        when = parse_published(str(value))
        if when is not None:
            return when
    return None


def _dateline_date(text: str) -> date | None:
    """A full date on one of the first short lines that is not an "updated" stamp."""
    for line in text.split("\n", _DATELINE_LINES)[:_DATELINE_LINES]:
        if len(line) > 160 or _UPDATE.search(line):
            continue
        for mention in find_dates(line, None):
            iso, precision = mention.value
            if precision == "day":
                return date.fromisoformat(iso)
    return None


def _looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _decode(data: bytes, name: str) -> str:
    """Text from bytes (UTF-8/16 with BOM, UTF-8, else cp1252); binary data raises InputError."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {codec} text") from None
    sample = data[:8192]
    if b"\x00" in sample or _control_share(sample) > 0.1:
        raise InputError(f"{name}: binary file, not a text or HTML article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{name}: cannot decode the text as UTF-8 or cp1252") from None
    return text


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample)
