"""Users, organisations, passwords, API keys and login sessions (no web framework imports).

Passwords are hashed with argon2 (argon2-cffi). API keys and session tokens are 32 random
bytes, stored only as SHA-256 digests. The CLI (`lurewatch users`) and the web share this.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, select

from lurewatch.errors import InputError
from lurewatch.store.tables.web import api_keys, organisations, sessions, users
from lurewatch.web.throttle import HashGate, LoginThrottle

__all__ = ["LoginThrottle", "HashBusy"]  # LoginThrottle: kept importable from here

ROLES: tuple[str, ...] = ("member", "analyst", "admin")
ROLE_ALIASES = {"reporter": "member"}
ROLE_RANK = {"anonymous": 0, "member": 1, "analyst": 2, "admin": 3}
SESSION_HOURS = 12
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
KEY_PREFIX = "lw_"

_hasher = PasswordHasher()
# A hash of nothing in particular: verifying against it when the user is unknown keeps the
# response time the same, so login does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
# Bounds concurrent argon2 verifications (memory and CPU), see `HashGate`.
hash_gate = HashGate()


class HashBusy(Exception):
    """Every password-hashing slot stayed busy: the caller answers 503 (try again)."""


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
    if len(password) > MAX_PASSWORD:
        raise InputError(f"is longer than {MAX_PASSWORD} characters", field="password")


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
    _password_hash: str | None = None,
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
                password_hash=_password_hash
                or (_hasher.hash(password) if password is not None else None),
                active=True,
                created_at=_now(),
            )
            .returning(users.c.id)
        ).scalar_one()
    )


def add_user_quietly(
    conn: Connection,
    email: str,
    *,
    role: str,
    org: str,
    password: str | None,
    name: str | None = None,
) -> int | None:
    """`add_user` for an organisation's admin, who must not learn which e-mails other
    organisations have: an address already used in another organisation is answered like a
    free one (nothing is created, returns None), after the same password hashing work."""
    email_clean = email.strip().lower()
    role = normalise_role(role)
    hashed = None
    if password is not None:
        check_password(password)
        hashed = _hasher.hash(password)  # the same cost whether or not the address is free
    row = conn.execute(
        select(users.c.id, organisations.c.name.label("org"))
        .select_from(users.join(organisations, organisations.c.id == users.c.org_id))
        .where(users.c.email == email_clean)
    ).first()
    if row is None:
        return add_user(
            conn, email, role=role, org=org, password=password, name=name, _password_hash=hashed
        )
    if row.org == " ".join(org.split()):
        raise InputError(f"{email_clean} is already in your organisation", field="email")
    return None


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
    with hash_gate.slot() as ready:
        if not ready:
            raise HashBusy("the server is busy checking passwords; try again in a moment")
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
