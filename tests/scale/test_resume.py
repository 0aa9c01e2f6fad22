"""An interrupted `analyze` resumes: finished stages are not redone, scoring continues after its
last saved batch, and the result equals an uninterrupted run's."""

from __future__ import annotations

from pathlib import Path

import pytest

from lurewatch.engine import service
from lurewatch.engine.plugins import templates as templates_plugin
from lurewatch.settings import BUNDLED_DATA_DIR, Settings
from lurewatch.store import Store, queries

FEED = BUNDLED_DATA_DIR / "sample" / "feed.jsonl"


class Interrupt(Exception):
    """Stands for Ctrl-C (a plain Exception inside a prepare would be caught as a stage error)."""


def _store(tmp_path: Path, name: str) -> tuple[Store, Settings]:
    settings = Settings(db_url=f"sqlite:///{tmp_path / name}", use_models=False)
    store = Store(settings.db_url)
    service.ingest_sources(store, [FEED])
    return store, settings


def _assessments(store: Store) -> dict[tuple[str, str], tuple]:
    with store.read() as conn:
        found = queries.list_assessments(conn, limit=100_000)
    return {(a.kind, a.id): (a.score, a.level, [e.to_dict() for e in a.evidence]) for a in found}


def _interrupt_at(stage: str, after: int = 0):  # noqa: ANN202
    def progress(name: str, done: int, total: int) -> None:
        if name == stage and done > after:
            raise Interrupt(name)

    return progress


@pytest.fixture
def counted_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = templates_plugin.build

    def build(store, progress):  # noqa: ANN001, ANN202
        calls.append(1)
        return real(store, progress)

    monkeypatch.setattr(templates_plugin, "build", build)
    return calls


def test_finished_stages_are_not_redone_and_result_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted_builds: list[int]
) -> None:
    ref_store, ref_settings = _store(tmp_path, "ref.db")
    service.analyze(ref_store, ref_settings)
    expected = _assessments(ref_store)
    counted_builds.clear()

    monkeypatch.setattr(service, "BATCH", 5)  # several checkpoints on the small sample
    store, settings = _store(tmp_path, "run.db")
    with pytest.raises(Interrupt):
        service.analyze(store, settings, progress=_interrupt_at("score messages", after=10))
    assert counted_builds == [1]
    partly = len(_assessments(store))
    assert 0 < partly < len(expected)

    summary = service.analyze(store, settings)
    assert counted_builds == [1], "templates stage redone after the interruption"
    assert "templates" in summary.resumed and "score messages" in summary.resumed
    assert summary.messages == sum(1 for k in expected if k[0] == "message")
    assert _assessments(store) == expected

    again = service.analyze(store, settings)  # the run completed: the next one starts afresh
    assert again.resumed == [] and counted_builds == [1, 1]
    assert _assessments(store) == expected


def test_new_data_or_restart_means_a_fresh_run(tmp_path: Path, counted_builds: list[int]) -> None:
    store, settings = _store(tmp_path, "run.db")
    with pytest.raises(Interrupt):
        service.analyze(store, settings, progress=_interrupt_at("score messages"))
    assert service.analyze(store, settings, restart=True).resumed == []
    assert counted_builds == [1, 1]

    with pytest.raises(Interrupt):
        service.analyze(store, settings, progress=_interrupt_at("score accounts"))
    extra = tmp_path / "more.jsonl"
    extra.write_text(
        '{"kind": "message", "id": "t:new/1", "sender": "li:in/x", "text": "Hello there"}\n',
        encoding="utf-8",
    )
    service.ingest_sources(store, [extra])
    assert service.analyze(store, settings).resumed == []
    assert counted_builds == [1, 1, 1, 1]


def test_progress_line_gives_rate_and_time_left() -> None:
    from lurewatch.cli.common import progress_line

    assert progress_line(500, 2000, 2.0, 500) == "500/2,000 (25%), 250/s, 6 s left"
    assert progress_line(7, 0, 0.0, 0) == "7"
    assert progress_line(2000, 2000, 4.0, 2000) == "2,000/2,000 (100%), 500/s"
    assert progress_line(10, 1_000_000, 1.0, 10).endswith("10/s, 27.8 h left")


def test_resumed_account_scoring_still_lifts_accounts_to_their_worst_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The account pass needs what the message pass learned (each sender's most suspicious
    message, the members): after an interruption it is replayed from the stored assessments."""
    archive = BUNDLED_DATA_DIR / "sample" / "linkedin-export.zip"

    def store_for(name: str) -> tuple[Store, Settings]:
        store, settings = _store(tmp_path, name)
        service.ingest_sources(store, [archive])
        return store, settings

    ref_store, ref_settings = store_for("ref.db")
    service.analyze(ref_store, ref_settings)
    expected = _assessments(ref_store)
    assert any(
        e["signal"] == "context.sent_rated"
        for k, v in expected.items()
        if k[0] == "account"
        for e in v[2]
    ), "the sample should have an account lifted by a message it sent"

    monkeypatch.setattr(service, "BATCH", 5)
    store, settings = store_for("run.db")
    with pytest.raises(Interrupt):
        service.analyze(store, settings, progress=_interrupt_at("score accounts", after=0))
    summary = service.analyze(store, settings)
    assert "score messages" in summary.resumed
    assert _assessments(store) == expected
