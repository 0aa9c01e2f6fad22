"""TAXII 2.1 client side (with `taxii2-client`): pull objects from a peer, push ours to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lurewatch.errors import LurewatchError


def collection_url(url: str, collection_id: str | None) -> str:
    """A collection URL from an API root URL and a collection id, or a collection URL as given."""
    base = url if url.endswith("/") else url + "/"
    if collection_id:
        return f"{base}collections/{collection_id}/"
    return base


def _collection(url: str, user: str | None, password: str | None, verify: bool) -> Any:
    from taxii2client.v21 import Collection

    return Collection(url, user=user, password=password, verify=verify)


def _wrap(exc: Exception, url: str) -> LurewatchError:
    return LurewatchError(f"TAXII exchange with {url} failed: {exc}")


def discover(
    url: str, *, user: str | None = None, password: str | None = None, verify: bool = True
) -> list[dict[str, Any]]:
    """The collections every API root of a TAXII server offers (url: the discovery URL)."""
    from taxii2client.v21 import Server

    try:
        server = Server(url, user=user, password=password, verify=verify)
        out = []
        for root in server.api_roots:
            for col in root.collections:
                out.append(
                    {
                        "api_root": root.url,
                        "id": col.id,
                        "title": col.title,
                        "can_read": col.can_read,
                        "can_write": col.can_write,
                    }
                )
        return out
    except Exception as exc:  # noqa: BLE001 - network and protocol errors become one user error
        raise _wrap(exc, url) from exc


def iter_pull(
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    added_after: datetime | str | None = None,
    per_request: int = 100,
    verify: bool = True,
) -> Iterator[dict[str, Any]]:
    """Objects of one collection, page by page (`limit`/`next`), newer than `added_after`."""
    from taxii2client.v21 import as_pages

    try:
        collection = _collection(url, user, password, verify)
        kwargs: dict[str, Any] = {}
        if added_after:
            kwargs["added_after"] = added_after
        for envelope in as_pages(collection.get_objects, per_request=per_request, **kwargs):
            yield from envelope.get("objects", []) or []
    except LurewatchError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _wrap(exc, url) from exc


def pull(url: str, **kwargs: Any) -> list[dict[str, Any]]:
    return list(iter_pull(url, **kwargs))


def push(
    url: str,
    objects: list[dict[str, Any]],
    *,
    user: str | None = None,
    password: str | None = None,
    verify: bool = True,
    batch: int = 500,
) -> dict[str, int]:
    """Sends objects to a writable collection in envelopes of `batch`; returns the peer's counts."""
    import json

    totals = {"success_count": 0, "failure_count": 0, "pending_count": 0}
    try:
        collection = _collection(url, user, password, verify)
        for start in range(0, len(objects), batch):
            envelope = {"objects": objects[start : start + batch]}
            status = collection.add_objects(
                json.dumps(envelope), wait_for_completion=True, poll_interval=1, timeout=60
            )
            for key in totals:
                totals[key] += int(getattr(status, key, 0) or 0)
    except Exception as exc:  # noqa: BLE001
        raise _wrap(exc, url) from exc
    return totals
