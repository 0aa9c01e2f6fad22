"""Headless Chromium (Debian's, through Playwright) through check → report → triage → decide → audit.

Saves screenshots (to docs/screenshots/ with LUREWATCH_SCREENSHOTS=1; sample data only: invented people). Fails if any
JavaScript dialog opens: the XSS payloads typed into the forms must never execute.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import PASSWORD

from lurewatch.web import create_app

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LUREWATCH_CHROMIUM", "/usr/bin/chromium")
# Screenshots go to docs/screenshots/ only when asked (LUREWATCH_SCREENSHOTS=1), so a test run
# leaves the work tree clean; otherwise to a temporary folder.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("LUREWATCH_SCREENSHOTS") == "1"
    else Path(os.environ.get("TMPDIR", "/tmp")) / "lurewatch-screenshots"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS = '<img src=x onerror="alert(1)">'
LURE = (
    "Dear Dr Keller, I lead research at a think tank in Shanghai. Our client in Asia pays a generous "
    "honorarium for short reports on energy policy developments, and covers flights and hotel for a seminar. "
    f"Can we continue on WeChat? {XSS}"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(world: Any) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(world.settings, world.store),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_check_report_triage_decide_audit_in_chromium(live_server: str, world: Any) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (source .ci/services.sh)")
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        # 1. anyone checks a message
        page.goto(f"{live_server}/check")
        page.fill("#check-message input[name=sender_name]", f"王伟 (Wang Wei) {XSS}")
        page.fill("#check-message textarea[name=text]", LURE)
        page.click("#check-message button[type=submit]")
        expect(page.locator("#result .verdict")).to_be_visible()
        expect(page.locator("#result mark").first).to_be_visible()
        assert page.locator("#result img").count() == 0  # the payload is text, not an element
        page.screenshot(path=str(SHOTS / "check.png"), full_page=True)

        # 2. a member reports it
        _login(page, live_server, world.email("Org A", "member"))
        page.goto(f"{live_server}/report")
        page.fill("input[name=sender_name]", "王伟 Wang Wei")
        page.fill("input[name=company]", f"Center for Sino-Europe Development Studies {XSS}")
        page.fill("input[name=account_id]", "li:in/demo-grace-lin-hr")
        page.fill("textarea[name=message_text]", LURE)
        page.fill(
            "textarea[name=note]", "Arrived after I accepted the invitation; asks for WeChat."
        )
        page.set_input_files(
            "input[name=file]",
            files=[{"name": f"{XSS}.txt", "mimeType": "text/plain", "buffer": LURE.encode()}],
        )
        page.click("#report-form button[type=submit]")
        expect(page.locator("#report-done")).to_be_visible()
        page.screenshot(path=str(SHOTS / "report.png"), full_page=True)
        _logout(page)

        # 3. an analyst triages and decides
        _login(page, live_server, world.email("Org A", "analyst"))
        page.goto(f"{live_server}/cases")
        page.click("#sync button[type=submit]")
        expect(page.locator("#cases")).to_be_visible()
        page.screenshot(path=str(SHOTS / "cases.png"), full_page=True)
        page.locator("#cases a", has_text="report:").first.click()
        expect(page.locator("h1")).to_contain_text("Case #")
        page.select_option("#assign select[name=assignee]", world.email("Org A", "analyst"))
        page.click("#assign button[type=submit]")
        page.fill(
            "#comment textarea[name=comment]",
            f"Matches the BfV 2017 list of cover organisations. {XSS}",
        )
        page.click("#comment button[type=submit]")
        page.check("#decide input[value=remove]")
        page.fill(
            "#decide textarea[name=reason]",
            "Cover persona of a published front organisation; lure template sent to ministry staff.",
        )
        page.click("#decide button[type=submit]")
        audit = page.locator("#audit")
        expect(audit).to_contain_text("decided")
        expect(audit).to_contain_text("Cover persona of a published front organisation")
        for action in ("opened", "report_added", "assigned", "commented"):
            expect(audit).to_contain_text(action)
        expect(page.locator("#warn")).to_be_visible()
        with page.expect_download() as download:
            page.click("#export")
        assert download.value.suggested_filename.endswith("-approached.csv")
        expect(page.locator("#audit")).to_contain_text("decided")
        page.screenshot(path=str(SHOTS / "case.png"), full_page=True)

        # 4. the analyst's views
        page.goto(f"{live_server}/dashboard")
        expect(page.locator("svg.chart").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
        page.goto(f"{live_server}/accounts/li:in/demo-grace-lin-hr")
        expect(page.locator("svg.network")).to_be_visible()
        page.screenshot(path=str(SHOTS / "account.png"), full_page=True)
        page.goto(f"{live_server}/campaigns")
        first = page.locator("#campaigns a").first
        if first.count():
            first.click()
            expect(page.locator("svg.network")).to_be_visible()
            page.screenshot(path=str(SHOTS / "campaign.png"), full_page=True)
        context.close()
        browser.close()
    assert dialogs == [], f"a script ran: {dialogs}"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_load_state()
    assert not re.search(r"/login", page.url), page.url


def _logout(page: Any) -> None:
    page.click("header form button")
    page.wait_for_load_state()
