"""TemplateIndex: incremental near-duplicate clustering of message texts.

Add messages in batches (each batch: normalise, shingle, MinHash, LSH candidates, exact
Jaccard check of every candidate, union of verified pairs), query a text without adding it,
remove a message. A template is a connected component of verified pairs (J ≥ threshold on
the shingles); its id is its smallest member id, so every exact or near copy shares it.

Exact copies after normalisation are not re-hashed: they join their representative
directly (a campaign sending one text 10,000 times costs one signature). Approximate
indexes surprise users, so nothing is reported from the sketch alone: every candidate pair
is verified on the exact shingle sets; precision of reported pairs is 1 by construction.
Clusters are transitive (A~B, B~C puts A and C together even if J(A, C) < threshold) —
the usual behaviour of template grouping, measured in the evaluation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lurewatch.templates.lsh import LSHBands, band_keys, choose_bands
from lurewatch.templates.minhash import MinHasher, estimate_jaccard
from lurewatch.templates.normalize import normalize_many
from lurewatch.templates.shingles import NGRAM, jaccard, shingle_batch

# A short text with one word added or dropped (a 6-letter word: up to 6 + 3 new 4-grams and 3
# broken ones) can fall below J = 0.7 while being plainly the same text. Such a pair is also
# accepted when the two shingle sets differ by at most ONE_WORD_MAX_DIFF and still share
# ONE_WORD_MIN_SHARED (so two different one-liners never qualify). Measured on edited real
# messages: recall on 20–59-character texts rises from 0.88 at unchanged precision.
ONE_WORD_MAX_DIFF = 12
ONE_WORD_MIN_SHARED = 15
MAX_QUERY_VERIFY = 200  # a query verifies at most this many candidates (best estimated first)
TextLoader = Callable[[list[str]], dict[str, str]]  # ids -> texts, for verification of old rows


@dataclass(frozen=True, slots=True)
class Match:
    id: str
    jaccard: float


@dataclass(frozen=True, slots=True)
class TemplateHit:
    """Where a text falls: its template id, the cluster size, and the closest verified member."""

    template: str
    size: int
    matches: tuple[Match, ...]


class TemplateIndex:
    """Near-duplicate index over message texts; see the module docstring."""

    def __init__(
        self,
        threshold: float = 0.7,
        num_perm: int = 128,
        seed: int = 1,
        ngram: int = NGRAM,
        bands: tuple[int, int] | None = None,
        min_recall: float = 0.995,
        keep_shingles: bool = True,
        text_loader: TextLoader | None = None,
        one_word_rule: bool = True,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(
                f"The 'threshold' parameter of TemplateIndex must be a float in (0, 1]. Got {threshold} instead."
            )
        self.threshold = threshold
        self.ngram = ngram
        self.hasher = MinHasher(num_perm, seed)
        self.b, self.r = bands or choose_bands(min(threshold, 0.99), num_perm, min_recall)
        self.keep_shingles = keep_shingles
        self.one_word_rule = one_word_rule
        self.text_loader = text_loader
        self.lsh = LSHBands(self.b, self.r)
        # nodes: one per message ever added (removed ones are tombstoned)
        self._ids: list[str] = []
        self._node_of: dict[str, int] = {}
        self._alive: list[bool] = []
        self._dupkey: list[bytes | None] = []
        self._root: list[int] = []  # quick-find: every node points at its component's root
        self._members: dict[int, list[int]] = {}
        self._edges: dict[
            int, set[int]
        ] = {}  # verified pairs (a spanning set), only nodes with some
        # rows: one per distinct normalised text, in the LSH and the signature array
        self._rep_of_key: dict[bytes, int] = {}  # dupkey -> representative node
        self._row_of: dict[int, int] = {}  # representative node -> row
        self._node_of_row: list[int] = []
        self._sigs = np.zeros((0, num_perm), dtype=np.uint32)
        self._shingles: dict[int, np.ndarray] = {}  # row -> sorted unique shingle hashes
        self.verified_pairs = 0
        self.candidate_pairs = 0

    # ------------------------------------------------------------------ public API

    def __len__(self) -> int:
        return len(self._node_of)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._node_of

    def add(self, message_id: str, text: str) -> None:
        self.add_many([message_id], [text])

    def add_many(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        signatures: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """Adds a batch (a re-added id replaces its old text). Known signatures skip MinHash."""
        if len(ids) != len(texts):
            raise ValueError("ids and texts must have the same length")
        norms = _normalize_distinct(texts)
        new_rows_nodes: list[int] = []
        new_norms: list[str] = []
        new_given: list[np.ndarray | None] = []
        last = {
            str(mid): i for i, mid in enumerate(ids)
        }  # an id twice in a batch: the last text wins
        for i, (mid, norm) in enumerate(zip(ids, norms, strict=True)):
            mid = str(mid)
            if last[mid] != i:
                continue
            if mid in self._node_of:
                self.remove(mid)
            node = self._new_node(mid)
            if not norm:
                self._dupkey.append(None)
                continue
            key = hashlib.blake2b(norm.encode("utf-8"), digest_size=12).digest()
            self._dupkey.append(key)
            rep = self._rep_of_key.get(key)
            if rep is not None:
                self._link(node, rep)
                continue
            self._rep_of_key[key] = node
            new_rows_nodes.append(node)
            new_norms.append(norm)
            new_given.append(signatures[i] if signatures is not None else None)
        if new_rows_nodes:
            self._index_new(new_rows_nodes, new_norms, new_given)

    def load_signatures(self, ids: Sequence[str], signatures: np.ndarray) -> None:
        """Adds stored signatures for lookup only (no clustering among them, no texts kept).

        For `check` against a store: candidates found through these rows are verified with
        texts fetched by `text_loader`.
        """
        if len(ids) == 0:
            return
        first_row = len(self._node_of_row)
        self.lsh.append(band_keys(signatures, self.b, self.r))
        self._grow_sigs(first_row + len(ids))
        self._sigs[first_row : first_row + len(ids)] = signatures
        for k, mid in enumerate(ids):
            node = self._new_node(str(mid))
            self._dupkey.append(None)
            self._row_of[node] = first_row + k
            self._node_of_row.append(node)

    def remove(self, message_id: str) -> None:
        """Takes a message out; its template splits if it was the only bridge (re-verified)."""
        node = self._node_of.pop(str(message_id), None)
        if node is None:
            raise KeyError(message_id)
        self._alive[node] = False
        key = self._dupkey[node]
        heir = None
        if node in self._row_of:  # a representative: hand the row to a copy, or drop it
            row = self._row_of.pop(node)
            copies = [
                m for m in self._edges.get(node, ()) if self._alive[m] and self._dupkey[m] == key
            ]
            if copies:
                heir = copies[0]
                self._row_of[heir] = row
                self._node_of_row[row] = heir
                assert key is not None
                self._rep_of_key[key] = heir
            else:
                self.lsh.remove(row)
                self._shingles.pop(row, None)
                if key is not None:
                    self._rep_of_key.pop(key, None)
        neighbours = self._edges.pop(node, set())
        for other in neighbours:
            self._edges.get(other, set()).discard(node)
        if heir is not None:  # the heir has the same text: it inherits the verified pairs
            for other in neighbours:
                if other != heir:
                    self._link(heir, other)
        self._split(node)

    def template_of(self, message_id: str) -> tuple[str, int]:
        """(template id, size) of an indexed message."""
        node = self._node_of[str(message_id)]
        members = self._members[self._root[node]]
        return min(self._ids[m] for m in members), len(members)

    def assignments(self) -> dict[str, tuple[str, int]]:
        """Every indexed message id -> (template id, size), computed once per component."""
        out: dict[str, tuple[str, int]] = {}
        for members in self._members.values():
            ids = [self._ids[m] for m in members]
            tid = min(ids)
            for mid in ids:
                out[mid] = (tid, len(ids))
        return out

    def clusters(self, min_size: int = 2) -> list[list[str]]:
        """Templates with at least min_size members, each a sorted id list, largest first."""
        out = [
            sorted(self._ids[m] for m in ms) for ms in self._members.values() if len(ms) >= min_size
        ]
        return sorted(out, key=lambda c: (-len(c), c[0]))

    def members(self, message_id: str) -> list[str]:
        node = self._node_of[str(message_id)]
        return sorted(self._ids[m] for m in self._members[self._root[node]])

    def signature_of(self, message_id: str) -> np.ndarray | None:
        """The MinHash signature of a message (its representative's), None for empty text."""
        node = self._node_of[str(message_id)]
        key = self._dupkey[node]
        if key is None:
            return None
        return self._sigs[self._row_of[self._rep_of_key[key]]]

    def query(self, text: str) -> TemplateHit | None:
        """The template a new text would join (verified), without adding it; None if none."""
        norm = normalize_many([text])[0]
        if not norm:
            return None
        key = hashlib.blake2b(norm.encode("utf-8"), digest_size=12).digest()
        rep = self._rep_of_key.get(key)
        hashes, offsets = shingle_batch([norm], self.ngram)
        qset = np.unique(hashes)
        matches: list[Match] = []
        if rep is not None:
            matches.append(Match(self._ids[rep], 1.0))
        else:
            sig = self.hasher.signatures(hashes, offsets)[0]
            rows, shared = self.lsh.query(band_keys(sig[None, :], self.b, self.r)[0])
            if len(rows):
                est = estimate_jaccard(sig, self._sigs[rows])
                order = np.lexsort((-est, -shared))[:MAX_QUERY_VERIFY]
                rows = rows[order]
                sets = self._sets_for([int(r) for r in rows])
                for row in rows.tolist():
                    j = jaccard(qset, sets[row])
                    if self._similar(qset, sets[row], j):
                        matches.append(Match(self._ids[self._node_of_row[row]], round(j, 4)))
        if not matches:
            return None
        matches.sort(key=lambda m: (-m.jaccard, m.id))
        best = self._node_of[matches[0].id]
        members = self._members[self._root[best]]
        return TemplateHit(min(self._ids[m] for m in members), len(members), tuple(matches[:10]))

    def memory_bytes(self) -> dict[str, int]:
        """Bytes held by the numeric parts (signatures, LSH, kept shingles), for the docs."""
        shingles = sum(a.nbytes + 112 for a in self._shingles.values())
        return {
            "signatures": int(self._sigs[: len(self._node_of_row)].nbytes),
            "lsh": self.lsh.nbytes(),
            "shingles": shingles,
        }

    # ------------------------------------------------------------------ internals

    def _new_node(self, mid: str) -> int:
        node = len(self._ids)
        self._ids.append(mid)
        self._node_of[mid] = node
        self._alive.append(True)
        self._root.append(node)
        self._members[node] = [node]
        return node

    def _link(self, a: int, b: int) -> None:
        self._edges.setdefault(a, set()).add(b)
        self._edges.setdefault(b, set()).add(a)
        ra, rb = self._root[a], self._root[b]
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        moved = self._members.pop(rb)
        for m in moved:
            self._root[m] = ra
        self._members[ra].extend(moved)

    def _index_new(
        self, nodes: list[int], norms: list[str], given: list[np.ndarray | None]
    ) -> None:
        hashes, offsets = self._shingles_chunked(norms)
        sigs = np.empty((len(nodes), self.hasher.num_perm), dtype=np.uint32)
        todo = [i for i, g in enumerate(given) if g is None]
        if len(todo) == len(nodes):
            sigs[:] = self.hasher.signatures(hashes, offsets)
        else:
            for i, g in enumerate(given):
                if g is not None:
                    sigs[i] = g
            if todo:
                sub_h = np.concatenate([hashes[offsets[i] : offsets[i + 1]] for i in todo])
                sub_o = np.concatenate(
                    ([0], np.cumsum([offsets[i + 1] - offsets[i] for i in todo]))
                )
                sigs[todo] = self.hasher.signatures(sub_h, sub_o)
        first_row = len(self._node_of_row)
        rows = self.lsh.append(band_keys(sigs, self.b, self.r))
        self._grow_sigs(first_row + len(nodes))
        self._sigs[first_row : first_row + len(nodes)] = sigs
        for node, row in zip(nodes, rows.tolist(), strict=True):
            self._row_of[node] = row
            self._node_of_row.append(node)
        batch_sets: dict[int, np.ndarray] = {}

        def set_of(row: int) -> np.ndarray:
            if row >= first_row:
                cached = batch_sets.get(row)
                if cached is None:
                    i = row - first_row
                    cached = np.unique(hashes[offsets[i] : offsets[i + 1]])
                    batch_sets[row] = cached
                return cached
            return self._sets_for([row])[row]

        pairs = self.lsh.candidate_pairs(min_new_row=first_row)
        self.candidate_pairs += len(pairs)
        pairs = self._prefilter(pairs)
        for i, j in pairs.tolist():
            ni, nj = self._node_of_row[i], self._node_of_row[j]
            if self._root[ni] == self._root[nj]:
                continue  # already one template: this pair cannot change the clustering
            self.verified_pairs += 1
            a, b = set_of(i), set_of(j)
            if self._similar(a, b, jaccard(a, b)):
                self._link(ni, nj)
        if self.keep_shingles:
            for k in range(len(nodes)):
                row = first_row + k
                self._shingles[row] = set_of(row)

    def _similar(self, a: np.ndarray, b: np.ndarray, j: float) -> bool:
        """The exact test: Jaccard ≥ threshold, or — for short texts, where one edited word moves
        Jaccard a lot — the sets differ by at most about one word (see ONE_WORD_*)."""
        if j >= self.threshold:
            return True
        if not self.one_word_rule or j <= 0.0:
            return False
        inter = j * (len(a) + len(b)) / (1.0 + j)
        diff = len(a) + len(b) - 2 * inter
        return inter >= ONE_WORD_MIN_SHARED and diff <= ONE_WORD_MAX_DIFF

    def _prefilter(self, pairs: np.ndarray) -> np.ndarray:
        """Drops candidates whose MinHash estimate is hopeless; orders the rest, likeliest first.

        Acceptance is always exact; only rejection uses the estimate, and only far below the
        threshold: for a true J ≥ 0.7, 128 permutations estimate below 0.45 with probability
        ~1e-9 (binomial, z ≈ -6). Likeliest first means templates form early and later pairs
        inside them are skipped without any check.
        """
        if len(pairs) == 0:
            return pairs
        est = np.empty(len(pairs), dtype=np.float32)
        for start in range(0, len(pairs), 65536):
            part = pairs[start : start + 65536]
            est[start : start + len(part)] = (
                self._sigs[part[:, 0]] == self._sigs[part[:, 1]]
            ).mean(axis=1)
        floor = max(0.0, self.threshold - 0.25)
        keep = est >= floor
        order = np.argsort(-est[keep], kind="stable")
        return pairs[keep][order]

    def _shingles_chunked(
        self, norms: list[str], chunk: int = 100_000
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shingles of a big batch, hashed 100k texts at a time (bounds the temporaries)."""
        if len(norms) <= chunk:
            return shingle_batch(norms, self.ngram)
        parts, counts = [], []
        for start in range(0, len(norms), chunk):
            h, o = shingle_batch(norms[start : start + chunk], self.ngram)
            parts.append(h)
            counts.append(np.diff(o))
        offsets = np.zeros(len(norms) + 1, dtype=np.int64)
        np.cumsum(np.concatenate(counts), out=offsets[1:])
        return np.concatenate(parts), offsets

    def _grow_sigs(self, n: int) -> None:
        if n > len(self._sigs):
            grown = np.zeros(
                (max(n, 2 * len(self._sigs), 1024), self.hasher.num_perm), dtype=np.uint32
            )
            grown[: len(self._sigs)] = self._sigs
            self._sigs = grown

    def _sets_for(self, rows: list[int]) -> dict[int, np.ndarray]:
        out = {r: self._shingles[r] for r in rows if r in self._shingles}
        missing = [r for r in rows if r not in out]
        if missing:
            if self.text_loader is None:
                raise RuntimeError(
                    "shingles of old messages were not kept and no text_loader was given"
                )
            ids = [self._ids[self._node_of_row[r]] for r in missing]
            texts = self.text_loader(ids)
            norms = normalize_many([texts.get(i, "") for i in ids])
            hashes, offsets = shingle_batch(norms, self.ngram)
            for k, r in enumerate(missing):
                out[r] = np.unique(hashes[offsets[k] : offsets[k + 1]])
        return out

    def _split(self, removed: int) -> None:
        """After a removal, recompute its component from the verified pairs left."""
        root = self._root[removed]
        members = [m for m in self._members.pop(root) if m != removed]
        if not members:
            return
        parts = self._components(members)
        if len(parts) > 1:  # the removed node may have been the only verified bridge: re-check
            self._relink(members, parts)
            parts = self._components(members)
        for part in parts:
            new_root = part[0]
            for m in part:
                self._root[m] = new_root
            self._members[new_root] = part

    def _components(self, members: list[int]) -> list[list[int]]:
        allowed = set(members)
        seen: set[int] = set()
        parts = []
        for start in members:
            if start in seen:
                continue
            stack, part = [start], []
            seen.add(start)
            while stack:
                x = stack.pop()
                part.append(x)
                for y in self._edges.get(x, ()):
                    if y in allowed and y not in seen:
                        seen.add(y)
                        stack.append(y)
            parts.append(part)
        return parts

    def _relink(self, members: list[int], parts: list[list[int]]) -> None:
        part_of = {m: k for k, part in enumerate(parts) for m in part}
        reps = [m for m in members if m in self._row_of]
        sets = self._sets_for([self._row_of[m] for m in reps])
        rows_of_members = {self._row_of[m]: m for m in reps}
        keys = band_keys(self._sigs[[self._row_of[m] for m in reps]], self.b, self.r)
        for m, k in zip(reps, keys, strict=True):
            rows, _ = self.lsh.query(k)
            for row in rows.tolist():
                other = rows_of_members.get(row)
                if other is None or part_of[other] == part_of[m] or other in self._edges.get(m, ()):
                    continue
                a, b = sets[self._row_of[m]], sets[row]
                if self._similar(a, b, jaccard(a, b)):
                    self._edges.setdefault(m, set()).add(other)
                    self._edges.setdefault(other, set()).add(m)


def _normalize_distinct(texts: Sequence[str]) -> list[str]:
    """Each distinct text normalised once (a platform feed repeats texts word for word)."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return normalize_many(list(texts))
    normed = dict(zip(distinct, normalize_many(distinct), strict=True))
    return [normed[t] for t in texts]
