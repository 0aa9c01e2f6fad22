"""`lurewatch avatar PATH…`: check profile photos for synthetic faces and reuse.

One result per image (folders are searched recursively, in sorted order). Photos repeated
within the batch, in the store's avatars (`--against-store`) or in an intelligence hash list
(`--intel`) are reported as reused. A broken image gets an `error` instead of a score, a
message on stderr, and makes the exit status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lurewatch.errors import InputError, LurewatchError
from lurewatch.settings import Settings


def _result_dict(result: Any, evidence: list[Any]) -> dict[str, Any]:
    if result.error is not None:
        return {"id": result.id, "error": result.error}
    out: dict[str, Any] = {
        "id": result.id,
        "score": round(result.score, 4) if result.score is not None else None,
        "evidence": [e.to_dict() for e in evidence],
        "phash": result.hashes.canonical_phash if result.hashes else None,
        "model": result.model,
    }
    if result.faces is not None:
        out["faces"] = result.faces.faces
    return out


@click.command("avatar")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl: one line per image {id, score, evidence} (or {id, error}).",
)
@click.option(
    "--intel",
    "intel_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File of avatar hashes received as intelligence (16-hex pHash or 64-hex key; one per line or a JSON list).",
)
@click.option(
    "--against-store",
    is_flag=True,
    help="Also match against the avatars of the store (--db) from `analyze`.",
)
@click.option("--no-cues", is_flag=True, help="Skip the face / background cues (faster).")
@click.pass_obj
def command(
    settings: Settings,
    paths: tuple[Path, ...],
    fmt: str,
    intel_file: Path | None,
    against_store: bool,
    no_cues: bool,
) -> int:
    """Check profile photos: probability of a synthetic (GAN) face, reuse across accounts, other cues.

    PATH may be image files or folders (searched recursively for .jpg/.jpeg/.png/.webp/.gif/.bmp/.tif).
    Exit status: 0 when every image was checked, 1 when any image could not be read.
    """
    from lurewatch.avatar import signals as asignals
    from lurewatch.avatar.checker import AvatarChecker
    from lurewatch.avatar.index import PhotoIndex, match_intel, parse_intel_hashes
    from lurewatch.avatar.loading import iter_image_paths
    from lurewatch.avatar.model import SyntheticFaceDetector
    from lurewatch.avatar.parallel import check_paths
    from lurewatch.cli.common import StderrProgress, dump_json

    intel: list[str] = []
    if intel_file is not None:
        try:
            intel = parse_intel_hashes(intel_file.read_text(encoding="utf-8", errors="replace"))
        except ValueError as exc:
            raise InputError(str(exc), source=str(intel_file)) from exc
    model = SyntheticFaceDetector.load(settings.models_dir / "avatar")
    checker = AvatarChecker(model, with_cues=not no_cues)
    missing = [p for p in paths if not p.exists()]
    files = list(iter_image_paths([p for p in paths if p.exists()]))
    progress = StderrProgress()

    def tick(i: int) -> None:
        progress("avatar: checking photos", i + 1, len(files))

    results = list(check_paths(checker, files, settings.models_dir, progress=tick))
    if not results and not missing:
        raise InputError(
            "no images found (looked for .jpg, .jpeg, .png, .webp, .gif, .bmp, .tif)",
            source=", ".join(str(p) for p in paths),
        )
    results += [checker.check_path(p) for p in missing]  # reported as errors, in the given order

    batch = PhotoIndex()
    for r in results:
        if r.hashes is not None:
            batch.insert(r.id, r.hashes)
    stored = PhotoIndex()
    if against_store:
        stored = _store_index(settings)

    errors = 0
    rows: list[dict[str, Any]] = []
    for r in results:
        if r.error is not None:
            errors += 1
            click.echo(f"lurewatch avatar: {r.id}: {r.error}", err=True)
            rows.append(_result_dict(r, []))
            continue
        assert r.hashes is not None
        matches = batch.query(r.hashes, exclude=r.id) + stored.query(r.hashes)
        evidence = asignals.evidence_for(r, matches, match_intel(r.hashes, intel))
        rows.append(_result_dict(r, evidence))

    if fmt == "jsonl":
        for row in rows:
            click.echo(dump_json(row))
    elif fmt == "json":
        click.echo(dump_json({"results": rows, "checked": len(rows) - errors, "errors": errors}))
    else:
        _print_text(rows)
    if errors:
        click.get_current_context().exit(1)  # works both under `main` and click's standalone mode
    return 0


def _store_index(settings: Settings):  # noqa: ANN202
    from lurewatch.avatar.hashing import PhotoHashes
    from lurewatch.avatar.index import PhotoIndex
    from lurewatch.cli.common import open_store_if_present

    index = PhotoIndex()
    store = open_store_if_present(settings)
    if store is None:
        raise LurewatchError(
            f"no store at {settings.db_url}: run `lurewatch ingest` and `lurewatch analyze` first"
        )
    from lurewatch.store.tables import avatar as table

    with store.read() as conn:
        for account_id, row in sorted(table.load_all(conn).items()):
            if row.get("hashes"):
                try:
                    index.insert(f"account {account_id}", PhotoHashes.from_dict(row["hashes"]))
                except (ValueError, KeyError, TypeError):
                    continue
    store.close()
    return index


def _print_text(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        ident = click.style(str(row["id"]), bold=True)
        if "error" in row:
            click.echo(f"{ident}\n  ERROR: {row['error']}")
            continue
        score = row["score"]
        verdict = (
            "likely synthetic"
            if score is not None and score >= 0.5
            else "no sign of a synthetic face"
        )
        click.echo(f"{ident}\n  synthetic-face score {score:.2f} ({verdict}); pHash {row['phash']}")
        for ev in row["evidence"]:
            if ev["signal"] == "avatar.synthetic_face":
                continue
            click.echo(f"  - [{ev['signal']} {ev['strength']:.2f}] {ev['explanation']}")
