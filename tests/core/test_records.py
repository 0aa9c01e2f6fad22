import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from lurewatch.errors import InputError
from lurewatch.records import (
    Account,
    Edge,
    Message,
    parse_datetime,
    record_from_dict,
    record_to_dict,
)

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "src/lurewatch/schemas/records.schema.json").read_text()
)


@pytest.mark.parametrize(
    "data, kind",
    [
        (
            {
                "kind": "message",
                "id": "m1",
                "text": "hello",
                "recipients": ["a", "b"],
                "channel": "invitation",
            },
            Message,
        ),
        (
            {
                "kind": "account",
                "id": 7,
                "name": "Rachel Li",
                "followers": "1,200",
                "has_photo": "yes",
            },
            Account,
        ),
        ({"kind": "edge", "src": "a", "dst": "b", "type": "invitation_sent"}, Edge),
        ({"id": "m2", "text": "no kind given"}, Message),
    ],
)
def test_valid_records_parse_and_round_trip(data, kind):
    record = record_from_dict(data)
    assert isinstance(record, kind)
    again = record_from_dict(record_to_dict(record))
    assert again == record
    jsonschema.validate(record_to_dict(record), SCHEMA)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "message", "text": "x"}, "id"),
        ({"kind": "message", "id": "m", "channel": "fax"}, "channel"),
        ({"kind": "account", "id": "a", "followers": -3}, "followers"),
        ({"kind": "account", "id": "a", "followers": "many"}, "followers"),
        ({"kind": "account", "id": "a", "has_photo": "perhaps"}, "has_photo"),
        ({"kind": "account", "id": "a", "created_at": "last tuesday"}, "created_at"),
        ({"kind": "edge", "src": "a"}, "dst"),
        ({"kind": "planet", "id": "p"}, "kind"),
        ({"kind": "message", "id": "m", "text": "x" * 100_001}, "text"),
        ({"kind": "account", "id": "a", "experiences": "nope"}, "experiences"),
    ],
)
def test_invalid_records_name_the_field(data, field):
    with pytest.raises(InputError) as info:
        record_from_dict(data)
    assert info.value.field == field
    assert field in str(info.value)


def test_not_an_object_is_rejected():
    with pytest.raises(InputError):
        record_from_dict(["a", "list"])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-03-01 10:00:00 UTC", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("2025-03-01T10:00:00Z", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("01 Mar 2025", datetime(2025, 3, 1, tzinfo=UTC)),
        (1740823200, datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("", None),
    ],
)
def test_dates_in_the_formats_exports_use(value, expected):
    assert parse_datetime(value, "sent_at") == expected
