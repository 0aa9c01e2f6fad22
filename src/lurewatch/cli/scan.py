"""`lurewatch scan`: a member's own LinkedIn archive, checked offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lurewatch.cli.common import StderrProgress
from lurewatch.cli.terminal import terminal_safe
from lurewatch.engine.scan import ScanResult, scan_archive
from lurewatch.errors import LurewatchError
from lurewatch.evidence import Evidence
from lurewatch.report.highlight import highlight
from lurewatch.report.html import render_scan_report
from lurewatch.settings import Settings


@click.command("scan")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write a self-contained HTML report here.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: who approached you, for people; json: one array, one object per item.",
)
@click.option("--all", "show_all", is_flag=True, help="In text output, list low-risk senders too.")
@click.pass_obj
def command(
    settings: Settings, path: Path, html_path: Path | None, fmt: str, show_all: bool
) -> None:
    """Scan your LinkedIn data archive ("Get a copy of your data"), zip or unpacked folder.

    Everything runs on this computer; nothing is sent anywhere. Prints who approached you,
    most suspicious first, with the evidence and what to do.

    \b
    Examples:
      lurewatch scan ~/Downloads/Basic_LinkedInDataExport_11-28-2026.zip
      lurewatch scan ~/Downloads/Basic_LinkedInDataExport/ --html report.html
      lurewatch scan export.zip --format json > items.json

    \b
    Levels: HIGH looks like a cover approach (do not reply; tell your security officer),
    MEDIUM has warning signs (verify the person and company yourself), LOW no strong sign.

    `--format json` prints one JSON array with one object per scanned item (message,
    invitation, or the account that sent them): the `check` fields plus `source` (file and
    row) and `sender`. Exit status: 0 when the whole archive was read, 1 when some rows or
    files could not be read (reported on stderr; the rest was scanned), 2 when it is not an
    archive at all.
    """
    result = scan_archive(path, settings, progress=StderrProgress())
    for problem in result.errors:
        click.echo(f"lurewatch: {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"lurewatch: warning: {warning}", err=True)
    if html_path is not None:
        write_report(html_path, render_scan_report(report_context(result)))
        click.echo(f"HTML report written to {html_path} (open it in a browser)", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.items(), ensure_ascii=False, indent=2))
    else:
        _print_summary(result, show_all)
    if result.errors:
        sys.exit(1)


_FG = {"high": "red", "medium": "yellow", "low": "green"}
VERDICTS = {
    "high": "Looks like a cover approach",
    "medium": "Some warning signs: verify before engaging",
    "low": "No strong sign of a cover approach",
}


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(terminal_safe(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _evidence_rows(evidence: list[Evidence]) -> list[dict[str, object]]:
    return [
        {
            "signal": e.signal,
            "explanation": e.explanation,
            "quote": _clip(e.quote) if e.quote else "",
            "strength": e.strength,
        }
        for e in sorted(evidence, key=lambda e: -e.strength)
        if e.strength > 0
    ]


def overall_verdict(counts: dict[str, int]) -> tuple[str, str]:
    """The one sentence a non-specialist reads first, and its level (for the colour)."""
    high, medium = counts.get("high", 0), counts.get("medium", 0)
    if high:
        people = "person" if high == 1 else "people"
        return (
            "high",
            f"{high} {people} approached you in a way that looks like a cover approach. "
            "Do not reply to them or accept their invitations; tell your security officer.",
        )
    if medium:
        people = "person" if medium == 1 else "people"
        return (
            "medium",
            f"{medium} {people} approached you with some warning signs. "
            "Verify who they are before you engage.",
        )
    connections = counts.get("connections", 0)
    if connections:
        people = "connection" if connections == 1 else "connections"
        return (
            "medium",
            f"No one who wrote to you shows a strong sign of a cover approach, but {connections} "
            f"{people} in your network {'has' if connections == 1 else 'have'} warning signs: "
            "review them below.",
        )
    if not counts.get("senders", 1):
        return "low", "No incoming messages or invitations were found in this archive."
    return "low", "No approach in this archive shows a strong sign of a cover approach."


def report_context(result: ScanResult) -> dict[str, object]:
    counts = {"high": 0, "medium": 0, "low": 0, "messages": 0, "senders": len(result.senders)}
    senders = []
    for s in result.senders:
        counts[s.level] = counts.get(s.level, 0) + 1
        counts["messages"] += len(s.messages)
        senders.append(
            {
                "name": s.account.name or s.account.id,
                "profile_url": s.account.profile_url,
                "headline": s.account.headline or s.account.title,
                "level": s.level,
                "verdict": VERDICTS.get(s.level, s.level),
                "score": s.score,
                "account_evidence": _evidence_rows(s.assessment.evidence if s.assessment else []),
                "advice": s.advice[:6],
                "messages": [
                    {
                        "channel": m.message.channel,
                        "sent_at": m.message.sent_at.strftime("%Y-%m-%d %H:%M")
                        if m.message.sent_at
                        else None,
                        "source": f"{m.message.source.file} row {m.message.source.row}"
                        if m.message.source
                        else "",
                        "score": m.assessment.score,
                        "level": m.assessment.level,
                        "highlighted": highlight(_view_text(m.message), m.assessment.evidence),
                        "evidence": _evidence_rows(m.assessment.evidence),
                    }
                    for m in s.messages
                ],
            }
        )
    counts["connections"] = len(result.flagged_connections)
    level, verdict = overall_verdict(counts)
    connections = [
        {
            "name": account.name or account.id,
            "profile_url": account.profile_url,
            "headline": account.headline or account.title,
            "level": a.level,
            "score": a.score,
            "evidence": _evidence_rows(a.evidence)[:4],
        }
        for account, a in result.flagged_connections
    ]
    return {
        "archive": Path(result.archive).name,
        "owner": result.owner.name if result.owner else None,
        "counts": counts,
        "verdict": verdict,
        "verdict_level": level,
        "senders": [x for x in senders if x["level"] != "low"],
        "ordinary": [x for x in senders if x["level"] == "low"],
        "connections": connections,
        "problems": result.errors,
        "warnings": result.warnings,
        "models": ", ".join(result.models) or "none",
    }


def write_report(path: Path, page: str) -> None:
    """Writes the report; a path that cannot be written is a one-line error, not a traceback."""
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise LurewatchError(f"cannot write the report to {path}: {exc.strerror}") from None


def _view_text(message: object) -> str:
    from lurewatch.signals.views import message_view

    return message_view(message).text  # type: ignore[arg-type]


def _print_summary(result: ScanResult, show_all: bool) -> None:
    colour = sys.stdout.isatty()
    flagged = [s for s in result.senders if s.level != "low"]
    items = sum(len(s.messages) for s in result.senders)
    people = len(result.senders)
    click.echo(
        f"Scanned {Path(result.archive).name}: {items} incoming "
        f"{'message or invitation' if items == 1 else 'messages and invitations'} from {people} "
        f"{'person' if people == 1 else 'people'}; {len(flagged)} look suspicious."
    )
    counts = {lv: sum(1 for s in result.senders if s.level == lv) for lv in VERDICTS}
    counts["senders"] = len(result.senders)
    counts["connections"] = len(result.flagged_connections)
    level, verdict = overall_verdict(counts)
    click.echo(click.style(verdict, fg=_FG.get(level), bold=True) if colour else verdict)
    if flagged:
        click.echo(
            "Levels: HIGH looks like a cover approach · MEDIUM verify before engaging · "
            "LOW no strong sign. Scores run from 0 to 1. Add --html report.html for a report "
            "with each message quoted."
        )
    shown = result.senders if show_all else flagged
    for s in shown:
        head = (
            f"\n{s.level.upper():<6} {s.score:.2f}  {terminal_safe(s.account.name or s.account.id)}"
        )
        if s.account.profile_url:
            head += f"  <{terminal_safe(s.account.profile_url)}>"
        fg = _FG.get(s.level)
        click.echo(click.style(head, fg=fg, bold=True) if colour else head)
        reasons: list[Evidence] = []
        for m in s.messages:
            reasons.extend(e for e in m.assessment.evidence if e.strength > 0)
        if s.assessment:
            reasons.extend(e for e in s.assessment.evidence if e.strength > 0)
        seen = set()
        for e in sorted(reasons, key=lambda e: -e.strength):
            if e.signal in seen:
                continue
            seen.add(e.signal)
            quote = f' — "{" ".join(terminal_safe(e.quote).split())[:80]}"' if e.quote else ""
            click.echo(f"   • {terminal_safe(e.explanation)}{quote}")
            if len(seen) >= 5:
                break
        for tip in s.advice[:4]:
            click.echo(f"   → {terminal_safe(tip)}")
    if not show_all and len(result.senders) > len(flagged):
        click.echo(
            f"\n{len(result.senders) - len(flagged)} other sender(s) look ordinary "
            "(use --all to list them)."
        )
    for account, a in result.flagged_connections[:10]:
        strongest = sorted((e for e in a.evidence if e.strength > 0), key=lambda e: -e.strength)
        click.echo(
            f"\nConnection to review: {terminal_safe(account.name or account.id)} ({a.level}, {a.score:.2f}) — "
            + " · ".join(_clip(e.explanation.rstrip("."), 100) for e in strongest[:2])
        )
