"""STIX 2.1 out and in: valid bundles, round trips, privacy, unknown types, malformed input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import stix2
from click.testing import CliRunner

from lurewatch.cli.main import cli
from lurewatch.errors import InputError
from lurewatch.intel.extension import EXTENSION_ID, extension_data
from lurewatch.intel.repository import export_from_store, import_bundle_file
from lurewatch.intel.stix_in import parse_bundle
from lurewatch.intel.stix_out import build_bundle, sco_id, validate_bundle, watchlist_bundle
from lurewatch.store import Store
from lurewatch.watchlist.repository import list_entries, remove_entry
from lurewatch.watchlist.seeds import SEED_ENTRIES

FAKE = {
    "id": "acc-1",
    "name": "Rachel Li",
    "username": "rachel-li-hr",
    "profile_url": "https://www.linkedin.com/in/rachel-li-hr",
    "headline": "Senior head hunter",
    "company": "RiseHR",
}
MEMBER = {"id": "acc-2", "name": "Approached Member", "username": "real-member"}
ASSESSMENTS = {
    "acc-1": {
        "score": 0.93,
        "level": "high",
        "model": "rules-v1",
        "assessed_at": "2025-03-01T10:00:00+00:00",
        "evidence": [
            {
                "signal": "watchlist.persona",
                "strength": 0.45,
                "quote": "Dear Approached Member, ...",
            }
        ],
    },
    "acc-2": {"score": 0.05, "level": "low", "model": "rules-v1", "evidence": []},
}
CAMPAIGN = {
    "id": "c1",
    "name": "head-hunter wave",
    "accounts": ["acc-1"],
    "first_seen": "2025-01-10",
    "last_seen": "2025-03-01",
    "targets": 412,
}


def _full_bundle() -> dict:
    return build_bundle(
        accounts=[FAKE, MEMBER],
        assessments=ASSESSMENTS,
        campaigns=[CAMPAIGN],
        templates=[{"fingerprint": "tpl-7f3a", "accounts": ["acc-1"], "campaign": "c1"}],
        avatars=[
            {"account_id": "acc-1", "phash": "f0e1d2c3b4a59687"},
            {"account_id": "acc-2", "phash": "0000ffff0000ffff"},
        ],
        contacts=[
            {
                "kind": "email",
                "value": "rachel.hr@example.com",
                "accounts": ["acc-1"],
                "campaign": "c1",
            }
        ],
        entries=SEED_ENTRIES,
        now="2025-03-02T00:00:00Z",
    )


@pytest.mark.slow
def test_export_passes_stix2_validator() -> None:
    pytest.importorskip("stix2validator")
    messages = validate_bundle(_full_bundle(), full=True)
    assert [m for m in messages if ": error:" in m] == []
    # only open-vocabulary notices remain (custom pattern types, account type "linkedin")
    assert all("{244}" in m or "{245}" in m for m in messages), messages


def test_export_is_valid_stix_with_the_expected_objects() -> None:
    bundle = _full_bundle()
    assert validate_bundle(bundle, full=False) == []
    parsed = stix2.parse(json.dumps(bundle), allow_custom=False)
    types = {o.type for o in parsed.objects}
    assert types == {
        "identity",
        "user-account",
        "indicator",
        "campaign",
        "relationship",
        "extension-definition",
    }
    indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
    kinds = {extension_data(o)["artifact"]["kind"] for o in indicators}
    assert kinds == {"handle", "url", "template", "avatar"}
    orgs = [
        o
        for o in bundle["objects"]
        if o["type"] == "identity" and o.get("identity_class") == "organization"
    ]
    assert len(orgs) == sum(e.kind == "organisation" for e in SEED_ENTRIES)
    assert all(o["roles"] == ["front company"] for o in orgs)


def test_assessment_travels_in_the_extension_not_ad_hoc_fields() -> None:
    bundle = _full_bundle()
    ext_def = next(o for o in bundle["objects"] if o["type"] == "extension-definition")
    assert ext_def["id"] == EXTENSION_ID and ext_def["extension_types"] == ["property-extension"]
    person = next(
        o for o in bundle["objects"] if o["type"] == "identity" and o.get("name") == "Rachel Li"
    )
    assessment = extension_data(person)["assessment"]
    assert assessment["score"] == 0.93 and assessment["level"] == "high"
    assert assessment["signals"][0]["signal"] == "watchlist.persona"
    assert not [k for o in bundle["objects"] for k in o if k.startswith("x_")]


def test_approached_members_are_never_exported() -> None:
    text = json.dumps(_full_bundle())
    assert "Approached Member" not in text and "real-member" not in text and "acc-2" not in text
    assert "0000ffff0000ffff" not in text  # the member's photo hash neither
    camp = next(o for o in _full_bundle()["objects"] if o["type"] == "campaign")
    assert extension_data(camp)["campaign"]["targets"] == 412  # a count, no identities


def test_export_is_deterministic_and_user_account_ids_follow_the_spec() -> None:
    a, b = _full_bundle(), _full_bundle()
    assert a == b
    ua = next(o for o in a["objects"] if o["type"] == "user-account")
    ref = stix2.v21.UserAccount(
        account_type="linkedin", user_id="acc-1", account_login="rachel-li-hr"
    )
    assert (
        ua["id"]
        == ref.id
        == sco_id(
            "user-account",
            {"account_type": "linkedin", "user_id": "acc-1", "account_login": "rachel-li-hr"},
        )
    )


def test_watchlist_round_trip_is_exact() -> None:
    parsed = parse_bundle(json.dumps(watchlist_bundle(SEED_ENTRIES)), "seeds.json")
    assert parsed.entries == list(SEED_ENTRIES)
    assert parsed.rejected == [] and not parsed.unknown_types


def test_agency_bundle_identities_become_entries_and_unknown_types_are_kept(
    store_url: str, tmp_path: Path
) -> None:
    agency = stix2.v21.Identity(name="Example Security Service", identity_class="organization")
    front = stix2.v21.Identity(
        name="Orient Horizon Talent Partners",
        identity_class="organization",
        created_by_ref=agency.id,
        description="Screen company used for approaches",
    )
    persona = stix2.v21.Identity(
        name="Mei Lin Zhou", identity_class="individual", created_by_ref=agency.id
    )
    indicator = stix2.v21.Indicator(
        pattern="[url:value = 'https://www.linkedin.com/in/mei-lin-zhou-hr']",
        pattern_type="stix",
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
        created_by_ref=agency.id,
    )
    objs = [json.loads(o.serialize()) for o in (agency, front, persona, indicator)]
    objs.append(
        {
            "type": "x-agency-assessment",
            "id": "x-agency-assessment--4c3f0c7e-2d5c-4b7a-9f0e-0d9a7a1f3b11",
            "confidence": "high",
        }
    )
    objs.append(
        {
            "type": "indicator",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "spec_version": "2.1",
        }
    )
    path = tmp_path / "agency.json"
    path.write_text(
        json.dumps(
            {
                "type": "bundle",
                "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
                "objects": objs,
            }
        )
    )

    store = Store(store_url)
    with store.write() as conn:
        for e in SEED_ENTRIES:
            remove_entry(conn, e.id)
    report = import_bundle_file(store, path)
    assert report.entries_added == 2  # the front and the persona, not the publishing agency
    assert report.unknown_types == {"x-agency-assessment": 1}
    assert report.stored == 5 and len(report.rejected) == 1 and "objects[5]" in report.rejected[0]
    with store.read() as conn:
        entries = {e.name: e for e in list_entries(conn)}
    assert entries["Orient Horizon Talent Partners"].source == "Example Security Service"
    assert entries["Mei Lin Zhou"].kind == "persona"
    again = import_bundle_file(store, path)
    assert again.stored == 0 and again.already == 5
    store.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a STIX bundle"),
        ('{"type": "indicator", "id": "x"}', "expected a STIX bundle"),
        ('{"type": "bundle", "id": "bundle--1", "objects": 5}', "objects"),
    ],
)
def test_malformed_bundles_get_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_bundle(text, "bad.json")


def test_cli_export_import_validate(tmp_path: Path) -> None:
    db = str(tmp_path / "intel.db")
    env = {"LUREWATCH_DB": db}
    runner = CliRunner()
    out = tmp_path / "out.json"
    r = runner.invoke(cli, ["intel", "export", "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output
    bundle = json.loads(out.read_text())
    assert (
        sum(o["type"] == "identity" for o in bundle["objects"]) == len(SEED_ENTRIES) + 1
    )  # + producer
    r = runner.invoke(cli, ["watchlist", "import", str(out)], env=env)
    assert r.exit_code == 0 and "watchlist: 0 added" in r.output
    r = runner.invoke(cli, ["watchlist", "export", "--format", "stix"], env=env)
    assert json.loads(r.output)["type"] == "bundle"


def test_export_from_store_reads_core_and_campaign_tables(store_url: str) -> None:
    from sqlalchemy import inspect

    from lurewatch.store.tables.core import accounts, assessments

    store = Store(store_url)
    now = datetime(2025, 3, 1, tzinfo=UTC)
    with store.write() as conn:
        conn.execute(
            accounts.insert(),
            [
                {
                    "id": a["id"],
                    "name": a["name"],
                    "company": a.get("company"),
                    "data": {**a, "kind": "account"},
                    "content_hash": a["id"],
                    "ingested_at": now,
                }
                for a in (FAKE, MEMBER)
            ],
        )
        conn.execute(
            assessments.insert(),
            [
                {
                    "kind": "account",
                    "record_id": k,
                    "score": v["score"],
                    "level": v["level"],
                    "model": v["model"],
                    "language": None,
                    "evidence": v["evidence"],
                    "advice": [],
                    "extra": {},
                    "assessed_at": now,
                }
                for k, v in ASSESSMENTS.items()
            ],
        )
        if inspect(conn).has_table("campaigns"):
            from lurewatch.store.tables.campaigns import replace_all

            replace_all(
                conn,
                [
                    {
                        "id": "c1",
                        "size": 2,
                        "flagged": 1,
                        "targets": 412,
                        "target_sample": ["Approached Member"],
                        "strength": 0.9,
                        "first_seen": "2025-01-10T00:00:00+00:00",
                        "last_seen": "2025-03-01T00:00:00+00:00",
                        "accounts": [
                            {"account": "acc-1", "flagged": True, "why": ["template"]},
                            {"account": "acc-2", "flagged": False, "why": ["template"]},
                        ],
                        "artifacts": [
                            {
                                "kind": "template",
                                "kind_label": "message template",
                                "value": "tpl-7f3a",
                                "label": "t",
                                "accounts": ["acc-1"],
                            }
                        ],
                    }
                ],
                now,
            )
    signature = {"template": "tpl-7f3a", "minhash": [1, 2, 3], "scheme": "test-minhash", "size": 5}
    with store.read() as conn:
        bundle = export_from_store(conn, signatures={"tpl-7f3a": signature})
    text = json.dumps(bundle)
    assert "Rachel Li" in text and "Approached Member" not in text and "real-member" not in text
    assert validate_bundle(bundle, full=False) == []
    with store.read() as conn:
        if inspect(conn).has_table("campaigns"):
            (camp,) = [o for o in bundle["objects"] if o["type"] == "campaign"]
            assert extension_data(camp)["campaign"]["accounts"] == 2  # counted, not exported
            (tpl,) = [o for o in bundle["objects"] if o.get("pattern_type") == "lurewatch-template"]
            artifact = extension_data(tpl)["artifact"]
            assert artifact["minhash"] == [1, 2, 3] and artifact["algorithm"] == "test-minhash"
            assert "tpl-7f3a" not in text  # our template (message) id is shared as a digest only
    store.close()


@pytest.mark.slow
def test_cli_validate_reports_invalid_bundles(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(watchlist_bundle(SEED_ENTRIES)))
    assert runner.invoke(cli, ["intel", "validate", str(good)]).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": '
        '[{"type": "identity", "id": "identity--5d0092c5-5f74-4287-9642-33f4c354e56e"}]}'
    )
    r = runner.invoke(cli, ["intel", "validate", str(bad)])
    assert r.exit_code != 0
