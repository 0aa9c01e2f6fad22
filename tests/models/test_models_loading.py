"""Artifact loading and the fallback to rules: a bad artifact never crashes scoring."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lurewatch.evidence import Evidence
from lurewatch.models import ACCOUNT_ARTIFACT, MESSAGE_ARTIFACT
from lurewatch.models.loading import load_scorers
from lurewatch.models.message_stack import MessageStackScorer
from lurewatch.models.scorers import AccountScorer
from lurewatch.records import Account, Message
from lurewatch.scoring.rules import RuleScorer
from lurewatch.settings import BUNDLED_MODELS_DIR
from lurewatch.signals.views import AccountView, message_view

HAVE_BUNDLED = (BUNDLED_MODELS_DIR / MESSAGE_ARTIFACT).exists() and (
    BUNDLED_MODELS_DIR / ACCOUNT_ARTIFACT
).exists()


def test_missing_artifacts_fall_back_to_rules(tmp_path: Path) -> None:
    rules = RuleScorer()
    message, account, levels = load_scorers(tmp_path, fallback=rules)
    assert message is rules and account is rules and levels is None
    assert message.score(message_view(Message(id="m", text="hello")), []).model == "rules-v1"


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        json.dumps({"format": "something-else"}).encode(),
        json.dumps({"format": "lurewatch-linear-v1", "kind": "message"}).encode(),  # fields missing
        json.dumps(
            {
                "format": "lurewatch-linear-v1",
                "kind": "message",
                "version": "x",
                "bias": "NaN",
                "weights": {},
                "levels": {"medium": 0.3, "high": 0.7},
                "calibration": {"method": "platt", "a": 1, "b": 0},
            }
        ).encode(),
        json.dumps(
            {
                "format": "lurewatch-linear-v1",
                "kind": "message",
                "version": "x",
                "bias": 0,
                "weights": {},
                "levels": {"medium": 0.9, "high": 0.2},  # inverted levels
                "calibration": {"method": "platt", "a": 1, "b": 0},
            }
        ).encode(),
    ],
)
def test_corrupt_message_artifact_falls_back(tmp_path: Path, content: bytes) -> None:
    (tmp_path / MESSAGE_ARTIFACT).write_bytes(content)
    rules = RuleScorer()
    message, _, _ = load_scorers(tmp_path, fallback=rules)
    assert message is rules
    assert message.score(message_view(Message(id="m", text="x")), []).model == "rules-v1"


def test_artifact_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    if not HAVE_BUNDLED:
        pytest.skip("no bundled artifacts (run lurewatch train)")
    shutil.copy(BUNDLED_MODELS_DIR / ACCOUNT_ARTIFACT, tmp_path / MESSAGE_ARTIFACT)
    rules = RuleScorer()
    message, _, _ = load_scorers(tmp_path, fallback=rules)
    assert message is rules


@pytest.mark.skipif(not HAVE_BUNDLED, reason="no bundled artifacts (run lurewatch train)")
def test_bundled_artifacts_load_and_score() -> None:
    message, account, levels = load_scorers(BUNDLED_MODELS_DIR, fallback=RuleScorer())
    assert isinstance(message, MessageStackScorer) and isinstance(account, AccountScorer)
    assert levels is not None
    for lv in levels:
        assert lv is not None and 0 < lv.medium < lv.high <= 1
    view = message_view(
        Message(id="m", text="Dear sir, my client will pay a fee of USD 5,000 for a short report."),
        language="en",
    )
    ev = [Evidence("lure.paid_amount", 1.0, "names a sum of money", quote="USD 5,000")]
    score = message.score(view, ev)
    assert 0.0 <= score.probability <= 1.0
    assert score.model.startswith("message-stack-v2")
    assert score.top_features and all(
        isinstance(w, str) and isinstance(v, float) for w, v in score.top_features
    )
    # evidence can only raise a message's score (rule weights are non-negative)
    assert score.probability >= message.score(view, []).probability
    acc = account.score(
        AccountView(account=Account(id="a", followers=3, following=900, posts=0, has_photo=False)),
        [],
    )
    real = account.score(
        AccountView(
            account=Account(
                id="b",
                followers=900,
                following=300,
                posts=400,
                has_photo=True,
                about="Engineer at a real firm",
            )
        ),
        [],
    )
    assert acc.model.startswith("account-lr-") and acc.probability > real.probability


@pytest.mark.skipif(not HAVE_BUNDLED, reason="no bundled artifacts (run lurewatch train)")
def test_unmodelled_evidence_is_added_by_rules() -> None:
    """A watchlist hit (never seen in training) must still raise the learned score."""
    message, _, _ = load_scorers(BUNDLED_MODELS_DIR, fallback=RuleScorer())
    view = message_view(Message(id="m", text="Hello, I would like to connect."), language="en")
    base = message.score(view, []).probability
    hit = message.score(
        view, [Evidence("watchlist.front_company", 1.0, "matches a front company")]
    ).probability
    assert hit > base


@pytest.mark.skipif(not HAVE_BUNDLED, reason="no bundled artifacts (run lurewatch train)")
def test_unknown_account_counts_move_nothing() -> None:
    """A LinkedIn export without counts: every count feature is unknown, hence at the mean."""
    _, account, _ = load_scorers(BUNDLED_MODELS_DIR, fallback=RuleScorer())
    base = {"about": "Engineer", "username": "jdoe", "has_photo": True}
    bare = account.decision(AccountView(account=Account(id="a", **base)), [])
    few = account.decision(
        AccountView(account=Account(id="b", followers=3, following=900, **base)), []
    )
    assert few > bare
    from lurewatch.models.account_features import account_vector

    names = account.feature_names
    vec = dict(zip(names, account_vector(Account(id="a", **base), names), strict=True))
    assert all(vec[n] is None for n in ("log_followers", "log_following", "follow_ratio"))
    assert vec["log_age_days"] is None  # no creation date: unknown, not new


def test_linkedin_connections_stand_for_followers_only() -> None:
    from lurewatch.models.account_features import feature_values

    vec = feature_values(Account(id="a", connections=500))
    assert vec["log_followers"] == pytest.approx(6.2166, abs=1e-3)
    assert vec["log_following"] is None and vec["follow_ratio"] is None
