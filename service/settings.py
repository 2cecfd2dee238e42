"""The service's settings: one object, filled from `MIXDECK_*` variables and the command line.

Every field names its unit. `ServiceSettings.from_env()` reads the environment;
the command line overrides it field by field (see `service.cli`).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENV_PREFIX = "MIXDECK_"


class ConfigError(Exception):
    """The settings cannot run as given; the message is a sentence for the operator."""


class ServiceSettings(BaseModel):
    """How the service listens, which output it drives and what it accepts."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    host: str = Field("127.0.0.1", description="Address to bind. Anything but loopback needs a token.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port to listen on (0 picks a free one).")
    token: str | None = Field(None, description="Bearer token required on REST and WebSocket when set.")
    output: Literal["auto", "device", "null", "offline"] = Field(
        "auto",
        description="Audio output: 'device' (sound card), 'null' (paced, silent), 'offline' "
        "(rendered on demand by the embedding program), or 'auto' (device when one is usable, else null).",
    )
    device: str | int | None = Field(None, description="Output device name or index; none = the system default.")
    sample_rate: int = Field(48000, ge=8000, le=384000, description="Output sample rate in frames per second (Hz).")
    block_size: int = Field(512, ge=16, le=8192, description="Frames rendered per block.")
    media_dir: Path = Field(Path("media"), description="Folder sounds are loaded from; paths never leave it.")
    max_upload_bytes: int = Field(
        50 * 1024 * 1024, ge=1024, description="Largest accepted upload, in bytes; larger is a 413."
    )
    max_sound_seconds: float = Field(
        600.0, gt=0, le=24 * 3600, description="Longest accepted decoded sound, in seconds; longer is a 413."
    )
    max_sound_bytes: int = Field(
        512 * 1024 * 1024, ge=1024, description="Largest decoded sound in memory, in bytes (8 a frame); larger is a 413."
    )
    max_library_bytes: int = Field(
        2 * 1024 * 1024 * 1024, ge=1024,
        description="Memory all decoded sounds together may take, in bytes; a sound that would pass it is a 507.",
    )
    state_rate: float = Field(
        30.0, gt=0, le=240, description="How often WebSocket state topics are sampled, in samples per second."
    )
    max_voices: int = Field(256, ge=1, le=65536, description="Sounds that may play at once (the engine's arena).")
    max_clocks: int = Field(16, ge=1, le=4096, description="Clocks that may exist at once.")
    max_modulators: int = Field(32, ge=1, le=4096, description="Modulators that may exist at once.")
    command_capacity: int = Field(
        1024, ge=1, le=1 << 20, description="Commands that may wait for the audio thread; beyond it is a 503."
    )
    shutdown_fade: float = Field(0.05, ge=0, le=10, description="Fade-out of the mix on shutdown, in seconds.")
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names (comma-separated in MIXDECK_ALLOWED_HOSTS) the service answers besides localhost, "
        "127.0.0.1, ::1 and `host`; '*' answers any. Guards against DNS rebinding.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Web page origins (comma-separated in MIXDECK_ALLOWED_ORIGINS, e.g. 'https://panel.example:8443') "
        "allowed to use the service besides its own pages; browsers' cross-site requests and WebSockets are refused.",
    )
    web_dir: Path | None = Field(None, description="Folder of the browser panel served at '/'; none = the web/ folder installed beside the service.")

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "ServiceSettings":
        """Read `MIXDECK_<FIELD>` variables (upper case), then apply `overrides` (None = not given)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw not in (None, ""):
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("device"), str) and str(values["device"]).isdigit():
            values["device"] = int(str(values["device"]))
        return cls(**values)

    def check(self) -> None:
        """Refuse settings that would be unsafe to run; raises ConfigError with the reason."""
        if not self.token and not is_loopback(self.host):
            raise ConfigError(
                f"Refusing to listen on {self.host}: anyone on the network could control the audio "
                "output, so binding beyond loopback needs a token (set MIXDECK_TOKEN or --token)."
            )


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
