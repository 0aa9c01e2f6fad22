"""`lurewatch graph …`: trust propagation on an edge list, targeting reports, the evaluation protocol."""

from __future__ import annotations

import json
import sys

import click

from lurewatch.cli.terminal import terminal_safe
from lurewatch.errors import InputError


@click.group("graph")
def command() -> None:
    """Connection-graph trust and targeting analysis."""


def _warn(text: str) -> None:
    # Untrusted names reach the terminal: drop control characters (no escape sequences).
    click.echo(f"lurewatch graph: warning: {terminal_safe(text)}", err=True)


@command.command("trust")
@click.option(
    "--edges",
    "edges_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Edge list: 'u v' per line, undirected; '#' comments.",
)
@click.option(
    "--seeds",
    "seeds_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Trusted node ids, one per line (verified accounts, your own staff).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "tsv"]), default="jsonl", show_default=True
)
@click.option(
    "--method",
    type=click.Choice(["strongtie", "sybilrank", "ppr", "degree", "strongtie-v1", "integro"]),
    default="strongtie",
    show_default=True,
    help="strongtie (ours), SybilRank as published, personalised PageRank, degree; for comparison "
    "strongtie-v1 (before the laundering audit) and integro (SybilRank, edges of accounts with "
    "many bare ties down-weighted).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here instead of standard output.",
)
@click.option(
    "--edge-times",
    is_flag=True,
    help="The edge list's third column is when the edge appeared (ISO 8601 date/time or Unix "
    "seconds): adds the growth signal (a young account gaining a tight group of contacts who "
    "know none of its others, within 10 days).",
)
@click.option(
    "--invitations",
    "invitations_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Invitation outcomes: 'inviter invitee outcome' per line (sent, accepted, ignored, "
    "reported): adds the invitation-response signal; inviters join the output.",
)
def trust_cmd(
    edges_path: str,
    seeds_path: str,
    fmt: str,
    method: str,
    output: str | None,
    edge_times: bool,
    invitations_path: str | None,
) -> None:
    """Score every node of an edge list: {"id", "trust", "score"} per line, score = suspicion in [0, 1].

    Bad lines are reported with their line number on standard error and skipped; the rest is scored.
    """
    from lurewatch.graph.loading import (
        read_edge_list,
        read_invitations,
        read_node_list,
        read_timed_edge_list,
        with_edges,
    )
    from lurewatch.graph.scoring import score_nodes
    from lurewatch.graph.trust import seed_indices

    errors: list[InputError] = []
    invitations = read_invitations(invitations_path, errors) if invitations_path else None
    inviters = dict.fromkeys(src for src, _dst, _kind in invitations or ())
    timed = None
    if edge_times:
        graph, timed = read_timed_edge_list(edges_path, errors)
    else:
        graph = read_edge_list(edges_path, errors)
    if invitations:
        # accepted invitations are connections too; inviters nobody accepted still get a line
        accepted = [(u, v) for u, v, kind in invitations if kind == "invitation_accepted"]
        graph = with_edges(graph, accepted, inviters)
    for err in errors[:50]:
        _warn(str(err) if err.field == "time" else f"skipped {err}")
    if len(errors) > 50:
        _warn(f"… and {len(errors) - 50} more bad lines skipped")
    seed_ids = read_node_list(seeds_path)
    seeds, missing = seed_indices(graph, seed_ids)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        _warn(f"{len(missing)} seed(s) not in the graph, ignored: {shown}")
    if len(seeds) == 0:
        _warn(
            "no seed is in the graph: strongtie judges each connected component from its best-embedded "
            "member (a weak, seedless ranking); other methods give every node the same score"
        )
    result = score_nodes(graph, seeds, method, edge_times=timed, invitations=invitations)
    if result.fallback:
        _warn(
            "too few ties share contacts (fewer triangles than real social networks show): "
            "the ranking is averaged with SybilRank's"
        )
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        if fmt == "tsv":
            out.write("id\ttrust\tscore\n")
        for i, node in enumerate(graph.ids):
            trust = float(result.trust[i])
            score = float(result.score[i])
            if fmt == "jsonl":
                row = {"id": node, "trust": round(trust, 9), "score": round(score, 9)}
                if result.in_core is not None:
                    row["core"] = bool(result.in_core[i])
                if result.reachable is not None:
                    row["reachable"] = bool(result.reachable[i])
                if result.growth is not None:
                    row["growth"] = round(float(result.growth[i]), 6)
                if result.invitations is not None:
                    row["invitations"] = round(float(result.invitations[i]), 6)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                out.write(f"{node}\t{trust:.9g}\t{score:.9g}\n")
    finally:
        if output:
            out.close()
    click.echo(
        f"{graph.n:,} nodes, {graph.m:,} edges, {len(seeds):,} seeds, method {method}; {len(errors):,} bad lines",
        err=True,
    )


@command.command("targeting")
@click.option(
    "--input",
    "input_path",
    required=True,
    help="Records: a JSONL/JSON feed (accounts, edges, messages), a LinkedIn archive, or '-'.",
)
@click.option(
    "--staff",
    "staff_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Your organisation's staff list: 'account_id[,department]' per line (trusted seeds; early-warning scope).",
)
@click.option(
    "--org",
    "organisation",
    default=None,
    help="Your organisation's name, for the early-warning sentences.",
)
@click.option("--window-days", default=10, show_default=True, type=click.IntRange(1, 3650))
@click.option(
    "--min-staff",
    default=5,
    show_default=True,
    type=click.IntRange(2, 100000),
    help="Warn when one account reaches this many staff within the window.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="One line per account even when the graph found nothing.",
)
def targeting_cmd(
    input_path: str,
    staff_path: str | None,
    organisation: str | None,
    window_days: int,
    min_staff: int,
    show_all: bool,
) -> None:
    """Trust, invitation responses, targeting concentration and early warnings per account (JSONL).

    Each line: {"id", "score", "trust", "invitations", "targeting", "warnings", "evidence"}. Early
    warnings are also printed on standard error as sentences.
    """
    from lurewatch.engine.plugins.graph import read_staff_list
    from lurewatch.graph.analysis import analyze
    from lurewatch.graph.signals import evidence_for
    from lurewatch.ingest import open_source
    from lurewatch.records import Account, Edge, Message

    reader = open_source(input_path, stdin=sys.stdin)
    accounts: list[Account] = []
    edges: list[Edge] = []
    messages: list[Message] = []
    bad = 0
    for item in reader:
        if isinstance(item, InputError):
            bad += 1
            if bad <= 50:
                _warn(f"skipped {item}")
        elif isinstance(item, Account):
            accounts.append(item)
        elif isinstance(item, Edge):
            edges.append(item)
        elif isinstance(item, Message):
            messages.append(item)
    staff = read_staff_list(staff_path, organisation) if staff_path else None
    result = analyze(
        accounts, edges, messages, staff=staff, window_days=window_days, min_staff=min_staff
    )
    for facts in sorted(result.facts.values(), key=lambda f: -(f.score or 0.0)):
        evidence = evidence_for(facts)
        if not evidence and not show_all:
            continue
        row = {
            "id": facts.account,
            "score": None if facts.score is None else round(facts.score, 6),
            "trust": None if facts.trust is None else round(facts.trust, 6),
            "invitations": facts.invitations,
            "targeting": facts.targeting,
            "warnings": facts.warnings,
            "evidence": [e.to_dict() for e in evidence],
        }
        click.echo(json.dumps(row, ensure_ascii=False))
    for w in result.warnings:
        label = w.account
        _warn(
            f"early warning for {w.organisation}: "
            + next(
                (
                    x["text"]
                    for x in result.facts[w.account].warnings
                    if x["organisation"] == w.organisation
                ),
                w.sentence(label),
            )
        )
    click.echo(
        f"{len(accounts):,} accounts, {len(edges):,} edges, {len(messages):,} messages; {result.seeds:,} seeds; "
        f"{len(result.warnings):,} early warnings; {bad:,} bad records",
        err=True,
    )


@command.command("eval")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Shared data folder (default: LUREWATCH_SHARED_DATA or ../shared/data).",
)
@click.option("--quick", is_flag=True, help="Fewer repetitions and attack sizes (a smoke run).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write the markdown section here.",
)
@click.pass_obj
def eval_cmd(settings, data_dir: str | None, quick: bool, seed: int, out_path: str | None) -> None:  # noqa: ANN001
    """Run the Sybil-region protocol (docs/graph.md) and print the AUC table as markdown."""
    from pathlib import Path

    from lurewatch.evaluation.base import EvalContext
    from lurewatch.graph.evaluation import evaluate

    root = Path(data_dir) if data_dir else Path(settings.shared_data_dir)
    ctx = EvalContext(
        data_dir=root,
        img_dir=Path("docs/img"),
        models_dir=Path(settings.models_dir),
        seed=seed,
        quick=quick,
        progress=lambda msg: click.echo(msg, err=True),
    )
    section = evaluate(ctx)
    text = f"## {section.title}\n\n{section.markdown}\n"
    click.echo(text)
    if out_path:
        Path(out_path).write_text(text, encoding="utf-8")
