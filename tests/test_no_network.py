"""Nothing reaches the network unless the user asks (``--online``).

Every way out of the process — ``socket.connect``/``connect_ex``,
``socket.create_connection`` and name lookups — is replaced by a guard that
records the attempt and refuses it; the CLI's main commands run under it in
the test process, and two run in a subprocess whose guard is installed by a
``sitecustomize`` module. Control cases show the guard does catch a connection.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geomap.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"

GUARD = """
import os, socket

_LOG = os.environ["GEOMAP_NETWORK_LOG"]


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{what}\\n")
    raise ConnectionRefusedError(f"network blocked by the test guard: {what}")


def _connect(self, address, *args):
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address, *args)
    _refuse(f"connect {address!r}")


def _connect_ex(self, address, *args):
    if self.family == socket.AF_UNIX:
        return _real_connect_ex(self, address, *args)
    _refuse(f"connect_ex {address!r}")


_real_connect, _real_connect_ex = socket.socket.connect, socket.socket.connect_ex
socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
socket.create_connection = lambda address, *a, **k: _refuse(f"create_connection {address!r}")
socket.getaddrinfo = lambda host, *a, **k: _refuse(f"getaddrinfo {host!r}")
"""


@pytest.fixture
def network_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Install the guard in this process; the file it logs refused attempts to."""
    log = tmp_path / "network.log"
    log.touch()
    monkeypatch.setenv("GEOMAP_NETWORK_LOG", str(log))
    namespace: dict[str, Any] = {}
    real = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex")}
    saved = {name: getattr(socket, name) for name in ("create_connection", "getaddrinfo")}
    exec(GUARD, namespace)  # the same code the subprocess's sitecustomize runs
    try:
        yield log
    finally:
        for name, value in real.items():
            setattr(socket.socket, name, value)
        for name, value in saved.items():
            setattr(socket, name, value)


def article(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(
        "Iranian and Iraqi forces held joint drills with tanks near the Bashmakh crossing "
        "on 2 October 2017, the Kurdistan Region's customs chief said.\n",
        encoding="utf-8",
    )
    return path


COMMANDS = {
    "classify": ["classify", "-o", "{tmp}/events.geojson"],
    "classify-acled": ["classify", str(DATA / "acled_sample.csv"), "-o", "{tmp}/acled.gpkg"],
    "frontier": ["frontier", "-o", "{tmp}/frontier.gpkg"],
    "map": ["map", "-o", "{tmp}/map.html"],
    "map-offline": ["map", "--offline", "-o", "{tmp}/offline.html"],
    "map-article": ["map", "--offline", "{article}", "-o", "{tmp}/article.html"],
    "geocode": ["geocode", "Penjwen", "Haji Omaran"],
    "extract": ["extract", "{article}", "-o", "{tmp}/extracted.geojson"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_commands_make_no_connection(
    name: str, tmp_path: Path, network_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs = "extract" if "{article}" in COMMANDS[name] else COMMANDS[name][0]
    if needs not in main.commands:
        pytest.skip(f"no {needs} command yet")
    monkeypatch.setenv("GAZETTEER_CACHE_DIR", str(tmp_path / "cache"))
    args = [a.format(tmp=tmp_path, article=article(tmp_path)) for a in COMMANDS[name]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert network_log.read_text(encoding="utf-8") == ""


def test_online_geocoding_is_the_one_that_connects(
    tmp_path: Path, network_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: with --online a name no offline layer knows is looked up, and the guard sees it."""
    monkeypatch.setenv("GAZETTEER_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["geocode", "--online", "Qaladze Xyzzy Hamlet"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert network_log.read_text(encoding="utf-8"), "the guard saw nothing: it catches nothing"


def run_guarded(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": f"{guard}{os.pathsep}{ROOT}",
        "GEOMAP_NETWORK_LOG": str(tmp_path / "subprocess.log"),
        "GAZETTEER_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_subprocess_with_a_sitecustomize_guard(tmp_path: Path) -> None:
    log = tmp_path / "subprocess.log"
    out = tmp_path / "map.html"
    done = run_guarded(tmp_path, "-m", "geomap", "map", "--offline", "-o", str(out))
    assert done.returncode == 0, done.stderr
    done = run_guarded(tmp_path, "-m", "geomap", "classify", "-o", str(tmp_path / "e.csv"))
    assert done.returncode == 0, done.stderr
    assert not log.exists() or log.read_text(encoding="utf-8") == ""
    assert out.stat().st_size > 0
    # control: the guard is active in the subprocess
    probe = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    done = run_guarded(tmp_path, "-c", probe)
    assert done.returncode != 0 and "blocked by the test guard" in done.stderr
    assert "create_connection" in log.read_text(encoding="utf-8")
