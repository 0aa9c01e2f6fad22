"""Edge lists into a compact graph: string ids kept as given, a symmetric scipy.sparse CSR adjacency.

Why CSR: one matrix-vector product per propagation step touches every edge once, in C, which is
what makes SybilRank-style trust propagation run on millions of edges in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from lurewatch.errors import InputError


@dataclass(slots=True)
class Graph:
    """An undirected simple graph: `ids[i]` is the node's string id, `adj` its 0/1 adjacency (CSR)."""

    ids: list[str]
    adj: sp.csr_matrix
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {node: i for i, node in enumerate(self.ids)}

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of undirected edges."""
        return int(self.adj.nnz // 2)

    def degree(self) -> np.ndarray:
        return np.diff(self.adj.indptr).astype(np.float64)

    def neighbours(self, i: int) -> np.ndarray:
        return self.adj.indices[self.adj.indptr[i] : self.adj.indptr[i + 1]]


def from_index_pairs(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    ids: list[str] | None = None,
    index: dict[str, int] | None = None,
) -> Graph:
    """Builds the symmetric simple graph from integer endpoint arrays (self-loops and repeats dropped)."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    rows = np.concatenate([src, dst])
    cols = np.concatenate([dst, src])
    data = np.ones(rows.shape[0], dtype=np.float64)
    adj = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1.0  # repeated edges count once: one connection is one connection
    return Graph(
        ids=ids if ids is not None else [str(i) for i in range(n)], adj=adj, index=index or {}
    )


def _indexed(
    pairs: Iterable[tuple[str, str]],
    extra_nodes: Iterable[str],
    ids: list[str],
    index: dict[str, int],
) -> tuple[list[int], list[int]]:
    """Node indices of each pair's ends; new node ids are appended to `ids` / `index` in place."""
    src: list[int] = []
    dst: list[int] = []

    def idx(node: str) -> int:
        i = index.get(node)
        if i is None:
            i = index[node] = len(ids)
            ids.append(node)
        return i

    for u, v in pairs:
        src.append(idx(u))
        dst.append(idx(v))
    for node in extra_nodes:
        idx(node)
    return src, dst


def from_pairs(pairs: Iterable[tuple[str, str]], extra_nodes: Iterable[str] = ()) -> Graph:
    """Builds a graph from (u, v) string pairs; `extra_nodes` adds isolated nodes (e.g. seeds, accounts)."""
    index: dict[str, int] = {}
    ids: list[str] = []
    src, dst = _indexed(pairs, extra_nodes, ids, index)
    graph = from_index_pairs(
        len(ids), np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), ids
    )
    graph.index = index
    return graph


def parse_edge_lines(
    lines: Iterable[str], source: str = "<edges>"
) -> Iterator[tuple[str, str] | InputError]:
    """Yields (u, v) per data line, or an InputError for a bad line (so callers report it and go on).

    Whitespace-separated; '#' and '%' start comments; blank lines are skipped. A third column
    (a weight or a timestamp, as SNAP and KONECT files carry) is tolerated and ignored.
    """
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("%"):
            continue
        parts = line.split()
        if len(parts) < 2:
            yield InputError(
                f"expected two node ids 'u v', got {raw.strip()[:80]!r}", source=source, line=number
            )
            continue
        yield parts[0], parts[1]


def from_string_columns(us: list[str], vs: list[str], extra_nodes: Iterable[str] = ()) -> Graph:
    """Like `from_pairs`, for two parallel lists of ids (the fast path for large files)."""
    index: dict[str, int] = {}
    setdefault = index.setdefault
    src = np.fromiter((setdefault(u, len(index)) for u in us), dtype=np.int64, count=len(us))
    dst = np.fromiter((setdefault(v, len(index)) for v in vs), dtype=np.int64, count=len(vs))
    for node in extra_nodes:
        setdefault(node, len(index))
    return from_index_pairs(len(index), src, dst, list(index), index)


def read_edge_list(
    path: str | Path, errors: list[InputError] | None = None, extra_nodes: Iterable[str] = ()
) -> Graph:
    """Reads a whitespace edge list file; bad lines go to `errors` (or are skipped) and the rest is kept.

    Same rules as `parse_edge_lines`, with a fast path for plain `u v` lines (a million lines in ~1 s).
    """
    us: list[str] = []
    vs: list[str] = []
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(
            f"cannot read the edge list: {exc.strerror or exc}", source=str(path)
        ) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            parts = raw.split()
            if len(parts) >= 2 and "#" not in raw and not parts[0].startswith("%"):
                us.append(parts[0])
                vs.append(parts[1])
                continue
            for item in parse_edge_lines([raw], source=str(path)):
                if isinstance(item, InputError):
                    item = InputError(item.message, source=str(path), line=number)
                    if errors is not None:
                        errors.append(item)
                else:
                    us.append(item[0])
                    vs.append(item[1])
    return from_string_columns(us, vs, extra_nodes)


def read_node_list(path: str | Path) -> list[str]:
    """One node id per line (first whitespace field); comments and blank lines skipped; order kept, repeats dropped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(
            f"cannot read the node list: {exc.strerror or exc}", source=str(path)
        ) from exc
    seen: dict[str, None] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            seen.setdefault(line.split()[0], None)
    return list(seen)


def components(graph: Graph) -> np.ndarray:
    """Connected-component label per node."""
    _, labels = connected_components(graph.adj, directed=False)
    return labels


def largest_component(graph: Graph) -> Graph:
    """The induced subgraph on the largest connected component (the literature's honest region)."""
    labels = components(graph)
    biggest = np.bincount(labels).argmax()
    keep = np.flatnonzero(labels == biggest)
    sub = graph.adj[keep][:, keep].tocsr()
    return Graph(ids=[graph.ids[i] for i in keep], adj=sub)


def parse_time_days(text: str) -> float | None:
    """An edge or invitation time in days since 1970-01-01: ISO 8601 date/datetime, or Unix seconds.

    None when it cannot be read (the caller reports it and keeps the edge without a time).
    """
    from datetime import UTC, datetime

    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value / 86400.0 if np.isfinite(value) else None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() / 86400.0


@dataclass(slots=True)
class TimedEdges:
    """Node-index endpoints and time (days; NaN = unknown) of each edge line, beside the graph."""

    src: np.ndarray
    dst: np.ndarray
    at: np.ndarray


def read_timed_edge_list(
    path: str | Path, errors: list[InputError] | None = None, extra_nodes: Iterable[str] = ()
) -> tuple[Graph, TimedEdges]:
    """`u v time` lines: the graph (as `read_edge_list`) and each edge's time (third column).

    A missing or unreadable time is reported in `errors` with its line and the edge is kept untimed.
    """
    us: list[str] = []
    vs: list[str] = []
    at: list[float] = []
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(
            f"cannot read the edge list: {exc.strerror or exc}", source=str(path)
        ) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith("%"):
                continue
            parts = line.split()
            if len(parts) < 2:
                if errors is not None:
                    errors.append(
                        InputError(
                            f"expected 'u v time', got {raw.strip()[:80]!r}",
                            source=str(path),
                            line=number,
                        )
                    )
                continue
            when = parse_time_days(" ".join(parts[2:])) if len(parts) > 2 else None
            if when is None and errors is not None:
                errors.append(
                    InputError(
                        f"no readable time in the third column ({' '.join(parts[2:])[:40]!r}); "
                        "edge kept without a time",
                        source=str(path),
                        line=number,
                        field="time",
                    )
                )
            us.append(parts[0])
            vs.append(parts[1])
            at.append(np.nan if when is None else when)
    graph = from_string_columns(us, vs, extra_nodes)
    src = np.fromiter((graph.index[u] for u in us), dtype=np.int64, count=len(us))
    dst = np.fromiter((graph.index[v] for v in vs), dtype=np.int64, count=len(vs))
    return graph, TimedEdges(src, dst, np.array(at, dtype=np.float64))


INVITATION_OUTCOMES = {
    "sent": "invitation_sent",
    "pending": "invitation_sent",
    "accepted": "invitation_accepted",
    "ignored": "invitation_ignored",
    "declined": "invitation_ignored",
    "reported": "invitation_reported",
}


def read_invitations(
    path: str | Path, errors: list[InputError] | None = None
) -> list[tuple[str, str, str]]:
    """`inviter invitee outcome [time]` lines → (inviter, invitee, record edge type) triples.

    Outcome: sent (or pending), accepted, ignored (or declined), reported — or the record types
    `invitation_accepted` etc. Bad lines go to `errors` with their line number; the rest is kept.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(
            f"cannot read the invitations: {exc.strerror or exc}", source=str(path)
        ) from exc
    out: list[tuple[str, str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("%"):
            continue
        parts = line.split()
        kind = parts[2].casefold() if len(parts) >= 3 else ""
        kind = INVITATION_OUTCOMES.get(kind, kind)
        if len(parts) < 3 or kind not in INVITATION_OUTCOMES.values():
            if errors is not None:
                errors.append(
                    InputError(
                        "expected 'inviter invitee outcome' with outcome sent, accepted, ignored "
                        f"or reported; got {raw.strip()[:80]!r}",
                        source=str(path),
                        line=number,
                    )
                )
            continue
        out.append((parts[0], parts[1], kind))
    return out


def with_edges(
    graph: Graph, pairs: Iterable[tuple[str, str]], extra_nodes: Iterable[str] = ()
) -> Graph:
    """The graph plus more (u, v) edges and isolated nodes; existing node indices are kept, new ids appended."""
    ids = list(graph.ids)
    index = dict(graph.index)
    src, dst = _indexed(pairs, extra_nodes, ids, index)
    coo = graph.adj.tocoo()
    out = from_index_pairs(
        len(ids),
        np.concatenate([coo.row.astype(np.int64), np.array(src, dtype=np.int64)]),
        np.concatenate([coo.col.astype(np.int64), np.array(dst, dtype=np.int64)]),
        ids,
        index,
    )
    return out
