"""Trust propagation on small graphs with known answers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from lurewatch.errors import InputError
from lurewatch.graph.attack import attach_fake_region
from lurewatch.graph.loading import from_pairs, largest_component, parse_edge_lines, read_edge_list
from lurewatch.graph.scoring import score_nodes
from lurewatch.graph.strongtie import strong_edges, strongtie_trust
from lurewatch.graph.trust import (
    default_iterations,
    propagate,
    seed_indices,
    suspicion_from_trust,
    sybilrank,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "graphs"


def clique(prefix: str, k: int) -> list[tuple[str, str]]:
    return [(f"{prefix}{i}", f"{prefix}{j}") for i in range(k) for j in range(i + 1, k)]


def honest_and_sybils() -> tuple:
    """Six honest 8-cliques chained by two shared members each (h0..h37), and a sybil 8-clique behind one edge."""
    pairs: list[tuple[str, str]] = []
    for c in range(6):
        members = [f"h{6 * c + i}" for i in range(8)]
        pairs += [(u, v) for i, u in enumerate(members) for v in members[i + 1 :]]
    pairs += clique("s", 8)
    pairs += [("h20", "s0")]  # the single attack edge
    graph = from_pairs(pairs)
    seeds, _ = seed_indices(
        graph, ["h3", "h15", "h33"]
    )  # spread over the communities, as SybilRank advises
    return graph, seeds


HONEST = [f"h{i}" for i in range(38)]


def test_seed_region_trusted_and_sybil_clique_behind_one_edge_is_not() -> None:
    graph, seeds = honest_and_sybils()
    for result in (sybilrank(graph, seeds).trust, strongtie_trust(graph, seeds).trust):
        honest = [result[graph.index[h]] for h in HONEST]
        sybil = [result[graph.index[f"s{i}"]] for i in range(8)]
        assert min(honest) > max(sybil)


def test_strongtie_core_excludes_sybils_and_keeps_honest() -> None:
    graph, seeds = honest_and_sybils()
    result = strongtie_trust(graph, seeds)
    core = {graph.ids[i] for i in np.flatnonzero(result.in_core)}
    assert set(HONEST) <= core | {f"h{i}" for i in range(18, 26)}
    assert len(core & set(HONEST)) >= 30
    assert not any(node.startswith("s") for node in core)
    # the laundering audit may take the seedless clique h18..h25 out of the core (its SybilRank
    # is lowest), but its members keep escape trust along shared-contact ties, above any sybil
    legacy = strongtie_trust(graph, seeds, audit=0.0, free_groups=False)
    assert set(HONEST) <= {graph.ids[i] for i in np.flatnonzero(legacy.in_core)}
    lowest_honest = min(result.trust[graph.index[h]] for h in HONEST)
    assert lowest_honest > 0.5  # 0.99 per step, divided by the 8-member group penalty
    assert lowest_honest > max(result.trust[graph.index[f"s{i}"]] for i in range(8))
    # the attack edge shares no contact: it is a weak tie on both ends
    strong, _ = strong_edges(graph.adj)
    assert strong[graph.index["h20"], graph.index["s0"]] == 0


def test_component_without_any_seed_is_judged_on_its_own() -> None:
    graph, _ = honest_and_sybils()
    pairs = [
        (graph.ids[i], graph.ids[j]) for i, j in zip(*graph.adj.nonzero(), strict=True) if i < j
    ]
    pairs += clique("k", 8)  # no tie to any seed
    graph = from_pairs(pairs)
    seeds, _ = seed_indices(graph, ["h3", "h15", "h33"])
    result = strongtie_trust(graph, seeds)
    k = [graph.index[f"k{i}"] for i in range(8)]
    assert result.trust[k].min() == 1.0  # its own core, not "untrusted"
    assert (
        result.reachable is not None
        and not result.reachable[k].any()
        and result.reachable[graph.index["h3"]]
    )
    plain = strongtie_trust(graph, seeds, stand_ins=False)
    assert plain.trust[k].max() == 0.0


def test_big_tight_group_outside_the_core_is_suspect_and_largest_group_is_trusted() -> None:
    graph, _ = honest_and_sybils()
    pairs = [
        (graph.ids[i], graph.ids[j]) for i, j in zip(*graph.adj.nonzero(), strict=True) if i < j
    ]
    # a copied-looking fake region: four 8-cliques chained like the honest ones, two bare attack edges
    for c in range(4):
        members = [f"f{6 * c + i}" for i in range(8)]
        pairs += [(u, v) for i, u in enumerate(members) for v in members[i + 1 :]]
    pairs += [
        ("h7", "f0"),
        ("h30", "f20"),
        ("h1", "x"),
    ]  # and one honest newcomer with one bare tie
    graph = from_pairs(pairs)
    seeds, _ = seed_indices(graph, ["h3"])
    result = strongtie_trust(graph, seeds)
    fakes = [graph.index[f"f{i}"] for i in range(26)]
    assert result.trust[graph.index["x"]] > result.trust[fakes].max()
    assert not result.in_core[fakes].any()
    # with the only seed on the newcomer, the honest majority's tight group is still trusted
    lonely, _ = seed_indices(graph, ["x"])
    result = strongtie_trust(graph, lonely, audit=0.0)
    assert (
        result.in_core[[graph.index[h] for h in HONEST]].all() and not result.in_core[fakes].any()
    )
    # the laundering audit reads SybilRank from one badly placed seed (it assumes seeds spread
    # over the network): it may drop far honest cliques from the core, never rank a fake above them
    audited = strongtie_trust(graph, lonely)
    assert not audited.in_core[fakes].any()
    assert min(audited.trust[graph.index[h]] for h in HONEST) > audited.trust[fakes].max()


def test_triangle_poor_graph_falls_back_to_sybilrank() -> None:
    from lurewatch.graph.attack import barabasi_albert
    from lurewatch.graph.loading import from_index_pairs

    rng = np.random.default_rng(0)
    src, dst = barabasi_albert(2000, 3, rng)  # preferential attachment: almost no triangles
    honest = from_index_pairs(2000, src, dst)
    attacked = attach_fake_region(honest, 100, "ba", rng=rng)
    seeds = rng.choice(attacked.n_honest, size=20, replace=False)
    result = strongtie_trust(attacked.graph, seeds)
    assert result.fallback
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(attacked.is_fake, -result.ranking_key()) > 0.95
    graph, seeds = honest_and_sybils()
    assert not strongtie_trust(graph, seeds).fallback


def test_early_termination_is_ceil_log2_n() -> None:
    graph, seeds = honest_and_sybils()
    assert default_iterations(1000) == 10
    assert sybilrank(graph, seeds).iterations == math.ceil(math.log2(graph.n))
    assert sybilrank(graph, seeds, iterations=3).iterations == 3


def test_propagation_conserves_trust_and_degree_normalisation_removes_hub_advantage() -> None:
    # A hub joined to a triangle: connected and not bipartite, so the walk converges.
    pairs = [("h", str(i)) for i in range(6)] + [("0", "1"), ("1", "2"), ("2", "0")]
    graph = from_pairs(pairs)
    seeds, _ = seed_indices(graph, ["3"])
    raw = propagate(graph.adj, seeds, 400, total=10.0)
    assert raw.sum() == pytest.approx(10.0)
    long_run = sybilrank(graph, seeds, iterations=400).trust
    # Converged, raw trust is proportional to degree; divided by degree it is equal everywhere.
    assert np.allclose(long_run, long_run[0], rtol=1e-6)
    assert raw[graph.index["h"]] > raw[graph.index["0"]]


def test_suspicion_is_rank_based_and_in_unit_interval() -> None:
    s = suspicion_from_trust(np.array([0.0, 5.0, 1.0, 1.0]))
    assert s.min() >= 0 and s.max() <= 1
    assert s[0] == 1.0 and s[1] == 0.0 and s[2] == s[3]


def test_edge_list_keeps_string_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_text("# comment\n007 7\n007 007\nonlyone\n\n7 x 1.5\n7 007\n", encoding="utf-8")
    errors: list[InputError] = []
    graph = read_edge_list(path, errors)
    assert set(graph.ids) == {"007", "7", "x"}
    assert graph.m == 2  # self-loop dropped, repeated edge counted once
    assert len(errors) == 1 and errors[0].line == 4 and str(path) in str(errors[0])


def test_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(b"\xef\xbb\xbf1 2\r\n2 3\r\n")
    assert read_edge_list(path).ids == ["1", "2", "3"]


def test_parse_edge_lines_yields_errors_not_exceptions() -> None:
    items = list(parse_edge_lines(["a b", "c", "% konect comment", "d e"]))
    assert [i for i in items if not isinstance(i, InputError)] == [("a", "b"), ("d", "e")]
    assert sum(isinstance(i, InputError) for i in items) == 1


def test_missing_seeds_are_reported() -> None:
    graph = from_pairs([("a", "b")])
    seeds, missing = seed_indices(graph, ["a", "nobody"])
    assert list(seeds) == [graph.index["a"]] and missing == ["nobody"]


@pytest.mark.parametrize("method", ["strongtie", "sybilrank", "ppr", "degree"])
def test_every_method_scores_every_node(method: str) -> None:
    graph, seeds = honest_and_sybils()
    result = score_nodes(graph, seeds, method)
    assert result.score.shape == (graph.n,)
    assert np.all((result.score >= 0) & (result.score <= 1))


def test_real_graph_fake_region_behind_100_attack_edges() -> None:
    path = DATA / "ca-GrQc.edges"
    if not path.exists():
        pytest.skip("shared graphs not present")
    from sklearn.metrics import roc_auc_score

    honest = largest_component(read_edge_list(path))
    rng = np.random.default_rng(3)
    attacked = attach_fake_region(honest, 100, "er", rng=rng)
    seeds = rng.choice(attacked.n_honest, size=40, replace=False)
    ours = roc_auc_score(attacked.is_fake, score_nodes(attacked.graph, seeds, "strongtie").score)
    published = roc_auc_score(
        attacked.is_fake, score_nodes(attacked.graph, seeds, "sybilrank").score
    )
    assert ours > 0.9
    assert ours > published
