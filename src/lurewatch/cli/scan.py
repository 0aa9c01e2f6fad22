"""`lurewatch scan`: a member's own LinkedIn archive, checked offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lurewatch.cli.common import StderrProgress
from lurewatch.engine.scan import ScanResult, scan_archive
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
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--all", "show_all", is_flag=True, help="In text output, list low-risk senders too.")
@click.pass_obj
def command(
    settings: Settings, path: Path, html_path: Path | None, fmt: str, show_all: bool
) -> None:
    """Scan your LinkedIn data archive ("Get a copy of your data"), zip or unpacked folder.

    Everything runs on this computer. Prints who approached you, most suspicious first, with
    the evidence and what to do. `--format json` prints one JSON array with one object per
    scanned item (message, invitation, or the account that sent them): the `check` fields plus
    `source` (file and row) and `sender`.
    """
    result = scan_archive(path, settings, progress=StderrProgress())
    for problem in result.errors:
        click.echo(f"lurewatch: {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"lurewatch: warning: {warning}", err=True)
    if html_path is not None:
        html_path.write_text(render_scan_report(report_context(result)), encoding="utf-8")
        click.echo(f"HTML report written to {html_path}", err=True)
    if fmt == "json":
        click.echo(json.dumps(result.items(), ensure_ascii=False, indent=2))
        return
    _print_summary(result, show_all)


def report_context(result: ScanResult) -> dict[str, object]:
    counts = {"high": 0, "medium": 0, "low": 0, "messages": 0, "senders": len(result.senders)}
    senders = []
    for s in result.senders:
        counts[s.level] = counts.get(s.level, 0) + 1
        counts["messages"] += len(s.messages)
        advice: list[str] = []
        for tip in (s.assessment.advice if s.assessment else []) + [
            t for m in s.messages for t in m.assessment.advice
        ]:
            if tip not in advice:
                advice.append(tip)
        senders.append(
            {
                "name": s.account.name or s.account.id,
                "profile_url": s.account.profile_url,
                "headline": s.account.headline or s.account.title,
                "level": s.level,
                "score": s.score,
                "account_evidence": [
                    e for e in (s.assessment.evidence if s.assessment else []) if e.strength > 0
                ],
                "advice": advice[:6],
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
                        "evidence": [e for e in m.assessment.evidence if e.strength > 0],
                    }
                    for m in s.messages
                ],
            }
        )
    return {
        "archive": Path(result.archive).name,
        "owner": result.owner.name if result.owner else None,
        "counts": counts,
        "senders": senders,
        "problems": result.errors,
        "models": ", ".join(result.models) or "none",
    }


def _view_text(message: object) -> str:
    from lurewatch.signals.views import message_view

    return message_view(message).text  # type: ignore[arg-type]


def _print_summary(result: ScanResult, show_all: bool) -> None:
    colour = sys.stdout.isatty()
    flagged = [s for s in result.senders if s.level != "low"]
    click.echo(
        f"Scanned {Path(result.archive).name}: {sum(len(s.messages) for s in result.senders)} incoming messages and "
        f"invitations from {len(result.senders)} people; {len(flagged)} look suspicious."
    )
    shown = result.senders if show_all else flagged
    for s in shown:
        head = f"\n{s.level.upper():<6} {s.score:.2f}  {s.account.name or s.account.id}"
        if s.account.profile_url:
            head += f"  <{s.account.profile_url}>"
        fg = {"high": "red", "medium": "yellow"}.get(s.level)
        click.echo(click.style(head, fg=fg, bold=True) if colour else head)
        reasons = []
        for m in s.messages:
            reasons.extend(e for e in m.assessment.evidence if e.strength > 0)
        if s.assessment:
            reasons.extend(e for e in s.assessment.evidence if e.strength > 0)
        seen = set()
        for e in sorted(reasons, key=lambda e: -e.strength):
            if e.signal in seen:
                continue
            seen.add(e.signal)
            quote = f' — "{" ".join(e.quote.split())[:80]}"' if e.quote else ""
            click.echo(f"   • {e.explanation}{quote}")
            if len(seen) >= 5:
                break
        tips = []
        for m in s.messages:
            tips.extend(t for t in m.assessment.advice if t not in tips)
        for tip in tips[:3]:
            click.echo(f"   → {tip}")
    if not show_all and len(result.senders) > len(flagged):
        click.echo(
            f"\n{len(result.senders) - len(flagged)} other senders look ordinary (use --all to list them)."
        )
    for account, a in result.flagged_connections[:10]:
        click.echo(
            f"\nConnection to review: {account.name} ({a.level}, {a.score:.2f}) — "
            + "; ".join(e.explanation for e in a.evidence[:2])
        )
