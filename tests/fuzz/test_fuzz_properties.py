"""Property-based tests (hypothesis) of every reader on hostile input, with a small fixed budget.

The oracles are `fuzz_targets`' (also run by `make fuzz`, with 100,000 inputs per reader):
no exception but the reader's own located error, every record storable and writable as UTF-8,
and `check --input` writing one line per input line. Derandomized, so CI runs the same cases.
"""

from __future__ import annotations

import json

import fuzz_targets as t
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

hostile_json = st.sampled_from(t.HOSTILE_JSON)
text_value = st.one_of(
    st.text(max_size=40),
    st.sampled_from(t.HOSTILE_TEXT),
    st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cc", "Zs", "Lo"]), max_size=8),
)


@st.composite
def record_line(draw: st.DrawFn) -> bytes:
    """A JSON object shaped like a record, some values ordinary, some hostile (as raw JSON)."""
    kind = draw(st.sampled_from([*t.FEED_FIELDS, "teapot"]))
    fields = t.FEED_FIELDS.get(kind, ["text"])
    parts = [f'"kind": {json.dumps(kind)}']
    if draw(st.booleans()):
        parts.append(f'"id": {draw(st.one_of(hostile_json, st.just(json.dumps("r1"))))}')
    for name in draw(st.lists(st.sampled_from(fields), max_size=4, unique=True)):
        value = draw(
            st.one_of(
                hostile_json,
                text_value.map(lambda v: json.dumps(v)),
                st.integers(min_value=-(10**30), max_value=10**30).map(str),
                st.floats().map(lambda f: json.dumps(f)),
                st.lists(text_value, max_size=3).map(json.dumps),
            )
        )
        parts.append(f"{json.dumps(name)}: {value}")
    return ("{" + ", ".join(parts) + "}").encode("utf-8", "surrogatepass")


feed_bytes = st.lists(
    st.one_of(record_line(), st.binary(max_size=60), st.sampled_from(t.TEXT_TOKENS)),
    max_size=8,
).map(lambda lines: b"\n".join(lines))


@BUDGET
@given(feed_bytes)
def test_feed_reader(data: bytes) -> None:
    t.feed(data)


@BUDGET
@given(feed_bytes)
def test_check_input_keeps_one_line_per_line(data: bytes) -> None:
    t.check(data)


csv_cell = st.one_of(st.text(max_size=30), st.sampled_from(t.HOSTILE_TEXT))
SEED = t.archive_seed()


@st.composite
def export_files(draw: st.DrawFn) -> dict[str, bytes]:
    """Sample export files with random rows appended, some cells hostile, some bytes mutated."""
    names = draw(st.lists(st.sampled_from(sorted(SEED)), min_size=1, max_size=3, unique=True))
    out = {}
    for name in names:
        header = SEED[name].split(b"\n")[0]
        rows = draw(st.lists(st.lists(csv_cell, min_size=1, max_size=12), max_size=5))
        text = b"".join(
            (",".join('"' + c.replace('"', '""') + '"' if draw(st.booleans()) else c for c in r)
             + "\r\n").encode("utf-8", "surrogatepass")
            for r in rows
        )  # fmt: skip
        data = SEED[name] + text if draw(st.booleans()) else header + b"\r\n" + text
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(t.TEXT_TOKENS)) + data[at:]
        out[name] = data
    return out


@BUDGET
@given(export_files(), st.booleans())
def test_archive_reader(files: dict[str, bytes], zipped: bool) -> None:
    t.archive(files, zipped=zipped)


ZIP = t.zip_seed()


@BUDGET
@given(st.integers(0, len(ZIP)), st.binary(min_size=1, max_size=16), st.booleans())
def test_mutated_zip(at: int, patch: bytes, cut: bool) -> None:
    t.zip_bytes(ZIP[:at] if cut else ZIP[:at] + patch + ZIP[at + len(patch) :])


BUNDLE = json.loads(t.stix_seed())
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text_value),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@BUDGET
@given(
    st.lists(
        st.tuples(
            st.integers(0, 20),
            st.sampled_from(["type", "id", "name", "identity_class", "created", "extensions", "x"]),
            json_value,
        ),
        max_size=5,
    ),
    st.sampled_from(t.HOSTILE_JSON + ["{}"]),
)
def test_stix_bundle_reader(edits: list, raw: str) -> None:
    bundle = json.loads(json.dumps(BUNDLE))
    objects = bundle["objects"]
    for index, key, value in edits:
        if objects:
            objects[index % len(objects)][key] = value
    text = json.dumps(bundle, ensure_ascii=True, allow_nan=True)
    t.stix(text.encode())
    t.stix(text.replace('"identity"', raw, 1).encode())


PNG = t.image_seed()


@BUDGET
@given(st.one_of(
    st.binary(max_size=200),
    st.tuples(st.integers(0, len(PNG)), st.binary(min_size=1, max_size=8)).map(
        lambda p: PNG[: p[0]] + p[1] + PNG[p[0] + len(p[1]) :]
    ),
))  # fmt: skip
def test_image_reader(data: bytes) -> None:
    t.image(data)
