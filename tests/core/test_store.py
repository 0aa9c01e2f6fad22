from sqlalchemy import inspect, select

from lurewatch.evidence import Assessment, Evidence
from lurewatch.records import Account, Edge, Message
from lurewatch.store import Store, queries
from lurewatch.store.migrate import schema_migrations


def _records():
    return [
        Account(id="a1", name="Rachel Li", company="RiseHR"),
        Account(id="a2", name="Ana Ortiz"),
        Message(id="m1", text="Paid paper?", sender="a1", recipients=["a2"]),
        Edge(id="a1|invitation_sent|a2", src="a1", dst="a2", type="invitation_sent"),
    ]


def test_migrations_build_every_table_once(store_url):
    store = Store(store_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "accounts",
        "messages",
        "edges",
        "assessments",
        "ingest_runs",
        "ingest_rejects",
    } <= tables
    assert store.migrate() == []  # nothing left to apply
    with store.read() as conn:
        assert "0001_core" in set(conn.execute(select(schema_migrations.c.id)).scalars())


def test_saving_the_same_records_twice_adds_nothing(store_url):
    store = Store(store_url)
    with store.write() as conn:
        first = queries.save_records(conn, _records())
    with store.write() as conn:
        second = queries.save_records(conn, _records() + _records())
    assert first == {"message": 1, "account": 2, "edge": 1}
    assert second == {"message": 0, "account": 0, "edge": 0}
    with store.read() as conn:
        assert queries.count_records(conn) == {"message": 1, "account": 2, "edge": 1}


def test_assessments_are_replaced_and_listed_most_suspicious_first(store_url):
    store = Store(store_url)
    ev = Evidence("lure.paid_collaboration", 0.8, "Offers money.", quote="Paid")
    with store.write() as conn:
        queries.save_assessments(
            conn, [Assessment("m1", "message", 0.2, "low", [], [], "rules-v1")]
        )
        queries.save_assessments(
            conn, [Assessment("m1", "message", 0.9, "high", [ev], ["Tell"], "rules-v1")]
        )
        queries.save_assessments(
            conn, [Assessment("m2", "message", 0.5, "medium", [], [], "rules-v1")]
        )
    with store.read() as conn:
        found = queries.list_assessments(conn, kind="message")
        assert [a.id for a in found] == ["m1", "m2"]
        assert found[0].evidence == [ev]
        assert queries.list_assessments(conn, signal="lure.paid")[0].id == "m1"
        assert queries.count_assessments(conn) == {"high": 1, "medium": 1}


def test_context_queries(store_url):
    store = Store(store_url)
    with store.write() as conn:
        queries.save_records(conn, _records())
    with store.read() as conn:
        assert [m.id for m in queries.messages_by_sender(conn, "a1")] == ["m1"]
        assert [m.id for m in queries.messages_to(conn, "a2")] == ["m1"]
        assert queries.recipients_of(conn, "a1") == ["a2"]
        assert queries.get_account(conn, "a1").company == "RiseHR"
        assert len(queries.edges_of(conn, "a2")) == 1
        assert [r.id for r in queries.iter_records(conn, "account", batch=1)] == ["a1", "a2"]


def test_ingest_run_keeps_rejects(store_url):
    store = Store(store_url)
    with store.write() as conn:
        run = queries.record_ingest_run(
            conn,
            "feed.jsonl",
            {"message": 1},
            0,
            [
                {
                    "source": "feed.jsonl",
                    "line": 3,
                    "field": "id",
                    "error": "is required",
                    "raw": "{}",
                }
            ],
        )
    from lurewatch.store.tables.core import ingest_rejects

    with store.read() as conn:
        rows = conn.execute(select(ingest_rejects).where(ingest_rejects.c.run_id == run)).all()
    assert [(r.line, r.field) for r in rows] == [(3, "id")]
