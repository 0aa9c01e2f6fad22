"""Campaign linking: through each artifact kind; common artifacts do not merge everything; summaries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lurewatch.campaigns.handles import extract
from lurewatch.campaigns.linking import Artifact, Holding, LinkPolicy, avatar_holdings, link
from lurewatch.campaigns.signals import MEMBER, member_evidence, member_strength
from lurewatch.campaigns.summary import Contact, Target, sector_of, summarize


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Add me on WhatsApp +44 7700 900123 please", "phone", "700900123"),
        ("call 07700-900123", "phone", "700900123"),
        ("write to Rachel.Li@RiseHR-Global.com", "email", "rachel.li@risehr-global.com"),
        ("my Telegram: @rachel_hr_2024", "telegram", "rachel_hr_2024"),
        ("t.me/RachelHR", "telegram", "rachelhr"),
        ("WeChat ID: rachel_li88", "wechat", "rachel_li88"),
        ("微信号：wxid_abc123", "wechat", "wxid_abc123"),
        ("see https://www.RiseHR.com/jobs/?ref=3.", "url", "risehr.com/jobs"),
    ],
)
def test_handles_are_extracted_and_normalised(text, kind, value):
    assert (kind, value) in {(h.kind, h.value) for h in extract(text)}


def test_dates_amounts_and_repeated_digits_are_not_phones():
    kinds = {
        h.kind
        for h in extract("Meeting on 2025-03-01, fee 25,000 USD, code 11111111, ref 12121212")
    }
    assert "phone" not in kinds


def _h(account, kind, value, reason="seen"):
    return Holding(account, Artifact(kind, value), reason, value)


@pytest.mark.parametrize(
    "kind", ["phone", "email", "telegram", "wechat", "url", "template", "watchlist", "avatar"]
)
def test_each_artifact_kind_links_accounts(kind):
    campaigns = link([_h("a", kind, "X1"), _h("b", kind, "X1"), _h("c", kind, "other")])
    assert len(campaigns) == 1
    assert campaigns[0].accounts == ["a", "b"]
    assert campaigns[0].artifacts == {Artifact(kind, "X1"): ["a", "b"]}
    assert campaigns[0].reasons["a"] and "1 other account" in campaigns[0].reasons["a"][0]


def test_avatar_near_duplicates_link_by_hamming_distance():
    hashes = {
        "a": "f0e1d2c3b4a59687",
        "b": "f0e1d2c3b4a59686",
        "c": "0f1e2d3c4b5a6978",
        "d": "not-a-hash",
    }
    held = avatar_holdings(hashes, max_distance=8)
    assert {h.account for h in held} == {"a", "b"}
    campaigns = link(held)
    assert [c.accounts for c in campaigns] == [["a", "b"]]


def test_chains_through_different_artifacts_form_one_campaign():
    holdings = [
        _h("a", "phone", "1"),
        _h("b", "phone", "1"),
        _h("b", "template", "t"),
        _h("c", "template", "t"),
    ]
    assert [c.accounts for c in link(holdings)] == [["a", "b", "c"]]


def test_common_artifact_does_not_merge_everything():
    # A big recruiter's careers URL used by 300 accounts, and a newsletter template used by 50
    # unflagged senders, must not turn everyone into one campaign.
    holdings = [_h(f"acc{i}", "url", "bigrecruiter.com/careers") for i in range(300)]
    holdings += [_h(f"acc{i}", "template", "newsletter") for i in range(50)]
    holdings += [_h("acc1", "phone", "555"), _h("acc2", "phone", "555")]
    campaigns = link(holdings, flagged=set())
    assert [c.accounts for c in campaigns] == [["acc1", "acc2"]]


def test_a_shared_script_among_flagged_personas_links_however_many():
    holdings = [_h(f"p{i}", "template", "lure") for i in range(30)]
    assert link(holdings, flagged=set()) == []  # 30 unflagged senders: too common to mean anything
    campaigns = link(holdings, flagged={f"p{i}" for i in range(12)})
    assert len(campaigns) == 1 and len(campaigns[0].accounts) == 30


def test_legit_templates_never_link():
    holdings = [_h("a", "template", "t"), _h("b", "template", "t")]
    assert link(holdings, legit_templates={"t"}) == []
    assert link(holdings, policy=LinkPolicy(rare=1)) == []  # two unflagged holders above "rare"


def test_summary_targets_organisations_sectors_and_membership_evidence():
    core = link([_h("f1", "phone", "1", "message m1: “+44 1”"), _h("f2", "phone", "1")])[0]
    t0 = datetime(2025, 3, 1, tzinfo=UTC)
    contacts = [
        Contact("f1", "t1", t0),
        Contact("f2", "t2", datetime(2025, 3, 9, tzinfo=UTC)),
        Contact("f2", "t3", None),
        Contact("x", "t9", t0),
    ]
    targets = {
        "t1": Target("t1", "Ministry of Defence", "Policy adviser"),
        "t2": Target("t2", "Ministry of Defence", None),
        "t3": Target("t3", "CERN", "Nuclear physicist"),
    }
    summary = summarize(core, contacts, targets, {"f1": "Rachel Li"}, flagged={"f2"})
    assert summary.targets == 3 and summary.flagged == 1
    assert summary.organisations[0] == ("Ministry of Defence", 2)
    assert dict(summary.sectors)["nuclear and energy"] == 1
    assert summary.first_seen == t0 and summary.last_seen.day == 9
    data = summary.to_dict()
    ev = member_evidence("f1", data)
    assert ev[0].signal == MEMBER and ev[0].values["flagged_others"] == 1
    assert "message m1" in ev[0].explanation
    assert member_evidence("nobody", data) == []
    assert member_strength(1.0, 0) < member_strength(1.0, 1) < member_strength(1.0, 3)


def test_sector_keywords():
    assert sector_of("Bundesministerium des Innern", None) == "government"
    assert sector_of(None, "Research fellow, quantum computing") == "research and academia"
    assert sector_of("Bakery", "Owner") is None


def test_identical_avatar_hashes_link_even_without_hamming_search():
    held = avatar_holdings(
        {"a": "00000000000000ff", "b": "00000000000000FF", "c": "00000000000000fe"}, max_distance=0
    )
    assert sorted(h.account for h in held) == ["a", "b"]
