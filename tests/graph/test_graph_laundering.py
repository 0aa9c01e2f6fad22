"""The laundering path named by early warnings: entry contacts, followers through shared contacts, members to warn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lurewatch.graph.analysis import StaffList, analyze
from lurewatch.graph.laundering import laundering_path
from lurewatch.graph.targeting import Contact
from lurewatch.records import Account, Edge

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def team() -> tuple[list[Account], list[Edge]]:
    """Twelve colleagues (r0..r11, a ring where each knows the next two) in Research, plus s0..s3 in Sales."""
    accounts = [Account(id=f"r{i}", name=f"Res {i}", company="Acme Labs") for i in range(12)]
    accounts += [Account(id=f"s{i}", company="Acme Labs") for i in range(4)]
    edges = [
        Edge(id=f"t{i}-{k}", src=f"r{i}", dst=f"r{(i + k) % 12}") for i in range(12) for k in (1, 2)
    ]
    return accounts, edges


def test_path_names_entry_contacts_followers_and_next_targets() -> None:
    accounts, edges = team()
    known = {a.id: set() for a in accounts}
    for e in edges:
        known[e.src].add(e.dst)
        known[e.dst].add(e.src)
    staff = {f"r{i}": "Research" for i in range(12)} | {f"s{i}": "Sales" for i in range(4)}
    contacts = [
        Contact("r0", T0, "accepted"),
        Contact("r6", T0 + timedelta(days=1), "accepted"),  # no contact in common with r0
        Contact("r1", T0 + timedelta(days=3), "accepted"),  # knows r0
        Contact("r2", T0 + timedelta(days=5), "accepted"),  # knows r0 and r1
        Contact("r7", T0 + timedelta(days=8), "accepted"),  # knows r6
        Contact("r9", T0 + timedelta(days=9), "ignored"),  # declined: not part of the path
    ]
    path = laundering_path("x", contacts, staff, lambda m: known[m])
    assert path is not None
    assert path.entry == ["r0", "r6"]
    assert [(f.member, f.shared) for f in path.followers] == [("r1", 1), ("r2", 2), ("r7", 1)]
    assert path.department == "Research" and round(path.days) == 8
    # r4 knows r2 and r6 ... every unreached colleague knowing two reached ones is named, most first
    assert "r8" in path.to_warn and "r4" in path.to_warn and "r9" not in path.to_warn
    assert all(m not in path.to_warn for m in ("r0", "r1", "r2", "r6", "r7"))
    text = path.sentence(lambda m: m.upper())
    assert text.startswith("X first connected to R0 and R6 of your Research department; ")
    assert "3 of their colleagues accepted within 8 days, each seeing 1+ shared contact;" in text
    assert "warn R" in text


def test_no_path_without_followers() -> None:
    staff = {"a": None, "b": None, "c": None}
    contacts = [Contact(m, T0 + timedelta(days=i), "accepted") for i, m in enumerate(staff)]
    assert laundering_path("x", contacts, staff, lambda m: ()) is None


def test_analysis_warning_carries_the_path() -> None:
    accounts, edges = team()
    accounts.append(Account(id="x", name="Dr <b>Lure</b>"))
    order = ["r0", "r1", "r2", "r3", "r4", "r5"]
    edges += [
        Edge(id=f"x{i}", src="x", dst=m, type="invitation_accepted", at=T0 + timedelta(days=i))
        for i, m in enumerate(order)
    ]
    staff = StaffList("Acme Labs", {f"r{i}": "Research" for i in range(12)})
    result = analyze(accounts, edges, staff=staff)
    warning = result.facts["x"].warnings[0]
    assert warning["path"]["entry"] == ["r0"]
    assert [f["member"] for f in warning["path"]["followers"]] == order[1:]
    assert warning["path"]["min_shared"] == 1
    assert set(warning["path"]["to_warn"]) == {"r6", "r11"}  # each knows two of r0..r5
    assert "Dr <b>Lure</b> first connected to Res 0 of your Research department" in warning["text"]
    assert "5 of their colleagues accepted within 5 days" in warning["text"]


def test_analysis_uses_edge_times_for_the_growth_signal() -> None:
    accounts, edges = team()
    accounts += [Account(id=i) for i in ("x", "y1", "y2", "y3", "y4")]
    for e in edges:
        e.at = T0 - timedelta(days=2000)  # colleagues have known each other for years
    friends = ["x", "y1", "y2", "y3", "y4"]
    edges += [
        Edge(id=f"y{u}{v}", src=u, dst=v, at=T0 - timedelta(days=100))
        for i, u in enumerate(friends)
        for v in friends[i + 1 :]
    ]  # its own circle, made three months earlier
    edges += [
        Edge(
            id=f"x{i}", src="x", dst=f"r{i}", type="invitation_accepted", at=T0 + timedelta(days=i)
        )
        for i in range(6)
    ]  # then six colleagues who know each other, within a week
    staff = StaffList("Acme Labs", {f"r{i}": "Research" for i in range(12)})
    result = analyze(accounts, edges, staff=staff)
    assert result.facts["x"].growth == 1.0
    assert all(result.facts[f"r{i}"].growth == 0.0 for i in range(12))
    untimed = analyze(accounts, [Edge(e.id, e.src, e.dst, e.type) for e in edges], staff=staff)
    assert untimed.facts["x"].growth is None
    assert result.facts["x"].score > untimed.facts["x"].score
