import csv
import io
import zipfile

from lurewatch.ingest import open_source
from lurewatch.records import Account, Message


def _zip(tmp_path):
    inv = io.StringIO()
    w = csv.writer(inv)
    w.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    w.writerow(
        [
            "Mei &amp; Co",
            "Me Myself",
            "2025-03-01 10:00:00 UTC",
            "Hello &amp; welcome",
            "INCOMING",
            "https://www.linkedin.com/in/mei-co",
            "https://www.linkedin.com/in/me-myself",
        ]
    )
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Invitations.csv", inv.getvalue())
        z.writestr("Profile.csv", "First Name,Last Name,Headline\nMe,Myself,Engineer\n")
    return path


def test_names_are_entity_decoded_and_text_kept_raw(tmp_path):
    records = [r for r in open_source(_zip(tmp_path)) if not isinstance(r, Exception)]
    names = {r.name for r in records if isinstance(r, Account)}
    assert "Mei & Co" in names
    message = next(r for r in records if isinstance(r, Message))
    assert message.sender_name == "Mei & Co"
    assert (
        message.text == "Hello &amp; welcome"
    )  # raw: detectors unescape, spans index the cleaned text


def test_the_archive_owner_is_verified(tmp_path):
    reader = open_source(_zip(tmp_path))
    list(reader)
    assert reader.owner is not None and reader.owner.verified is True
