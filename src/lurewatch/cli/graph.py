"""`lurewatch graph …`: trust propagation on an edge list, targeting reports, the evaluation protocol."""

from __future__ import annotations

import json
import sys

import click

from lurewatch.errors import InputError


@click.group("graph")
def command() -> None:
    """Connection-graph trust and targeting analysis."""


def _warn(text: str) -> None:
    click.echo(f"lurewatch graph: warning: {text}", err=True)


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
    type=click.Choice(["strongtie", "sybilrank", "ppr", "degree"]),
    default="strongtie",
    show_default=True,
    help="strongtie (ours), SybilRank as published, personalised PageRank, or degree.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here instead of standard output.",
)
def trust_cmd(edges_path: str, seeds_path: str, fmt: str, method: str, output: str | None) -> None:
    """Score every node of an edge list: {"id", "trust", "score"} per line, score = suspicion in [0, 1].

    Bad lines are reported with their line number on standard error and skipped; the rest is scored.
    """
    from lurewatch.graph.loading import read_edge_list, read_node_list
    from lurewatch.graph.scoring import score_nodes
    from lurewatch.graph.trust import seed_indices

    errors: list[InputError] = []
    graph = read_edge_list(edges_path, errors)
    for err in errors[:50]:
        _warn(f"skipped {err}")
    if len(errors) > 50:
        _warn(f"… and {len(errors) - 50} more bad lines skipped")
    seed_ids = read_node_list(seeds_path)
    seeds, missing = seed_indices(graph, seed_ids)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        _warn(f"{len(missing)} seed(s) not in the graph, ignored: {shown}")
    if len(seeds) == 0:
        _warn("no seed is in the graph: nothing can be trusted, every node gets the same score")
    result = score_nodes(graph, seeds, method)
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    try:
        if fmt == "tsv":
            out.write("id\ttrust\tscore\n")
        for i, node in enumerate(graph.ids):
            trust = float(result.trust[i])
            score = float(result.score[i]) if len(seeds) else 1.0
            if fmt == "jsonl":
                row = {"id": node, "trust": round(trust, 9), "score": round(score, 9)}
                if result.in_core is not None:
                    row["core"] = bool(result.in_core[i])
                if result.reachable is not None:
                    row["reachable"] = bool(result.reachable[i])
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
