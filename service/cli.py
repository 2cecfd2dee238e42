"""`mixdeck` (also `python -m mixdeck.service`): serve, devices, bench, --version.

Every serve option can also be given as a `MIXDECK_<NAME>` environment
variable; the command line wins.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from .settings import ENV_PREFIX, ConfigError, ServiceSettings, env_name, flag_name, shown_default

log = logging.getLogger("mixdeck.service")


def _serve_parser(sub: argparse._SubParsersAction) -> None:
    """One flag per setting, named and explained by the settings model itself."""
    p = sub.add_parser(
        "serve",
        help="run the HTTP/WebSocket service",
        description="Run the service. Every option is also a MIXDECK_* environment variable; the flag wins.",
    )
    for name, info in ServiceSettings.model_fields.items():
        flags = [flag_name(name)] + [flag_name(alias) for alias in FLAG_ALIASES.get(name, ())]
        meaning = (info.description or "").rstrip(".")
        p.add_argument(
            *flags,
            dest=name,
            metavar=name.upper(),
            help=f"{meaning} ({env_name(name)}, default {shown_default(info)})".replace("%", "%%"),
        )


# Older spellings kept working.
FLAG_ALIASES = {"media_dir": ("media",)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mixdeck", description="A web-controlled audio engine.")
    parser.add_argument("--version", action="version", version=f"mixdeck {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_parser(sub)
    sub.add_parser("devices", help="list audio output devices")
    sub.add_parser("bench", help="benchmark the engine (arguments go to engine.bench)", add_help=False)
    return parser


def package_version() -> str:
    try:
        return importlib.metadata.version("mixdeck")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def serve(args: argparse.Namespace) -> int:
    overrides = {name: getattr(args, name) for name in ServiceSettings.model_fields}
    try:
        settings = ServiceSettings.from_env(**overrides)
        settings.check()
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(map(str, err["loc"]))
            message = str(err["msg"]).removeprefix("Value error, ")
            if not field and ": " in message:  # a model check names its field in the message
                field, message = message.split(": ", 1)
            where = f"{field} ({flag_name(field)} or {env_name(field)})" if field else "settings"
            print(f"mixdeck: {where}: {message}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"mixdeck: {exc}", file=sys.stderr)
        return 2
    if settings.output != "offline":
        # The audio process loads its code while the web framework loads here.
        from mixdeck.engine.process.spare import prestart

        prestart()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from mixdeck.engine.native_log import route_native_stderr

    # libmpg123 and PortAudio write warnings straight to stderr; they reach the log as records.
    route_native_stderr()
    unknown = sorted(
        k
        for k in os.environ
        if k.startswith(ENV_PREFIX) and k[len(ENV_PREFIX) :].lower() not in ServiceSettings.model_fields
    )
    for key in unknown:
        log.warning("%s is not a mixdeck setting; it is ignored (see mixdeck serve --help)", key)

    import uvicorn

    from .app import create_app

    _GracefulServer = _server_class()
    app = create_app(settings)
    # A client that stopped reading would otherwise hold shutdown open for good;
    # after 3 s its connection is cut and the mix fades out as usual.
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=3,
        ws_max_size=1 << 20,
        log_config=None,
    )
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
