"""Checks on the shared real graphs (skipped when ../shared/data is absent)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from lurewatch.graph import invitations as inv
from lurewatch.graph.analysis import combined_suspicion
from lurewatch.graph.loading import largest_component, read_edge_list
from lurewatch.graph.scoring import score_nodes
from lurewatch.graph.targeting import Contact, early_warnings

DATA = (
    Path(
        os.environ.get(
            "LUREWATCH_SHARED_DATA", Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
        )
    )
    / "graphs"
)


def _need(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    return path


def test_early_warning_on_email_eu_core_departments() -> None:
    departments = {}
    for line in _need("email-Eu-core.departments").read_text().splitlines():
        node, dept = line.split()
        departments[node] = f"Department {dept}"
    graph = read_edge_list(_need("email-Eu-core.edges"))
    rng = np.random.default_rng(0)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    contacts: dict[str, list[Contact]] = {}
    coo = graph.adj.tocoo()
    for u, v in zip(
        coo.row, coo.col, strict=True
    ):  # staff e-mail each other all year: never a warning
        contacts.setdefault(graph.ids[u], []).append(
            Contact(graph.ids[v], t0 + timedelta(days=int(rng.integers(0, 365))))
        )
    dept = "Department 4"
    same = [n for n, d in departments.items() if d == dept][:5]
    other = [n for n, d in departments.items() if d != dept][:2]
    contacts["outsider"] = [
        Contact(n, t0 + timedelta(days=100 + i)) for i, n in enumerate(same + other)
    ]
    warnings = early_warnings("the institution", departments, contacts, window_days=10, min_staff=5)
    assert [w.account for w in warnings] == ["outsider"]
    assert warnings[0].sentence() == (
        "account outsider has connected with 7 of your staff in 10 days, 5 of them in the same department (Department 4)"
    )


def test_invitation_responses_catch_sprayers_that_structure_misses() -> None:
    from sklearn.metrics import roc_auc_score

    from lurewatch.graph.evaluation import random_seeds, simulate_invitations

    honest = largest_component(read_edge_list(_need("ca-GrQc.edges")))
    rng = np.random.default_rng(5)
    graph, is_fake, log = simulate_invitations(honest, 30, rng)  # thousands of attack edges
    seeds = random_seeds(honest.n, rng)
    structural = score_nodes(graph, seeds, "strongtie").score
    scores = inv.score_all(inv.invitation_log(log))
    invite = np.array(
        [scores[str(i)].suspicion if str(i) in scores else 0.0 for i in range(graph.n)]
    )
    sybilrank = roc_auc_score(is_fake, score_nodes(graph, seeds, "sybilrank").score)
    combined = roc_auc_score(is_fake, combined_suspicion(structural, invite))
    assert sybilrank < 0.7  # structure alone fails against a sprayer with many accepted invitations
    assert combined > 0.95
