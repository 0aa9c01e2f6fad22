"""Users, organisations, passwords, API keys and login sessions (no web framework imports).

Passwords are hashed with argon2 (argon2-cffi). API keys and session tokens are 32 random
bytes, stored only as SHA-256 digests. The CLI (`lurewatch users`) and the web share this.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, select

from lurewatch.errors import InputError
from lurewatch.store.tables.web import api_keys, organisations, sessions, users

ROLES: tuple[str, ...] = ("member", "analyst", "admin")
ROLE_ALIASES = {"reporter": "member"}
ROLE_RANK = {"anonymous": 0, "member": 1, "analyst": 2, "admin": 3}
SESSION_HOURS = 12
MIN_PASSWORD = 10
KEY_PREFIX = "lw_"

_hasher = PasswordHasher()
# A hash of nothing in particular: verifying against it when the user is unknown keeps the
# response time the same, so login does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, as every route sees it: role and organisation decide what is allowed."""

    user_id: int | None
    email: str
    role: str  # anonymous | member | analyst | admin
    org_id: int | None
    org_name: str | None
    via: str  # anonymous | session | api_key
    csrf: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def at_least(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]


ANONYMOUS = Principal(None, "anonymous", "anonymous", None, None, "anonymous")


def _now() -> datetime:
    return datetime.now(UTC)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_role(role: str) -> str:
    role = ROLE_ALIASES.get(role.strip().lower(), role.strip().lower())
    if role not in ROLES:
        raise InputError(
            f"must be one of {', '.join(ROLES)} (or reporter); got {role!r}", field="role"
        )
    return role


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"must be at least {MIN_PASSWORD} characters", field="password")
    if len(password) > 1024:
        raise InputError("is longer than 1024 characters", field="password")


def ensure_org(conn: Connection, name: str) -> int:
    clean = " ".join(name.split())
    if not clean or len(clean) > 200:
        raise InputError("must be 1–200 characters", field="org")
    row = conn.execute(select(organisations.c.id).where(organisations.c.name == clean)).first()
    if row:
        return int(row.id)
    return int(
        conn.execute(
            organisations.insert()
            .values(name=clean, created_at=_now())
            .returning(organisations.c.id)
        ).scalar_one()
    )


def add_user(
    conn: Connection,
    email: str,
    *,
    role: str,
    org: str,
    password: str | None,
    name: str | None = None,
) -> int:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise InputError(f"not an e-mail address: {email!r}", field="email")
    role = normalise_role(role)
    if password is not None:
        check_password(password)
    if conn.execute(select(users.c.id).where(users.c.email == email)).first():
        raise InputError(f"a user {email} already exists", field="email")
    org_id = ensure_org(conn, org)
    return int(
        conn.execute(
            users.insert()
            .values(
                email=email,
                name=name,
                role=role,
                org_id=org_id,
                password_hash=_hasher.hash(password) if password is not None else None,
                active=True,
                created_at=_now(),
            )
            .returning(users.c.id)
        ).scalar_one()
    )


def set_password(conn: Connection, email: str, password: str) -> None:
    check_password(password)
    done = conn.execute(
        users.update()
        .where(users.c.email == email.strip().lower())
        .values(password_hash=_hasher.hash(password))
    )
    if done.rowcount == 0:
        raise InputError(f"no user {email}", field="email")


def set_active(conn: Connection, email: str, active: bool) -> None:
    """Disabling keeps the user's audit history; their sessions and API keys stop working at once."""
    done = conn.execute(
        users.update().where(users.c.email == email.strip().lower()).values(active=active)
    )
    if done.rowcount == 0:
        raise InputError(f"no user {email}", field="email")


def list_users(conn: Connection, org_id: int | None = None) -> list[dict[str, Any]]:
    query = select(
        users.c.id,
        users.c.email,
        users.c.name,
        users.c.role,
        users.c.active,
        organisations.c.name.label("org"),
    ).select_from(users.join(organisations, organisations.c.id == users.c.org_id))
    if org_id is not None:
        query = query.where(users.c.org_id == org_id)
    return [dict(r._mapping) for r in conn.execute(query.order_by(users.c.id)).all()]


def _principal(row: Any, via: str, csrf: str | None = None) -> Principal:
    return Principal(int(row.id), row.email, row.role, int(row.org_id), row.org, via, csrf)


def _user_query():  # noqa: ANN202
    return select(
        users.c.id,
        users.c.email,
        users.c.role,
        users.c.org_id,
        users.c.active,
        organisations.c.name.label("org"),
    ).select_from(users.join(organisations, organisations.c.id == users.c.org_id))


def authenticate(conn: Connection, email: str, password: str) -> Principal | None:
    row = conn.execute(
        select(users.c.password_hash).where(
            and_(users.c.email == email.strip().lower(), users.c.active.is_(True))
        )
    ).first()
    stored = row.password_hash if row and row.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.password_hash:
        return None
    user = conn.execute(_user_query().where(users.c.email == email.strip().lower())).first()
    return _principal(user, "password") if user else None


def start_session(conn: Connection, user_id: int) -> tuple[str, str]:
    """Returns (session token for the cookie, CSRF token for forms)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(sessions.delete().where(sessions.c.expires_at < now))  # housekeeping
    conn.execute(
        sessions.insert().values(
            token_hash=digest(token),
            user_id=user_id,
            csrf=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    return token, csrf


def session_principal(conn: Connection, token: str) -> Principal | None:
    row = conn.execute(
        select(sessions.c.csrf, sessions.c.expires_at, sessions.c.user_id).where(
            sessions.c.token_hash == digest(token)
        )
    ).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < _now():
        return None
    user = conn.execute(_user_query().where(users.c.id == row.user_id)).first()
    if user is None or not user.active:
        return None
    return _principal(user, "session", row.csrf)


def end_session(conn: Connection, token: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token_hash == digest(token)))


def create_api_key(conn: Connection, user_id: int, name: str | None = None) -> str:
    """Returns the key once (`lw_<prefix>_<secret>`); only its digest is kept."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    conn.execute(
        api_keys.insert().values(
            prefix=prefix, key_hash=digest(key), user_id=user_id, name=name, created_at=_now()
        )
    )
    return key


def revoke_api_key(conn: Connection, prefix: str, org_id: int | None = None) -> bool:
    query = (
        select(api_keys.c.id, users.c.org_id)
        .select_from(api_keys.join(users, users.c.id == api_keys.c.user_id))
        .where(api_keys.c.prefix == prefix)
    )
    row = conn.execute(query).first()
    if row is None or (org_id is not None and row.org_id != org_id):
        return False
    conn.execute(api_keys.update().where(api_keys.c.id == row.id).values(revoked_at=_now()))
    return True


def api_key_principal(conn: Connection, key: str) -> Principal | None:
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    row = conn.execute(
        select(api_keys.c.id, api_keys.c.key_hash, api_keys.c.user_id, api_keys.c.revoked_at).where(
            api_keys.c.key_hash == digest(key)
        )
    ).first()
    if (
        row is None
        or row.revoked_at is not None
        or not hmac.compare_digest(row.key_hash, digest(key))
    ):
        return None
    user = conn.execute(_user_query().where(users.c.id == row.user_id)).first()
    if user is None or not user.active:
        return None
    return _principal(user, "api_key")


def list_api_keys(conn: Connection, org_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            api_keys.c.prefix,
            api_keys.c.name,
            api_keys.c.created_at,
            api_keys.c.revoked_at,
            users.c.email,
        )
        .select_from(api_keys.join(users, users.c.id == api_keys.c.user_id))
        .where(users.c.org_id == org_id)
        .order_by(api_keys.c.id)
    ).all()
    return [dict(r._mapping) for r in rows]


class LoginThrottle:
    """Slows password guessing: after `limit` failures for one e-mail within `window` seconds,
    that e-mail is refused until the window passes. In memory, per process (one per app)."""

    def __init__(self, limit: int = 10, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def blocked(self, email: str) -> bool:
        with self._lock:
            return len(self._recent(email.strip().lower(), time.monotonic())) >= self.limit

    def failed(self, email: str) -> None:
        key = email.strip().lower()
        with self._lock:
            now = time.monotonic()
            self._failures[key] = [*self._recent(key, now), now]
            if len(self._failures) > 100_000:  # bound memory under a spray of random e-mails
                self._failures.clear()

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(email.strip().lower(), None)
