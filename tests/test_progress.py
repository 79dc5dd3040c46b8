"""Progress bars: drawn for long work on a terminal, never in pipes or CI logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.extract import ARTICLES_FOR_A_BAR, extract_from_files
from geomap.progress import PROGRESS_THRESHOLD, is_enabled, progress


def test_no_bar_when_piped_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEOMAP_PROGRESS", raising=False)
    monkeypatch.setenv("CI", "true")
    assert not is_enabled()
    assert progress(range(PROGRESS_THRESHOLD)) == range(PROGRESS_THRESHOLD)


def test_bar_on_long_work_when_forced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEOMAP_PROGRESS", "1")
    assert sum(progress(range(PROGRESS_THRESHOLD), desc="rows")) == sum(range(PROGRESS_THRESHOLD))
    assert "rows" in capsys.readouterr().err
    assert list(progress(range(3), desc="small")) == [0, 1, 2]
    assert "small" not in capsys.readouterr().err


def test_extracting_many_articles_shows_a_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEOMAP_PROGRESS", "1")
    paths = []
    for i in range(ARTICLES_FOR_A_BAR):
        path = tmp_path / f"a{i}.txt"
        path.write_text("Iranian artillery shelled villages near Sidakan on 3 May 2021.\n")
        paths.append(str(path))
    events = extract_from_files(paths)
    assert len(events) >= 1
    assert "extracting" in capsys.readouterr().err
