"""Personal data in the web: audited reads and the admin's subject export and erasure.

Viewing a page or API answer that shows a person's data (an account, a case, reports) writes
one `read` event to the audit log. An organisation's admin exports what the store holds about
a subject (art. 15) and erases what the organisation holds (art. 17); the platform's shared
records are erased by the operator (`lurewatch subject erase`), who acts for every organisation.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from lurewatch.store import Store, privacy
from lurewatch.web.auth import Principal


def actor_of(p: Principal) -> privacy.Actor:
    return privacy.Actor(p.user_id, p.email, p.org_id)


def audit_read(
    request: Request, p: Principal, kind: str, subject_id: str | None, **data: Any
) -> None:
    """One read event for a page or answer that showed personal data."""
    store: Store = request.app.state.store
    with store.write() as conn:
        privacy.audit(
            conn, actor_of(p), "read", kind, subject_id, path=request.url.path[:300], **data
        )


def export_subject(store: Store, p: Principal, subject: str) -> dict[str, Any]:
    with store.write() as conn:
        found = privacy.subject_export(conn, subject, org_id=p.org_id)
        privacy.audit(conn, actor_of(p), "export", "subject", subject)
    return found


def erase_subject(store: Store, p: Principal, subject: str, reason: str | None) -> dict[str, int]:
    with store.write() as conn:
        return privacy.subject_erase(
            conn, subject, actor_of(p), org_id=p.org_id, shared=False, reason=reason
        )
