"""Invitation-response signals (the SybilEdge idea): judge an account by how people answer its invitations.

A cover persona sprays invitations at strangers; most ignore them, a few report them. SybilEdge
(Breuer et al., WWW 2020) showed this works from an account's first few invitations if each answer
is read against the *recipient's* habits: an ignore from someone who accepts nearly everyone says
more than an ignore from someone who accepts no one. We keep that, with Bayesian smoothing so three
invitations give a cautious answer and thirty a firm one.

Pure: counts in, numbers out. Edge types follow the records: `invitation_sent` (pending),
`invitation_accepted`, `invitation_ignored`, `invitation_reported` — each from inviter (src) to invitee (dst).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

OUTCOMES = {
    "invitation_accepted": "accepted",
    "invitation_ignored": "ignored",
    "invitation_reported": "reported",
}
PRIOR_STRENGTH = 4.0  # pseudo-invitations of prior: 4 answers move the estimate halfway


@dataclass(slots=True)
class InviteStats:
    """What one account's invitations met, and what its recipients usually do."""

    sent: int = 0  # invitations sent, answered or not
    accepted: int = 0
    ignored: int = 0
    reported: int = 0
    expected_accepts: float = (
        0.0  # sum over answered invitations of the recipient's usual acceptance rate
    )
    recipients: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.accepted + self.ignored + self.reported


@dataclass(slots=True)
class InviteScore:
    acceptance: float  # smoothed acceptance rate of this account's invitations
    expected: float  # what its recipients would usually accept (smoothed)
    report_rate: float  # smoothed share reported
    shortfall: float  # (expected − observed) / expected, smoothed, in [0, 1]
    suspicion: float  # in [0, 1]; 0 when there is nothing to judge


def invitation_log(edges: Iterable[tuple[str, str, str]]) -> dict[str, InviteStats]:
    """(src, dst, type) triples → per-inviter statistics, with the recipient-habit baseline filled in.

    The latest answer wins per (inviter, invitee) pair, so a resent invitation is counted once.
    """
    outcome: dict[tuple[str, str], str | None] = {}
    for src, dst, kind in edges:
        if kind == "invitation_sent":
            outcome.setdefault((src, dst), None)
        elif kind in OUTCOMES:
            outcome[(src, dst)] = OUTCOMES[kind]
    # Each recipient's own habit: how often they accept the invitations they receive.
    received_acc: dict[str, int] = defaultdict(int)
    received_all: dict[str, int] = defaultdict(int)
    for (_src, dst), result in outcome.items():
        if result is not None:
            received_all[dst] += 1
            received_acc[dst] += result == "accepted"
    answered = sum(received_all.values())
    base = (sum(received_acc.values()) / answered) if answered else 0.5
    stats: dict[str, InviteStats] = {}
    for (src, dst), result in outcome.items():
        s = stats.setdefault(src, InviteStats())
        s.sent += 1
        s.recipients.append(dst)
        if result is None:
            continue
        setattr(s, result, getattr(s, result) + 1)
        # Leave this invitation out of the recipient's habit, so an account cannot explain itself.
        acc = received_acc[dst] - (result == "accepted")
        total = received_all[dst] - 1
        s.expected_accepts += (acc + PRIOR_STRENGTH * base) / (total + PRIOR_STRENGTH)
    return stats


def global_rates(stats: dict[str, InviteStats]) -> tuple[float, float]:
    """Network-wide acceptance and report rates: the priors every account is smoothed towards."""
    answered = sum(s.answered for s in stats.values())
    if not answered:
        return 0.5, 0.0
    return (
        sum(s.accepted for s in stats.values()) / answered,
        sum(s.reported for s in stats.values()) / answered,
    )


def score_invitations(s: InviteStats, accept_prior: float, report_prior: float) -> InviteScore:
    """Smoothed acceptance shortfall and report rate, combined into one suspicion.

    shortfall: how far below its recipients' usual acceptance this account falls, after adding
    PRIOR_STRENGTH pseudo-answers at the network rate (so 1 ignore of 1 is weak evidence).
    Reports weigh more: a report rate of 10% above the network's is, alone, full strength.
    """
    k = PRIOR_STRENGTH
    n = s.answered
    acceptance = (s.accepted + k * accept_prior) / (n + k)
    expected = (s.expected_accepts + k * accept_prior) / (n + k)
    report_rate = (s.reported + k * report_prior) / (n + k)
    shortfall = max(0.0, expected - acceptance) / expected if expected > 0 else 0.0
    excess_reports = max(0.0, report_rate - report_prior)
    suspicion = 1.0 - (1.0 - min(1.0, shortfall)) * (1.0 - min(1.0, excess_reports / 0.10))
    return InviteScore(
        acceptance, expected, report_rate, min(1.0, shortfall), suspicion if n else 0.0
    )


def score_all(stats: dict[str, InviteStats]) -> dict[str, InviteScore]:
    accept_prior, report_prior = global_rates(stats)
    return {node: score_invitations(s, accept_prior, report_prior) for node, s in stats.items()}


def victim_probabilities(edges: Iterable[tuple[str, str, str]]) -> dict[str, float]:
    """Per member: smoothed share of the invitations they received that they accepted (Íntegro's victim cue).

    Members who accept whoever asks are where attack edges end; Íntegro lowers the trust their
    edges carry. Members with no answered invitations get the network rate.
    """
    received_acc: dict[str, int] = defaultdict(int)
    received_all: dict[str, int] = defaultdict(int)
    latest: dict[tuple[str, str], str] = {}
    for src, dst, kind in edges:
        if kind in OUTCOMES:
            latest[(src, dst)] = OUTCOMES[kind]
    for (_src, dst), result in latest.items():
        received_all[dst] += 1
        received_acc[dst] += result == "accepted"
    total = sum(received_all.values())
    base = sum(received_acc.values()) / total if total else 0.5
    return {
        node: (received_acc[node] + PRIOR_STRENGTH * base) / (received_all[node] + PRIOR_STRENGTH)
        for node in received_all
    }
