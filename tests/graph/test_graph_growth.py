"""Credibility laundering: the targeted generator, the growth signal, the audit and the new `graph trust` inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lurewatch.cli.main import cli
from lurewatch.graph.attack import (
    attach_fake_region,
    organisations,
    simulate_edge_times,
    targeted_attack_edges,
)
from lurewatch.graph.growth import edge_time_matrix, laundering_bursts
from lurewatch.graph.loading import from_pairs, parse_time_days, read_invitations
from lurewatch.graph.scoring import score_nodes
from lurewatch.graph.strongtie import strongtie_trust
from lurewatch.graph.trust import seed_indices


def clique(prefix: str, k: int) -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", f"{prefix}{j}") for i in range(k) for j in range(i + 1, k)]


def chain_of_cliques(prefix: str, groups: int, size: int = 8) -> list[tuple[str, str]]:
    """`groups` cliques of `size`, consecutive ones sharing two members."""
    pairs: list[tuple[str, str]] = []
    for c in range(groups):
        members = [f"{prefix}{(size - 2) * c + i}" for i in range(size)]
        pairs += [(u, v) for i, u in enumerate(members) for v in members[i + 1 :]]
    return pairs


def test_parse_time_days() -> None:
    assert parse_time_days("1970-01-02") == pytest.approx(1.0)
    assert parse_time_days("86400") == pytest.approx(1.0)
    assert parse_time_days("1970-01-01T12:00:00Z") == pytest.approx(0.5)
    assert parse_time_days("yesterday") is None and parse_time_days("nan") is None


def test_read_invitations_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "inv.txt"
    path.write_text("x a ignored\nx b invitation_reported\n# note\nx c maybe\ny\n", "utf-8")
    errors: list = []
    rows = read_invitations(path, errors)
    assert rows == [("x", "a", "invitation_ignored"), ("x", "b", "invitation_reported")]
    assert [e.line for e in errors] == [4, 5]


def test_targeted_attack_stays_in_organisations_and_closes_triangles() -> None:
    honest = from_pairs(chain_of_cliques("h", 12))  # 74 nodes
    rng = np.random.default_rng(3)
    labels = np.array([int(node[1:]) // 20 for node in honest.ids])
    orgs = organisations(honest, rng, labels, size_range=(15, 25))
    assert all(15 <= len(o) <= 25 for o in orgs[:3])
    fakes = np.arange(honest.n, honest.n + 4)
    src, dst, at = targeted_attack_edges(honest, orgs[:1], fakes, 24, rng)
    assert set(src.tolist()) <= set(orgs[0].tolist()) and len(src) == 24
    assert at.min() >= 0 and at.max() <= 60 + 12
    # after its two entry contacts, each victim of a fake knows one of its earlier victims
    adj = honest.adj
    for f in np.unique(dst):
        victims = src[dst == f]
        order = victims[np.argsort(at[dst == f], kind="stable")]
        for k in range(2, len(order)):
            assert adj[order[k], order[:k]].sum() >= 1


def test_louvain_organisations_without_labels() -> None:
    honest = from_pairs(chain_of_cliques("h", 12))
    orgs = organisations(honest, np.random.default_rng(0), size_range=(5, 30))
    assert orgs and sum(len(o) for o in orgs) == honest.n


def laundering_graph() -> tuple:
    """An honest chain of cliques, a fake clique chain, and fake f0 walked into clique 0 by closure."""
    pairs = chain_of_cliques("h", 6) + chain_of_cliques("f", 3)
    pairs += [("f0", f"h{i}") for i in range(5)]  # five colleagues, each sharing contacts with it
    graph = from_pairs(pairs)
    return graph


def test_laundering_burst_flags_the_young_bridge_not_newcomers() -> None:
    pairs = chain_of_cliques("h", 20) + chain_of_cliques("f", 3)
    pairs += [("f0", f"h{i}") for i in range(5)] + [("n", f"h{i}") for i in range(20, 25)]
    graph = from_pairs(pairs)
    end = 2000.0
    at = []
    for u, v in pairs:
        if u == "f0" and v.startswith("h"):
            at.append(end - 8 + int(v[1:]))  # the burst: 5 colleagues in 5 days
        elif u.startswith("f"):
            at.append(end - 120)  # the fake region, built four months earlier
        elif u == "n":
            at.append(end - 3)  # an honest newcomer: everything at once
        else:
            at.append(100.0 + 3 * len(at))  # honest ties, years old
    src = np.array([graph.index[u] for u, _ in pairs])
    dst = np.array([graph.index[v] for _, v in pairs])
    bursts = laundering_bursts(graph, edge_time_matrix(graph, src, dst, np.array(at)))
    f0, n = graph.index["f0"], graph.index["n"]
    # its busiest window is the fake region's creation (7 contacts), but the newest flagged
    # burst — the walk into clique 0 — is the one whose edges become suspect
    assert bursts.score[f0] > 0.5 and bursts.burst[f0] == 7
    assert bursts.score[n] == 0.0
    assert bursts.score[[graph.index[f"h{i}"] for i in range(122)]].max() == 0.0
    assert set(bursts.suspect_dst.tolist()) == {graph.index[f"h{i}"] for i in range(5)}
    # those edges then carry no shared-contact trust: the fake region stays out of the core
    seeds, _ = seed_indices(graph, ["h3", "h15", "h27"])
    plain = strongtie_trust(graph, seeds, audit=0.0)
    timed = strongtie_trust(
        graph, seeds, audit=0.0, suspect=(bursts.suspect_src, bursts.suspect_dst)
    )
    fakes = [graph.index[f"f{i}"] for i in range(20)]
    assert plain.in_core[fakes].any() and not timed.in_core[fakes].any()


def test_laundering_audit_takes_a_closure_attached_region_out_of_the_core() -> None:
    """A fake region attached by triangle-backed edges merges into v1's core; v2's audit removes it."""
    pairs = chain_of_cliques("h", 20)  # 122 honest
    pairs += chain_of_cliques("f", 4)  # 26 fakes, tight like real structure
    pairs += [(f"f{j}", f"h{i}") for j in range(3) for i in range(6)]  # closure into clique 0
    graph = from_pairs(pairs)
    seeds, _ = seed_indices(graph, ["h30", "h60", "h90", "h110"])
    fakes = np.array([graph.index[f"f{i}"] for i in range(26)])
    honest = np.array([graph.index[f"h{i}"] for i in range(122)])
    v1 = strongtie_trust(graph, seeds, audit=0.0, free_groups=False)
    v2 = strongtie_trust(graph, seeds)
    assert v1.in_core[fakes].all()  # the failure the audit exists for
    assert not v2.in_core[fakes[3:]].any()
    s1 = score_nodes(graph, seeds, "strongtie-v1").score
    s2 = score_nodes(graph, seeds).score
    assert np.median(s2[fakes]) > np.median(s2[honest])
    assert np.median(s2[fakes]) > np.median(s1[fakes])


def test_core_tie_break_survives_in_the_score() -> None:
    graph = from_pairs(chain_of_cliques("h", 6))
    seeds, _ = seed_indices(graph, ["h0", "h14", "h28"])
    result = score_nodes(graph, seeds)
    core = result.in_core
    assert core.sum() > 10 and len(np.unique(result.score[core])) > 1
    assert result.score.min() >= 0 and result.score.max() <= 1


def test_simulated_times_put_the_campaign_last() -> None:
    honest = from_pairs(chain_of_cliques("h", 12))
    rng = np.random.default_rng(1)
    orgs = organisations(honest, rng, np.array([int(x[1:]) // 20 for x in honest.ids]), (15, 25))
    attacked = attach_fake_region(honest, 30, "copy", rng=rng, orgs=orgs[:2])
    src, dst, at = simulate_edge_times(attacked, rng)
    cross = attacked.is_fake[src] != attacked.is_fake[dst]
    assert cross.sum() > 0 and at[cross].min() >= at[~cross].max() - 1e-9


def _run(args: list[str]):  # noqa: ANN202
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_trust_cli_with_edge_times_and_invitations(tmp_path: Path) -> None:
    edges = tmp_path / "e.txt"
    edges.write_text(
        "a b 2026-01-01\nb c 2026-01-02T10:00:00\nc a 1767225600\nc d not-a-date\nd e\n",
        encoding="utf-8",
    )
    seeds = tmp_path / "s.txt"
    seeds.write_text("a\n", encoding="utf-8")
    invitations = tmp_path / "i.txt"
    invitations.write_text("x a ignored\nx b reported\nx e accepted\nq r maybe\n", "utf-8")
    base = ["graph", "trust", "--edges", str(edges), "--seeds", str(seeds)]
    result = _run([*base, "--edge-times", "--invitations", str(invitations)])
    assert result.exit_code == 0
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {"a", "b", "c", "d", "e", "x"}  # the inviter joins; q/r line was bad
    assert all("growth" in r and "invitations" in r and 0 <= r["score"] <= 1 for r in rows.values())
    assert "line 4, field 'time'" in result.stderr and "edge kept without a time" in result.stderr
    assert "i.txt, line 4" in result.stderr
    # without the options the same file reads as before: third column ignored, no new keys
    plain = _run(base)
    rows = [json.loads(line) for line in plain.stdout.splitlines()]
    assert {r["id"] for r in rows} == {"a", "b", "c", "d", "e"}
    assert all("growth" not in r for r in rows) and plain.stderr.count("warning") == 0
