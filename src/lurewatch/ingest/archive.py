"""Safe, read-only access to a member archive, zipped or unpacked.

An export archive comes from the outside world (a colleague forwards "their" archive, a
tool re-zips it), so it is treated as hostile: nothing is ever extracted to disk; members
are streamed from memory with a byte cap; a zip whose listing shows path traversal,
absolute names, symlinks, a decompression bomb or an absurd number of members is refused
before anything is read. A folder follows the same rules and never follows a link out.
"""

from __future__ import annotations

import codecs
import io
import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO

from lurewatch.errors import InputError, UnsafeArchiveError

GiB = 1 << 30
MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Ceilings for one archive; generous for a real export (a few MB), fatal for a bomb."""

    max_members: int = 10_000
    max_total_bytes: int = 1 * GiB  # sum of the uncompressed sizes the zip declares
    max_member_bytes: int = 512 * MiB  # one member, as actually read
    max_ratio: float = 100.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1 * MiB  # small members may compress very well without harm
    max_depth: int = 4  # folder levels searched for the CSV files


DEFAULT_LIMITS = ArchiveLimits()


class _CappedReader(io.RawIOBase):
    """A byte stream that refuses to yield more than `cap` bytes (the real size, not the declared one)."""

    def __init__(self, raw: IO[bytes], cap: int, name: str) -> None:
        self._raw = raw
        self._left = cap
        self._cap = cap
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        data = self._raw.read(min(want, self._left + 1))
        if len(data) > self._left:
            raise UnsafeArchiveError(
                f"member is larger than {self._cap:,} bytes once decompressed; refused",
                source=self._name,
            )
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as Windows-1252: what Excel writes when it re-saves a CSV."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_byte_char(b) for b in bad), exc.end


def _byte_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return bytes([b]).decode("latin-1")


FALLBACK_ERRORS = "lurewatch-cp1252-fallback"
codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)


# Byte-order marks of the wide encodings (UTF-32 first: its little-endian mark starts like UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# What reading a corrupt or exotic zip member can raise (besides the cap's UnsafeArchiveError):
# the decompressors' own errors, and NotImplementedError for features Python lacks.
ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
)


def _encoding(head: bytes, name: str) -> str:
    """UTF-8 (the export's own), or UTF-16/32 when a byte-order mark says so (a re-saved file).

    Read as UTF-8, a UTF-16 file became field names full of NUL characters; without a mark,
    NULs among the first bytes give a clear refusal instead.
    """
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head[:4]:
        raise InputError(
            "unsupported encoding: looks like UTF-16 or UTF-32 without a byte-order mark; "
            "save the file as UTF-8 CSV",
            source=name,
        )
    return "utf-8-sig"


def _text(raw: IO[bytes], cap: int, name: str) -> TextIO:
    # utf-8-sig drops the BOM LinkedIn puts in front of some files; newline="" is what csv wants.
    capped = io.BufferedReader(_CappedReader(raw, cap, name))
    try:
        head = capped.peek(4)[:4]
    except ZIP_READ_ERRORS:
        head = b""  # a corrupt member: reported, located, where its rows are read
    encoding = _encoding(head, name)
    if encoding != "utf-8-sig":  # the BOM-aware codecs; a bad pair of bytes becomes U+FFFD
        return io.TextIOWrapper(capped, encoding=encoding, errors="replace", newline="")
    return io.TextIOWrapper(capped, encoding="utf-8-sig", errors=FALLBACK_ERRORS, newline="")


def _unsafe_name(name: str) -> str | None:
    """Why a member name could escape an extraction folder, or None when it is harmless."""
    norm = name.replace("\\", "/")
    if "\x00" in norm:
        return "contains a NUL character"
    if norm.startswith("/") or (len(norm) >= 2 and norm[1] == ":"):
        return "is an absolute path"
    if any(part == ".." for part in norm.split("/")):
        return "climbs out of the archive with '..'"
    return None


class Archive:
    """The members of an export, by path inside the archive ('/'-separated)."""

    name: str

    def members(self) -> list[str]:
        raise NotImplementedError

    @contextmanager
    def open_text(self, member: str) -> Iterator[TextIO]:
        raise NotImplementedError
        yield  # pragma: no cover

    def find(self, basename: str) -> str | None:
        """The shallowest member with this file name (case-insensitive): exports are sometimes re-zipped inside a folder."""
        wanted = basename.casefold()
        hits = [m for m in self.members() if m.rsplit("/", 1)[-1].casefold() == wanted]
        if not hits:
            return None
        return min(hits, key=lambda m: (m.count("/"), m))


class ZipArchive(Archive):
    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.name = str(path)
        self.limits = limits
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
            # NotImplementedError: a zip version or feature Python cannot read ("zip file version 6.9")
            raise InputError(f"not a readable zip file ({exc})", source=self.name) from None
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", source=self.name) from None
        self._members = self._check(infos)

    def _check(self, infos: list[zipfile.ZipInfo]) -> list[str]:
        lim = self.limits
        if len(infos) > lim.max_members:
            raise UnsafeArchiveError(
                f"refused: {len(infos):,} members (limit {lim.max_members:,}); not a member export",
                source=self.name,
            )
        total = 0
        members = []
        for info in infos:
            why = _unsafe_name(info.filename)
            if why:
                raise UnsafeArchiveError(
                    f"refused: member {info.filename!r} {why}", source=self.name
                )
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise UnsafeArchiveError(
                    f"refused: member {info.filename!r} is a symbolic link", source=self.name
                )
            if info.file_size > lim.max_member_bytes:
                raise UnsafeArchiveError(
                    f"refused: member {info.filename!r} is {info.file_size:,} bytes uncompressed "
                    f"(limit {lim.max_member_bytes:,})",
                    source=self.name,
                )
            total += info.file_size
            if total > lim.max_total_bytes:
                raise UnsafeArchiveError(
                    f"refused: declares more than {lim.max_total_bytes:,} bytes uncompressed (a zip bomb?)",
                    source=self.name,
                )
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                raise UnsafeArchiveError(
                    f"refused: member {info.filename!r} compresses {ratio:,.0f}:1 "
                    f"(limit {lim.max_ratio:,.0f}:1; a zip bomb?)",
                    source=self.name,
                )
            if not info.is_dir():
                members.append(info.filename.replace("\\", "/"))
        return members

    def members(self) -> list[str]:
        return list(self._members)

    @contextmanager
    def open_text(self, member: str) -> Iterator[TextIO]:
        where = f"{self.name}:{member}"
        with ExitStack() as stack:
            try:
                zf = stack.enter_context(zipfile.ZipFile(self.path))
                info = zf.getinfo(member)
                if info.flag_bits & 0x1:
                    raise InputError(
                        "is encrypted; export the archive again without a password", source=where
                    )
                raw = stack.enter_context(zf.open(info))
            except (
                zipfile.BadZipFile,
                NotImplementedError,
                RuntimeError,
                KeyError,
                OSError,
            ) as exc:
                raise InputError(f"cannot read member ({exc})", source=where) from None
            cap = min(self.limits.max_member_bytes, info.file_size)
            yield stack.enter_context(_text(raw, cap, where))


class FolderArchive(Archive):
    """An unpacked export. Links are never followed out of the folder."""

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.root = path.resolve()
        self.name = str(path)
        self.limits = limits
        self._members = self._walk()

    def _walk(self) -> list[str]:
        members: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            rel = Path(dirpath).relative_to(self.root)
            depth = len(rel.parts)
            if depth >= self.limits.max_depth:
                dirnames[:] = []
            for fn in filenames:
                if len(members) >= self.limits.max_members:
                    raise UnsafeArchiveError(
                        f"refused: more than {self.limits.max_members:,} files; not a member export",
                        source=self.name,
                    )
                full = Path(dirpath) / fn
                if full.is_symlink() and not full.resolve().is_relative_to(self.root):
                    raise UnsafeArchiveError(
                        f"refused: {(rel / fn).as_posix()!r} is a link pointing outside the archive folder",
                        source=self.name,
                    )
                members.append((rel / fn).as_posix())
        return members

    def members(self) -> list[str]:
        return list(self._members)

    @contextmanager
    def open_text(self, member: str) -> Iterator[TextIO]:
        where = f"{self.name}/{member}"
        if _unsafe_name(member):
            raise UnsafeArchiveError("refused: path escapes the folder", source=where)
        path = self.root / member
        real = path.resolve()
        if not real.is_relative_to(self.root):
            raise UnsafeArchiveError(
                "refused: a link pointing outside the archive folder", source=where
            )
        try:
            raw = open(real, "rb")  # noqa: SIM115 - closed by the wrapper below
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", source=where) from None
        size = os.fstat(raw.fileno()).st_size
        if size > self.limits.max_member_bytes:
            raw.close()
            raise UnsafeArchiveError(
                f"refused: {size:,} bytes (limit {self.limits.max_member_bytes:,})", source=where
            )
        with _text(raw, self.limits.max_member_bytes, where) as text:
            yield text


class SingleFileArchive(FolderArchive):
    """One export CSV given on its own (`lurewatch scan messages.csv`): only that file is read."""

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.root = path.parent.resolve()
        self.name = str(path)
        self.limits = limits
        self._members = [path.name]


def open_archive(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> Archive:
    if path.is_dir():
        return FolderArchive(path, limits)
    if path.suffix.casefold() == ".csv":
        return SingleFileArchive(path, limits)
    return ZipArchive(path, limits)
