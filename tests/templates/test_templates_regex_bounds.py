"""Pattern scans stay linear on hostile runs (once quadratic: 20,000 letters and an '@', 13 s).

The look-behind anchors keep the matches of the old patterns (a match starting inside a run
extends to the run's start); these tests pin the matches, and run the hostile inputs under a
timeout, as a guard rather than a timing claim.
"""

from __future__ import annotations

import re

import pytest

from lurewatch.records import Message
from lurewatch.signals.lure import detect as lure_detect
from lurewatch.signals.views import message_view
from lurewatch.templates.normalize import _EMAIL_RE, _URL_RE, PLACEHOLDERS, normalize

OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

SAMPLES = [
    "write to john.doe+x@example.co.uk today",
    "a@b.c and x.y@z.org, (mail: first-last@sub.domain.com)",
    "no address here @handle and a@b",
    "see www.example.org/path, foo.bar.com/x?y=1 and https://t.me/abc",
    "mixed: name@host.com.cn/extra and report.pdf",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_email_matches_unchanged(text: str) -> None:
    assert [m.span() for m in _EMAIL_RE.finditer(text)] == [
        m.span() for m in OLD_EMAIL.finditer(text)
    ]


def test_urls_and_emails_still_become_placeholders() -> None:
    out = normalize("Dear Anna, mail me at anna.b@example.com or see www.site.org and site.com/x")
    assert out.count(PLACEHOLDERS["email"]) == 1
    assert out.count(PLACEHOLDERS["url"]) == 2
    assert _URL_RE.search("visit foo.bar.com now").group(0) == "foo.bar.com"  # type: ignore[union-attr]


HOSTILE = [
    "a" * 100_000 + "@",
    "a." * 50_000 + "@ x.com",
    "a-" * 50_000 + " x.com @",
    "-" * 100_000 + "@ .com",
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("text", HOSTILE, ids=["letters@", "dots@", "hyphens", "dashes"])
def test_hostile_runs_finish(text: str) -> None:
    normalize(text)
    lure_detect(message_view(Message(id="m", text=text[:20_000] + "@gmail.com")))


def test_handles_per_text_are_capped() -> None:
    from lurewatch.campaigns.handles import MAX_HANDLES, extract

    found = extract("x@y.io " * 5_000)
    assert len(found) == 1  # one per (kind, value)
    many = extract(" ".join(f"u{i}@host{i}.com" for i in range(5_000)))
    assert len(many) == MAX_HANDLES
