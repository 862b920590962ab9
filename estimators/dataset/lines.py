"""Reading a dataset as lines of bytes: the source, binary files, the BOM and over-long lines.

Lines are read as bytes with a length cap, so a 50 MB line is never held in memory; decoding
them (UTF-8, blank lines, CRLF endings, which JSON treats as whitespace) is the scan's job, in
`estimators.dataset.scan`.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

from estimators.errors import EstimatorError, excerpt

# A valid example is ≤ 16,385 tokens ≈ 64 KB of text; 4 MB leaves room for escapes and tool
# payloads while a 50 MB line is rejected without ever being held in memory.
MAX_LINE_BYTES = 4 * 1024 * 1024
BINARY_SNIFF_BYTES = 8192
# Files are buffered, and over-long lines skipped, in chunks of this size; progress is reported
# about as often (`estimators.dataset.check.PROGRESS_EVERY_BYTES`).
READ_CHUNK_BYTES = 1024 * 1024
# Input of unknown size (a pipe, standard input, a device) stops with a message past this, so an
# endless one ends; a regular file of any size is streamed to its end.
MAX_STREAM_BYTES = 2 * 1024**3
_UTF8_BOM = b"\xef\xbb\xbf"

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


def open_source(source: Source, stack: ExitStack) -> tuple[BinaryIO, int | None, str]:
    """A binary stream, its size if known [bytes] and a name for messages.

    A path may name a regular file, a named pipe or a character device (`/dev/stdin`); only a
    regular file has a known size.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        shown = excerpt(path)
        if not path.exists():
            raise EstimatorError(f"{shown}: no such file")
        if path.is_dir():
            raise EstimatorError(f"{shown} is a directory, not a JSONL file")
        try:
            stream = stack.enter_context(path.open("rb", buffering=READ_CHUNK_BYTES))
        except OSError as error:
            raise EstimatorError(f"{shown}: cannot read it ({error.strerror})") from None
        status = os.fstat(stream.fileno())
        return stream, status.st_size if stat.S_ISREG(status.st_mode) else None, shown
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source), len(source), "uploaded data"
    if isinstance(source, io.TextIOBase):
        raise TypeError("check_dataset needs bytes or a binary stream, not a text stream")
    return source, _stream_size(source), excerpt(getattr(source, "name", "uploaded data"))


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(position)
    except (OSError, AttributeError, ValueError):
        return None
    return end - position


def _reject_binary(head: bytes, name: str) -> None:
    """Raise for files that are not text at all, naming what they look like where we can tell."""
    kinds = {
        b"\xff\xfe": "UTF-16 text; save it as UTF-8",
        b"\xfe\xff": "UTF-16 text; save it as UTF-8",
        b"\x1f\x8b": "gzip-compressed; decompress it first",
        b"PK\x03\x04": "a ZIP archive (a .zip, .xlsx or .docx?); export the data as JSONL",
    }
    for magic, what in kinds.items():
        if head.startswith(magic):
            raise EstimatorError(f"{name} is {what}.")
    if b"\x00" in head[:BINARY_SNIFF_BYTES]:
        raise EstimatorError(
            f"{name} looks like a binary file (NUL bytes in its first {BINARY_SNIFF_BYTES} "
            'bytes), not JSONL text with one {"messages": [...]} object per line.'
        )


def reject_binary(stream: BinaryIO, name: str) -> None:
    """Raise for a file that is not text, judged by its first `BINARY_SNIFF_BYTES` bytes.

    The stream is left where it was: a seekable one is read and rewound, a pipe is peeked at
    (as much as one read brings, which may be less). `first_line` checks line 1 again, for a
    stream that can do neither.
    """
    _reject_binary(_head(stream), name)


def _head(stream: BinaryIO) -> bytes:
    try:
        if stream.seekable():
            position = stream.tell()
            head = stream.read(BINARY_SNIFF_BYTES)
            stream.seek(position)
            return head
    except (OSError, AttributeError, ValueError):
        pass
    peek = getattr(stream, "peek", None)
    return peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES] if peek is not None else b""


def skip_rest_of_line(readline: Callable[[int], bytes], bounded: bool = False) -> int:
    """Read past the end of an over-long line in bounded chunks; return the bytes skipped.

    `bounded` (input of unknown size): stop once past `MAX_STREAM_BYTES`, for the caller's
    `check_stream_size` to stop the read.
    """
    skipped = 0
    while True:
        chunk = readline(READ_CHUNK_BYTES)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n") or (bounded and skipped > MAX_STREAM_BYTES):
            return skipped


def check_stream_size(bytes_read: int, total_bytes: int | None, name: str) -> None:
    """Raise once input of unknown size passes `MAX_STREAM_BYTES`."""
    if total_bytes is None and bytes_read > MAX_STREAM_BYTES:
        raise EstimatorError(
            f"{name}: more than {MAX_STREAM_BYTES:,} bytes from a pipe or device; save it to a "
            "file and check that (a file of any size is read to its end)."
        )


def first_line(raw: bytes, name: str) -> bytes:
    """The file's first line without its UTF-8 byte-order mark; raises for binary files."""
    _reject_binary(raw, name)
    return raw.removeprefix(_UTF8_BOM)
