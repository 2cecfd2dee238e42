"""Sound data in the library: what is loaded, and how to add more."""

from __future__ import annotations

from pydantic import Field

from .common import Flag, Reply, Strict, Whole

STREAMING = (
    "Stream it from disk while it plays (true) or decode it whole into memory (false); absent: stream when it "
    "lasts longer than MIXDECK_STREAM_ABOVE_SECONDS."
)


class Sound(Reply):
    """A decoded sound in the library, ready to play any number of times."""

    id: str = Field(description="Id of the sound ('snd-…').")
    name: str = Field(description="File name it was loaded from.")
    duration: float = Field(description="Length in seconds.")
    frames: int = Field(description="Length in frames at the sound's own sample rate.")
    channels: int = Field(description="Channels in the source file (played as stereo).")
    sample_rate: int = Field(description="The source's sample rate in Hz.")
    builtin: bool = Field(description="True for the sounds the service generated for a first start.")
    streaming: bool = Field(
        description="True when it is streamed from its file while it plays (only a small buffer per voice is in "
        "memory); false when it is decoded whole."
    )


class AddSoundFromPath(Strict):
    """Load a file that is already in the media folder."""

    path: str = Field(min_length=1, max_length=4096, description="Path relative to the media folder.")
    name: str | None = Field(None, max_length=256, description="Display name; default the file name.")
    streaming: Flag | None = Field(None, description=STREAMING)


class SoundId(Strict):
    """Names one sound."""

    id: str = Field(description="Id of the sound ('snd-…').")


class WaveformQuery(Strict):
    """How finely to summarise a sound's shape."""

    id: str = Field(description="Id of the sound ('snd-…').")
    points: Whole = Field(512, ge=1, le=10000, description="Number of min/max pairs over the whole sound.")


class Waveform(Reply):
    """Peaks of the mono mix of a sound, for drawing."""

    points: int = Field(description="Number of pairs.")
    min: list[float] = Field(description="Lowest sample per span, -1..1.")
    max: list[float] = Field(description="Highest sample per span, -1..1.")
