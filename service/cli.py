"""`mixdeck` (also `python -m service`): serve, devices, bench.

Every serve option can also be given as a `MIXDECK_<NAME>` environment
variable; the command line wins.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from pydantic import ValidationError

from .settings import ConfigError, ServiceSettings

log = logging.getLogger("mixdeck.service")


def _serve_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the HTTP/WebSocket service")
    p.add_argument("--host", help="address to bind (MIXDECK_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="TCP port (MIXDECK_PORT, default 8000)")
    p.add_argument("--token", help="bearer token required by clients (MIXDECK_TOKEN)")
    p.add_argument("--output", choices=["auto", "device", "null"], help="audio output (MIXDECK_OUTPUT, default auto)")
    p.add_argument("--device", help="output device name or index (MIXDECK_DEVICE)")
    p.add_argument("--sample-rate", type=int, dest="sample_rate", help="Hz (MIXDECK_SAMPLE_RATE, default 48000)")
    p.add_argument("--block-size", type=int, dest="block_size", help="frames per block (MIXDECK_BLOCK_SIZE, default 512)")
    p.add_argument("--media-dir", "--media", dest="media_dir", help="media folder (MIXDECK_MEDIA_DIR, default ./media)")
    p.add_argument("--max-upload-bytes", type=int, dest="max_upload_bytes", help="upload cap in bytes (MIXDECK_MAX_UPLOAD_BYTES)")
    p.add_argument("--max-sound-seconds", type=float, dest="max_sound_seconds", help="decoded length cap in s (MIXDECK_MAX_SOUND_SECONDS)")
    p.add_argument("--max-sound-bytes", type=int, dest="max_sound_bytes", help="decoded size cap of one sound in bytes (MIXDECK_MAX_SOUND_BYTES, default 512 MiB)")
    p.add_argument("--max-library-bytes", type=int, dest="max_library_bytes", help="decoded size of all sounds together in bytes (MIXDECK_MAX_LIBRARY_BYTES, default 2 GiB)")
    p.add_argument("--allowed-hosts", dest="allowed_hosts", help="extra host names to answer, comma-separated (MIXDECK_ALLOWED_HOSTS)")
    p.add_argument("--state-rate", type=float, dest="state_rate", help="WebSocket state samples per second (MIXDECK_STATE_RATE, default 30)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mixdeck", description="A web-controlled audio engine.")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_parser(sub)
    sub.add_parser("devices", help="list audio output devices")
    sub.add_parser("bench", help="benchmark the engine (arguments go to engine.bench)", add_help=False)
    return parser


def serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {k: getattr(args, k) for k in ("host", "port", "token", "output", "device", "sample_rate",
                                                "block_size", "media_dir", "max_upload_bytes",
                                                "max_sound_seconds", "max_sound_bytes", "max_library_bytes",
                                                "allowed_hosts", "state_rate")}
    try:
        settings = ServiceSettings.from_env(**overrides)
        settings.check()
    except ValidationError as exc:
        for err in exc.errors():
            print(f"mixdeck: {'.'.join(map(str, err['loc']))}: {err['msg']}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"mixdeck: {exc}", file=sys.stderr)
        return 2

    import uvicorn

    from .app import create_app

    _GracefulServer = _server_class()
    app = create_app(settings)
    # A client that stopped reading would otherwise hold shutdown open for good;
    # after 3 s its connection is cut and the mix fades out as usual.
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level=args.log_level,
                            timeout_graceful_shutdown=3,
                            ws_max_size=1 << 20, log_config=None)
    server = _GracefulServer(config)
    server.run()
    return 0 if server.started else 1


def _server_class() -> type:
    import uvicorn

    class GracefulServer(uvicorn.Server):
        """A uvicorn server that exits 0 after a signal-driven graceful shutdown.

        uvicorn re-raises SIGINT/SIGTERM once it has shut down, which ends the
        process with the signal's status; a stop asked for by the operator,
        with the mix faded out and the stream closed, is a success.
        """

        def handle_exit(self, sig: int, frame: object) -> None:
            super().handle_exit(sig, frame)  # type: ignore[arg-type]
            captured = getattr(self, "_captured_signals", None)
            if isinstance(captured, list):
                captured.clear()

    return GracefulServer


def devices() -> int:
    from .operations.engine import list_devices

    found = list_devices()
    if not found:
        print("no audio output devices found")
        return 0
    for d in found:
        mark = "*" if d.is_default else " "
        rate = f"{d.default_samplerate:g} Hz" if d.default_samplerate else "? Hz"
        print(f"{mark} {d.index:3d}  {d.name}  ({d.hostapi or '?'}, {d.max_output_channels} ch, {rate})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bench":
        try:
            from mixdeck.engine import bench
        except ImportError as exc:
            print(f"mixdeck: the engine has no benchmark module here ({exc})", file=sys.stderr)
            return 2
        return int(bench.main(argv[1:]) or 0)
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return devices()
