"""Binds the avatar checks to the store and the bundled synthetic-face model.

`prepare` (run by `analyze`, order 5: before campaigns, which read `avatars.phash`) checks the
`photo` of every stored account whose file is new or changed (path, size, mtime), saves hashes,
synthetic score and cues in `avatars`, then builds the reused-photo index over all stored photos
and records each account's reuse group. The account detector reports the stored result and the
accounts sharing the photo; for an account that is not in the store (`check`, `scan`) its photo
is checked alone. Photos given as URLs are not fetched (lurewatch never goes online).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select

from lurewatch.avatar import signals as asignals
from lurewatch.avatar.checker import AvatarChecker, AvatarResult
from lurewatch.avatar.hashing import PhotoHashes
from lurewatch.avatar.index import PhotoIndex, PhotoMatch, match_intel
from lurewatch.avatar.model import SyntheticFaceDetector
from lurewatch.engine.plugins import Plugin, ProgressFn
from lurewatch.errors import ModelArtifactError
from lurewatch.evidence import Evidence
from lurewatch.records import Account, record_from_dict
from lurewatch.signals.views import AccountView

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store


def load_model(models_dir: Path) -> SyntheticFaceDetector | None:
    try:
        return SyntheticFaceDetector.load(Path(models_dir) / "avatar")
    except ModelArtifactError:
        return None


def resolve_photo(account: Account) -> tuple[Path | None, str | None]:
    """(local path, None) or (None, reason it cannot be checked)."""
    photo = (account.photo or "").strip()
    if not photo:
        return None, None
    if "://" in photo:
        if photo.lower().startswith("file://"):
            photo = photo[7:]
        else:
            return None, "a URL (lurewatch does not download photos; give a local file path)"
    p = Path(photo).expanduser()
    if (
        not p.is_absolute()
        and not p.exists()
        and account.source is not None
        and account.source.file
    ):
        beside = Path(account.source.file).resolve().parent / p
        if beside.exists():
            p = beside
    if not p.exists():
        return None, f"file not found: {photo[:200]}"
    return p, None


def _stat(p: Path) -> tuple[int, float]:
    st = p.stat()
    return int(st.st_size), float(st.st_mtime)


def _row(account_id: str, path: Path, result: AvatarResult) -> dict[str, Any]:
    from lurewatch.store.tables.avatar import checked_at_now

    size, mtime = _stat(path)
    h = result.hashes
    cues: dict[str, Any] = {}
    if result.faces is not None:
        cues["faces"] = result.faces.faces
        cues["aligned"] = result.faces.aligned
        cues["eyes"] = result.faces.eyes
    if result.background is not None:
        cues["border_std"] = round(result.background.border_std, 3)
        cues["border_edge"] = round(result.background.border_edge, 3)
        cues["uniform"] = result.background.uniform
    cues["editing_software"] = result.editing_software
    cues["generator_hints"] = list(result.generator_hints)
    cues["camera"] = result.camera
    cues["top_features"] = result.top_features
    return {
        "account_id": account_id,
        "path": str(path),
        "file_size": size,
        "file_mtime": mtime,
        "phash": h.canonical_phash if h else None,
        "phash_own": h.canonical_phash if h else None,
        "dhash": h.dhash if h else None,
        "hashes": h.to_dict() if h else None,
        "synthetic_score": result.score,
        "model": result.model,
        "group_id": account_id,
        "group_size": 1,
        "cues": cues,
        "checked_at": checked_at_now(),
        "error": result.error,
    }


def result_from_row(row: dict[str, Any]) -> AvatarResult:
    """Rebuilds what the signals need from a stored row (no file access)."""
    from lurewatch.avatar.cues import BackgroundCues, FaceCues

    cues = row.get("cues") or {}
    hashes = None
    if row.get("hashes"):
        try:
            hashes = PhotoHashes.from_dict(row["hashes"])
        except (ValueError, KeyError, TypeError):
            hashes = None
    faces = None
    if "faces" in cues:
        eyes = cues.get("eyes")
        faces = FaceCues(
            int(cues["faces"]),
            0.0,
            (tuple(eyes[0]), tuple(eyes[1])) if eyes else None,  # type: ignore[arg-type]
            bool(cues.get("aligned")),
        )
    background = None
    if "border_std" in cues:
        background = BackgroundCues(
            float(cues["border_std"]), float(cues["border_edge"]), bool(cues["uniform"])
        )
    return AvatarResult(
        id=row["path"],
        score=row.get("synthetic_score"),
        hashes=hashes,
        faces=faces,
        background=background,
        editing_software=cues.get("editing_software"),
        generator_hints=tuple(cues.get("generator_hints") or ()),
        camera=cues.get("camera"),
        top_features=[tuple(t) for t in cues.get("top_features") or []],  # type: ignore[misc]
        error=row.get("error"),
        model=row.get("model"),
    )


def intel_hashes(conn: Any) -> list[str]:
    """Avatar hashes received as intelligence: STIX indicators whose lurewatch artifact kind is
    'avatar' (see `intel.extension`), when the intel tables exist."""
    if not inspect(conn).has_table("intel_objects"):
        return []
    from sqlalchemy import column, table

    t = table("intel_objects", column("type"), column("data"))
    out: set[str] = set()
    for (data,) in conn.execute(select(t.c.data).where(t.c.type == "indicator")):
        if not isinstance(data, dict):
            continue
        for ext in (data.get("extensions") or {}).values():
            art = ext.get("artifact") if isinstance(ext, dict) else None
            if (
                isinstance(art, dict)
                and art.get("kind") == "avatar"
                and isinstance(art.get("value"), str)
            ):
                value = art["value"].strip().lower()
                if len(value) in (16, 64):
                    out.add(value)
    return sorted(out)


class AvatarStage:
    """State shared by `prepare` and the account detector within one run."""

    def __init__(self, settings: Settings, store: Store | None) -> None:
        self.store = store
        self.models_dir = settings.models_dir
        self.model = load_model(settings.models_dir)
        self.checker = AvatarChecker(self.model)
        self._rows: dict[str, dict[str, Any]] | None = None
        self._index: PhotoIndex | None = None
        self._intel: list[str] | None = None

    # ---------------------------------------------------------------- batch step

    def prepare(self, progress: ProgressFn) -> None:
        from lurewatch.store.tables import avatar as table
        from lurewatch.store.tables.core import accounts

        assert self.store is not None
        with self.store.read() as conn:
            stored = table.load_all(conn)
            todo: list[tuple[str, Path]] = []
            for row in conn.execute(select(accounts.c.id, accounts.c.data)):
                try:
                    rec = record_from_dict(row.data)
                except Exception:  # a stored row that no longer validates: skip it, keep the batch
                    continue
                if not isinstance(rec, Account):
                    continue
                path, _reason = resolve_photo(rec)
                if path is None:
                    continue
                old = stored.get(row.id)
                try:
                    size, mtime = _stat(path)
                except OSError:
                    continue
                if (
                    old
                    and old["path"] == str(path)
                    and old["file_size"] == size
                    and old["file_mtime"] == mtime
                ) and (old.get("hashes") or old.get("error")):
                    continue
                todo.append((row.id, path))
        from lurewatch.avatar.parallel import check_paths

        def tick(i: int) -> None:
            if i % 50 == 0:
                progress("avatar: checking photos", i, len(todo))

        results = check_paths(self.checker, [p for _, p in todo], self.models_dir, progress=tick)
        rows = [
            _row(account_id, path, result)
            for (account_id, path), result in zip(todo, results, strict=True)
        ]
        progress("avatar: checking photos", len(todo), len(todo))
        with self.store.write() as conn:
            table.save(conn, rows)
            stored = table.load_all(conn)
            index = self._build_index(stored)
            groups: dict[str, tuple[str, int, str]] = {}
            for account_id, matches in index.groups().items():
                members = sorted({account_id, *(m.key for m in matches)})
                rep = members[0]
                groups[account_id] = (rep, len(members), stored[rep]["phash_own"])
            table.set_groups(conn, groups)
            self._rows = table.load_all(conn)
            self._intel = intel_hashes(conn)
        self._index = index

    @staticmethod
    def _build_index(stored: dict[str, dict[str, Any]]) -> PhotoIndex:
        index = PhotoIndex()
        for account_id, row in sorted(stored.items()):
            if row.get("hashes"):
                try:
                    index.insert(account_id, PhotoHashes.from_dict(row["hashes"]))
                except (ValueError, KeyError, TypeError):
                    continue
        return index

    def _load(self) -> None:
        """Lazily reads the stored avatars (a `check` against an analysed store, no prepare)."""
        if self._rows is not None:
            return
        self._rows, self._intel = {}, []
        if self.store is None:
            return
        from lurewatch.store.tables import avatar as table

        try:
            with self.store.read() as conn:
                if not inspect(conn).has_table("avatars"):
                    return
                self._rows = table.load_all(conn)
                self._intel = intel_hashes(conn)
        except Exception:  # an unreadable store must not stop a check; the photo is checked alone
            self._rows, self._intel = {}, []
        self._index = self._build_index(self._rows)

    # ---------------------------------------------------------------- detector

    def detect(self, view: AccountView) -> list[Evidence]:
        account = view.account
        self._load()
        assert self._rows is not None
        row = self._rows.get(account.id)
        path, reason = resolve_photo(account)
        if reason is not None:
            return [asignals.error_evidence(reason, account.photo or "")]
        if path is None:
            return []
        if row is not None and row["path"] == str(path):
            result = result_from_row(row)
        else:
            result = self.checker.check_path(path, id=str(path))
        if result.error is not None:
            return [asignals.error_evidence(result.error, str(path))]
        matches: list[PhotoMatch] = []
        intel: list[tuple[str, int]] = []
        if result.hashes is not None:
            if self._index is not None and len(self._index):
                matches = self._index.query(result.hashes, exclude=account.id)
            intel = match_intel(result.hashes, self._intel or [])
        return asignals.evidence_for(
            result, matches, intel, synthetic_min=asignals.SYNTHETIC_REPORT_MIN
        )


def plugin(settings: Settings, store: Store | None) -> Plugin | None:
    stage = AvatarStage(settings, store)
    return Plugin(
        name="avatar",
        account_detectors=[stage.detect],
        prepare=stage.prepare if store is not None else None,
        order=5,
    )
