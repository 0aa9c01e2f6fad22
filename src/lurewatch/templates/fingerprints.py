"""Shareable template fingerprints: MinHash signatures, never the text.

Another organisation can check its own messages against our templates without either side
revealing message content: a signature is 128 minimums of hashed shingles, which cannot be
turned back into the text (only texts one already has can be tested against it). The
scheme (hash, permutations, n-gram size) is named in every fingerprint; only fingerprints
of the same scheme are comparable. Matching estimates Jaccard from the signatures alone
(standard error about 0.04 at J = 0.7 with 128 permutations): there is no text to verify
against, so a match is reported with its estimate, not as a certainty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from lurewatch.templates.index import TemplateIndex
from lurewatch.templates.lsh import LSHBands, band_keys
from lurewatch.templates.minhash import estimate_jaccard
from lurewatch.templates.normalize import normalize_many
from lurewatch.templates.shingles import NGRAM, shingle_batch


def scheme_name(index: TemplateIndex) -> str:
    return f"lurewatch-minhash/{index.hasher.scheme}-char{index.ngram}"


def fingerprints(
    index: TemplateIndex,
    sent_at: Mapping[str, datetime | None] | None = None,
    min_size: int = 2,
) -> list[dict[str, Any]]:
    """One fingerprint per template with at least min_size messages (largest first).

    `[{"template", "minhash": [128 ints], "size", "first_seen", "last_seen", "scheme"}]`;
    dates come from `sent_at` (message id -> time) when given.
    """
    out = []
    for members in index.clusters(min_size=min_size):
        sig = None
        for mid in members:  # members are sorted: the first with text is the template's face
            sig = index.signature_of(mid)
            if sig is not None:
                break
        if sig is None:
            continue
        times = [t for t in ((sent_at or {}).get(m) for m in members) if t is not None]
        out.append(
            {
                "template": members[0],
                "minhash": [int(v) for v in sig],
                "size": len(members),
                "first_seen": min(times).isoformat() if times else None,
                "last_seen": max(times).isoformat() if times else None,
                "scheme": scheme_name(index),
            }
        )
    return out


def match_fingerprints(
    fps: Sequence[Mapping[str, Any]],
    texts: Sequence[str],
    threshold: float = 0.6,
    index: TemplateIndex | None = None,
) -> list[list[dict[str, Any]]]:
    """For each text, the fingerprints whose estimated Jaccard is ≥ threshold (best first).

    The default threshold sits 0.1 below the clustering threshold (2.5 standard errors of
    the estimate) so that true copies are not missed; the estimate is returned with each match.
    """
    index = index or TemplateIndex()
    expected = scheme_name(index)
    usable = [
        f
        for f in fps
        if f.get("scheme", expected) == expected
        and len(f.get("minhash", ())) == index.hasher.num_perm
    ]
    if not usable or not texts:
        return [[] for _ in texts]
    fp_sigs = np.array([f["minhash"] for f in usable], dtype=np.uint32)
    bands = LSHBands(index.b, index.r)
    bands.append(band_keys(fp_sigs, index.b, index.r))
    norms = normalize_many(list(texts))
    hashes, offsets = shingle_batch(norms, NGRAM)
    sigs = index.hasher.signatures(hashes, offsets)
    keys = band_keys(sigs, index.b, index.r)
    results: list[list[dict[str, Any]]] = []
    for i in range(len(texts)):
        if not norms[i]:
            results.append([])
            continue
        rows, _ = bands.query(keys[i])
        found = []
        if len(rows):
            est = estimate_jaccard(sigs[i], fp_sigs[rows])
            for row, e in zip(rows.tolist(), est.tolist(), strict=True):
                if e >= threshold:
                    found.append(
                        {
                            "template": usable[row]["template"],
                            "estimated_jaccard": round(e, 4),
                            "size": usable[row].get("size"),
                        }
                    )
        results.append(sorted(found, key=lambda m: -m["estimated_jaccard"]))
    return results
