"""The examples in the docstrings run, against the installed packages.

Running them here (rather than with ``--doctest-modules`` over the source tree)
checks the package that ``pip install`` put in place, whose data files are the
ones users get.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import gazetteer
import geomap

PACKAGES = (geomap, gazetteer)
MODULES = sorted(
    info.name
    for package in PACKAGES
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    if not info.name.endswith("__main__")
) + [package.__name__ for package in PACKAGES]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_public_functions_have_examples() -> None:
    missing = [
        name
        for name in (
            "classify",
            "read_events",
            "write",
            "load_frontier",
            "render_map",
            "extract_events",
        )
        if ">>>" not in (getattr(geomap, name).__doc__ or "")
    ]
    assert not missing, f"no docstring example in: {missing}"
