"""Account model v2: platform-invariant features, observation time, directions (invented accounts)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lurewatch.errors import InputError, ModelArtifactError
from lurewatch.models import ACCOUNT_ARTIFACT
from lurewatch.models.account_features import (
    DIRECTION,
    MAX_AGE_DAYS,
    V2_FEATURES,
    account_age_days,
    entropy_bits,
    feature_values,
    name_username_overlap,
)
from lurewatch.models.account_training import (
    AccountConfig,
    dataset_balanced_weights,
    fit_account_model,
    out_of_fold,
)
from lurewatch.models.datasets import AccountRow
from lurewatch.models.linear import load_artifact
from lurewatch.models.scorers import AccountScorer
from lurewatch.records import Account, account_from_dict
from lurewatch.settings import BUNDLED_MODELS_DIR
from lurewatch.signals.views import AccountView

BUNDLED = BUNDLED_MODELS_DIR / ACCOUNT_ARTIFACT
needs_bundled = pytest.mark.skipif(not BUNDLED.exists(), reason="no bundled account model")
T0 = datetime(2015, 2, 14, tzinfo=UTC)


def test_observed_at_is_parsed_and_checked() -> None:
    a = account_from_dict(
        {"kind": "account", "id": "a", "created_at": "2014-02-14", "observed_at": "2015-02-14"}
    )
    assert a.observed_at == T0
    assert account_age_days(a) == pytest.approx(365.0)
    with pytest.raises(InputError) as err:
        account_from_dict({"kind": "account", "id": "a", "observed_at": "soon"})
    assert "observed_at" in str(err.value)


def test_age_without_observed_at_is_measured_now_and_capped() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    young = Account(id="a", created_at=datetime(2025, 12, 1, tzinfo=UTC))
    assert account_age_days(young, now) == pytest.approx(31.0)
    ancient = Account(id="b", created_at=datetime(1990, 1, 1, tzinfo=UTC))
    assert account_age_days(ancient, now) == MAX_AGE_DAYS
    future = Account(id="c", created_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert account_age_days(future, now) == 0.0
    assert account_age_days(Account(id="d"), now) is None


def test_handle_features() -> None:
    assert entropy_bits("aaaa") == 0.0
    assert entropy_bits("abcd") == pytest.approx(2.0)
    assert entropy_bits("xk7q2m9z") > entropy_bits("annasmith")
    assert name_username_overlap("Anna Smith", "anna_smith") == pytest.approx(1.0)
    assert name_username_overlap("Anna Smith", "xk7q2m9z") < 0.3
    assert name_username_overlap(None, "x") is None
    vec = feature_values(Account(id="a"))
    assert vec["username_entropy"] is None and vec["no_photo"] is None


def _row(i: int, fake: bool, dataset: str) -> AccountRow:
    """Invented accounts: fakes follow many, few follow back, young; genuine the reverse."""
    k = (i * 37) % 11
    account = Account(
        id=f"{dataset}:{i}",
        username=f"user{k}x{i}" if fake else f"person{k}",
        followers=5 + k if fake else 400 + 30 * k,
        following=900 + 40 * k if fake else 200 + 10 * k,
        posts=3 + k,
        has_photo=bool(k % 3) if fake else True,
        about=None if fake and k % 2 else "writes about boats and bridges",
        created_at=datetime(2014, 1 + k % 12, 1, tzinfo=UTC)
        if fake
        else datetime(2009, 1 + k % 12, 1, tzinfo=UTC),
        observed_at=T0,
    )
    return AccountRow(account, int(fake), dataset)


ROWS = [_row(i, i % 3 == 0, "a" if i % 2 else "b") for i in range(240)]


def test_dataset_weights_balance_sets_and_classes() -> None:
    rows = ROWS[:200] + [_row(1000 + i, False, "c") for i in range(40)]
    w = dataset_balanced_weights(rows)
    assert w.mean() == pytest.approx(1.0)
    for ds in ("a", "b"):
        for label in (0, 1):
            part = sum(
                x for x, r in zip(w, rows, strict=True) if r.dataset == ds and r.label == label
            )
            assert part == pytest.approx(len(rows) / 6)  # a third per set, half of it per class


def _c_total(rows: list[AccountRow]) -> float:
    w = dataset_balanced_weights(rows)
    return float(sum(x for x, r in zip(w, rows, strict=True) if r.dataset == "c"))


def test_a_one_class_set_still_gets_its_third() -> None:
    rows = ROWS[:200] + [_row(1000 + i, False, "c") for i in range(40)]
    assert _c_total(rows) == pytest.approx(len(rows) / 3)


def test_fit_is_deterministic_and_directed() -> None:
    strengths = [{} for _ in ROWS]
    a = fit_account_model(ROWS, strengths, seed=0)
    b = fit_account_model(list(ROWS), list(strengths), seed=0)
    assert a.artifact.to_dict() == b.artifact.to_dict()
    for name, weight in a.artifact.weights.items():
        if name.startswith("num:"):
            assert weight * DIRECTION[name[4:]] > 0, name
    z = out_of_fold(ROWS, strengths, seed=0, config=AccountConfig())
    fake = [v for v, r in zip(z, ROWS, strict=True) if r.label]
    real = [v for v, r in zip(z, ROWS, strict=True) if not r.label]
    assert min(fake) > max(real)  # the invented classes are separable out of fold


@needs_bundled
def test_shipped_model_is_v2_and_weights_follow_directions() -> None:
    scorer = AccountScorer(load_artifact(BUNDLED, "account"))
    assert scorer.artifact.version == "account-lr-v2"
    assert scorer.feature_names == V2_FEATURES
    assert scorer.artifact.calibrator.method == "platt"
    for name, weight in scorer.artifact.weights.items():
        if name.startswith("num:"):
            assert weight * DIRECTION[name[4:]] > 0, name


@needs_bundled
def test_posting_a_lot_does_not_make_a_spambot_look_genuine() -> None:
    """Social spambots post a lot: beyond a handful, the post count must not lower the score."""
    scorer = AccountScorer(load_artifact(BUNDLED, "account"))
    base = dict(username="deal4u_8821", followers=40, following=3000, has_photo=True)
    base["created_at"], base["observed_at"] = datetime(2014, 9, 1, tzinfo=UTC), T0
    few = scorer.score(AccountView(account=Account(id="a", posts=20, **base)), [])
    many = scorer.score(AccountView(account=Account(id="b", posts=40_000, **base)), [])
    assert many.probability == pytest.approx(few.probability)
    older = dict(base, created_at=datetime(2009, 9, 1, tzinfo=UTC))
    assert scorer.score(AccountView(account=Account(id="c", posts=20, **older)), []).probability < (
        few.probability
    )


@needs_bundled
def test_archive_scored_years_later_keeps_its_order(tmp_path: Path) -> None:
    """No observed_at: ages against today move every account by a bounded amount, order kept."""
    scorer = AccountScorer(load_artifact(BUNDLED, "account"))
    young = Account(
        id="y", followers=30, following=800, created_at=datetime(2013, 1, 1, tzinfo=UTC)
    )
    old = Account(id="o", followers=30, following=800, created_at=datetime(2008, 1, 1, tzinfo=UTC))
    p_young = scorer.score(AccountView(account=young), []).probability
    p_old = scorer.score(AccountView(account=old), []).probability
    assert p_young > p_old and round(p_young, 4) != round(p_old, 4)


def test_unknown_feature_names_are_refused(tmp_path: Path) -> None:
    if not BUNDLED.exists():
        pytest.skip("no bundled account model")
    data = json.loads(BUNDLED.read_text())
    data["params"]["features"][0] = "favourite_colour"
    path = tmp_path / ACCOUNT_ARTIFACT
    path.write_text(json.dumps(data))
    with pytest.raises(ModelArtifactError, match="favourite_colour"):
        AccountScorer(load_artifact(path, "account"))


def test_v2_features_are_finite_for_odd_accounts() -> None:
    odd = Account(id="x", username="🙂🙂", name="", followers=-5, following=0, posts=-1, about=" ")
    for value in feature_values(odd).values():
        assert value is None or math.isfinite(value)
