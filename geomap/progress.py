"""Progress bars for long work: shown on a terminal, never in pipes or CI logs.

Every step that loops over many rows, chunks or files (reading, classifying,
extracting, rendering) wraps its loop in :func:`progress` or updates a
:func:`progress_bar`. A bar appears only when all of these hold:

* the work is large: at least :data:`PROGRESS_THRESHOLD` units, or of unknown size;
* standard error is a terminal (not a pipe, file or notebook capture);
* no CI variable is set (``CI``, ``GITHUB_ACTIONS``, ``GITLAB_CI``, ``BUILDKITE``,
  ``TF_BUILD``, ``JENKINS_URL``);
* ``GEOMAP_PROGRESS`` is not ``0`` (set it to ``1`` to force bars on).

tqdm is imported only when a bar is really drawn.

Examples
--------
>>> list(progress(range(3), desc="rows"))   # small, or not a terminal: no bar
[0, 1, 2]
>>> with progress_bar(total=10, desc="chunks") as bar:
...     bar.update(10)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Final, Protocol, TextIO, TypeVar

__all__ = ["PROGRESS_THRESHOLD", "ProgressBar", "is_enabled", "progress", "progress_bar"]

T = TypeVar("T")

#: Work smaller than this many units (rows, chunks) never shows a bar.
PROGRESS_THRESHOLD: Final = 5_000

_CI_VARIABLES: Final = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")


class ProgressBar(Protocol):
    """What a bar offers: ``update(n)`` after each finished piece of work."""

    def update(self, n: float = 1) -> object:
        """Advance the bar by ``n`` units."""
        ...


class _NoBar:
    """A bar that draws nothing."""

    def update(self, n: float = 1) -> None:
        """Do nothing."""


def is_enabled(stream: TextIO | None = None) -> bool:
    """Whether a bar may be drawn on ``stream`` (default: standard error).

    Examples
    --------
    >>> import io
    >>> is_enabled(io.StringIO())
    False
    """
    setting = os.environ.get("GEOMAP_PROGRESS", "").strip()
    if setting == "0":
        return False
    if setting == "1":
        return True
    if any(os.environ.get(name) for name in _CI_VARIABLES):
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or unusual streams
        return False


def _wanted(total: int | None, threshold: int) -> bool:
    return (total is None or total >= threshold) and is_enabled()


def progress(
    iterable: Iterable[T],
    *,
    total: int | None = None,
    desc: str | None = None,
    unit: str = "rows",
    threshold: int = PROGRESS_THRESHOLD,
) -> Iterable[T]:
    """Wrap ``iterable`` in a progress bar when the work is large and a person is watching.

    Parameters
    ----------
    iterable : iterable
        The work.
    total : int, optional
        Number of items; taken from ``len(iterable)`` when it has one.
    desc, unit : str
        Label and unit shown on the bar.
    threshold : int
        Smallest ``total`` that shows a bar.

    Examples
    --------
    >>> sum(progress([1, 2, 3], desc="adding"))
    6
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    if not _wanted(total, threshold):
        return iterable
    from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

    bar: Iterable[T] = tqdm(
        iterable, total=total, desc=desc, unit=unit, unit_scale=True, leave=False, file=sys.stderr
    )
    return bar


@contextmanager
def progress_bar(
    total: int | None,
    *,
    desc: str | None = None,
    unit: str = "rows",
    threshold: int = PROGRESS_THRESHOLD,
) -> Iterator[ProgressBar]:
    """A bar to ``update(n)`` by hand, e.g. after each chunk of a vectorised step.

    Examples
    --------
    >>> with progress_bar(total=1_000_000, desc="classify") as bar:
    ...     for _ in range(4):
    ...         bar.update(250_000)
    """
    if not _wanted(total, threshold):
        yield _NoBar()
        return
    from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

    bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False, file=sys.stderr)
    try:
        yield bar
    finally:
        bar.close()
