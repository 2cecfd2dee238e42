"""The service's settings: one model gives the `MIXDECK_*` variables, the `mixdeck serve` flags and `--help`.

Each field is a setting: `max_upload_bytes` is the variable
`MIXDECK_MAX_UPLOAD_BYTES` and the flag `--max-upload-bytes`, and its
description is the flag's help. The command line wins over the environment
(see `service.cli`). Every field names its unit.
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ENV_PREFIX = "MIXDECK_"
MIB = 1024 * 1024

# The environment `from_env` reads when it is given one instead of os.environ.
_GIVEN_ENVIRON: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar("environ", default=None)


class ConfigError(Exception):
    """The settings cannot run as given; the message is a sentence for the operator."""


class _GivenEnvironment(EnvSettingsSource):
    """Reads the mapping handed to `from_env` rather than the process environment."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        given = _GIVEN_ENVIRON.get()
        if given is None:
            return super()._load_env_vars()
        return {k.lower(): v for k, v in given.items() if v != ""}


HostList = Annotated[list[str], NoDecode]


class ServiceSettings(BaseSettings):
    """How the service listens, which output it drives and what it accepts."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=False,
    )

    host: str = Field("127.0.0.1", description="Address to bind; anything but loopback needs a token.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port (0 picks a free one).")
    token: str | None = Field(
        None,
        description="Bearer token for REST (Authorization: Bearer …) and WebSocket (the same header, or ?token=).",
    )
    token_file: Path | None = Field(
        None, description="File whose content (one line) is the token, so it need not show in `ps`."
    )
    output: Literal["auto", "device", "null", "offline"] = Field(
        "auto",
        description="Audio output: 'auto' (the device if PortAudio finds one, else null), 'device', 'null' "
        "(silent, paced in real time) or 'offline' (rendered on demand by a program embedding the service).",
    )
    device: str | int | None = Field(
        None, description="Output device name (or part of it) or index; none is the system default."
    )
    sample_rate: int = Field(48000, ge=8000, le=384000, description="Output sample rate in Hz.")
    block_size: int = Field(512, ge=16, le=8192, description="Frames per block.")
    media_dir: Path = Field(
        Path("media"), description='Sound folder: uploads are kept here, and {"path": …} loads never leave it.'
    )
    max_upload_bytes: int = Field(50 * MIB, ge=1024, description="Largest upload in bytes; larger is a 413.")
    max_sound_seconds: float = Field(
        600.0, gt=0, le=24 * 3600, description="Longest decoded sound in seconds; longer is a 413."
    )
    max_sound_bytes: int = Field(
        512 * MIB, ge=1024, description="Largest decoded sound in bytes (8 a frame); larger is a 413."
    )
    max_library_bytes: int = Field(
        2048 * MIB, ge=1024, description="Decoded size of all sounds together in bytes; past it an add is a 507."
    )
    stream_above_seconds: float = Field(
        60.0,
        ge=0,
        le=24 * 3600,
        description="Sounds added without a streaming choice stream from disk when longer than this many seconds, "
        "instead of being decoded whole; 0 = only when asked.",
    )
    allowed_hosts: HostList = Field(
        default_factory=list,
        description="Host names answered besides localhost, loopback and the host, comma-separated ('*' for any).",
    )
    allowed_origins: HostList = Field(
        default_factory=list,
        description="Other web origins (http://host:port), comma-separated, whose pages may send commands "
        "and open the WebSocket.",
    )
    state_rate: float = Field(30.0, gt=0, le=240, description="WebSocket state samples per second.")
    max_voices: int = Field(256, ge=1, le=65536, description="Sounds that may play at once; one more is a 409.")
    max_tracks: int = Field(
        128,
        ge=0,
        le=4096,
        description="Sub tracks that may exist at once (the main track is not counted); one more is a 409.",
    )
    max_sends: int = Field(16, ge=0, le=256, description="Send tracks that may exist at once; one more is a 409.")
    max_effects: int = Field(
        256, ge=0, le=65536, description="Effects that may exist at once, on all tracks together; one more is a 409."
    )
    max_clocks: int = Field(16, ge=1, le=4096, description="Clocks that may exist at once.")
    max_modulators: int = Field(32, ge=1, le=4096, description="Modulators that may exist at once.")
    max_listeners: int = Field(
        8, ge=0, le=1024, description="Listeners that may exist at once (spatial tracks hear through them)."
    )
    command_capacity: int = Field(
        1024, ge=1, le=1 << 20, description="Commands that may wait for the audio thread; beyond it is a 503."
    )
    shutdown_fade: float = Field(0.05, ge=0, le=10, description="Fade-out of the mix on shutdown, in seconds.")
    web_dir: Path | None = Field(
        None, description="Folder of the browser panel served at /; none is the panel installed with the service."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Least severe log level shown.")

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("device", mode="before")
    @classmethod
    def _device_index(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value

    @field_validator("token")
    @classmethod
    def _real_token(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty or only whitespace: a blank token would guard nothing")
        return value

    @model_validator(mode="after")
    def _token_from_file(self) -> ServiceSettings:
        if self.token_file is None:
            return self
        if self.token is not None:
            raise ValueError("token_file: give the token or a token file, not both")
        try:
            text = self.token_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"token_file: cannot read {str(self.token_file)!r} ({exc})") from None
        token = text.strip("\r\n")
        if not token.strip():
            raise ValueError(f"token_file: {str(self.token_file)!r} holds no token (it is empty or only whitespace)")
        self.token = token
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Keyword arguments (the command line) win over the environment; no .env or secrets folder.
        return init_settings, _GivenEnvironment(settings_cls)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> ServiceSettings:
        """Read `MIXDECK_<FIELD>` variables (os.environ, or `environ`), then apply `overrides` (None = not given)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        reset = _GIVEN_ENVIRON.set(environ)
        try:
            return cls(**given)  # type: ignore[arg-type]  # values are validated here, whatever their type
        finally:
            _GIVEN_ENVIRON.reset(reset)

    def check(self) -> None:
        """Refuse settings that would be unsafe to run; raises ConfigError with the reason."""
        if not self.token and not is_loopback(self.host):
            raise ConfigError(
                f"Refusing to listen on {self.host}: anyone on the network could control the audio "
                "output, so binding beyond loopback needs a token (set MIXDECK_TOKEN, MIXDECK_TOKEN_FILE or --token)."
            )


def env_name(field: str) -> str:
    """The environment variable of a setting: 'max_voices' is MIXDECK_MAX_VOICES."""
    return ENV_PREFIX + field.upper()


def flag_name(field: str) -> str:
    """The command-line flag of a setting: 'max_voices' is --max-voices."""
    return "--" + field.replace("_", "-")


def shown_default(info: FieldInfo) -> str:
    """A setting's default as people read it: '50 MiB', 'none', '127.0.0.1'."""
    value: Any = info.get_default(call_default_factory=True)
    if value is None or value == []:
        return "none"
    if isinstance(value, int) and not isinstance(value, bool) and value >= MIB and value % MIB == 0:
        mib = value // MIB
        return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} MiB"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
