"""The templates plugin over a real store: analyze-time indexing (incremental), stored stats, check-time lookup."""

from __future__ import annotations

from sqlalchemy import func, select

from lurewatch.engine.plugins.templates import plugin
from lurewatch.records import record_from_dict
from lurewatch.settings import Settings
from lurewatch.signals.views import AccountView, message_view
from lurewatch.store import Store
from lurewatch.store.queries import save_records
from lurewatch.store.tables import templates as table

LURE = (
    "Dear {n}, I am a senior consultant at a research firm advising a client in Asia. We look for "
    "experts to write short reports on policy developments in your field. Well paid (${fee} per "
    "report), all travel expenses covered for a seminar in Shanghai. Add me on WhatsApp +44 7700 900{k:03d}."
)
NEWS = "Hi {n}, our monthly newsletter is out: new openings in engineering and finance, see our careers page."


def _records():
    recs = [
        {
            "kind": "account",
            "id": f"fake{s}",
            "name": f"Persona {s}",
            "created_at": "2025-01-01",
            "connections": 30,
        }
        for s in range(3)
    ]
    recs.append(
        {
            "kind": "account",
            "id": "hr",
            "name": "Big Corp HR",
            "created_at": "2010-01-01",
            "connections": 5000,
        }
    )
    recs += [
        {
            "kind": "message",
            "id": f"m{k:02d}",
            "sender": f"fake{k % 3}",
            "recipients": [f"t{k}"],
            "text": LURE.format(n=f"Person {k}", fee=1000 + k, k=k),
            "sent_at": f"2025-03-{k + 1:02d}",
        }
        for k in range(9)
    ]
    recs += [
        {
            "kind": "message",
            "id": f"n{k}",
            "sender": "hr",
            "recipients": [f"t{k}"],
            "text": NEWS.format(n=f"Person {k}"),
            "sent_at": f"2025-04-{k + 1:02d}",
        }
        for k in range(9)
    ]
    recs.append(
        {
            "kind": "message",
            "id": "solo",
            "sender": "t1",
            "recipients": ["t2"],
            "text": "Lunch on Friday?",
        }
    )
    return [record_from_dict(r) for r in recs]


def test_prepare_indexes_incrementally_and_detectors_explain(store_url):
    store = Store(store_url)
    with store.write() as conn:
        save_records(conn, _records())
    p = plugin(Settings(db_url=store_url), store)
    assert p is not None and p.order == 10
    p.prepare(lambda *a: None)
    with store.read() as conn:
        assert (
            conn.execute(select(func.count()).select_from(table.template_signatures)).scalar() == 19
        )
        stats = table.all_templates(conn)
    assert set(stats) == {"m00", "n0"}
    assert stats["m00"]["senders"] == 3 and stats["m00"]["recipients"] == 9

    lure_msg = next(r for r in _records() if r.id == "m04")
    news_msg = next(r for r in _records() if r.id == "n4")
    (ev,) = p.message_detectors[0](message_view(lure_msg))
    assert ev.signal == "template.mass_sent" and "9 recipients by 3 senders" in ev.explanation
    news = p.message_detectors[0](message_view(news_msg))
    assert (
        news and news[0].strength < ev.strength / 3
    )  # a legit sender's newsletter counts for little
    assert p.message_detectors[0](message_view(next(r for r in _records() if r.id == "solo"))) == []

    # a new text, not in the store (check): found through the stored signatures, verified on texts
    new = record_from_dict(
        {"kind": "message", "id": "new", "text": LURE.format(n="Eve", fee=2000, k=999)}
    )
    (hit,) = p.message_detectors[0](message_view(new))
    assert hit.values["template"] == "m00" and hit.values["jaccard"] >= 0.7
    account = next(r for r in _records() if r.id == "fake1")
    (acc_ev,) = p.account_detectors[0](AccountView(account=account))
    assert "2 other accounts" in acc_ev.explanation

    # incremental: one more message; only it is hashed
    with store.write() as conn:
        save_records(
            conn,
            [
                record_from_dict(
                    {
                        "kind": "message",
                        "id": "m99",
                        "sender": "fake0",
                        "recipients": ["t99"],
                        "text": LURE.format(n="Zoe", fee=5, k=99),
                    }
                )
            ],
        )
    from lurewatch.engine.plugins.templates import build

    counts = build(store, lambda *a: None)
    assert counts == {"messages": 20, "hashed": 1, "templates": 2}
    with store.read() as conn:
        assert table.all_templates(conn)["m00"]["size"] == 10
    store.close()


def test_no_store_no_plugin():
    assert plugin(Settings(), None) is None


def test_batch_detector_finds_templates_inside_one_archive():
    from lurewatch.templates.batch import batch_detector

    msgs = [r for r in _records() if r.kind == "message"]
    detect = batch_detector(msgs, lure_fn=lambda view: 0.9)
    (ev,) = detect(message_view(msgs[0]))
    assert (
        ev.signal == "template.mass_sent" and ev.values["size"] == 9 and ev.values["senders"] == 3
    )
    solo = next(m for m in msgs if m.id == "solo")
    assert detect(message_view(solo)) == []


def test_store_fingerprints_for_the_intel_exchange(tmp_path):
    from lurewatch.engine.plugins.templates import build, store_fingerprints
    from lurewatch.templates.fingerprints import match_fingerprints

    store = Store(f"sqlite:///{tmp_path / 'fp.db'}")
    with store.write() as conn:
        save_records(conn, _records())
    build(store, lambda *a: None)
    fps = store_fingerprints(store)
    store.close()
    assert [f["template"] for f in fps] == ["m00", "n0"]
    assert (
        fps[0]["size"] == 9
        and len(fps[0]["minhash"]) == 128
        and fps[0]["first_seen"].startswith("2025-03-01")
    )
    (matches,) = match_fingerprints(fps, [LURE.format(n="Someone", fee=10, k=1)])
    assert matches[0]["template"] == "m00"


def test_build_in_several_batches_matches_one_batch(tmp_path, monkeypatch):
    from lurewatch.engine.plugins import templates as tp

    store = Store(f"sqlite:///{tmp_path / 'chunks.db'}")
    with store.write() as conn:
        save_records(conn, _records())
    monkeypatch.setattr(tp, "CHUNK", 4)  # 19 messages in 5 batches: cross-batch verification
    tp.build(store, lambda *a: None)
    with store.read() as conn:
        stats = table.all_templates(conn)
    store.close()
    assert stats["m00"]["size"] == 9 and stats["n0"]["size"] == 9
