"""The published cover organisations and personas that seed the watchlist, each with its source.

Taken from ../shared/docs/threat-model.md ("Published cover organisations and personas").
Bundled in code (not a data file) so `lurewatch check` screens against them with no store.
A name the sources did not publish is not seeded: the 2020 US case (US v. Yeo) used a
consultancy named after a real US firm, but the firm's name is not in our sources.
"""

from __future__ import annotations

from lurewatch.watchlist.entries import Entry, make_id

BFV = "BfV (German Federal Office for the Protection of the Constitution) press release and German press"
FIGARO = "DGSI/DGSE note reported by Le Figaro (French press)"
MALLORY = "US v. Mallory (US court case, 2017-2019)"
SEED_ADDED = "2026-11-27T00:00:00+00:00"


def _org(
    name: str, source: str, published: str, *, aliases: tuple[str, ...] = (), notes: str = ""
) -> Entry:
    return Entry(
        id=make_id("organisation", name),
        name=name,
        kind="organisation",
        aliases=aliases,
        country="CN",
        source=source,
        published=published,
        added=SEED_ADDED,
        notes=notes,
        sectors=("non-profit",) if "Academy" in name or "Center" in name else (),
    )


def _persona(name: str) -> Entry:
    return Entry(
        id=make_id("persona", name),
        name=name,
        kind="persona",
        country="CN",
        source=BFV,
        published="2017-12",
        added=SEED_ADDED,
        notes="Cover persona published by the BfV; a common name, so a name match alone is weak evidence.",
    )


SEED_ENTRIES: tuple[Entry, ...] = (
    _org("AFEC", BFV, "2017-12", notes="Front organisation named by the BfV."),
    _org("RiseHR", BFV, "2017-12", notes="Head-hunting front named by the BfV."),
    _org("DRHR", BFV, "2017-12", notes="Head-hunting front named by the BfV."),
    _org("Move HR", BFV, "2017-12", notes="Head-hunting front named by the BfV."),
    _org(
        "Center for Sino-Europe Development Studies",
        BFV,
        "2017-12",
        notes="Think-tank front named by the BfV.",
    ),
    _org(
        "China Center of International Politics and Economy",
        f"{BFV}; {FIGARO}",
        "2017-12",
        aliases=("CCIPE",),
        notes="Named by the BfV (Dec 2017) and among the French services' screen companies (Oct 2018).",
    ),
    _org(
        "Global View Strategic Consulting",
        FIGARO,
        "2018-10",
        notes="One of 15 screen companies in the French note (list not exhaustive).",
    ),
    _org(
        "Universal View Strategic Consulting",
        FIGARO,
        "2018-10",
        notes="One of 15 screen companies in the French note (list not exhaustive).",
    ),
    _org(
        "Shanghai Academy of Social Sciences",
        MALLORY,
        "2017",
        aliases=("SASS", "上海社会科学院", "Shanghai Shehui Kexueyuan"),
        notes="A real academy; its name was used as cover for a 'recruiter' who paid an ex-CIA officer $25,000.",
    ),
    *(
        _persona(name)
        for name in (
            "Laeticia Chen",
            "Rachel Li",
            "Alex Li",
            "Lily Wu",
            "Allen Liu",
            "Jason Wang",
            "Eva Han",
            "Luo Jana",
        )
    ),
)
