"""Screening names and text against the watchlist: an index for speed, explained scores.

Two stages, as in record-linkage practice:

1. **Candidates** from an inverted index. Each entry name is indexed under its rarest
   *required* word (a match needs every required word, so one is enough to find it), under
   that word's one-letter deletions (typos meet in the deletion neighbourhood, as in
   SymSpell), its sound (metaphone: "Starlite" meets "Starlight") and its spaceless form
   ("Rise HR" meets "RiseHR"). Most screened names hit no key and cost a few dictionary
   look-ups.
2. **Scoring** of each candidate by aligning words one to one (any order): same word,
   a small spelling difference on a long word, a sound-alike, the same stem; generic words
   ("strategic", "center") count less and are never enough on their own. Persona names
   are stricter: every word must match, common names ("Li", "Jason") only exactly, and
   only one extra word is tolerated - "Jon Smith" is not "John Smith".

Each result says which entry, the compared values, the score and why.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lurewatch.watchlist.entries import Entry
from lurewatch.watchlist.normalize import (
    COMMON_NAMES,
    GENERIC,
    HONORIFICS,
    Token,
    screen_words,
    tokenize,
    weight,
)
from lurewatch.watchlist.similarity import (
    compact_similarity,
    sound,
    translit_readings,
    word_similarity,
)

ALGORITHM = "watchlist-v1"
DEFAULT_THRESHOLD = 0.85
REQUIRED_SIM = 0.8  # a required word must match at least this well
ORG_EXTRA_PENALTY = 0.97  # per extra word around an organisation name (name mode)
PERSONA_EXTRA_PENALTY = 0.93  # per extra word around a persona name: a middle name, not more
MAX_CLUSTERS = 50  # occurrences of one name scored per text: enough evidence, bounded time
WORD_CACHE_SIZE = 200_000  # memoised index look-ups per distinct query word
MAX_FUZZY_POSTINGS = 50  # a fuzzy index key shared by more names than this is dropped
JOIN_HEAD = 3  # letters of a key's start indexed for the spaceless-join pre-check
TEXT_CACHE_SIZE = 8_192  # memoised `match_text` results: templates sent to thousands repeat
TEXT_CACHE_MAX_CHARS = 2_000  # only short texts are memoised (as the lure and language caches)
# A query word longer than every index key (and this) cannot reach any key, not even through
# its one-letter deletions: it is skipped before any key is built. Without this cap one
# 100,000-character word built 100,000 deletions of 100,000 characters (10 GB, 17 s).
MAX_WORD_CHARS = 64


@dataclass(slots=True, frozen=True)
class Pair:
    """One aligned word pair: the entry's word, the compared word, and how they relate."""

    entry_word: str
    query_word: str
    similarity: float
    relation: str


@dataclass(slots=True, frozen=True)
class Match:
    """A watchlist hit: the entry, the compared values, the score and the reasons."""

    entry: Entry
    score: float
    form: str  # the entry name or alias that matched
    compared: str  # the compared text, as written in the input
    span: tuple[int, int] | None
    pairs: tuple[Pair, ...]
    notes: tuple[str, ...] = ()

    def explanation(self) -> str:
        grouped: dict[str, list[str]] = {}
        for p in self.pairs:
            if p.relation == "same word":
                continue
            shown = (
                p.query_word
                if p.query_word == p.entry_word
                else f"'{p.query_word}' ~ '{p.entry_word}'"
            )
            grouped.setdefault(p.relation, []).append(
                shown.strip("'") if p.query_word == p.entry_word else shown
            )
        why = [f"{relation}: {', '.join(words)}" for relation, words in grouped.items()]
        why.extend(self.notes)
        head = (
            f"'{self.compared}' matches watchlist {self.entry.kind} '{self.entry.name}'"
            + (f" (as '{self.form}')" if self.form != self.entry.name else "")
            + f", published by {self.entry.source}"
            + (f" ({self.entry.published})" if self.entry.published else "")
        )
        return (
            head + (": " + "; ".join(why) if why else ": same words") + f". Score {self.score:.2f}."
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "entry": self.entry.id,
            "entry_name": self.entry.name,
            "kind": self.entry.kind,
            "score": round(self.score, 4),
            "explanation": self.explanation(),
            "compared": [self.compared, self.form],
            "source": self.entry.source,
            "published": self.entry.published,
        }


@dataclass(slots=True)
class _Form:
    entry: int
    label: str
    kind: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    required: tuple[bool, ...]
    compact: str
    exact_only: bool  # short names and acronyms: a one-letter change is another name
    upper_in_text: bool  # a short acronym counts in running text only when written in capitals
    anchor: str = ""  # the rarest required word: the one the index files this name under


def _prepare(entry_idx: int, entry: Entry, label: str) -> _Form | None:
    toks = tuple(t.text for t in tokenize(label))
    if not toks:
        return None
    weights = tuple(weight(t) if entry.kind == "organisation" else 1.0 for t in toks)
    if entry.kind == "persona":
        required = tuple(True for _ in toks)
    else:
        required = tuple(t not in GENERIC for t in toks)
        if not any(required):
            required = tuple(True for _ in toks)
    compact = "".join(toks)
    stripped = label.replace(".", "").replace(" ", "")
    acronym = len(toks) == 1 and stripped.isupper() and stripped.isalpha()
    exact_only = len(toks) == 1 and (len(compact) <= 5 or acronym)
    return _Form(
        entry_idx,
        label,
        entry.kind,
        toks,
        weights,
        required,
        compact,
        exact_only,
        exact_only and len(compact) <= 4,
    )


def _deletions(token: str) -> list[str]:
    return [token[:i] + token[i + 1 :] for i in range(len(token))]


def _token_keys(token: str) -> list[str]:
    keys = [token]
    if len(token) >= 5:
        keys.extend(_deletions(token))
    if len(token) >= 3 and token.isalpha():
        keys.append("#" + sound(token))
    return keys


class Matcher:
    """An index over watchlist entries; `match_name` for fields, `match_text` for messages."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        today: date | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(
                f"The 'threshold' parameter of Matcher must be a float in [0, 1]. Got {threshold} instead."
            )
        self.threshold = threshold
        self.entries: list[Entry] = [e for e in entries if not e.expired(today)]
        self._forms: list[_Form] = []
        for i, entry in enumerate(self.entries):
            for label in entry.names():
                form = _prepare(i, entry, label)
                if form is not None:
                    self._forms.append(form)
        df: dict[str, int] = {}
        for form in self._forms:
            for tok in set(form.tokens):
                df[tok] = df.get(tok, 0) + 1
        self._keys: dict[str, list[int]] = {}
        self.pruned_keys: set[str] = set()
        self._word_cache: dict[tuple[str, bool], tuple[int, ...]] = {}
        self._entry_words: dict[int, set[str]] = {}
        for form in self._forms:
            if len(form.tokens) > 1:
                self._entry_words.setdefault(form.entry, set()).update(
                    t for t, r in zip(form.tokens, form.required, strict=True) if r
                )
        exact_keys: set[str] = set()
        for fi, form in enumerate(self._forms):
            candidates = [t for t, r in zip(form.tokens, form.required, strict=True) if r]
            anchor = min(candidates, key=lambda t: (df[t], -len(t)))
            form.anchor = anchor
            keys = [anchor] if form.exact_only else _token_keys(anchor)
            exact_keys.update((anchor, form.compact))
            keys.append(form.compact)
            if not form.exact_only and form.kind == "organisation" and len(form.compact) >= 6:
                keys.extend(_deletions(form.compact))
            for key in dict.fromkeys(keys):
                self._keys.setdefault(key, []).append(fi)
        # A fuzzy key (deletion, sound) shared by many names no longer discriminates: drop it,
        # as search engines drop stop words. Exact word and spaceless keys always stay.
        for key in [
            k for k, v in self._keys.items() if len(v) > MAX_FUZZY_POSTINGS and k not in exact_keys
        ]:
            self.pruned_keys.add(key)
            del self._keys[key]
        # What a spaceless join must start with: a joined key ("rise" + "hr") is only looked up
        # after a word that begins like some key, which most words of a message do not.
        self._join_heads: frozenset[str] = frozenset(
            key[:length] for key in self._keys for length in range(1, JOIN_HEAD + 1)
        )
        # The longest query word the index can reach: a key, or a key plus one deleted letter.
        self.max_word_chars = max(MAX_WORD_CHARS, max((len(k) for k in self._keys), default=0) + 1)
        # Words (not transliterated) known to reach no index key and to start no spaceless
        # join: a message made of them only names nothing on the watchlist.
        self._inert: set[str] = set()
        # Least recently used results of `match_text`, per matcher (they depend on its entries).
        self._cached_text_matches = functools.lru_cache(maxsize=TEXT_CACHE_SIZE)(self._text_matches)

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------------ candidates
    def _word_hits(self, text: str, translit: bool) -> tuple[int, ...]:
        """Forms one query word reaches through the index, memoised: screened names repeat words."""
        if len(text) > self.max_word_chars:
            return ()  # longer than any key: bounded work, nothing memoised
        cache_key = (text, translit)
        cached = self._word_cache.get(cache_key)
        if cached is not None:
            return cached
        # a generic word is never an index anchor: its exact form and sound suffice
        tkeys = [text, "#" + sound(text)] if text in GENERIC else _token_keys(text)
        if translit:
            for alt in translit_readings(text):
                tkeys.append(alt)
                tkeys.append("#" + sound(alt))
                if "v" in alt:
                    tkeys.append("#" + sound(alt.replace("v", "w")))
        get = self._keys.get
        found: dict[int, None] = {}
        probe = Token(text, 0, 0, translit)
        for key in tkeys:
            for fi in get(key, ()):
                if fi in found:
                    continue
                # a fuzzy key (deletion, sound) only proposes: keep the form if the word really
                # is close to its anchor or to its spaceless form (checked once per distinct word)
                form = self._forms[fi]
                if (
                    key == form.anchor
                    or word_similarity(form.anchor, probe, strict=False)[0] > 0
                    or compact_similarity(form.compact, text, exact=False) > 0
                ):
                    found[fi] = None
        result = tuple(found)
        if len(self._word_cache) >= WORD_CACHE_SIZE:
            self._word_cache.clear()
        self._word_cache[cache_key] = result
        return result

    def _candidates(
        self, texts: list[str], translits: list[bool], whole: bool
    ) -> dict[int, list[int]]:
        """Form index -> word positions where an index key hit (anchors for windows).

        Reads the folded words only (`texts`, and which came from another script), so the
        running-text screen can run it before building tokens with spans. Runs on every word
        of every message: the word look-up reads the memo directly, and the spaceless joins
        are only tried after a word that can start a key.
        """
        hits: dict[int, list[int]] = {}
        get = self._keys.get
        cached = self._word_cache.get
        heads = self._join_heads
        inert = self._inert
        if len(inert) >= WORD_CACHE_SIZE:
            inert.clear()
        n = len(texts)
        for pos, text in enumerate(texts):
            translit = translits[pos]
            if not translit and text in inert:
                continue  # no key, no join from it
            found = cached((text, translit))
            if found is None:
                found = self._word_hits(text, translit)
            for fi in found:
                if fi in hits:
                    hits[fi].append(pos)
                else:
                    hits[fi] = [pos]
            head = text[:JOIN_HEAD] in heads and len(text) <= self.max_word_chars
            if not (found or head or translit) and len(text) <= self.max_word_chars:
                inert.add(text)
            # spaceless joins of the next words: "Rise HR" meets "RiseHR"; pinyin syllables meet words
            if pos + 1 == n or not head:
                continue
            joined = text
            for nxt in texts[pos + 1 : pos + (8 if translit else 3)]:
                joined += nxt
                if len(joined) > self.max_word_chars:
                    break  # longer than any key
                keyed = get(joined)
                if keyed:
                    for fi in keyed:
                        hits.setdefault(fi, []).append(pos)
        if whole and n > 1:
            compact = "".join(texts)
            # typo + spacing together ("Ryse HR" for "RiseHR") only for short names, where it is cheap
            for key in [compact, *_deletions(compact)] if 6 <= len(compact) <= 14 else [compact]:
                for fi in get(key, ()):
                    hits.setdefault(fi, []).append(0)
        return hits

    # ------------------------------------------------------------------ scoring
    def _similarities(
        self, form: _Form, toks: list[Token], lo: int, hi: int, strict_all: bool = False
    ) -> list[tuple[float, int, int, str]]:
        """Every (similarity, entry word, query position, why) with similarity > 0, best first."""
        persona = form.kind == "persona"
        scored = []
        for i, ew in enumerate(form.tokens):
            strict = (
                strict_all or form.exact_only or (persona and (ew in COMMON_NAMES or len(ew) <= 3))
            )
            for j in range(lo, hi):
                sim, why = word_similarity(ew, toks[j], strict=strict)
                if sim > 0:
                    scored.append((sim, i, j, why))
        scored.sort(key=lambda x: (-x[0], x[1], x[2]))
        return scored

    def _align(
        self,
        form: _Form,
        toks: list[Token],
        scored: list[tuple[float, int, int, str]],
        start: int,
        end: int,
    ) -> tuple[float, list[Pair], bool, bool]:
        """Greedy one-to-one alignment inside toks[start:end]: (F-score, pairs, required ok, reordered)."""
        used_e: dict[int, tuple[float, int, str]] = {}
        used_q: set[int] = set()
        for sim, i, j, why in scored:
            if j < start or j >= end or i in used_e or j in used_q:
                continue
            used_e[i] = (sim, j, why)
            used_q.add(j)
        if not used_e:
            return 0.0, [], False, False
        persona = form.kind == "persona"
        weights = form.weights
        recall = sum(weights[i] * v[0] for i, v in used_e.items()) / sum(weights)
        q_total = (
            float(end - start) if persona else sum(weight(toks[j].text) for j in range(start, end))
        )
        q_matched = sum(
            (1.0 if persona else weight(toks[j].text)) * sim for sim, j, _ in used_e.values()
        )
        precision = q_matched / (q_total or 1.0)
        ok = all(
            i in used_e and used_e[i][0] >= REQUIRED_SIM for i, r in enumerate(form.required) if r
        )
        f = 0.0 if recall + precision == 0 else 2 * recall * precision / (recall + precision)
        ordered = sorted(used_e.items())
        pairs = [Pair(form.tokens[i], toks[j].text, sim, why) for i, (sim, j, why) in ordered]
        order = [j for _, (_, j, _) in ordered]
        return f, pairs, ok, order != sorted(order)

    def _score_form(
        self, form: _Form, toks: list[Token], anchors: list[int], whole: bool, text: str
    ) -> Match | None:
        n = len(form.tokens)
        persona = form.kind == "persona"
        sizes = [n] if persona and not whole else [s for s in (n - 1, n, n + 1) if s >= 1]
        anchor_set = sorted(set(anchors))
        # In running text a one-letter slip on a short name is too common ("riser", "move or"):
        # short names must appear exactly there (after folding look-alikes); fields stay tolerant.
        strict_text = form.exact_only or (not whole and len(form.compact) < 10)
        # Anchors close together form one cluster, scored on its own stretch of text: a long
        # message naming the entry many times costs linear, not quadratic, time.
        clusters: list[list[int]] = []
        for a in anchor_set:
            if clusters and a - clusters[-1][-1] <= n + 8 and a - clusters[-1][0] <= 3 * n + 16:
                clusters[-1].append(a)
            else:
                clusters.append([a])
        found: Match | None = None
        for cluster in clusters[:MAX_CLUSTERS]:
            best = self._best_window(form, toks, cluster, sizes, strict_text)
            if best is None:
                continue
            match = self._finish(form, toks, best, whole, text)
            if match is not None and (
                found is None
                or (match.score, len(match.compared)) > (found.score, len(found.compared))
            ):
                found = match
                if match.score >= 1.0 and not whole:
                    break
        return found

    def _best_window(
        self,
        form: _Form,
        toks: list[Token],
        cluster: list[int],
        sizes: list[int],
        strict_text: bool,
    ) -> tuple[float, int, int, list[Pair], list[str]] | None:
        """The best-scoring window (word alignment or spaceless) around one cluster of anchors."""
        n = len(form.tokens)
        persona = form.kind == "persona"
        lo = max(0, cluster[0] - n - 7)
        hi = min(len(toks), cluster[-1] + n + 2)
        scored = self._similarities(form, toks, lo, hi, strict_all=strict_text)
        anchor_set = cluster
        best: tuple[float, int, int, list[Pair], list[str]] | None = None
        seen: set[tuple[int, int]] = set()
        columns = {j for _, _, j, _ in scored}
        # If a required word matches nowhere, no window can reach the threshold (at most 0.6):
        # only the spaceless comparison is left to try.
        strong = {i for sim, i, _, _ in scored if sim >= REQUIRED_SIM}
        if not all(i in strong for i, r in enumerate(form.required) if r):
            sizes = []
        for a in anchor_set:
            for size in sizes:
                for start in range(max(0, a - size + 1), min(a, len(toks) - size) + 1):
                    if (start, size) in seen or not any(start <= j < start + size for j in columns):
                        continue
                    seen.add((start, size))
                    f, pairs, ok, reordered = self._align(form, toks, scored, start, start + size)
                    if not ok:
                        f *= 0.6
                    if best is None or f > best[0]:
                        best = (
                            f,
                            start,
                            start + size,
                            pairs,
                            ["words reordered"] if reordered else [],
                        )
            # Spaceless comparison: "Rise HR" / "RiseHR", pinyin syllables / joined pinyin.
            if len(form.compact) >= 4 or n > 1:
                limit_len = len(form.compact) * 1.2 + 1
                min_len = len(form.compact) * 0.8
                head0, head1 = form.compact[0], form.compact[1:2]
                for start in range(max(0, a - 6), a + 1):
                    first = toks[start].text
                    if first[0] != head0 and first[1:2] != head1:
                        continue  # at most three edits: the name starts (nearly) the same way
                    joined = ""
                    for end in range(start, min(len(toks), start + 12)):
                        joined += toks[end].text
                        if len(joined) > limit_len:
                            break
                        if (end == start and n == 1) or len(joined) < min_len:
                            continue
                        sim = compact_similarity(form.compact, joined, exact=strict_text or persona)
                        if sim < 0.85:
                            continue
                        if best is None or sim > best[0]:
                            rel = (
                                "same letters, spacing differs"
                                if sim == 1.0
                                else "nearly the same letters, spacing differs"
                            )
                            if any(t.translit for t in toks[start : end + 1]):
                                rel = "transliterated from another script"
                            best = (sim, start, end + 1, [Pair(form.compact, joined, sim, rel)], [])
        return best

    def _finish(
        self,
        form: _Form,
        toks: list[Token],
        best: tuple[float, int, int, list[Pair], list[str]],
        whole: bool,
        text: str,
    ) -> Match | None:
        """Checks the case and context rules on the best window and builds the Match."""
        persona = form.kind == "persona"
        score, start, end, pairs, notes = best
        window = toks[start:end]
        # A short acronym ("SASS", "AFEC") only when written in capitals ("Sass" is a CSS tool);
        # a name given all in lower case (normalised lists) is taken as it is.
        if (
            form.upper_in_text
            and not all(t.upper for t in window)
            and (not whole or text != text.lower())
        ):
            return None
        if form.upper_in_text and not whole and form.label != self.entries[form.entry].name:
            # A short acronym alias ("SASS" is also a CSS tool) counts in running text only
            # next to another word of the entry's name ("SASS in Shanghai").
            others = self._entry_words.get(form.entry, set())
            if not any(t.text in others for t in toks):
                return None
        if (
            persona
            and not whole
            and not all(text[t.start : t.start + 1].isupper() or t.translit for t in window)
        ):
            return None
        if whole:
            extra = len(toks) - (end - start)
            if persona:
                extra -= sum(1 for t in toks[:start] + toks[end:] if t.text in HONORIFICS)
            if extra > 0:
                score *= (PERSONA_EXTRA_PENALTY if persona else ORG_EXTRA_PENALTY) ** extra
                notes = [*notes, f"{extra} other word{'s' if extra > 1 else ''} around the name"]
        span = (window[0].start, window[-1].end)
        compared = text[span[0] : span[1]]
        return Match(
            self.entries[form.entry],
            min(1.0, score),
            form.label,
            compared,
            span,
            tuple(pairs),
            tuple(notes),
        )

    def _match(
        self,
        text: str,
        whole: bool,
        kinds: Iterable[str] | None,
        threshold: float | None,
        exhaustive: bool = False,
    ) -> list[Match]:
        limit = self.threshold if threshold is None else threshold
        if not whole and not exhaustive:
            # Running text: most messages name nothing on the watchlist. Look the folded words
            # up first; spans and scoring only for the few texts that reach an index key.
            words = screen_words(text)
            if words is not None:
                texts, translits = words
                if not any(translits) and self._inert.issuperset(texts):
                    return []  # every word already known to reach no key (a set test in C)
                if not self._candidates(texts, translits, whole):
                    return []
        toks = tokenize(text)
        if not toks:
            return []
        allowed = set(kinds) if kinds is not None else None
        best: dict[int, Match] = {}
        if exhaustive:  # the slow reference: every form, anchored at every word
            candidates = {fi: list(range(len(toks))) for fi in range(len(self._forms))}
        else:
            candidates = self._candidates([t.text for t in toks], [t.translit for t in toks], whole)
        for fi, anchors in candidates.items():
            form = self._forms[fi]
            if allowed is not None and form.kind not in allowed:
                continue
            m = self._score_form(form, toks, anchors, whole, text)
            if m is None or m.score < limit:
                continue
            prev = best.get(form.entry)
            if prev is None or (m.score, len(m.compared)) > (prev.score, len(prev.compared)):
                best[form.entry] = m
        return sorted(best.values(), key=lambda m: (-m.score, m.entry.id))

    def match_name(
        self, name: str, *, kinds: Iterable[str] | None = None, threshold: float | None = None
    ) -> list[Match]:
        """Matches one name (an employer, a display name): extra words around it count against it."""
        return self._match(name, True, kinds, threshold)

    def match_name_exhaustive(self, name: str, *, threshold: float | None = None) -> list[Match]:
        """The slow reference: scores every entry without the index (tests and benchmarks)."""
        return self._match(name, True, None, threshold, exhaustive=True)

    def match_text(
        self, text: str, *, kinds: Iterable[str] | None = None, threshold: float | None = None
    ) -> list[Match]:
        """Finds watched names inside running text (a message, a headline); quotes the span.

        Memoised for short texts, like the lure and language detectors: mass approaches send
        one template word for word, and the entries do not change under a built matcher.
        """
        wanted = None if kinds is None else tuple(kinds)  # read once: `kinds` may be an iterator
        limit = self.threshold if threshold is None else threshold
        if len(text) > TEXT_CACHE_MAX_CHARS:
            return self._match(text, False, wanted, limit)
        return list(self._cached_text_matches(text, wanted, limit))

    def _text_matches(
        self, text: str, kinds: tuple[str, ...] | None, threshold: float
    ) -> tuple[Match, ...]:
        return tuple(self._match(text, False, kinds, threshold))
