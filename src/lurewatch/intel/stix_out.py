"""STIX 2.1 out: suspected cover profiles, front companies, campaigns and their artifacts.

Plain inputs (account records, assessment rows, campaign and artifact dicts) become plain
STIX dicts with deterministic ids (UUIDv5), so re-exporting the same facts gives the same
objects and a TAXII peer sees versions, not duplicates. Building dicts directly is much
faster than constructing `stix2` objects one by one; `validate_bundle` then checks the
result with the `stix2` library (and `stix2-validator` when installed).

What is never exported: approached members. Only suspected fakes (accounts assessed at or
above `min_level`), their own public profile fields, shared artifacts and counts of targets.
Evidence travels as signal codes, strengths and the catalogue's descriptions - never the
quoted message text, which can name the recipient.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from lurewatch.errors import InputError
from lurewatch.intel.extension import (
    NAMESPACE,
    PRODUCER_ID,
    extension,
    extension_definition,
    producer_identity,
)
from lurewatch.watchlist.entries import Entry

SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")  # STIX 2.1 section 2.9
LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2}


def sdo_id(type_: str, key: str) -> str:
    """A deterministic id shaped as the UUIDv4 STIX recommends for SDOs (hash bits, version 4)."""
    digest = uuid.uuid5(NAMESPACE, f"{type_}:{key}").bytes
    return f"{type_}--{uuid.UUID(bytes=digest, version=4)}"


def sco_id(type_: str, contributing: dict[str, Any]) -> str:
    """STIX 2.1 deterministic SCO id: UUIDv5 over the canonical JSON of the id-contributing properties."""
    props = {k: v for k, v in contributing.items() if v is not None}
    canonical = json.dumps(props, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{type_}--{uuid.uuid5(SCO_NAMESPACE, canonical)}"


def timestamp(value: Any = None) -> str:
    """A STIX timestamp (UTC, milliseconds, 'Z') from a datetime, an ISO string, or now."""
    if value is None or value == "":
        dt = datetime.now(UTC)
    elif isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        text = str(value).strip().replace(" ", "T", 1)
        if len(text) == 4 and text.isdigit():
            text += "-01-01"
        elif len(text) == 7:
            text += "-01"
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(f"not a timestamp: {value!r}") from None
        dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def pattern_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class StixExporter:
    """Collects objects for one bundle; each `add_*` returns the id of the object it made."""

    def __init__(self, *, account_type: str = "linkedin", now: Any = None) -> None:
        self.account_type = account_type
        self.now = timestamp(now)
        self.objects: dict[str, dict[str, Any]] = {}
        self._put(producer_identity())
        self._put(extension_definition())

    def _put(self, obj: dict[str, Any]) -> str:
        self.objects[obj["id"]] = obj
        return obj["id"]

    def _sdo(
        self, type_: str, key: str, created: str | None = None, **props: Any
    ) -> dict[str, Any]:
        stamp = created or self.now
        obj = {
            "type": type_,
            "spec_version": "2.1",
            "id": sdo_id(type_, key),
            "created_by_ref": PRODUCER_ID,
            "created": stamp,
            "modified": stamp,
        }
        obj.update({k: v for k, v in props.items() if v is not None and v != [] and v != ""})
        return obj

    def relate(self, source: str, rel: str, target: str, description: str | None = None) -> str:
        key = f"{source}|{rel}|{target}"
        return self._put(
            self._sdo(
                "relationship",
                key,
                relationship_type=rel,
                source_ref=source,
                target_ref=target,
                description=description,
            )
        )

    # ------------------------------------------------------------------ watchlist
    def add_entry(self, entry: Entry) -> str:
        """A published front company or persona as an `identity`, provenance in the extension."""
        created = timestamp(entry.added) if entry.added else self.now
        org = entry.kind == "organisation"
        return self._put(
            self._sdo(
                "identity",
                f"watchlist:{entry.id}",
                created,
                name=entry.name,
                identity_class="organization" if org else "individual",
                description=f"Published {'front company' if org else 'cover persona'}: {entry.notes}".strip(),
                roles=["front company"] if org else ["cover persona"],
                sectors=list(entry.sectors) if org and entry.sectors else None,
                extensions=extension(
                    watchlist={
                        "kind": entry.kind,
                        "source": entry.source,
                        "published": entry.published,
                        "expires": entry.expires,
                        "aliases": list(entry.aliases),
                        "country": entry.country,
                        "notes": entry.notes,
                        "entry_id": entry.id,
                        "added": entry.added,
                        "source_url": entry.source_url,
                    }
                ),
            )
        )

    # ------------------------------------------------------------------ accounts
    def add_account(self, account: dict[str, Any], assessment: dict[str, Any] | None = None) -> str:
        """A suspected cover profile: an `identity` (individual) and its `user-account`, with indicators."""
        account_id = str(account["id"])
        name = account.get("name") or account.get("username") or account_id
        assessed = assessment or {}
        created = (
            timestamp(assessed.get("assessed_at")) if assessed.get("assessed_at") else self.now
        )
        ext_props: dict[str, Any] = {}
        if assessment:
            ext_props["assessment"] = _assessment_ext(assessment)
        description_bits = [f"Suspected cover profile ({self.account_type})."]
        if account.get("headline"):
            description_bits.append(f"Headline: {account['headline']}")
        if account.get("company"):
            description_bits.append(f"Employer shown: {account['company']}")
        identity_id = self._put(
            self._sdo(
                "identity",
                f"account:{account_id}",
                created,
                name=str(name),
                identity_class="individual",
                description=" ".join(description_bits),
                extensions=extension(**ext_props) if ext_props else None,
            )
        )
        login = account.get("username")
        contributing = {
            "account_type": self.account_type,
            "user_id": account_id,
            "account_login": login,
        }
        ua: dict[str, Any] = {
            "type": "user-account",
            "spec_version": "2.1",
            "id": sco_id("user-account", contributing),
        }
        ua.update({k: v for k, v in contributing.items() if v is not None})
        if account.get("name"):
            ua["display_name"] = str(account["name"])
        if ext_props:
            ua["extensions"] = extension(**ext_props)
        ua_id = self._put(ua)
        self.relate(identity_id, "related-to", ua_id, "the profile's account")
        if login:
            pattern = (
                f"[user-account:account_login = {pattern_literal(str(login))} AND "
                f"user-account:account_type = {pattern_literal(self.account_type)}]"
            )
            self.add_indicator("handle", str(login), pattern, "stix", identity_id, created)
        if account.get("profile_url"):
            url = str(account["profile_url"])
            self.add_indicator(
                "url", url, f"[url:value = {pattern_literal(url)}]", "stix", identity_id, created
            )
        return identity_id

    def add_indicator(
        self,
        kind: str,
        value: str,
        pattern: str,
        pattern_type: str,
        related: str | None = None,
        created: str | None = None,
        rel: str = "related-to",
        algorithm: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        names = {
            "handle": "Handle of a suspected cover profile",
            "url": "Profile URL of a suspected cover profile",
            "template": "Message template sent by cover profiles",
            "avatar": "Profile photo (perceptual hash) used by cover profiles",
        }
        indicator_id = self._put(
            self._sdo(
                "indicator",
                f"{kind}:{value}",
                created,
                name=names.get(kind, kind),
                description=f"{names.get(kind, kind)}: {value}"[:500],
                indicator_types=["attribution"],
                pattern=pattern,
                pattern_type=pattern_type,
                valid_from=created or self.now,
                extensions=extension(
                    artifact={
                        "kind": kind,
                        "value": value,
                        "algorithm": algorithm,
                        **(details or {}),
                    }
                ),
            )
        )
        if related:
            self.relate(indicator_id, rel, related)
        return indicator_id

    def add_template(
        self,
        fingerprint: str,
        related: Iterable[str] = (),
        algorithm: str = "minhash",
        signature: dict[str, Any] | None = None,
    ) -> str:
        """A message-template fingerprint (from the templates family) as an indicator; with
        `signature` ({minhash, scheme, size, first_seen, last_seen}) a peer can match
        near-copies of the template in its own messages without ever seeing the text."""
        details: dict[str, Any] | None = None
        if signature:
            details = {k: signature[k] for k in ("minhash", "scheme", "size") if k in signature}
        ind = self.add_indicator(
            "template",
            fingerprint,
            fingerprint,
            "lurewatch-template",
            algorithm=str((signature or {}).get("scheme") or algorithm),
            details=details,
        )
        for ref in related:
            self.relate(ind, "indicates" if ref.startswith("campaign--") else "related-to", ref)
        return ind

    def add_avatar(self, phash: str, related: Iterable[str] = ()) -> str:
        """A profile photo's perceptual hash (from the avatar family) as an indicator."""
        ind = self.add_indicator("avatar", phash, phash, "lurewatch-phash", algorithm="phash-64")
        for ref in related:
            self.relate(ind, "indicates" if ref.startswith("campaign--") else "related-to", ref)
        return ind

    def add_contact(self, kind: str, value: str, related: Iterable[str] = ()) -> str | None:
        """An off-platform contact a fake gave (e-mail, phone, Telegram, WeChat, URL) as an indicator."""
        if kind == "email":
            pattern = f"[email-addr:value = {pattern_literal(value)}]"
        elif kind == "url":
            pattern = f"[url:value = {pattern_literal(value)}]"
        elif kind in ("phone", "telegram", "wechat", "whatsapp"):
            pattern = (
                f"[user-account:account_login = {pattern_literal(value)} AND "
                f"user-account:account_type = {pattern_literal(kind)}]"
            )
        else:
            return None
        ind = self.add_indicator("handle" if kind != "url" else "url", value, pattern, "stix")
        for ref in related:
            self.relate(ind, "indicates" if ref.startswith("campaign--") else "related-to", ref)
        return ind

    # ------------------------------------------------------------------ campaigns
    def add_campaign(self, campaign: dict[str, Any], account_refs: Iterable[str] = ()) -> str:
        """A campaign: counts only for targets; member accounts related by id."""
        key = str(campaign.get("id") or campaign.get("name"))
        first = campaign.get("first_seen")
        last = campaign.get("last_seen")
        accounts = list(campaign.get("accounts") or [])
        camp_id = self._put(
            self._sdo(
                "campaign",
                f"campaign:{key}",
                timestamp(first) if first else None,
                name=str(campaign.get("name") or f"lurewatch campaign {key}"),
                description=campaign.get("description")
                or "Accounts linked by shared artifacts (templates, photos, targets).",
                first_seen=timestamp(first) if first else None,
                last_seen=timestamp(last) if last else None,
                objective="Approach and recruit members through fake professional-network profiles.",
                extensions=extension(
                    campaign={
                        "accounts": int(campaign.get("size") or len(accounts)),
                        "targets": int(campaign.get("targets") or 0),
                        "first_seen": timestamp(first) if first else None,
                        "last_seen": timestamp(last) if last else None,
                    }
                ),
            )
        )
        for ref in account_refs:
            self.relate(camp_id, "related-to", ref, "account used in the campaign")
        return camp_id

    # ------------------------------------------------------------------ graph early warnings
    def add_sighting(self, alert: dict[str, Any], account_ref: str) -> str:
        """A graph early warning as a `sighting` of the suspected account at the organisation.

        Counts only: the staff it reached are never named (shared intelligence keeps real people
        out); the organisation is the exporting one, as an `identity` (organization).
        """
        org = str(alert.get("organisation") or "our organisation")
        org_id = self._put(
            self._sdo(
                "identity",
                f"organisation:{org}",
                name=org,
                identity_class="organization",
                description="Organisation whose staff a suspected cover profile reached.",
            )
        )
        staff = int(alert.get("staff") or 0)
        days = int(alert.get("days") or 0)
        first = alert.get("first") or alert.get("first_at")
        last = alert.get("last") or alert.get("last_at")
        bits = [f"Connected with {staff} staff within {days} days"]
        if alert.get("department") and int(alert.get("same_department") or 0) >= 2:
            bits.append(f"{int(alert['same_department'])} of them in one department")
        path = alert.get("path") if isinstance(alert.get("path"), dict) else None
        if path:
            bits.append(
                f"laundering path: {len(path.get('entry') or [])} entry contact(s), then "
                f"{len(path.get('followers') or [])} colleagues accepted, each sharing "
                f"{int(path.get('min_shared') or 0)}+ contacts with it"
            )
        key = f"{account_ref}|{org_id}|{first}"
        return self._put(
            self._sdo(
                "sighting",
                key,
                timestamp(last) if last else None,
                sighting_of_ref=account_ref,
                where_sighted_refs=[org_id],
                count=max(1, staff),
                first_seen=timestamp(first) if first else None,
                last_seen=timestamp(last) if last else None,
                description="; ".join(bits) + ".",
            )
        )

    def bundle(self) -> dict[str, Any]:
        ids = sorted(self.objects)
        bundle_id = sdo_id("bundle", "|".join(ids))
        return {"type": "bundle", "id": bundle_id, "objects": list(self.objects.values())}


def _assessment_ext(assessment: dict[str, Any]) -> dict[str, Any]:
    from lurewatch.signals.registry import get

    signals = []
    for ev in assessment.get("evidence") or []:
        if not isinstance(ev, dict) or "signal" not in ev:
            continue
        spec = get(str(ev["signal"]))
        signals.append(
            {
                "signal": str(ev["signal"]),
                "strength": round(float(ev.get("strength") or 0.0), 4),
                "description": spec.description if spec else "",
            }
        )
    out: dict[str, Any] = {
        "score": round(float(assessment.get("score") or 0.0), 4),
        "level": str(assessment.get("level") or "low"),
        "model": str(assessment.get("model") or ""),
        "signals": signals,
    }
    if assessment.get("assessed_at"):
        out["assessed_at"] = timestamp(assessment["assessed_at"])
    return out


def build_bundle(
    *,
    accounts: Iterable[dict[str, Any]] = (),
    assessments: dict[str, dict[str, Any]] | None = None,
    campaigns: Iterable[dict[str, Any]] = (),
    templates: Iterable[dict[str, Any]] = (),
    avatars: Iterable[dict[str, Any]] = (),
    contacts: Iterable[dict[str, Any]] = (),
    entries: Iterable[Entry] = (),
    sightings: Iterable[dict[str, Any]] = (),
    min_level: str = "high",
    account_type: str = "linkedin",
    now: Any = None,
) -> dict[str, Any]:
    """One bundle from plain inputs.

    accounts: account records (`record_to_dict` form); assessments: account id -> assessment row
    ({score, level, model, evidence, assessed_at}); only accounts at or above `min_level`, or
    named by a campaign, are exported. campaigns: {id, name, accounts: [ids], first_seen,
    last_seen, targets: count}; templates: {fingerprint, accounts: [ids], campaign, signature
    (optional: {minhash, scheme, size})}; avatars:
    {account_id, phash}; contacts: {kind: email|phone|telegram|wechat|url, value, accounts, campaign}
    (contacts the fakes gave, only exported when tied to an exported account or campaign);
    entries: watchlist entries; sightings: graph early warnings {account, organisation, staff,
    days, same_department, department, first, last, path (optional)}, exported as STIX
    `sighting`s of exported accounts only, without staff ids.
    """
    if min_level not in LEVEL_ORDER:
        raise InputError(
            f"must be one of {', '.join(LEVEL_ORDER)}; got {min_level!r}", field="min_level"
        )
    assessments = assessments or {}
    exp = StixExporter(account_type=account_type, now=now)
    campaigns = list(campaigns)
    in_campaign = {str(a) for c in campaigns for a in (c.get("accounts") or [])}
    account_refs: dict[str, str] = {}
    for account in accounts:
        aid = str(account.get("id"))
        assessment = assessments.get(aid)
        level = LEVEL_ORDER.get(str((assessment or {}).get("level")), -1)
        if aid not in in_campaign and level < LEVEL_ORDER[min_level]:
            continue  # not a suspected fake: never exported
        account_refs[aid] = exp.add_account(account, assessment)
    campaign_refs: dict[str, str] = {}
    for campaign in campaigns:
        refs = [
            account_refs[str(a)] for a in campaign.get("accounts") or [] if str(a) in account_refs
        ]
        campaign_refs[str(campaign.get("id") or campaign.get("name"))] = exp.add_campaign(
            campaign, refs
        )
    for tpl in templates:
        related = [
            account_refs[str(a)] for a in tpl.get("accounts") or [] if str(a) in account_refs
        ]
        if tpl.get("campaign") is not None and str(tpl["campaign"]) in campaign_refs:
            related.append(campaign_refs[str(tpl["campaign"])])
        if related or tpl.get("campaign") is None:
            exp.add_template(str(tpl["fingerprint"]), related, signature=tpl.get("signature"))
    for contact in contacts:
        related = [
            account_refs[str(a)] for a in contact.get("accounts") or [] if str(a) in account_refs
        ]
        if contact.get("campaign") is not None and str(contact["campaign"]) in campaign_refs:
            related.append(campaign_refs[str(contact["campaign"])])
        if related:
            exp.add_contact(str(contact["kind"]), str(contact["value"]), related)
    for av in avatars:
        aid = str(av.get("account_id"))
        if aid in account_refs and av.get("phash"):
            exp.add_avatar(str(av["phash"]), [account_refs[aid]])
    for entry in entries:
        exp.add_entry(entry)
    for alert in sightings:
        ref = account_refs.get(str(alert.get("account")))
        if ref is not None:
            exp.add_sighting(alert, ref)
    return exp.bundle()


def watchlist_bundle(entries: Iterable[Entry], now: Any = None) -> dict[str, Any]:
    return build_bundle(entries=entries, now=now)


def serialize(bundle: dict[str, Any], pretty: bool = False) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2 if pretty else None)


def validate_bundle(
    bundle: dict[str, Any] | str, *, strict: bool = True, full: bool = True
) -> list[str]:
    """Parses the bundle with the `stix2` library (raises InputError on failure); with `full`,
    returns `stix2-validator` errors and warnings when that package is installed ([] otherwise;
    it takes seconds to import)."""
    import stix2
    from stix2.exceptions import STIXError

    text = bundle if isinstance(bundle, str) else serialize(bundle)
    try:
        stix2.parse(text, allow_custom=not strict)
    except (STIXError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a valid STIX 2.1 bundle: {exc}") from None
    if not full:
        return []
    try:
        from stix2validator import ValidationOptions, validate_string
    except ImportError:
        return []
    result = validate_string(text, ValidationOptions(version="2.1", strict=False))
    results = getattr(result, "object_results", None) or [result]
    messages: list[str] = []
    for obj in results:
        messages.extend(
            f"{obj.object_id}: error: {getattr(e, 'message', e)}" for e in obj.errors or []
        )
        messages.extend(
            f"{obj.object_id}: warning: {getattr(w, 'message', w)}" for w in obj.warnings or []
        )
    return messages
