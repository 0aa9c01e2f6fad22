"""`lurewatch graph trust` / `graph targeting` through the CLI: the JSONL contracts and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lurewatch.cli.main import cli


def _run(args: list[str]):  # noqa: ANN202
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_trust_one_line_per_node_ids_as_given(tmp_path: Path) -> None:
    edges = tmp_path / "e.txt"
    lines = [f"{i:03d} {j:03d}" for i in range(12) for j in range(i + 1, 12) if j - i <= 3]
    edges.write_text(
        "# a comment\n" + "\n".join(lines) + "\nnot_an_edge\n\n100 101\n", encoding="utf-8"
    )
    seeds = tmp_path / "s.txt"
    seeds.write_text("000\nghost\n", encoding="utf-8")
    result = _run(
        ["graph", "trust", "--edges", str(edges), "--seeds", str(seeds), "--format", "jsonl"]
    )
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert {r["id"] for r in rows} == {f"{i:03d}" for i in range(12)} | {"100", "101"}
    assert all(0 <= r["score"] <= 1 and "trust" in r for r in rows)
    assert f"line {len(lines) + 2}:" in result.stderr and "ghost" in result.stderr
    by_id = {r["id"]: r for r in rows}
    assert by_id["000"]["score"] <= min(r["score"] for r in rows)


def test_trust_every_method_and_tsv(tmp_path: Path) -> None:
    edges = tmp_path / "e.txt"
    edges.write_text("a b\nb c\nc a\nc d\n", encoding="utf-8")
    seeds = tmp_path / "s.txt"
    seeds.write_text("a\n", encoding="utf-8")
    for method in ("sybilrank", "ppr", "degree", "strongtie"):
        result = _run(
            [
                "graph",
                "trust",
                "--edges",
                str(edges),
                "--seeds",
                str(seeds),
                "--method",
                method,
                "--format",
                "tsv",
            ]
        )
        assert result.exit_code == 0
        assert (
            result.stdout.splitlines()[0] == "id\ttrust\tscore"
            and len(result.stdout.splitlines()) == 5
        )


def test_trust_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    seeds = tmp_path / "s.txt"
    seeds.write_text("a\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["graph", "trust", "--edges", str(tmp_path / "none.txt"), "--seeds", str(seeds)]
    )
    assert result.exit_code != 0
    assert "cannot read the edge list" in str(result.exception) or "cannot read" in result.output


def test_targeting_prints_evidence_and_the_early_warning(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"kind": "account", "id": f"s{i}", "name": f"Staff {i}", "company": "Acme Labs"}
        for i in range(6)
    ]
    records.append({"kind": "account", "id": "x", "name": "Rachel Li", "headline": "Head hunter"})
    records += [
        {
            "kind": "edge",
            "src": "x",
            "dst": f"s{i}",
            "type": "invitation_accepted",
            "at": f"2025-03-0{i + 1}",
        }
        for i in range(6)
    ]
    records.append({"kind": "edge", "src": "x"})  # bad: no dst
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "".join(f"s{i},{'Research' if i < 4 else 'Finance'}\n" for i in range(6)), encoding="utf-8"
    )
    result = _run(
        ["graph", "targeting", "--input", str(feed), "--staff", str(staff), "--org", "Acme Labs"]
    )
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    fake = next(r for r in rows if r["id"] == "x")
    assert any(e["signal"] == "graph.staff_surge" for e in fake["evidence"])
    assert (
        "account Rachel Li has connected with 6 of your staff in 10 days, 4 of them in the same department (Research)"
        in result.stderr
    )
    assert "field 'dst'" in result.stderr


def test_trust_on_an_empty_edge_list_prints_nothing_and_succeeds(tmp_path: Path) -> None:
    edges = tmp_path / "e.txt"
    edges.write_text("# nothing here\n", encoding="utf-8")
    seeds = tmp_path / "s.txt"
    seeds.write_text("a\n", encoding="utf-8")
    result = _run(["graph", "trust", "--edges", str(edges), "--seeds", str(seeds)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no seed is in the graph" in result.stderr
