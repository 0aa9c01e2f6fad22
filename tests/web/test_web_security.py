"""XSS attempts in every untrusted field never reach a page unescaped; bad uploads get a message."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from web_helpers import csrf_of, login

from lurewatch.records import record_from_dict
from lurewatch.store import queries

PAYLOADS = [
    "<script>alert('x1')</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg/onload=alert(3)>",
    "javascript:alert(4)",
    "</textarea><script>alert(5)</script>",
    "{{ 7*7 }}<b>bold</b>",
]
DANGEROUS = re.compile(
    r"<script>alert|<img src=x|<svg/onload|</textarea><script>|<b>bold</b>", re.I
)


def assert_escaped(html: str, payload: str) -> None:
    assert not DANGEROUS.search(html), f"unescaped markup for {payload!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_check_page_escapes_message_and_quoted_evidence(client: TestClient, payload: str) -> None:
    token = csrf_of(client.get("/check").text)
    text = f"{payload} Our client in Asia pays a generous fee {payload} for reports. WhatsApp me {payload}"
    r = client.post(
        "/check",
        data={
            "csrf_token": token,
            "kind": "message",
            "text": text,
            "sender_name": payload,
            "subject": payload,
        },
    )
    assert r.status_code == 200
    assert 'id="result"' in r.text
    assert_escaped(r.text, payload)
    r = client.post(
        "/check",
        data={
            "csrf_token": token,
            "kind": "account",
            "name": payload,
            "headline": payload,
            "company": payload,
            "about": payload,
        },
    )
    assert_escaped(r.text, payload)


def test_stored_names_companies_texts_and_file_names_are_escaped_everywhere(app, world) -> None:  # noqa: ANN001
    evil = PAYLOADS[1]
    bad_id = "x<script>alert(9)</script>"
    with world.store.write() as conn:
        queries.save_records(
            conn,
            [
                record_from_dict(
                    {
                        "kind": "account",
                        "id": bad_id,
                        "name": evil,
                        "company": PAYLOADS[0],
                        "headline": PAYLOADS[2],
                        "about": PAYLOADS[4],
                    }
                ),
                record_from_dict(
                    {
                        "kind": "account",
                        "id": "victim-1",
                        "name": PAYLOADS[0],
                        "company": PAYLOADS[2],
                    }
                ),
                record_from_dict(
                    {
                        "kind": "message",
                        "id": "evil-m",
                        "sender": bad_id,
                        "recipients": ["victim-1"],
                        "text": f"{evil} we pay well for reports, WhatsApp",
                        "sent_at": "2026-10-01",
                    }
                ),
            ],
        )
    from lurewatch.engine.service import analyze

    analyze(world.store, world.settings)
    with TestClient(app, follow_redirects=False) as member:
        token = login(member, world.email("Org A", "member"))
        r = member.post(
            "/report",
            data={
                "csrf_token": token,
                "sender_name": evil,
                "company": PAYLOADS[0],
                "account_id": bad_id,
                "message_text": PAYLOADS[4],
                "note": PAYLOADS[2],
            },
            files={"file": ('"><img src=x onerror=alert(1)>.txt', b"hello", "text/plain")},
        )
        assert r.status_code == 200
        assert_escaped(r.text, "report form")
        assert_escaped(member.get("/reports").text, "reports")
    with TestClient(app, follow_redirects=False) as analyst:
        token = login(analyst, world.email("Org A", "analyst"))
        analyst.post("/cases/sync", data={"csrf_token": token, "min_level": "medium"})
        queue = analyst.get("/cases?status=all")
        assert_escaped(queue.text, "cases")
        for case_id in set(re.findall(r'href="/cases/(\d+)"', queue.text)):
            analyst.post(
                f"/cases/{case_id}/comment", data={"csrf_token": token, "comment": PAYLOADS[0]}
            )
            page = analyst.get(f"/cases/{case_id}")
            assert_escaped(page.text, f"case {case_id}")
        for path in (
            "/dashboard",
            "/assessments",
            "/assessments?kind=message",
            f"/accounts/{bad_id}",
            "/accounts/victim-1",
            "/reports",
            "/campaigns",
        ):
            page = analyst.get(path)
            assert page.status_code == 200, path
            assert_escaped(page.text, path)
        csv_rows = [
            analyst.get(f"/cases/{c}/approached.csv").text
            for c in set(re.findall(r'href="/cases/(\d+)"', queue.text))
        ]
        assert not any("\n=" in rows or ",=" in rows for rows in csv_rows)


def test_error_pages_escape_the_path(client: TestClient) -> None:
    r = client.get("/campaigns/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code in (303, 404)
    assert "<script>alert(1)" not in r.text


# ------------------------------------------------------------------ uploads


def _report(client: TestClient, token: str, name: str, content: bytes, **fields: str):  # noqa: ANN202
    return client.post(
        "/report",
        data={"csrf_token": token, **fields},
        files={"file": (name, content, "application/octet-stream")},
    )


def test_report_uploads_wrong_type_binary_text_and_oversize_are_refused_with_a_message(
    client: TestClient, world
) -> None:  # noqa: ANN001
    token = login(client, world.email("Org A", "member"))
    r = _report(client, token, "run-me.exe", b"MZ\x90\x00")
    assert r.status_code == 400 and "not an accepted type" in r.text and "run-me.exe" in r.text
    r = _report(client, token, "message.txt", b"\xff\xfe\x00\x00binary")
    assert r.status_code == 400 and "not UTF-8 text" in r.text
    r = _report(client, token, "big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 + 10))
    assert r.status_code == 400 and "limit" in r.text
    r = _report(client, token, "../../etc/passwd.txt", b"the message")
    assert (
        r.status_code == 200
        and "passwd.txt" in r.text
        and "../" not in r.text.split('id="report-done"')[1][:600]
    )
    r = client.post("/report", data={"csrf_token": token})
    assert r.status_code == 400 and "is empty" in r.text


def test_report_api_and_ingest_api_size_limits(world) -> None:  # noqa: ANN001
    from lurewatch.web import create_app

    app = create_app(world.settings, world.store, max_body=10_000, max_upload=50_000)
    h = {"Authorization": f"Bearer {world.keys[('Org A', 'analyst')]}"}
    with TestClient(app) as c:
        r = c.post("/api/v1/reports", json={"message_text": "x" * 20_000}, headers=h)
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        r = c.post(
            "/api/v1/ingest",
            files={"files": ("feed.jsonl", b"{}\n" * 30_000, "application/x-ndjson")},
            headers=h,
        )
        assert r.status_code == 413 and "50,000" in r.json()["error"]["message"]


def test_ingest_refuses_a_zip_with_path_traversal(client: TestClient, world) -> None:  # noqa: ANN001
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../evil/messages.csv", "FROM,TO,CONTENT\nx,y,z\n")
    h = {"Authorization": f"Bearer {world.keys[('Org A', 'admin')]}"}
    r = client.post(
        "/api/v1/ingest",
        files={"files": ("export.zip", buf.getvalue(), "application/zip")},
        headers=h,
    )
    assert r.status_code == 200
    body = r.json()
    assert body["rejected"] >= 1 and sum(body["sources"][0]["added"].values()) == 0
