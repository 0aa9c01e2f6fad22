"""The avatar plugin: `prepare` fills `avatars` incrementally and finds reuse; `check` works alone."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from avatar_images import jpeg_bytes, make_photo
from PIL import ImageOps
from sqlalchemy import select

from lurewatch.engine.plugins.avatar import plugin
from lurewatch.records import Account, record_to_dict
from lurewatch.settings import Settings
from lurewatch.signals import registry
from lurewatch.signals.views import AccountView
from lurewatch.store import Store
from lurewatch.store.tables.avatar import avatars
from lurewatch.store.tables.core import accounts as accounts_table


def _photos(tmp_path: Path) -> dict[str, Path]:
    photo = make_photo(11)
    files = {
        "p1": jpeg_bytes(photo),
        "p2": jpeg_bytes(ImageOps.mirror(photo).resize((200, 200))),
        "p3": jpeg_bytes(photo.crop((12, 12, 256, 256)), 70),
        "p4": jpeg_bytes(make_photo(12)),
    }
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / f"{name}.jpg"
        out[name].write_bytes(data)
    (tmp_path / "bad.jpg").write_bytes(b"nope")
    return out


def _store(tmp_path: Path, url: str) -> Store:
    photos = _photos(tmp_path)
    accounts = [
        Account(id=f"a{i}", name=f"Person {i}", photo=str(photos[f"p{i}"])) for i in range(1, 5)
    ]
    accounts += [
        Account(id="a5", photo=str(tmp_path / "bad.jpg")),
        Account(id="a6", photo="https://example.org/x.jpg"),
        Account(id="a7"),
    ]
    store = Store(url)
    now = datetime.now(UTC)
    with store.write() as conn:
        conn.execute(
            accounts_table.insert(),
            [
                {
                    "id": a.id,
                    "name": a.name,
                    "company": None,
                    "data": record_to_dict(a),
                    "content_hash": a.id,
                    "ingested_at": now,
                }
                for a in accounts
            ],
        )
    return store


def _signals(evidence):
    return {e.signal: e for e in evidence}


def test_prepare_finds_reuse_and_fills_the_table(tmp_path, store_url):
    store = _store(tmp_path, store_url)
    p = plugin(Settings(db_url=store_url), store)
    assert p is not None and p.prepare is not None
    p.prepare(lambda *_: None)
    with store.read() as conn:
        rows = {r.account_id: r for r in conn.execute(select(avatars))}
    assert set(rows) == {"a1", "a2", "a3", "a4", "a5"}
    assert rows["a5"].error and rows["a5"].phash is None
    for aid in ("a1", "a2", "a3"):
        assert rows[aid].group_id == "a1" and rows[aid].group_size == 3
        assert rows[aid].phash == rows["a1"].phash_own and len(rows[aid].phash) == 16
    assert rows["a4"].group_size == 1 and rows["a4"].phash == rows["a4"].phash_own
    assert 0 <= rows["a1"].synthetic_score <= 1

    detect = p.account_detectors[0]
    acc = {a: Account(id=a, photo=rows[a].path if a in rows else None) for a in rows}
    ev = _signals(detect(AccountView(acc["a2"])))
    assert "avatar.reused_photo" in ev
    assert "2 other accounts" in ev["avatar.reused_photo"].explanation
    assert set(ev["avatar.reused_photo"].values["accounts"]) == {"a1", "a3"}
    assert "avatar.reused_photo" not in _signals(detect(AccountView(acc["a4"])))
    bad = detect(AccountView(Account(id="a5", photo=str(tmp_path / "bad.jpg"))))
    assert [e.signal for e in bad] == ["avatar.unreadable"] and bad[0].strength == 0
    url = detect(AccountView(Account(id="a6", photo="https://example.org/x.jpg")))
    assert url[0].signal == "avatar.unreadable" and "URL" in url[0].explanation
    assert detect(AccountView(Account(id="a7"))) == []
    for e in [*ev.values(), *bad, *url]:
        assert registry.get(e.signal) is not None

    # incremental: nothing changed, nothing recomputed; a changed file is redone
    before = {r.account_id: r.checked_at for r in rows.values()}
    p2 = plugin(Settings(db_url=store_url), store)
    p2.prepare(lambda *_: None)
    with store.read() as conn:
        again = {r.account_id: r.checked_at for r in conn.execute(select(avatars))}
    assert again == before
    path = Path(rows["a4"].path)
    path.write_bytes(jpeg_bytes(make_photo(11)))  # now a copy of the shared photo too
    os.utime(path, (1e9, 1e9))
    p3 = plugin(Settings(db_url=store_url), store)
    p3.prepare(lambda *_: None)
    with store.read() as conn:
        rows = {r.account_id: r for r in conn.execute(select(avatars))}
    assert (
        rows["a4"].checked_at != before["a4"]
        and rows["a4"].group_id == "a1"
        and rows["a1"].group_size == 4
    )
    store.close()


def test_check_without_store_scores_the_photo_alone(tmp_path):
    photos = _photos(tmp_path)
    p = plugin(Settings(), None)
    assert p is not None and p.prepare is None
    ev = _signals(p.account_detectors[0](AccountView(Account(id="x", photo=str(photos["p1"])))))
    assert "avatar.reused_photo" not in ev
    assert all(0 <= e.strength <= 1 for e in ev.values())


@pytest.mark.parametrize("photo", ["", "   "])
def test_empty_photo_gives_nothing(photo):
    p = plugin(Settings(), None)
    assert p.account_detectors[0](AccountView(Account(id="x", photo=photo))) == []
