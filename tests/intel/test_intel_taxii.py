"""TAXII 2.1 against real peers: taxii2-client against our server, our client against medallion.

Both servers run in a thread on 127.0.0.1 on a free port and stop at the end of the test.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lurewatch.intel.repository import INBOX_COLLECTION, PUBLISH_COLLECTION, publish
from lurewatch.intel.stix_out import build_bundle, watchlist_bundle
from lurewatch.store import Store
from lurewatch.watchlist.repository import list_entries
from lurewatch.watchlist.seeds import SEED_ENTRIES

uvicorn = pytest.importorskip("uvicorn")
taxii21 = pytest.importorskip("taxii2client.v21")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # a thread cannot own signals
        pass


@pytest.fixture()
def taxii_server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    from lurewatch.intel.taxii_server import basic_auth, create_taxii_app

    store = Store(f"sqlite:///{tmp_path / 'taxii.db'}")
    port = _free_port()
    app = create_taxii_app(store, auth=basic_auth("analyst", "s3cret"))
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def _account_bundle() -> dict:
    accounts = [
        {
            "id": f"a{i}",
            "name": f"Persona {i}",
            "username": f"persona-{i}",
            "profile_url": f"https://www.linkedin.com/in/persona-{i}",
        }
        for i in range(30)
    ]
    assessments = {
        a["id"]: {"score": 0.9, "level": "high", "model": "rules-v1", "evidence": []}
        for a in accounts
    }
    return build_bundle(accounts=accounts, assessments=assessments, entries=SEED_ENTRIES)


def test_taxii2_client_reads_and_pages_our_server(taxii_server: tuple[str, Store]) -> None:
    base, store = taxii_server
    bundle = _account_bundle()
    added, _ = publish(store, bundle)
    assert added == len(bundle["objects"])

    server = taxii21.Server(f"{base}/taxii2/", user="analyst", password="s3cret")
    assert server.title.startswith("lurewatch")
    (root,) = server.api_roots
    assert root.versions == ["application/taxii+json;version=2.1"]
    cols = {c.id: c for c in root.collections}
    assert set(cols) == {PUBLISH_COLLECTION, INBOX_COLLECTION}
    pub = cols[PUBLISH_COLLECTION]
    assert pub.can_read and not pub.can_write

    pages = list(taxii21.as_pages(pub.get_objects, per_request=25))
    assert len(pages) > 1  # paged with limit/next
    ids = [o["id"] for p in pages for o in p.get("objects", [])]
    assert len(ids) == len(set(ids)) == len(bundle["objects"])

    one = pub.get_objects(limit=5, type="campaign")  # match[type]
    assert one.get("objects", []) == []
    idents = pub.get_objects(type="identity")
    assert {o["type"] for o in idents["objects"]} == {"identity"}

    # added_after: nothing newer than the last object's date_added
    raw = pub._conn.session.get(
        pub.objects_url,
        headers={"Accept": "application/taxii+json;version=2.1"},
        auth=("analyst", "s3cret"),
    )
    assert raw.headers["Content-Type"] == "application/taxii+json;version=2.1"
    last = raw.headers["X-TAXII-Date-Added-Last"]
    assert pub.get_objects(added_after=last).get("objects", []) == []


def test_our_server_refuses_bad_auth_media_type_and_readonly_pushes(
    taxii_server: tuple[str, Store],
) -> None:
    import requests

    base, _ = taxii_server
    taxii = "application/taxii+json;version=2.1"
    r = requests.get(f"{base}/taxii2/", headers={"Accept": taxii}, timeout=5)
    assert r.status_code == 401 and r.headers["Content-Type"] == taxii
    r = requests.get(
        f"{base}/taxii2/", headers={"Accept": "text/html"}, auth=("analyst", "s3cret"), timeout=5
    )
    assert r.status_code == 406
    r = requests.get(
        f"{base}/taxii2/",
        headers={"Accept": "application/taxii+json;version=2.0"},
        auth=("analyst", "s3cret"),
        timeout=5,
    )
    assert r.status_code == 406
    url = f"{base}/taxii2/api1/collections/{PUBLISH_COLLECTION}/objects/"
    r = requests.post(
        url,
        data="{}",
        headers={"Accept": taxii, "Content-Type": taxii},
        auth=("analyst", "s3cret"),
        timeout=5,
    )
    assert r.status_code == 403
    inbox = f"{base}/taxii2/api1/collections/{INBOX_COLLECTION}/objects/"
    r = requests.post(
        inbox,
        data="not json",
        headers={"Accept": taxii, "Content-Type": taxii},
        auth=("analyst", "s3cret"),
        timeout=5,
    )
    assert r.status_code == 422 and "not valid JSON" in r.json()["description"]
    r = requests.get(
        f"{base}/taxii2/api1/collections/nope/",
        headers={"Accept": taxii},
        auth=("analyst", "s3cret"),
        timeout=5,
    )
    assert r.status_code == 404 and r.json()["http_status"] == "404"


def test_taxii2_client_pushes_into_our_inbox_and_feeds_the_watchlist(
    taxii_server: tuple[str, Store],
) -> None:
    base, store = taxii_server
    with store.write() as conn:
        from lurewatch.watchlist.repository import remove_entry

        for e in SEED_ENTRIES:
            remove_entry(conn, e.id)
    col = taxii21.Collection(
        f"{base}/taxii2/api1/collections/{INBOX_COLLECTION}/", user="analyst", password="s3cret"
    )
    bundle = watchlist_bundle(SEED_ENTRIES[:3])
    bundle["objects"].append(
        {
            "type": "x-agency-note",
            "id": "x-agency-note--0b4ba1d8-3f8e-4b62-8a5f-57a4c1b1d0a1",
            "text": "kept",
        }
    )
    status = col.add_objects(json.dumps({"objects": bundle["objects"]}))
    assert (
        status.status == "complete"
        and status.success_count == len(bundle["objects"])
        and status.failure_count == 0
    )
    got = col.get_objects()["objects"]
    assert any(o["type"] == "x-agency-note" for o in got)  # unknown type kept
    with store.read() as conn:
        assert {e.id for e in list_entries(conn)} == {e.id for e in SEED_ENTRIES[:3]}
    versions = col.object_versions(SEED_ENTRIES[0] and got[0]["id"])
    assert versions["versions"]


@pytest.fixture()
def medallion_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    pytest.importorskip("medallion")
    import medallion
    from werkzeug.serving import make_server

    port = _free_port()
    col_id = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
    base = f"http://127.0.0.1:{port}"
    # medallion 3.0 reads an object's `version` property as a timestamp, which breaks on
    # extension-definition objects (their `version` is "1.0.0"): leave those out of this peer.
    seed = [
        o
        for o in watchlist_bundle(SEED_ENTRIES[:2])["objects"]
        if o["type"] != "extension-definition"
    ]
    data = {
        "/discovery": {
            "title": "medallion peer",
            "description": "test peer",
            "default": f"{base}/api1/",
            "api_roots": [f"{base}/api1/"],
        },
        "api1": {
            "information": {
                "title": "peer api root",
                "description": "",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 9765625,
            },
            "status": [],
            "collections": [
                {
                    "id": col_id,
                    "title": "agency feed",
                    "description": "",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": seed,
                    "manifest": [
                        {
                            "id": o["id"],
                            "date_added": "2025-01-01T00:00:00.000000Z",
                            "version": o["modified"],
                            "media_type": "application/stix+json;version=2.1",
                        }
                        for o in seed
                    ],
                }
            ],
        },
    }
    data_file = tmp_path / "medallion-data.json"
    data_file.write_text(json.dumps(data), encoding="utf-8")
    config = {
        "backend": {
            "module_class": "MemoryBackend",
            "module": "medallion.backends.memory_backend",
            "filename": str(data_file),
        },
        "users": {"peer": "peerpass"},
        "taxii": {"max_page_size": 100},
    }
    config_file = tmp_path / "medallion.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    app = medallion.load_app(str(config_file))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/api1/", col_id
    server.shutdown()
    thread.join(timeout=10)


def test_our_client_pulls_from_and_pushes_to_medallion(
    medallion_server: tuple[str, str], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from lurewatch.cli.main import cli
    from lurewatch.intel.taxii_client import collection_url, discover, pull, push

    api_root, col_id = medallion_server
    found = discover(api_root.replace("/api1/", "/taxii2/"), user="peer", password="peerpass")
    assert [c["id"] for c in found] == [col_id]
    url = collection_url(api_root, col_id)
    pulled = pull(url, user="peer", password="peerpass")
    assert {
        o["name"] for o in pulled if o["type"] == "identity" and o.get("identity_class") != "system"
    } >= {
        SEED_ENTRIES[0].name,
        SEED_ENTRIES[1].name,
    }

    ours = [o for o in _account_bundle()["objects"] if o["type"] != "extension-definition"][:40]
    totals = push(url, ours, user="peer", password="peerpass")
    # the producer identity is already in the peer's seed data: medallion refuses that one version
    assert totals["success_count"] == 39 and totals["failure_count"] == 1
    again = {o["id"] for o in pull(url, user="peer", password="peerpass")}
    assert {o["id"] for o in ours} <= again

    db = str(tmp_path / "pull.db")
    result = CliRunner().invoke(
        cli,
        [
            "intel",
            "pull",
            api_root,
            "--collection",
            col_id,
            "--user",
            "peer",
            "--password",
            "peerpass",
        ],
        env={"LUREWATCH_DB": db},
    )
    assert result.exit_code == 0, result.output
    assert "stored" in result.output
    bad = CliRunner().invoke(
        cli,
        [
            "intel",
            "pull",
            api_root,
            "--collection",
            col_id,
            "--user",
            "peer",
            "--password",
            "wrong",
        ],
        env={"LUREWATCH_DB": db},
    )
    assert bad.exit_code != 0
