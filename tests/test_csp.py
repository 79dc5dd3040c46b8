"""The offline page's Content-Security-Policy: only inline code and data: images, nothing remote.

Static checks read the HTML; the browser check loads the hostile-events page in
Debian's chromium, sees it draw without a single policy violation, and sees the
policy refuse ``eval`` and a remote request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _chromium as chromium
import pytest
from click.testing import CliRunner

from geomap.cli import main

DATA = Path(__file__).parent / "data"
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def page(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["map", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def policy_of(html: str) -> dict[str, list[str]]:
    found = META.findall(html)
    assert len(found) == 1, "exactly one policy"
    directives = [d.split() for d in found[0].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp") / "hostile.html"
    result = CliRunner().invoke(
        main, ["map", "--offline", str(DATA / "hostile_events.csv"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_offline_page_policy_comes_first_and_allows_nothing_remote(hostile_page: Path) -> None:
    html = hostile_page.read_text(encoding="utf-8")
    policy = policy_of(html)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'unsafe-inline'"]  # no 'unsafe-eval': eval is refused
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert policy["img-src"] == ["data:"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
    head = html[: html.index("</head>")]
    first_asset = min(head.index(tag) for tag in ("<script", "<style") if tag in head)
    assert head.index("Content-Security-Policy") < first_asset
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=|@import", html, re.I)


def test_offline_page_with_tiles_allows_https_images_only(tmp_path: Path) -> None:
    policy = policy_of(page(tmp_path, "--offline", "--tiles"))
    assert policy["img-src"] == ["data:", "https:"]
    assert policy["default-src"] == ["'none'"]


def test_online_page_has_no_policy(tmp_path: Path) -> None:
    assert "Content-Security-Policy" not in page(tmp_path)  # it loads folium's CDN assets


def test_page_code_has_no_eval() -> None:
    from geomap import assets

    code = assets.geomap_js()
    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|\.innerHTML\s*=|document\.write", code)
    assert not re.search(r"set(Timeout|Interval)\s*\(\s*['\"]", code)


# ----------------------------------------------------------------------------- in chromium

PROBE = """<script>
window.__probe = {violations: []};
document.addEventListener('securitypolicyviolation',
  function (e) { window.__probe.violations.push(e.violatedDirective); });
try { eval('6 * 7'); window.__probe.eval = 'ran'; } catch (e) { window.__probe.eval = e.name; }
var probeImage = new Image(); probeImage.src = 'https://tiles.example.org/1/2/3.png';
document.body.appendChild(probeImage);
</script>"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not chromium.available():
        pytest.skip("needs Debian chromium and chromium-driver")
    pytest.importorskip("selenium.webdriver")
    driver = chromium.start(tmp_path_factory.mktemp("profile"), {"browser": "ALL"})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.browser
def test_page_runs_under_its_policy_and_the_policy_bites(browser: Any, hostile_page: Path) -> None:
    html = hostile_page.read_text(encoding="utf-8")
    browser.get(hostile_page.as_uri())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = browser.execute_script(
            "return document.querySelectorAll('.leaflet-pane path, .leaflet-pane canvas').length"
        )
        if ready:
            break
        time.sleep(0.5)
    assert ready, "the map drew nothing"
    messages = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m], messages
    assert browser.title != "pwned"
    # The policy is live: a probe script appended to a copy of the page (scripts that
    # DevTools injects are exempt from the policy) finds eval refused and a remote image blocked.
    probed = hostile_page.with_name("probed.html")
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    browser.get(probed.as_uri())
    deadline = time.monotonic() + 30
    probe: dict[str, Any] = {}
    while time.monotonic() < deadline and "img-src" not in probe.get("violations", []):
        probe = browser.execute_script("return window.__probe") or {}
        time.sleep(0.2)
    assert probe["eval"] == "EvalError"
    assert probe["violations"] == ["script-src", "img-src"]  # the eval, the image
