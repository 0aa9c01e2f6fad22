"""Binds the graph detectors to the store: `prepare` computes trust, invitation and targeting
results over everything stored; the account detector reads them. No store, no graph evidence.

Seeds: accounts whose record says `verified: true`, plus an organisation's own staff list when
`LUREWATCH_GRAPH_STAFF` names one (lines `account_id[,department]`, '#' comments; the
organisation's name from `LUREWATCH_GRAPH_ORG`). Staff are trusted seeds and the scope of the
early warnings ("account X has connected with 7 of your staff in 10 days").
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING

from lurewatch.engine.plugins import Plugin, ProgressFn
from lurewatch.errors import InputError
from lurewatch.graph.facts import GraphFacts
from lurewatch.graph.signals import make_detector

if TYPE_CHECKING:
    from lurewatch.settings import Settings
    from lurewatch.store import Store

STAFF_ENV = "LUREWATCH_GRAPH_STAFF"
ORG_ENV = "LUREWATCH_GRAPH_ORG"


def read_staff_list(path: str | Path, organisation: str | None = None):  # noqa: ANN201
    """`account_id[,department]` per line (comma or tab); a header line starting 'id' or 'account' is skipped."""
    from lurewatch.graph.analysis import StaffList

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"cannot read the staff list: {exc.strerror or exc}", source=str(path)
        ) from exc
    members: dict[str, str | None] = {}
    dialect = "excel-tab" if "\t" in text else "excel"
    for number, row in enumerate(csv.reader(text.splitlines(), dialect=dialect), start=1):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() in {"id", "account", "account_id"}:
            continue
        department = row[1].strip() if len(row) > 1 and row[1].strip() else None
        members[row[0].strip()] = department
    return StaffList(organisation=organisation or "your organisation", members=members)


def plugin(settings: Settings, store: Store | None) -> Plugin | None:
    if store is None:
        return None
    cache: dict[str, dict] = {}
    loaded = {"done": False}

    def lookup(account_id: str) -> GraphFacts | None:
        from lurewatch.store.tables import graph as table

        if not loaded["done"]:
            with store.read() as conn:
                cache.update(table.all_facts(conn) if table.has_tables(conn) else {})
            loaded["done"] = True
        data = cache.get(account_id)
        return GraphFacts.from_dict(data) if data else None

    def prepare(progress: ProgressFn) -> None:
        from lurewatch.graph.analysis import analyze
        from lurewatch.store.tables import graph as table

        progress("graph: loading", 0, 3)
        with store.read() as conn:
            accounts, edges, messages = table.load_inputs(conn)
        staff_path = os.environ.get(STAFF_ENV)
        staff = read_staff_list(staff_path, os.environ.get(ORG_ENV)) if staff_path else None
        progress("graph: trust, invitations, targeting", 1, 3)
        result = analyze(accounts, edges, messages, staff=staff)
        alerts = [{**w, "account": f.account} for f in result.facts.values() for w in f.warnings]
        with store.write() as conn:
            table.replace_results(conn, (f.to_dict() for f in result.facts.values()), alerts)
        cache.clear()
        loaded["done"] = False
        progress("graph: done", 3, 3)

    def resume() -> None:
        cache.clear()
        loaded["done"] = False

    return Plugin(
        name="graph",
        account_detectors=[make_detector(lookup)],
        prepare=prepare,
        order=30,
        resume=resume,
    )
