"""A member's LinkedIn "Get a copy of your data" archive -> records.

Profile.csv + Positions.csv give the member who exported the archive (the owner);
Connections.csv gives accounts and connection edges; Invitations.csv and messages.csv give
the approaches, each sender becoming an account so `scan` can say who approached you.
The mapping is documented in docs/ingest.md.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import closing
from pathlib import Path

from lurewatch.errors import InputError, UnsafeArchiveError
from lurewatch.ingest.archive import (
    DEFAULT_LIMITS,
    Archive,
    ArchiveLimits,
    SingleFileArchive,
    open_archive,
)
from lurewatch.ingest.csvtable import DateReader, Row, TableSpec, read_table
from lurewatch.ingest.ids import account_id, edge_id, message_id, normalise_name
from lurewatch.records import Account, Edge, Experience, Message, Record, Source

PROFILE = TableSpec(
    file="Profile.csv",
    columns={
        "first_name": ("First Name", "FirstName", "Given Name"),
        "last_name": ("Last Name", "LastName", "Family Name", "Surname"),
        "headline": ("Headline",),
        "summary": ("Summary", "About"),
        "location": ("Geo Location", "Location", "Geo"),
        "profile_url": ("Profile URL", "Public Profile URL", "URL", "Public Profile Url"),
        "industry": ("Industry",),
    },
    ignored=frozenset(
        {
            "maidenname",
            "address",
            "birthdate",
            "zipcode",
            "twitterhandles",
            "websites",
            "instantmessengers",
        }
    ),
    required=(("first_name", "last_name"),),
)

POSITIONS = TableSpec(
    file="Positions.csv",
    columns={
        "company": ("Company Name", "Company", "Organization"),
        "title": ("Title", "Position", "Job Title"),
        "description": ("Description",),
        "location": ("Location",),
        "started": ("Started On", "Start Date", "Started"),
        "finished": ("Finished On", "End Date", "Finished"),
    },
    required=(("company", "title"),),
)

CONNECTIONS = TableSpec(
    file="Connections.csv",
    columns={
        "first_name": ("First Name", "FirstName"),
        "last_name": ("Last Name", "LastName"),
        "url": ("URL", "Profile URL", "LinkedIn URL"),
        "email": ("Email Address", "Email", "E-mail Address"),
        "company": ("Company", "Company Name", "Organization"),
        "position": ("Position", "Title", "Job Title"),
        "connected_on": ("Connected On", "Connected At", "Connection Date", "Date"),
    },
    required=(("first_name", "last_name", "url"),),
    preamble=True,
)

INVITATIONS = TableSpec(
    file="Invitations.csv",
    columns={
        "from": ("From", "Inviter", "Inviter Name", "Sender"),
        "to": ("To", "Invitee", "Invitee Name", "Recipient"),
        "sent_at": ("Sent At", "sentAt", "Date", "Sent", "Sent On", "Sent Date"),
        "message": ("Message", "Content", "Text", "Invitation Message", "Note"),
        "direction": ("Direction",),
        "inviter_url": (
            "inviterProfileUrl",
            "Inviter Profile URL",
            "From Profile URL",
            "Inviter URL",
        ),
        "invitee_url": (
            "inviteeProfileUrl",
            "Invitee Profile URL",
            "To Profile URL",
            "Invitee URL",
        ),
    },
    required=(("from", "inviter_url"),),
)

MESSAGES = TableSpec(
    file="messages.csv",
    columns={
        "conversation_id": ("CONVERSATION ID", "Conversation"),
        "conversation_title": ("CONVERSATION TITLE", "Title"),
        "from": ("FROM", "Sender", "Sender Name"),
        "sender_url": ("SENDER PROFILE URL", "Sender URL", "From Profile URL"),
        "to": ("TO", "Recipients", "Recipient Names"),
        "recipient_urls": (
            "RECIPIENT PROFILE URLS",
            "Recipient Profile URL",
            "Recipient URLs",
            "To Profile URLs",
        ),
        "date": ("DATE", "Sent At", "sentAt", "Sent", "Timestamp"),
        "subject": ("SUBJECT",),
        "content": ("CONTENT", "Message", "Body", "Text"),
        "folder": ("FOLDER",),
    },
    ignored=frozenset({"attachments", "ismessagedraft", "isconversationdraft", "conversationtype"}),
    required=(("content",), ("from", "sender_url")),
)

OPTIONAL_FILES = (PROFILE, POSITIONS, CONNECTIONS, INVITATIONS, MESSAGES)
_INMAIL_MARKERS = re.compile(r"inmail|sponsored", re.I)
_URL_SPLIT = re.compile(r"[\s,;]+")
OWNER_FALLBACK_ID = "li:owner"
OWNER_SCAN_ROWS = 20_000  # rows read per file to find the owner's URL before the real pass


class LinkedInArchiveReader:
    """Reads an export archive (zip or folder); iterate for records and located errors."""

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.name = str(path)
        self.warnings: list[str] = []
        self._warned: set[str] = set()
        self.archive: Archive = open_archive(path, limits)
        self.members = {spec.file: self.archive.find(spec.file) for spec in OPTIONAL_FILES}
        if not any(self.members.values()):
            raise InputError(
                "not a LinkedIn data archive: none of "
                + ", ".join(spec.file for spec in OPTIONAL_FILES)
                + " found in it",
                source=self.name,
            )
        for spec in OPTIONAL_FILES:
            if self.members[spec.file] is None and not isinstance(self.archive, SingleFileArchive):
                self.warn(f"{spec.file} not in the archive: {_WHAT_IS_MISSING[spec.file]}")
        self._head: list[Record | InputError] = []
        self.owner: Account | None = self._read_owner()
        self._owner_key = (
            normalise_name(self.owner.name) if self.owner and self.owner.name else None
        )

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warnings.append(message)

    # ------------------------------------------------------------------ owner

    def _rows(self, spec: TableSpec) -> Generator[Row | InputError, None, None]:
        member = self.members[spec.file]
        if member is None:
            return
        try:
            with self.archive.open_text(member) as text:
                yield from read_table(text, spec, member, self.warn)
        except UnsafeArchiveError:
            raise
        except InputError as exc:  # an unreadable member: reported, the other files still read
            yield exc

    def _read_owner(self) -> Account | None:
        profile: Row | None = None
        for item in self._rows(PROFILE):
            if isinstance(item, InputError):
                self._head.append(item)
            elif profile is None:
                profile = item
            else:
                self.warn(
                    f"{item.member}: more than one profile row; row {item.row} and later ignored"
                )
        owner_name = (
            _full_name(profile.get("first_name"), profile.get("last_name")) if profile else None
        )
        found = self._owner_url(owner_name)
        url = (profile.get("profile_url") if profile else None) or (found[0] if found else None)
        if owner_name is None and found is not None:
            owner_name = found[3] or None
        oid = account_id(url, owner_name)
        if oid is None:
            if self.members[CONNECTIONS.file]:
                self.warn(
                    "the archive's owner is unknown (no Profile.csv, no sent invitation or message); "
                    f"connections are attached to '{OWNER_FALLBACK_ID}'"
                )
            return None
        experiences, current = self._positions()
        if profile is not None:
            source = Source(profile.member, profile.row)
        else:
            assert found is not None
            source = Source(found[1], found[2])
        owner = Account(
            id=oid,
            name=owner_name,
            profile_url=url,
            headline=(profile.get("headline") or None) if profile else None,
            about=(profile.get("summary") or None) if profile else None,
            location=(profile.get("location") or None) if profile else None,
            title=current.title if current else None,
            company=current.company if current else None,
            experiences=experiences,
            # The member who exported the archive is a real, known person: a trust seed for the
            # graph, and not a suspect (the assessor does not score verified accounts as covers).
            verified=True,
            owner=True,
            source=source,
        )
        self._head.insert(0, owner)
        return owner

    def _positions(self) -> tuple[list[Experience], Experience | None]:
        out: list[Experience] = []
        current: Experience | None = None
        for item in self._rows(POSITIONS):
            if isinstance(item, InputError):
                self._head.append(item)
                continue
            exp = Experience(
                title=item.get("title") or None,
                company=item.get("company") or None,
                started=item.get("started") or None,
                ended=item.get("finished") or None,
                description=item.get("description") or None,
            )
            out.append(exp)
            if current is None and not exp.ended:
                current = exp
        return out, current

    def _owner_url(self, owner_name: str | None) -> tuple[str, str, int, str] | None:
        """The owner's profile URL is not in Profile.csv: the sent side of invitations and messages shows it."""
        votes: Counter[str] = Counter()
        first: dict[str, tuple[str, int, str]] = {}
        wanted = normalise_name(owner_name) if owner_name else None

        def vote(url: str, row: Row, name: str) -> None:
            if url:
                votes[url] += 1
                first.setdefault(url, (row.member, row.row, name))

        with closing(self._rows(INVITATIONS)) as rows:
            for item in rows:
                if isinstance(item, InputError):
                    continue
                if item.row > OWNER_SCAN_ROWS:
                    break
                direction = item.get("direction").casefold()
                if direction == "outgoing" or (
                    wanted and normalise_name(item.get("from")) == wanted
                ):
                    vote(item.get("inviter_url"), item, item.get("from"))
                elif direction == "incoming" or (
                    wanted and normalise_name(item.get("to")) == wanted
                ):
                    vote(item.get("invitee_url"), item, item.get("to"))
        if votes:
            url, _ = votes.most_common(1)[0]
            return url, *first[url]
        # Some exports file the owner's own messages under INBOX: failing SENT rows or the
        # owner's name, the owner is whoever takes part in most conversations.
        present: dict[str, set[str]] = {}
        seen_at: dict[str, tuple[str, int, str]] = {}
        with closing(self._rows(MESSAGES)) as rows:
            for item in rows:
                if isinstance(item, InputError):
                    continue
                if item.get("folder").casefold() == "sent" or (
                    wanted and normalise_name(item.get("from")) == wanted
                ):
                    vote(item.get("sender_url"), item, item.get("from"))
                if sum(votes.values()) >= 20 or item.row > OWNER_SCAN_ROWS:
                    break
                conv = item.get("conversation_id") or f"row {item.row}"
                pairs = [(item.get("sender_url"), item.get("from"))]
                pairs += _pair_recipients(item.get("recipient_urls"), item.get("to"))
                for url, name in pairs:
                    if url:
                        present.setdefault(url, set()).add(conv)
                        seen_at.setdefault(url, (item.member, item.row, name))
        if votes:
            url, _ = votes.most_common(1)[0]
            return url, *first[url]
        conversations = len(set().union(*present.values())) if present else 0
        ranked = sorted(present.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        in_all = [url for url, convs in ranked if len(convs) == conversations]
        if conversations >= 2 and len(in_all) == 1:  # exactly one person in every conversation
            return in_all[0], *seen_at[in_all[0]]
        return None

    # ------------------------------------------------------------------ records

    def __iter__(self) -> Iterator[Record | InputError]:
        seen: set[str] = set()
        for item in self._head:
            if isinstance(item, Account):
                seen.add(item.id)
            yield item
        owner_id = self.owner.id if self.owner else None
        yield from self._connections(owner_id, seen)
        yield from self._invitations(owner_id, seen)
        yield from self._messages(owner_id, seen)

    def _person(
        self, url: str, name: str, row: Row, seen: set[str], *, scope: str | None = None
    ) -> tuple[str | None, Account | None]:
        """The id of a person named in a row, and a new Account when first seen.

        Older exports name people without URLs; the owner's own name then means the owner.
        """
        name = _plain(name) or ""
        if not url and self.owner is not None and name and normalise_name(name) == self._owner_key:
            return self.owner.id, None
        aid = account_id(url, name, scope=scope)
        if aid is None or aid in seen:
            return aid, None
        seen.add(aid)
        return aid, Account(id=aid, name=name or None, profile_url=url or None, source=_source(row))

    def _connections(self, owner_id: str | None, seen: set[str]) -> Iterator[Record | InputError]:
        dates = DateReader(self.warn)
        src = owner_id or OWNER_FALLBACK_ID
        for row in self._rows(CONNECTIONS):
            if isinstance(row, InputError):
                yield row
                continue
            name = _full_name(row.get("first_name"), row.get("last_name"))
            aid = account_id(row.get("url"), name)
            if aid is None:
                yield row.error("a connection needs a name or a profile URL", "url")
                continue
            source = _source(row)
            if aid not in seen:
                seen.add(aid)
                yield Account(
                    id=aid,
                    name=name,
                    profile_url=row.get("url") or None,
                    company=_plain(row.get("company")),
                    title=_plain(row.get("position")),
                    source=source,
                )
            yield Edge(
                id=edge_id(src, "connection", aid),
                src=src,
                dst=aid,
                type="connection",
                at=dates(row, "connected_on"),
                source=source,
            )

    def _invitations(self, owner_id: str | None, seen: set[str]) -> Iterator[Record | InputError]:
        dates = DateReader(self.warn)
        for row in self._rows(INVITATIONS):
            if isinstance(row, InputError):
                yield row
                continue
            direction = _direction(row.get("direction"))
            inviter, account = self._person(row.get("inviter_url"), row.get("from"), row, seen)
            if inviter is None:
                if direction == "outgoing" and owner_id:
                    inviter = owner_id
                else:
                    yield row.error("an invitation needs the inviter's name or profile URL", "from")
                    continue
            if account:
                yield account
            invitee, account = self._person(row.get("invitee_url"), row.get("to"), row, seen)
            if invitee is None:
                if direction != "outgoing" and owner_id:
                    invitee = owner_id
                else:
                    yield row.error("an invitation needs the invitee's name or profile URL", "to")
                    continue
            if account:
                yield account
            if direction is None and owner_id:
                direction = (
                    "outgoing"
                    if inviter == owner_id
                    else "incoming"
                    if invitee == owner_id
                    else None
                )
            at = dates(row, "sent_at")
            source = _source(row)
            yield Edge(
                id=edge_id(inviter, "invitation_sent", invitee),
                src=inviter,
                dst=invitee,
                type="invitation_sent",
                at=at,
                source=source,
            )
            text = row.get("message")
            yield Message(
                id=message_id(INVITATIONS.file, inviter, invitee, row.get("sent_at"), text),
                text=text,
                sender=inviter,
                sender_name=_plain(row.get("from")),
                recipients=[invitee],
                sent_at=at,
                channel="invitation",
                direction=direction,
                source=source,
            )

    def _messages(self, owner_id: str | None, seen: set[str]) -> Iterator[Record | InputError]:
        dates = DateReader(self.warn)
        for row in self._rows(MESSAGES):
            if isinstance(row, InputError):
                yield row
                continue
            conv = row.get("conversation_id") or None
            sender, account = self._person(
                row.get("sender_url"), row.get("from"), row, seen, scope=conv
            )
            folder = row.get("folder").casefold()
            if sender is None:
                if folder == "sent" and owner_id:
                    sender = owner_id
                else:
                    yield row.error("a message needs the sender's name or profile URL", "from")
                    continue
            if account:
                yield account
            recipients: list[str] = []
            for url, name in _pair_recipients(row.get("recipient_urls"), row.get("to")):
                rid, account = self._person(url, name, row, seen, scope=conv)
                if rid is None:
                    continue
                if account:
                    yield account
                if rid not in recipients:
                    recipients.append(rid)
            if folder == "sent" or (owner_id and sender == owner_id):
                direction: str | None = "outgoing"
            elif owner_id or folder in {"inbox", "archive", "archived", "spam"}:
                direction = "incoming"
            else:
                direction = None
            if not recipients and direction == "incoming" and owner_id:
                recipients = [owner_id]
            subject = row.get("subject")
            title = row.get("conversation_title")
            markers = f"{row.get('folder')} {title}"
            channel = "inmail" if _INMAIL_MARKERS.search(markers) or subject else "message"
            text = row.get("content")
            yield Message(
                id=message_id(MESSAGES.file, conv, row.get("date"), sender, text),
                text=text,
                sender=sender,
                sender_name=_plain(row.get("from")),
                recipients=recipients,
                sent_at=dates(row, "date"),
                subject=subject or None,
                channel=channel,
                direction=direction,
                conversation_id=conv,
                source=_source(row),
            )


_WHAT_IS_MISSING = {
    "Profile.csv": "the archive's owner is taken from other files, without headline or summary",
    "Positions.csv": "the owner's work history is empty",
    "Connections.csv": "no connections read",
    "Invitations.csv": "no invitations read",
    "messages.csv": "no messages read",
}


def _source(row: Row) -> Source:
    """Where a record came from, with the cells as they were before mojibake repair."""
    return Source(row.member, row.row, dict(row.original) if row.original else None)


def _full_name(first: str, last: str) -> str | None:
    name = " ".join(p for p in (first.strip(), last.strip()) if p)
    return _plain(name)


def _plain(value: str | None) -> str | None:
    """Names, companies and titles as people read them: exports carry HTML entities (`Mei &amp; Co`)."""
    if not value:
        return None
    return html.unescape(value) if "&" in value else value


def _direction(value: str) -> str | None:
    v = value.strip().casefold()
    if v in {"incoming", "received", "inbound"}:
        return "incoming"
    if v in {"outgoing", "sent", "outbound"}:
        return "outgoing"
    return None


def _pair_recipients(urls: str, names: str) -> list[tuple[str, str]]:
    """RECIPIENT PROFILE URLS and TO list the same people in the same order when both are full."""
    url_list = [u for u in _URL_SPLIT.split(urls) if u] if urls else []
    name_list = [n.strip() for n in names.split(",") if n.strip()] if names else []
    if url_list and len(url_list) == len(name_list):
        return list(zip(url_list, name_list, strict=True))
    if url_list:
        if len(name_list) == 1 and len(url_list) == 1:
            return [(url_list[0], name_list[0])]
        return [(u, "") for u in url_list]
    return [("", n) for n in name_list]
