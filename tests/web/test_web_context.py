"""The web upload (ingest + analyze through the API) treats the member as context, like `scan`."""

from __future__ import annotations

import csv
import io
import zipfile

from fastapi.testclient import TestClient
from web_helpers import api

from lurewatch.store import queries

OWNER_URL = "https://www.linkedin.com/in/ines-vidal-invented"
STRANGER_URL = "https://www.linkedin.com/in/marco-lenz-invented"
REFUSAL = (
    "Thank you, but I do not write paid reports for anyone, and I will not move to WhatsApp. "
    "Please stop offering me a paid trip to Shanghai, all expenses paid."
)
OPENER = "Hello Ines, I enjoyed your talk at the fair last month. Glad to connect."
MOVE = "Could we continue this conversation on WhatsApp? It is easier for me: +44 7700 900456"


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _archive() -> bytes:
    header = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO"]
    header += ["RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"]
    them = ["Marco Lenz", STRANGER_URL, "Ines Vidal", OWNER_URL]
    me = ["Ines Vidal", OWNER_URL, "Marco Lenz", STRANGER_URL]
    rows = [
        ["c1", "", *them, "2025-04-01 09:00:00 UTC", "", OPENER, "INBOX"],
        ["c1", "", *them, "2025-04-02 09:00:00 UTC", "", MOVE, "INBOX"],
        ["c1", "", *me, "2025-04-02 19:00:00 UTC", "", REFUSAL, "SENT"],
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "Profile.csv",
            _csv(["First Name", "Last Name", "Headline"], [["Ines", "Vidal", "Adviser"]]),
        )
        z.writestr("messages.csv", _csv(header, rows))
    return buffer.getvalue()


def test_web_upload_never_makes_the_member_a_suspect(client: TestClient, world) -> None:  # noqa: ANN001
    h = api(client, world, "Org A", "analyst")
    r = client.post(
        "/api/v1/ingest",
        headers=h,
        files={"files": ("export.zip", _archive(), "application/zip")},
    )
    assert r.status_code == 200, r.text
    assert client.post("/api/v1/analyze", headers=h).status_code == 200
    owner = client.get("/api/v1/accounts/li:in/ines-vidal-invented", headers=h).json()
    assert owner["assessment"]["level"] == "low" and owner["assessment"]["model"] == "context"
    sent = {m["text"]: m for m in owner["messages_sent"]}
    assert REFUSAL in sent
    with world.store.read() as conn:  # what the dashboard, the queue and cases read
        refusal = queries.get_assessment(conn, "message", sent[REFUSAL]["id"])
    assert refusal is not None
    assert refusal.level == "low" and refusal.model == "context"
    stranger = client.get("/api/v1/accounts/li:in/marco-lenz-invented", headers=h).json()
    assert stranger["assessment"]["level"] in {"medium", "high"}  # opener + WhatsApp conversation
