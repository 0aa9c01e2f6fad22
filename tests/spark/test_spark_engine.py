"""The Spark engine gives the local engine's answers: same assessments, same templates, rejects kept.

One SparkSession for the folder (tests/spark/conftest.py); tiny inputs. The references are
the local engine itself: records ingested into a SQLite store with `lurewatch ingest`'s
service, account context from `engine.service.account_views`, the assessor from
`build_assessor`, the templates plugin's `prepare` for template evidence, and
`TemplateIndex` for clusters.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lurewatch.engine.spark import rows
from lurewatch.settings import Settings

pytestmark = [
    pytest.mark.spark,
    pytest.mark.timeout(1200),
]  # session start is slow on a busy machine

SAMPLE_FEED = (
    Path(__file__).resolve().parents[2] / "src" / "lurewatch" / "data" / "sample" / "feed.jsonl"
)

LURE = (
    "Dear {name}, I am a consultant for a think tank in Singapore. Our client pays a generous "
    "fee for short reports on energy policy in your region, and we cover travel to meet in "
    "person. Could we continue on WhatsApp at +65 8123 4567? Best regards, Rachel"
)
RECRUITER = (
    "Hi {name}, I lead engineering hiring at a logistics company in Hamburg and your "
    "background in distributed systems caught my eye. Would you be open to a short call "
    "next week about a senior backend role? Thanks, Jonas"
)
LONG = (
    "Hello {name}, the organising committee of the annual regional conference on maritime "
    "security and trade invites you to speak on a panel about supply chain resilience in "
    "the Baltic region, with accommodation provided for two nights and a modest honorarium "
    "paid after the event; please reply with your availability and a short biography"
)
FILLERS = ["really", "very", "also", "kindly", "truly", "indeed", "now", "still", "soon", "just"]


def _variant(text: str, rnd: random.Random) -> str:
    words = text.split()
    words.insert(rnd.randrange(len(words)), rnd.choice(FILLERS))
    if rnd.random() < 0.5:
        words.pop(rnd.randrange(len(words)))
    return " ".join(words)


def build_feed(path: Path) -> dict[str, int]:
    """Sample records plus templates (a lure, a recruiter text, one big near-copy family)."""
    rnd = random.Random(7)
    lines = SAMPLE_FEED.read_text(encoding="utf-8").splitlines()
    accounts = [
        {"kind": "account", "id": "t:a1", "name": "Rachel Li", "created_at": "2025-01-10",
         "connections": 40, "headline": "Senior head hunter"},
        {"kind": "account", "id": "t:a2", "name": "Rachel Lee", "created_at": "2025-02-01",
         "followers": 12},
        {"kind": "account", "id": "t:a5", "name": "Jonas Berg", "created_at": "2012-05-01",
         "connections": 800},
        {"kind": "account", "id": "t:a4", "name": "Panel Desk"},
    ]  # fmt: skip
    lines += [json.dumps(a) for a in accounts]
    names = ["Anna", "Mr. Dupont", "Dr Weber", "Sam", "Ms Chen", "Omar"]
    for i in range(9):
        sender = ["t:a1", "t:a2", "t:a3"][i % 3]
        text = LURE.format(name=names[i % len(names)])
        if i % 2:
            text = _variant(text, rnd)
        offset = "+02:00" if i % 4 == 0 else "Z"
        lines.append(json.dumps({"kind": "message", "id": f"t:lure{i}", "text": text,
                                 "sender": sender, "recipients": [f"t:r{i}", f"t:r{i + 1}"],
                                 "sent_at": f"2026-03-0{1 + i % 9}T0{i % 10}:15:00{offset}"}))  # fmt: skip
    for i in range(5):
        lines.append(json.dumps({"kind": "message", "id": f"t:rec{i}",
                                 "text": RECRUITER.format(name=names[i]), "sender": "t:a5",
                                 "recipients": [f"t:q{i}"], "sent_at": "2026-02-01T10:00:00Z"}))  # fmt: skip
    for i in range(80):  # one family large enough for LSH buckets above BIG_BUCKET
        lines.append(json.dumps({"kind": "message", "id": f"t:long{i:02d}",
                                 "text": _variant(LONG.format(name=names[i % 6]), rnd),
                                 "sender": "t:a4"}))  # fmt: skip
    lines.append(json.dumps({"kind": "message", "id": "t:empty", "text": "", "subject": "!!"}))
    lines.append(json.dumps({"kind": "message", "id": "t:copy", "text": LURE.format(name="Bo")}))
    lines.append(json.dumps({"kind": "message", "id": "t:lure0", "text": "a repeated id"}))
    lines.append(json.dumps({"kind": "edge", "src": "t:a1", "dst": "t:a2", "type": "connection"}))
    lines.append(json.dumps({"kind": "edge", "src": "t:a1", "dst": "t:a1", "type": "connection"}))
    lines.append(
        json.dumps({"kind": "edge", "src": "t:a5", "dst": "t:a1", "type": "invitation_sent"})
    )
    good = len(lines)
    bad = [
        '{"kind": "message", "id": "t:bad-date", "text": "hi", "sent_at": "yesterday"}',
        "this is not json",
        '{"kind": "account", "id": "t:bad-count", "followers": -3}',
        '{"kind": "spaceship", "id": "t:x"}',
    ]
    with open(path, "w", encoding="utf-8") as fh:
        for line in lines[:5]:
            fh.write(line + "\n")
        fh.write("\n")  # a blank line: skipped, but it still counts for line numbers
        for line in lines[5:] + bad:
            fh.write(line + "\n")
    with open(path, "ab") as fh:
        fh.write(b'{"kind": "message", "id": "t:latin1", "text": "caf\xe9"}\n')
    return {"records": good, "bad": len(bad) + 1, "lines": good + len(bad) + 2}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    return path, build_feed(path)


@pytest.fixture(scope="module")
def run_with_templates(spark, settings, feed, tmp_path_factory):  # noqa: ANN001, ANN201
    from lurewatch.engine.spark.job import run

    out = tmp_path_factory.mktemp("out-templates")
    summary = run(spark, settings, [str(feed[0])], str(out), templates=True)
    return out, summary


@pytest.fixture(scope="module")
def reference(settings, feed, tmp_path_factory):  # noqa: ANN001, ANN201
    """The local engine on the same feed: ingest into SQLite, then score (with templates)."""
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.engine.plugins import load_plugins
    from lurewatch.engine.plugins.templates import plugin as templates_plugin
    from lurewatch.engine.service import account_views, ingest_sources, no_progress
    from lurewatch.store import Store, queries

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}")
    ingest_sources(store, [str(feed[0])])
    plain = build_assessor(settings, None)
    tp = templates_plugin(settings, store)
    assert tp is not None and tp.prepare is not None
    tp.prepare(no_progress)
    plugins = sorted([*load_plugins(settings, None), tp], key=lambda p: (p.order, p.name))
    with_templates = build_assessor(settings, store, plugins)
    out: dict[str, dict] = {"plain": {}, "templates": {}}
    with store.read() as conn:
        messages = list(queries.iter_records(conn, "message"))
        accounts = list(queries.iter_records(conn, "account"))
        views = account_views(conn, accounts)  # type: ignore[arg-type]
    for name, assessor in (("plain", plain), ("templates", with_templates)):
        for m in messages:
            out[name][("message", m.id)] = assessor.assess_message(m)  # type: ignore[arg-type]
        for v in views:
            out[name][("account", v.account.id)] = assessor.assess_account(v.account, v)
    return out


def _spark_results(out: Path) -> dict[tuple[str, str], dict]:
    import pyarrow.parquet as pq

    table = pq.read_table(out / "assessments").to_pylist()
    return {(r["kind"], r["id"]): r for r in table}


def _assert_same(spark_rows: dict, local: dict) -> None:
    assert set(spark_rows) == set(local)
    for key, expected in local.items():
        got = spark_rows[key]
        assert abs(got["score"] - expected.score) <= 1e-9, key
        assert got["level"] == expected.level, key
        assert got["codes"] == [e.signal for e in expected.evidence], key
        assert json.loads(got["json"]) == json.loads(json.dumps(expected.to_dict(), default=str)), (
            key
        )


def test_parse_lines_locates_every_bad_line() -> None:
    raw = [
        (1, "f.jsonl", 1, b'\xef\xbb\xbf{"kind": "message", "id": "m1", "text": "hi"}'),
        (1, "f.jsonl", 2, b"   "),
        (1, "f.jsonl", 3, b"{oops"),
        (1, "f.jsonl", 4, b'{"kind": "edge", "src": "a"}'),
        (1, "f.jsonl", 5, '{"kind": "message", "id": "m2", "text": "caf\ufffd"}'.encode()),
    ]
    out = list(rows.parse_lines(raw))
    assert len(out) == 4  # the blank line is skipped, nothing else is
    parsed = [dict(zip(rows.PARSED, r, strict=True)) for r in out]
    assert parsed[0]["id"] == "m1" and parsed[0]["error"] is None
    assert parsed[0]["order"] == rows.order_of(1, 1)
    assert json.loads(parsed[0]["data"])["source"] == {"file": "f.jsonl", "row": 1}
    assert parsed[1]["line"] == 3 and parsed[1]["error"].startswith("not valid JSON")
    assert parsed[2]["line"] == 4 and parsed[2]["field"] == "dst"
    assert parsed[3]["line"] == 5 and parsed[3]["error"].startswith("not UTF-8")


def test_connected_components_long_chain(spark) -> None:  # noqa: ANN001
    from lurewatch.engine.spark.components import connected_components

    chain = [(i, i + 1) for i in range(100, 400)]  # one long path: 300 links
    star = [(5, 7), (7, 9), (2000, 9), (3000, 3001)]
    labels, rounds = connected_components(spark.createDataFrame(chain + star, "a long, b long"))
    got = {r["node"]: r["label"] for r in labels.collect()}
    assert all(got[i] == 100 for i in range(100, 401))
    assert got[2000] == 5 and got[9] == 5 and got[3001] == 3000
    assert rounds < 20  # pointer jumping: logarithmic, not one round per link


def test_template_clusters_equal_local_index(spark, feed) -> None:  # noqa: ANN001
    from pyspark.sql import functions as F

    from lurewatch.engine.spark import inputs
    from lurewatch.engine.spark.templates import cluster
    from lurewatch.records import Message, record_from_dict
    from lurewatch.signals.views import message_view
    from lurewatch.templates.index import TemplateIndex

    parsed = inputs.read_parsed(spark, [str(feed[0])])
    records, _, _ = inputs.split(parsed)
    clustering = cluster(records.where(F.col("kind") == "message"))
    got = {r["id"]: (r["template"], r["size"]) for r in clustering.assigned.collect()}

    index = TemplateIndex()
    ids, texts, seen = [], [], set()
    for line in feed[0].read_bytes().splitlines():
        try:
            record = record_from_dict(json.loads(line.decode("utf-8")))
        except Exception:  # bad lines: rejected on both sides
            continue
        if isinstance(record, Message) and record.id not in seen:  # first occurrence, as stored
            seen.add(record.id)
            ids.append(record.id)
            texts.append(message_view(record).text)
    index.add_many(ids, texts)
    assert got == index.assignments()
    big = [c for c in index.clusters() if c[0].startswith("t:long")]
    assert big and len(big[0]) >= 70  # the family crossed BIG_BUCKET and stayed one template
    assert got["t:copy"][0] == got["t:lure0"][0] and got["t:empty"] == ("t:empty", 1)
    assert clustering.verified_pairs > 0


def test_assessments_equal_local_engine_with_templates(run_with_templates, reference) -> None:  # noqa: ANN001
    out, summary = run_with_templates
    results = _spark_results(out)
    _assert_same(results, reference["templates"])
    assert any("template.mass_sent" in r["codes"] for r in results.values())
    assert any("template.account_sends_mass_template" in r["codes"] for r in results.values())
    assert summary.templates["templates"] >= 3


def test_jsonl_output_follows_the_check_contract(run_with_templates, feed) -> None:  # noqa: ANN001
    out, summary = run_with_templates
    lines = [json.loads(x) for x in (out / "assessments.jsonl").read_text().splitlines()]
    assert len(lines) == summary.assessed["message"] + summary.assessed["account"]
    assert len({(x["kind"], x["id"]) for x in lines}) == len(lines)
    for x in lines:
        assert {"id", "kind", "score", "level", "evidence", "advice", "model"} <= set(x)
        assert 0.0 <= x["score"] <= 1.0
    sample = [json.loads(x) for x in SAMPLE_FEED.read_text().splitlines()]
    sample_ids = [x["id"] for x in sample if x.get("kind") in ("message", "account")]
    scored = [x["id"] for x in lines]
    in_sample = [i for i in scored if i in set(sample_ids)]
    assert in_sample == [i for i in sample_ids if i in set(in_sample)]  # input order kept


def test_rejects_reported_with_file_line_and_error(run_with_templates, feed) -> None:  # noqa: ANN001
    out, summary = run_with_templates
    rejects = [json.loads(x) for x in (out / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == feed[1]["bad"] == summary.rejected
    assert all(r["source"] == str(feed[0]) and r["line"] > 0 and r["error"] for r in rejects)
    by_id = {r.get("id"): r for r in rejects}
    assert by_id["t:bad-date"]["field"] == "sent_at"
    assert by_id["t:bad-count"]["field"] == "followers"
    assert by_id["t:x"]["field"] == "kind"
    assert rejects[-1]["line"] == feed[1]["lines"] and "UTF-8" in rejects[-1]["error"]
    assert summary.duplicates == 1  # t:lure0 twice: the first is kept, as in the store
    total = sum(summary.records.values())
    assert total == feed[1]["records"] - 1


def test_plain_run_on_parquet_plus_feed_equals_local_engine(
    spark, settings, run_with_templates, reference, tmp_path
) -> None:  # noqa: ANN001
    from lurewatch.engine.spark.job import run

    previous, _ = run_with_templates
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        json.dumps({"kind": "message", "id": "t:new1", "text": "Our client pays for reports."})
        + "\n"
        + json.dumps({"kind": "message", "id": "t:lure1", "text": "a repeat of a stored id"})
        + "\n"
    )
    summary = run(
        spark, settings, [str(previous), str(extra)], str(tmp_path / "again"), templates=False
    )
    assert summary.rejected == 0 and summary.duplicates == 1  # the Parquet came first: kept
    results = _spark_results(tmp_path / "again")
    assert ("message", "t:new1") in results
    del results[("message", "t:new1")]
    _assert_same(results, reference["plain"])
    orders = [r["order"] for r in _spark_results(tmp_path / "again").values()]
    assert len(set(orders)) == len(orders)


# The CLI tests come last: they reuse the module's session (the commands leave a session
# they did not start running).


def _clean_feed(feed: Path, target: Path) -> Path:
    """The feed without the lines where the two CLIs differ on purpose: a repeated id (the
    store and Spark keep the first, the local index the last) and invalid UTF-8 (read with
    replacement characters by `lurewatch templates`, rejected by ingest and Spark)."""
    keep = [
        line
        for line in feed.read_bytes().splitlines(keepends=True)
        if b"a repeated id" not in line and b"t:latin1" not in line
    ]
    target.write_bytes(b"".join(keep))
    return target


def test_cli_spark_templates_equals_lurewatch_templates(spark, feed, tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from lurewatch.cli.main import cli

    path = str(_clean_feed(feed[0], tmp_path / "clean.jsonl"))
    runner = CliRunner()
    local = runner.invoke(cli, ["templates", "--input", path])
    dist = runner.invoke(cli, ["spark", "templates", "--input", path, "--partitions", "2"])
    assert local.exit_code == 0, local.output
    assert dist.exit_code == 0, dist.output
    expected = [json.loads(x) for x in local.stdout.splitlines() if x.strip()]
    got = [json.loads(x) for x in dist.stdout.splitlines() if x.strip()]
    assert got == expected
    assert any("error" in x for x in got) and any(x.get("size", 0) >= 70 for x in got)
    assert "line" in dist.stderr and "sent_at" in dist.stderr


def test_cli_spark_analyze_reads_a_store(spark, feed, tmp_path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from lurewatch.cli.main import cli
    from lurewatch.engine.service import ingest_sources
    from lurewatch.store import Store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    ingest = ingest_sources(Store(url), [str(SAMPLE_FEED)])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["spark", "analyze", "--db", url, "--output", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    added = ingest.sources[0].added
    assert summary["records"] == added and summary["rejected"] == 0
    lines = (out / "assessments.jsonl").read_text().splitlines()
    assert len(lines) == added["message"] + added["account"]
    assert (out / "summary.json").exists() and (out / "templates").is_dir()
    assert spark.range(3).count() == 3  # the shared session is still running
