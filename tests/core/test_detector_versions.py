"""A detector family's behaviour may change only together with its declared version.

Each family runs on fixed invented inputs; the digest of what it returns must equal the digest
recorded for its declared version in `tests/fixtures/detector_golden.json`. After an intended
change: bump the family's version constant, then run
`python tests/core/test_detector_versions.py --update` and commit both.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lurewatch.records import Account, Experience, Message
from lurewatch.signals import conversation, language, lure, persona
from lurewatch.signals.versions import detector_versions
from lurewatch.signals.views import AccountView, message_view

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "detector_golden.json"

TEXTS = [
    "Dear Dr. Weber, our think tank would pay you 2,000 EUR for a short paper on internal EU "
    "policy. All expenses paid trip to a seminar abroad. Let's continue on WhatsApp.",
    "Hi Sam, thanks for the notes from yesterday's meeting. See you at lunch on Friday.",
    "Thank you, but I do not write paid reports and I will not move to WhatsApp.",
    "Beware of recruiters who ask you to move to Telegram and offer a paid trip.",
    "Bonjour Madame, notre cabinet de conseil vous propose une collaboration rémunérée "
    "(3 000 €) et un voyage tous frais payés à Pékin. Continuons sur WeChat.",
    "Je ne souhaite pas être rémunérée et je ne passerai pas sur WhatsApp.",
    "Sehr geehrter Herr Krüger, wir bieten Ihnen ein Honorar von 1.500 Euro für eine kurze "
    "Analyse vertraulicher Vorgänge. Schreiben Sie mir bitte auf Telegram.",
    "Ich werde nicht auf Telegram wechseln und schreibe keine bezahlten Berichte.",
    "We are hiring a senior backend engineer; the interview is a take-home coding test, "
    "please run the attached repository with npm install before our call.",
    "Invitation to speak at our annual conference in Lisbon; we cover travel and hotel.",
    "Hello dear, part-time job, earn 300 USD a day liking videos, contact me on WhatsApp.",
    "short",
]

NOW = datetime(2026, 1, 1, tzinfo=UTC)

ACCOUNTS = [
    Account(
        id="a1",
        name="Rachel Li",
        headline="Senior head hunter",
        followers=12,
        following=900,
        connections=45,
        has_photo=True,
        created_at=datetime(2025, 12, 1, tzinfo=UTC),
    ),
    Account(
        id="a2",
        name="Sam Poe",
        username="sam.poe",
        title="Engineer",
        company="Acme",
        experiences=[Experience(title="Engineer", company="Acme", started="2015")],
        education=["Some University"],
        skills=["python"],
        connections=500,
        created_at=datetime(2012, 5, 1, tzinfo=UTC),
        has_photo=True,
        about="Backend engineer.",
    ),
    Account(id="a3", username="jwilson83920174", followers=3, following=4000, posts=0),
]


def _digest(data: Any) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _lure() -> Any:
    return [
        [e.to_dict() for e in lure.detect(message_view(Message(id=f"m{i}", text=t)))]
        for i, t in enumerate(TEXTS)
    ]


def _persona() -> Any:
    sent = [Message(id="s1", text=TEXTS[0], sender="a1")]
    return [
        [e.to_dict() for e in persona.detect_at(AccountView(a, messages_sent=sent), NOW)]
        for a in ACCOUNTS
    ]


def _language() -> Any:
    return [list(language.detect_language(t)) for t in TEXTS]


def _conversation() -> Any:
    texts = ["Hello, I enjoyed your talk on energy policy.", "Could we continue on WhatsApp?"]
    messages = [
        Message(id=f"c{i}", text=t, sender="a1", conversation_id="k", sent_at=NOW)
        for i, t in enumerate(texts)
    ]
    thread = conversation.read_thread(
        "k", messages, texts, lambda text: lure.detect(message_view(Message(id="j", text=text)))
    )
    return {
        "evidence": [e.to_dict() for e in thread.evidence],
        "context": [conversation.context_evidence(thread, i, 0.8).to_dict() for i in range(2)],
        "own": conversation.is_own(Message(id="o", text="x", direction="outgoing")),
    }


FAMILIES: dict[str, Callable[[], Any]] = {
    "lure": _lure,
    "persona": _persona,
    "language": _language,
    "conversation": _conversation,
}


def current() -> dict[str, dict[str, str]]:
    versions = detector_versions()
    return {
        name: {"version": versions[name], "digest": _digest(run())}
        for name, run in FAMILIES.items()
    }


def test_every_declared_family_has_a_golden_run():
    assert set(FAMILIES) == set(detector_versions())


def test_behaviour_changes_only_with_a_new_version():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name, now in current().items():
        recorded = golden.get(name)
        assert recorded is not None, f"no golden digest for {name}: run this file with --update"
        if recorded["version"] == now["version"]:
            assert recorded["digest"] == now["digest"], (
                f"the {name} detectors behave differently from what {now['version']} recorded: "
                f"bump its version constant, then run `python {__file__} --update`"
            )
        else:
            raise AssertionError(
                f"{name} is now {now['version']} (golden: {recorded['version']}): "
                f"run `python {__file__} --update` and commit the golden file"
            )


def test_assessments_record_the_detector_versions():
    from lurewatch.engine.assembly import build_assessor
    from lurewatch.settings import Settings

    assessor = build_assessor(Settings(use_models=False), None)
    got = assessor.assess_message(Message(id="m", text=TEXTS[0]))
    assert got.extra["versions"] == detector_versions()
    account = assessor.assess_account(ACCOUNTS[0])
    assert account.extra["versions"] == detector_versions()


if __name__ == "__main__" and "--update" in sys.argv:
    GOLDEN.write_text(json.dumps(current(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
