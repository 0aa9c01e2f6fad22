"""The Sybil-region protocol and the invitation-response experiment, for docs/evaluation.md.

Protocol (SybilRank / Íntegro papers): take a real graph's largest connected component as the
honest region, attach a generated fake region of 10% of its size through A random attack edges,
give the method random honest seeds (1% of nodes, at least 10), and measure ROC-AUC of the
suspicion score. Fake generators vary (Barabási–Albert, Erdős–Rényi, a copied real subgraph) and
the strong-tie parameters were chosen on ca-GrQc only; ca-HepTh and email-Eu-core are held out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lurewatch.evaluation.base import EvalContext, EvalSection
from lurewatch.graph import invitations as inv
from lurewatch.graph.analysis import combined_suspicion
from lurewatch.graph.attack import (
    attach_fake_region,
    barabasi_albert,
    organisations,
    simulate_edge_times,
)
from lurewatch.graph.loading import (
    Graph,
    TimedEdges,
    from_index_pairs,
    largest_component,
    read_edge_list,
)
from lurewatch.graph.scoring import ALL_METHODS, score_nodes
from lurewatch.graph.trust import suspicion_from_trust, sybilrank, victim_weights

GRAPHS: tuple[tuple[str, str], ...] = (
    ("ca-GrQc", "tuned on"),
    ("ca-HepTh", "held out"),
    ("email-Eu-core", "held out"),
)
ATTACKS = (100, 500, 1000, 2000, 5000)
GENERATORS = ("ba", "er", "copy")
METHODS = ALL_METHODS  # ours, the baselines, and our method before the laundering audit
LABELS = {
    "strongtie": "strong-tie v2 (ours)",
    "strongtie-v1": "strong-tie v1 (before)",
    "integro": "Íntegro-style (structural victims)",
    "strongtie+time": "v2 + edge times",
    "sybilrank": "SybilRank",
    "ppr": "personalised PageRank",
    "degree": "degree",
}


def auc(is_positive: np.ndarray, score: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(is_positive, score))


def random_seeds(n_honest: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(n_honest, size=min(n_honest, max(10, n_honest // 100)), replace=False)


def protocol_run(
    honest: Graph, attack_edges: int, generator: str, rng: np.random.Generator, methods=METHODS
) -> dict[str, float]:  # noqa: ANN001
    """One attacked graph, every method's AUC."""
    attacked = attach_fake_region(honest, attack_edges, generator, rng=rng)
    seeds = random_seeds(attacked.n_honest, rng)
    return {m: auc(attacked.is_fake, score_nodes(attacked.graph, seeds, m).score) for m in methods}


def _load(ctx: EvalContext, name: str) -> Graph | None:
    path = Path(ctx.data_dir) / "graphs" / f"{name}.edges"
    return largest_component(read_edge_list(path)) if path.exists() else None


def _departments(ctx: EvalContext, name: str, graph: Graph) -> np.ndarray | None:
    """Real organisation labels when the data has them (email-Eu-core's departments), else None."""
    path = Path(ctx.data_dir) / "graphs" / f"{name}.departments"
    if not path.exists():
        return None
    dept: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].lstrip("-").isdigit():
            dept[parts[0]] = int(parts[1])
    return np.array([dept.get(node, -1) for node in graph.ids], dtype=np.int64)


def evaluate(ctx: EvalContext) -> EvalSection:
    attacks = (100, 500, 2000) if ctx.quick else ATTACKS
    reps = 1 if ctx.quick else 3
    graphs = GRAPHS[:2] if ctx.quick else GRAPHS
    rows: list[str] = []
    metrics: dict[str, float] = {}
    curves: dict[tuple[str, str], list[float]] = {}
    for name, role in graphs:
        honest = _load(ctx, name)
        if honest is None:
            ctx.progress(f"graph eval: {name} missing, skipped")
            continue
        for generator in GENERATORS:
            for a in attacks:
                runs = [
                    protocol_run(
                        honest, a, generator, np.random.default_rng(ctx.seed * 1000 + r * 7 + a)
                    )
                    for r in range(reps)
                ]
                mean = {m: float(np.mean([run[m] for run in runs])) for m in METHODS}
                rows.append(
                    f"| {name} ({role}) | {generator} | {a:,} | "
                    + " | ".join(f"{mean[m]:.3f}" for m in METHODS)
                    + " |"
                )
                for m in METHODS:
                    curves.setdefault((name, m), []).append(mean[m])
                    metrics[f"graph.auc.{name}.{generator}.{a}.{m}"] = round(mean[m], 4)
            ctx.progress(f"graph eval: {name} {generator} done")
    head = (
        "| graph | fake region | attack edges | "
        + " | ".join(LABELS[m] for m in METHODS)
        + " |\n|---|---|---:|"
        + "---:|" * len(METHODS)
    )
    held = [v for k, v in metrics.items() if ".500.strongtie" in k and "ca-GrQc" not in k]
    held_sr = [v for k, v in metrics.items() if ".500.sybilrank" in k and "ca-GrQc" not in k]
    if held:
        metrics["graph.auc.heldout.500.strongtie"] = round(float(np.mean(held)), 4)
        metrics["graph.auc.heldout.500.strongtie_min"] = round(float(np.min(held)), 4)
        metrics["graph.auc.heldout.500.sybilrank"] = round(float(np.mean(held_sr)), 4)
    plots = _plot(ctx, curves, attacks)
    targeted_md, targeted_metrics = targeted_experiment(ctx)
    metrics.update(targeted_metrics)
    invite_md, invite_metrics = invitation_experiment(ctx)
    metrics.update(invite_metrics)
    md = [
        "Structural protocol (SybilRank/Íntegro literature): honest region = the graph's largest connected "
        "component; a fake region of 10% of its nodes (Barabási–Albert, Erdős–Rényi with the honest mean "
        "degree, or a breadth-first copy of a real subgraph) joined by A uniformly random attack edges; "
        f"random honest seeds (1% of nodes, ≥ 10); ROC-AUC of the suspicion score, mean of {reps} runs. "
        "Strong-tie parameters were chosen on ca-GrQc only; the other graphs are held out for parameters, "
        "though three design choices (the chance test for shared contacts, the group-size rule, the core-drying "
        "guard) were made "
        "after seeing results on them (docs/graph.md). "
        "Degree is the naive baseline (more connections = more trusted); it falls below 0.5 because "
        "attack edges add to fakes' degree.",
        "",
        head,
        *rows,
        "",
    ]
    if held:
        md.append(
            f"Held-out graphs at 500 attack edges: strong-tie mean AUC {metrics['graph.auc.heldout.500.strongtie']:.3f} "
            f"(worst case {metrics['graph.auc.heldout.500.strongtie_min']:.3f}), SybilRank {metrics['graph.auc.heldout.500.sybilrank']:.3f}."
        )
        md.append("")
    md.extend(f"![{p.stem}](img/{p.name})" for p in plots)
    md.append("")
    md.append(targeted_md)
    md.append("")
    md.append(invite_md)
    return EvalSection(
        title="Connection graph: trust and invitation responses",
        markdown="\n".join(md),
        metrics=metrics,
        plots=plots,
    )


def _plot(ctx: EvalContext, curves: dict[tuple[str, str], list[float]], attacks) -> list[Path]:  # noqa: ANN001
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    names = sorted({n for n, _ in curves})
    if not names:
        return []
    fig, axes = plt.subplots(
        1, len(names), figsize=(4.2 * len(names), 3.4), sharey=True, squeeze=False
    )
    for ax, name in zip(axes[0], names, strict=True):
        for m in METHODS:
            ys = curves.get((name, m))
            if ys is None:
                continue
            # mean over the generators at each attack size
            k = len(attacks)
            ys_mean = np.mean(np.array(ys).reshape(-1, k), axis=0)
            ax.plot(attacks, ys_mean, marker="o", label=LABELS[m])
        ax.set_xscale("log")
        ax.set_title(name)
        ax.set_xlabel("attack edges")
        ax.axhline(0.5, color="grey", lw=0.5)
    axes[0][0].set_ylabel("ROC-AUC (mean over generators)")
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    Path(ctx.img_dir).mkdir(parents=True, exist_ok=True)
    path = Path(ctx.img_dir) / "graph_auc_vs_attack_edges.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


LAUNDERING_ATTACKS = (100, 500, 1000, 2000, 5000)
N_ORGS = 3


TIMED = "strongtie+time"  # our method given simulated edge times (the growth signal)


def laundering_run(
    honest: Graph,
    attack_edges: int,
    rng: np.random.Generator,
    labels: np.ndarray | None = None,
    methods=METHODS,  # noqa: ANN001
    targeted: bool = True,
) -> dict[str, float]:
    """One credibility-laundering draw: copied fake region, attack edges into 3 organisations by
    triadic closure (or uniformly random ones when not `targeted`); every method, and ours with edge times."""
    orgs = organisations(honest, rng, labels)[:N_ORGS] if targeted else None
    attacked = attach_fake_region(honest, attack_edges, "copy", rng=rng, orgs=orgs)
    seeds = random_seeds(attacked.n_honest, rng)
    out = {m: auc(attacked.is_fake, score_nodes(attacked.graph, seeds, m).score) for m in methods}
    src, dst, at = simulate_edge_times(attacked, rng)
    timed = score_nodes(attacked.graph, seeds, edge_times=TimedEdges(src, dst, at))
    out[TIMED] = auc(attacked.is_fake, timed.score)
    return out


def targeted_experiment(ctx: EvalContext) -> tuple[str, dict[str, float]]:
    """Credibility laundering on every shared graph: mean and worst draw per method and attack size."""
    attacks = (100, 1000, 5000) if ctx.quick else LAUNDERING_ATTACKS
    reps = 1 if ctx.quick else 3
    graphs = GRAPHS[1:2] if ctx.quick else GRAPHS
    rows: list[str] = []
    metrics: dict[str, float] = {}
    for name, role in graphs:
        honest = _load(ctx, name)
        if honest is None:
            ctx.progress(f"graph eval: {name} missing, laundering skipped")
            continue
        labels = _departments(ctx, name, honest)
        for a in attacks:
            runs = [
                laundering_run(
                    honest, a, np.random.default_rng(ctx.seed * 1000 + 500 + r * 11 + a), labels
                )
                for r in range(reps)
            ]
            cells = []
            for m in (*METHODS, TIMED):
                vals = [run[m] for run in runs]
                mean, worst = float(np.mean(vals)), float(np.min(vals))
                metrics[f"graph.auc.laundering.{name}.{a}.{m}"] = round(mean, 4)
                metrics[f"graph.auc.laundering.{name}.{a}.{m}_min"] = round(worst, 4)
                cells.append(f"{mean:.3f} ({worst:.3f})")
            per_fake = a / max(2, int(round(0.1 * honest.n)))
            rows.append(f"| {name} ({role}) | {a:,} | {per_fake:.1f} | " + " | ".join(cells) + " |")
        ctx.progress(f"graph eval: laundering {name} done")
    head = (
        "| graph | attack edges | per fake | "
        + " | ".join(LABELS[m] for m in (*METHODS, TIMED))
        + " |\n|---|---:|---:|"
        + "---:|" * (len(METHODS) + 1)
    )
    random_md, random_metrics = _random_with_times(ctx, graphs, reps)
    metrics.update(random_metrics)
    text = (
        "Credibility laundering (targeted attack, realistic fake region): the fake region is a "
        "breadth-first copy of part of the same real graph (10% of its nodes, so its own clustering is "
        f"real); the attack edges are dealt to random fakes and aimed at {N_ORGS} organisations — "
        "Louvain communities of the honest graph closest to 100–200 members (networkx, seeded per draw), "
        "or email-Eu-core's real departments; each fake connects first to 2 random members of its "
        "organisation, then to colleagues drawn in proportion to the contacts they already share with "
        "it (triadic closure). Random honest seeds (1%, ≥ 10). ROC-AUC, mean of "
        f"{reps} draws (worst draw in brackets). No method learns anything; the laundering audit's "
        "parameter (0.7) was set on development draws of ca-HepTh and ca-GrQc (email-Eu-core was "
        "looked at too) with other random seeds than these, so for v2 no graph here is held out — "
        "the labels refer to v1's parameters. "
        "`per fake` = attack edges per fake account: email-Eu-core's fake region has only ~100 "
        "accounts, so 1,000 attack edges there means ten colleagues befriended per fake, more than "
        "its own fake contacts.\n\n"
        + head
        + "\n"
        + "\n".join(rows)
        + "\n\n"
        + TIME_NOTE
        + "\n\n"
        + random_md
    )
    return text, metrics


TIME_NOTE = (
    "`v2 + edge times`: the same draws with simulated times — honest members join uniformly over "
    "five years and each tie forms ~200 days (exponential) after the later one joined, so honest "
    "newcomers also gain all their contacts at once; fake accounts are created 3–8 months before "
    "the end and befriend each other within weeks; the laundering campaign is the last 60 days "
    "(each fake's entries in its first 2 days, colleagues within 12). The growth signal's weight "
    "(0.3) and youth horizon (1 year) were set on ca-HepTh/ca-GrQc/email-Eu-core draws with other "
    "random seeds. This time model is ours, not measured: read these columns as a check that the "
    "signal helps when times look like this, not as a forecast."
)


def _random_with_times(ctx: EvalContext, graphs, reps: int) -> tuple[str, dict[str, float]]:  # noqa: ANN001
    """Random attack edges (copied region, 1,000 edges) with and without edge times: no regression."""
    rows: list[str] = []
    metrics: dict[str, float] = {}
    for name, role in graphs:
        honest = _load(ctx, name)
        if honest is None:
            continue
        runs = [
            laundering_run(
                honest,
                1000,
                np.random.default_rng(ctx.seed * 1000 + 700 + r * 13),
                methods=("strongtie",),
                targeted=False,
            )
            for r in range(reps)
        ]
        cells = []
        for m in ("strongtie", TIMED):
            vals = [run[m] for run in runs]
            metrics[f"graph.auc.random_timed.{name}.1000.{m}"] = round(float(np.mean(vals)), 4)
            cells.append(f"{np.mean(vals):.3f} ({np.min(vals):.3f})")
        rows.append(f"| {name} ({role}) | " + " | ".join(cells) + " |")
    return (
        "Random attack edges (1,000, copied fake region, same time model), with and without "
        "times; mean (worst draw):\n\n"
        "| graph | strong-tie v2 (ours) | v2 + edge times |\n|---|---:|---:|\n" + "\n".join(rows),
        metrics,
    )


# ---------------------------------------------------------------- invitation responses


def simulate_invitations(
    honest: Graph,
    invites_per_fake: int,
    rng: np.random.Generator,
    fake_fraction: float = 0.1,
    fake_appeal: float = 0.6,
) -> tuple[Graph, np.ndarray, list[tuple[str, str, str]]]:
    """An invitation log over a real graph: honest ties are accepted invitations, plus a few stranger
    invitations per member; each fake sprays `invites_per_fake` invitations at random members, who
    accept with their own propensity × `fake_appeal`, else ignore (5% of those report).

    Returns the connection graph (accepted invitations), the fake mask and the log.
    """
    n_h = honest.n
    n_f = max(2, int(round(fake_fraction * n_h)))
    propensity = rng.beta(2, 5, size=n_h)  # how readily each member accepts strangers (mean 0.29)
    log: list[tuple[str, str, str]] = []
    coo = honest.adj.tocoo()
    keep = coo.row < coo.col
    for u, v in zip(coo.row[keep], coo.col[keep], strict=True):
        a, b = (u, v) if rng.random() < 0.5 else (v, u)
        log.append((str(a), str(b), "invitation_accepted"))
    src = [coo.row[keep]]
    dst = [coo.col[keep]]
    strangers = rng.poisson(1.0, size=n_h)
    for u in np.flatnonzero(strangers):
        for v in rng.integers(0, n_h, size=strangers[u]):
            if v == u:
                continue
            ok = rng.random() < propensity[v]
            log.append((str(u), str(v), "invitation_accepted" if ok else "invitation_ignored"))
            if ok:
                src.append(np.array([u]))
                dst.append(np.array([v]))
    mean_degree = max(2.0, 2 * honest.m / n_h)
    fs, fd = barabasi_albert(n_f, max(1, int(round(mean_degree / 2))), rng)
    for u, v in zip(fs, fd, strict=True):
        log.append((str(u + n_h), str(v + n_h), "invitation_accepted"))
    src.append(fs + n_h)
    dst.append(fd + n_h)
    for f in range(n_h, n_h + n_f):
        for v in rng.choice(n_h, size=min(invites_per_fake, n_h), replace=False):
            if rng.random() < propensity[v] * fake_appeal:
                log.append((str(f), str(v), "invitation_accepted"))
                src.append(np.array([v]))
                dst.append(np.array([f]))
            else:
                log.append(
                    (
                        str(f),
                        str(v),
                        "invitation_reported" if rng.random() < 0.05 else "invitation_ignored",
                    )
                )
    graph = from_index_pairs(n_h + n_f, np.concatenate(src), np.concatenate(dst))
    is_fake = np.zeros(n_h + n_f, dtype=bool)
    is_fake[n_h:] = True
    return graph, is_fake, log


def invitation_experiment(ctx: EvalContext, name: str = "ca-HepTh") -> tuple[str, dict[str, float]]:
    """How much invitation responses add to structure, as fakes spray more invitations."""
    honest = _load(ctx, name)
    if honest is None:
        return f"(invitation experiment skipped: {name} missing)", {}
    sizes = (3, 10, 30) if ctx.quick else (3, 5, 10, 20, 50)
    reps = 1 if ctx.quick else 3
    rows = []
    metrics: dict[str, float] = {}
    for k in sizes:
        acc: dict[str, list[float]] = {}
        attack: list[int] = []
        for r in range(reps):
            rng = np.random.default_rng(ctx.seed * 100 + r * 13 + k)
            graph, is_fake, log = simulate_invitations(honest, k, rng)
            attack.append(int(graph.adj[: honest.n, honest.n :].nnz))
            seeds = random_seeds(honest.n, rng)
            structural = score_nodes(graph, seeds, "strongtie").score
            scores = inv.score_all(inv.invitation_log(log))
            invite = np.array(
                [scores[str(i)].suspicion if str(i) in scores else 0.0 for i in range(graph.n)]
            )
            victims = inv.victim_probabilities(log)
            p = np.array([victims.get(str(i), 0.0) for i in range(graph.n)])
            integro = sybilrank(graph, seeds, weights=victim_weights(graph, p)).trust
            results = {
                "sybilrank": auc(is_fake, score_nodes(graph, seeds, "sybilrank").score),
                "integro": auc(is_fake, suspicion_from_trust(integro)),
                "strongtie": auc(is_fake, structural),
                "invitations": auc(is_fake, invite),
                "combined": auc(is_fake, combined_suspicion(structural, invite)),
            }
            for key, value in results.items():
                acc.setdefault(key, []).append(value)
        mean = {key: float(np.mean(v)) for key, v in acc.items()}
        for key, value in mean.items():
            metrics[f"graph.invite.{k}.{key}"] = round(value, 4)
        rows.append(
            f"| {k} | {int(np.mean(attack)):,} | {mean['sybilrank']:.3f} | {mean['integro']:.3f} | {mean['strongtie']:.3f} | {mean['invitations']:.3f} | {mean['combined']:.3f} |"
        )
        ctx.progress(f"graph eval: invitations k={k} done")
    text = [
        f"Invitation responses (simulated log over {name}): honest ties are accepted invitations, each member "
        "also sends ~1 invitation to a stranger, accepted with the recipient's own propensity (Beta(2,5)); "
        "each fake sprays k invitations at random members, accepted with 0.6 × that propensity, else "
        "ignored (5% of those reported). Accepted fake invitations are the attack edges. "
        "Íntegro = SybilRank on edges down-weighted by the recipients' acceptance rate (victim cue). "
        f"ROC-AUC, mean of {reps} runs.",
        "",
        "| invitations per fake | attack edges | SybilRank | Íntegro-weighted | strong-tie | invitations alone | strong-tie + invitations |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    return "\n".join(text), metrics
