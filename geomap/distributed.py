"""Classify event tables larger than memory, partition by partition, with dask.

:func:`classify_parquet` reads a (Geo)Parquet file or directory of parts, or
CSV files, in partitions with dask-geopandas; reads each partition with
:func:`geomap.read_events` and classifies it with :func:`geomap.classify` — the
code path of the in-memory engine, so the rows come out the same — and writes
one GeoParquet part per partition with :func:`geomap.write`. Only a few
partitions are in memory at a time.

The output is a directory of ``part.NNNNN.parquet`` files that
``geopandas.read_parquet`` and ``dask_geopandas.read_parquet`` read as one
table (the parts share one schema). It is written beside its final place and
renamed into place when every part is there: a failed run leaves the old
output as it was.

The scheduler is dask's: ``"threads"`` (default), ``"processes"``,
``"synchronous"`` (one thread, for debugging), or the address of a
``dask.distributed`` scheduler (``tcp://HOST:PORT``); with a cluster, input and
output paths must be visible to every worker.

Needs the ``dask`` extra: ``pip install 'geomap[dask]'``.

Examples
--------
>>> import tempfile, pathlib, geopandas as gpd
>>> from shapely import Point
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> events = gpd.GeoDataFrame({"id": ["a", "b", "c"]}, crs=4326,
...     geometry=[Point(45.97, 35.93), Point(42.57, 37.14), Point(44.0, 36.2)])
>>> events.to_parquet(tmp / "events.parquet")
>>> summary = classify_parquet(tmp / "events.parquet", tmp / "out", npartitions=2,
...                            scheduler="synchronous")
>>> summary.rows, summary.partitions, summary.unlocated
(3, 2, 0)
>>> gpd.read_parquet(tmp / "out")["segment"].tolist()
['IR-KRG', 'TR-KRG', 'TR-KRG']
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from geomap.errors import DependencyError, InputError, OutputError

if TYPE_CHECKING:
    from geomap.frontier import Frontier

__all__ = ["SCHEDULERS", "DaskSummary", "classify_parquet"]

#: dask's local schedulers; anything else must be a dask.distributed address.
SCHEDULERS: Final = ("threads", "processes", "synchronous")
#: Bytes of CSV per partition when none is given.
DEFAULT_BLOCKSIZE: Final = "64MB"

_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?[\w.\-\[\]:]+:\d+/?$")
_INSTALL = "the dask engine needs dask and dask-geopandas: pip install 'geomap[dask]'"


@dataclass(frozen=True)
class DaskSummary:
    """What :func:`classify_parquet` wrote."""

    rows: int
    unlocated: int
    partitions: int
    output: Path


def classify_parquet(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    frontier: Frontier | None = None,
    bands: Sequence[float] | str | None = None,
    format: str | None = None,
    npartitions: int | None = None,
    blocksize: str | int | None = None,
    scheduler: str = "threads",
) -> DaskSummary:
    """Classify a large event table partition by partition into a GeoParquet directory.

    Parameters
    ----------
    source : path
        A GeoParquet or Parquet file, a directory of parts, or a glob
        (``events/*.parquet``, ``events-*.csv``). Parquet without geometry
        and CSV need coordinate or place columns, as for :func:`geomap.read_events`.
    output : path
        The directory to write; replaced as a whole when the run succeeds.
    frontier : Frontier, optional
        The packaged frontier when None.
    bands : sequence of float or str, optional
        Band edges in km.
    format : str, optional
        Dataset format of the rows (``acled``, ``ucdp``, ...), as for
        :func:`geomap.read_events`; detected from the columns when None.
    npartitions : int, optional
        Repartition the input into this many partitions.
    blocksize : str or int, optional
        Bytes of CSV per partition (default 64MB).
    scheduler : str
        ``"threads"``, ``"processes"``, ``"synchronous"`` or a
        ``dask.distributed`` scheduler address such as ``tcp://10.0.0.5:8786``.

    Returns
    -------
    DaskSummary
        Rows written, rows that could not be located (kept, with ``problem``),
        partitions, and the output directory.

    Raises
    ------
    InputError
        Unreadable input, unknown scheduler, unreachable cluster.
    OutputError
        The output cannot be written.
    DependencyError
        dask or dask-geopandas is missing.
    """
    dask = _import_dask()
    target = _check_output(Path(output))
    compute_options, close = _scheduler(scheduler)
    try:
        frame = _read(str(source), format_hint=format, blocksize=blocksize)
        if npartitions is not None:
            if npartitions < 1:
                raise InputError(f"npartitions must be at least 1, not {npartitions}")
            frame = frame.repartition(npartitions=npartitions)
        if frontier is None:
            from geomap.frontier import load_frontier

            frontier = load_frontier()
        with _staging(target) as staging:
            shared = dask.delayed(frontier, pure=True)
            task = dask.delayed(_classify_part, pure=False)
            tasks = [
                task(part, number, str(staging), shared, bands, format)
                for number, part in enumerate(frame.to_delayed())
            ]
            counts = _compute(dask, tasks, compute_options, str(source))
            _unify_schemas(staging)
        return DaskSummary(
            rows=sum(c[0] for c in counts),
            unlocated=sum(c[1] for c in counts),
            partitions=len(counts),
            output=target,
        )
    finally:
        if close is not None:
            close()


def _import_dask() -> Any:
    try:
        import dask
        import dask.dataframe
        import dask_geopandas  # noqa: F401
    except ImportError:
        raise DependencyError(_INSTALL) from None
    return dask


# ----------------------------------------------------------------------------- scheduler


def _scheduler(name: str) -> tuple[dict[str, Any], Callable[[], None] | None]:
    """Keyword arguments for ``dask.compute`` and, for a cluster, how to disconnect."""
    if name in SCHEDULERS:
        return {"scheduler": name}, None
    if not _ADDRESS.match(name):
        msg = (
            f"unknown scheduler {name!r}: use threads, processes, synchronous "
            "or a dask.distributed address (tcp://HOST:PORT)"
        )
        raise InputError(msg)
    try:
        from distributed import Client
    except ImportError:
        msg = "a scheduler address needs dask.distributed: pip install distributed"
        raise DependencyError(msg) from None
    try:
        client = Client(name, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        msg = f"cannot reach the dask scheduler at {name}: {_first_line(exc)}"
        raise InputError(msg) from None
    return {"scheduler": client}, client.close


def _compute(
    dask: Any, tasks: list[Any], options: dict[str, Any], name: str
) -> list[tuple[int, int]]:
    """Run the partition tasks; reading errors of any partition become one InputError."""
    try:
        results: tuple[tuple[int, int], ...] = dask.compute(*tasks, **options)
    except (InputError, OutputError, DependencyError):
        raise
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise InputError(f"{name}: {_first_line(exc)}") from None
    return list(results)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ----------------------------------------------------------------------------- input


def _kind(source: str, format_hint: str | None) -> str:
    """ "parquet" or "csv", from the path (or the files in a directory)."""
    path = Path(source)
    names = [p.name for p in path.iterdir() if p.is_file()] if path.is_dir() else [path.name]
    suffixes = {Path(n).suffix.lower() for n in names if not n.startswith((".", "_"))}
    if suffixes & {".parquet", ".geoparquet", ".pq"}:
        return "parquet"
    if suffixes & {".csv", ".txt"} or format_hint in ("acled", "ucdp", "csv"):
        return "csv"
    msg = f"{source}: the dask engine reads Parquet/GeoParquet or CSV (by extension)"
    raise InputError(msg)


def _exists(source: str) -> bool:
    import glob

    # Path.glob takes no absolute patterns
    return Path(source).exists() or bool(glob.glob(source))  # noqa: PTH207


def _read(source: str, *, format_hint: str | None, blocksize: str | int | None) -> Any:
    """A dask (Geo)DataFrame of the input's rows."""
    import dask.dataframe as dd
    import dask_geopandas

    if not _exists(source):
        raise InputError(f"{source}: no such file or directory")
    kind = _kind(source, format_hint)
    try:
        if kind == "csv":
            return dd.read_csv(
                source, dtype=object, keep_default_na=False, na_filter=False,
                blocksize=blocksize or DEFAULT_BLOCKSIZE,
            )  # fmt: skip
        try:
            return dask_geopandas.read_parquet(source)
        except ValueError as exc:  # Parquet without GeoParquet metadata: plain columns
            if "geo" not in str(exc).lower():
                raise
            return dd.read_parquet(source)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"{source}: cannot read ({_first_line(exc)})") from None


# ----------------------------------------------------------------------------- one partition


def _classify_part(
    part: Any, number: int, directory: str, frontier: Frontier,
    bands: Sequence[float] | str | None, format: str | None,
) -> tuple[int, int]:  # fmt: skip
    """Read, classify and write one partition; (rows, rows not located)."""
    from geomap.classification import classify
    from geomap.readers import read_events
    from geomap.writers import write

    events = read_events(part, format=format)
    classified = classify(events, frontier, bands=bands)
    write(classified, Path(directory) / f"part.{number:05d}.parquet")
    unlocated = int(classified["problem"].notna().sum()) if "problem" in classified else 0
    return len(classified), unlocated


# ----------------------------------------------------------------------------- output


def _check_output(target: Path) -> Path:
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a directory (the dask engine writes one)")
    if not target.parent.resolve().is_dir():
        raise OutputError(f"{target}: directory {target.parent} does not exist")
    return target.parent.resolve() / target.name


@contextlib.contextmanager
def _staging(target: Path) -> Any:
    """A directory beside ``target`` to write into; swapped into place on success."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield staging
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target``; an old ``target`` is moved aside, then removed."""
    staging.chmod(0o777 & ~_umask())
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        staging.rename(target)
    except OSError as exc:
        if old is not None:
            old.rename(target)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unify_schemas(directory: Path) -> None:
    """Give every part the same schema (a column that is all null in one part is typed)."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    parts = sorted(directory.glob("part.*.parquet"))
    schemas = [pq.read_schema(p) for p in parts]
    if len({s.remove_metadata() for s in schemas}) <= 1:
        return
    try:
        unified = pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise OutputError(f"{directory}: partitions disagree on column types ({exc})") from None
    for path, schema in zip(parts, schemas, strict=True):
        if schema.remove_metadata().equals(unified.remove_metadata()):
            continue
        table = pq.read_table(path)
        columns = [pa.field(f.name, unified.field(f.name).type) for f in table.schema]
        cast = table.cast(pa.schema(columns, metadata=table.schema.metadata))
        pq.write_table(cast, path)
