"""`lurewatch avatar PATH… --format jsonl`: one line per image, errors reported, exit status."""

from __future__ import annotations

import json

from avatar_images import jpeg_bytes, make_photo
from click.testing import CliRunner
from PIL import ImageOps

from lurewatch.cli.main import cli
from lurewatch.settings import Settings


def _run(args):
    runner = CliRunner()
    return runner.invoke(cli, ["avatar", *args], obj=Settings(), catch_exceptions=False)


def test_folder_jsonl_with_a_broken_image(tmp_path):
    photo = make_photo(2)
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.jpg").write_bytes(jpeg_bytes(photo))
    (tmp_path / "sub" / "b.jpg").write_bytes(jpeg_bytes(ImageOps.mirror(photo).resize((180, 180))))
    (tmp_path / "c.png").write_bytes(jpeg_bytes(make_photo(3)))  # wrong suffix, still an image
    (tmp_path / "broken.jpg").write_bytes(b"GIF89a garbage")
    result = _run([str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    ids = [line["id"].rsplit("/", 1)[-1] for line in lines]
    assert ids == ["a.jpg", "broken.jpg", "c.png", "b.jpg"]
    ok = [line for line in lines if "error" not in line]
    assert len(ok) == 3 and all(0 <= line["score"] <= 1 for line in ok)
    broken = next(line for line in lines if line["id"].endswith("broken.jpg"))
    assert "score" not in broken and broken["error"]
    assert "broken.jpg" in result.stderr
    a = next(line for line in lines if line["id"].endswith("a.jpg"))
    reused = [e for e in a["evidence"] if e["signal"] == "avatar.reused_photo"]
    assert reused and "1 other account" in reused[0]["explanation"]


def test_all_good_exits_zero_and_text_format(tmp_path):
    (tmp_path / "a.jpg").write_bytes(jpeg_bytes(make_photo(4)))
    result = _run([str(tmp_path / "a.jpg")])
    assert result.exit_code == 0, result.output
    assert "synthetic-face score" in result.stdout
    result = _run([str(tmp_path / "a.jpg"), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["checked"] == 1 and data["errors"] == 0


def test_missing_path_is_an_error_line(tmp_path):
    result = _run([str(tmp_path / "nope.jpg"), "--format", "jsonl"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"].startswith("cannot read")


def test_intel_hash_list_matches(tmp_path):
    photo = make_photo(5)
    (tmp_path / "a.jpg").write_bytes(jpeg_bytes(photo))
    from lurewatch.avatar.hashing import hash_image

    (tmp_path / "intel.txt").write_text(hash_image(ImageOps.mirror(photo)).phash + "\n")
    result = _run(
        [str(tmp_path / "a.jpg"), "--format", "jsonl", "--intel", str(tmp_path / "intel.txt")]
    )
    line = json.loads(result.stdout)
    assert any(e["signal"] == "avatar.intel_match" for e in line["evidence"])
    (tmp_path / "bad.txt").write_text("zzzz\n")
    bad = CliRunner().invoke(
        cli,
        ["avatar", str(tmp_path / "a.jpg"), "--intel", str(tmp_path / "bad.txt")],
        obj=Settings(),
    )
    assert bad.exit_code != 0
