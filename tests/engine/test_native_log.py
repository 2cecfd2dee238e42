"""Native writes to stderr arrive as log records; each test runs in its own process, whose stderr it may take."""

import json
import subprocess
import sys
import textwrap

import pytest
import soundfile

CAN_WRITE_MP3 = "MP3" in soundfile.available_formats()

# Every record the child logs is printed to its stdout as [logger, level, message].
PRELUDE = """
import json, logging, os, sys
class Capture(logging.Handler):
    def emit(self, record):
        sys.stdout.write(json.dumps([record.name, record.levelname, record.getMessage()]) + "\\n")
        sys.stdout.flush()
logging.getLogger().addHandler(Capture())
def log_to_stderr(format):
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(format))
    logging.getLogger().addHandler(handler)
from mixdeck.engine.native_log import route_native_stderr, restore_native_stderr
"""


def run(body: str, prelude: str = PRELUDE) -> tuple[list[list[str]], str]:
    """Run ``body`` in a fresh interpreter; return the records it logged and what reached its real stderr."""
    done = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(body)], capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    records = [json.loads(line) for line in done.stdout.decode().splitlines() if line.startswith("[")]
    return records, done.stderr.decode(errors="replace")


def test_a_native_write_to_fd_2_arrives_as_one_warning_record_per_line():
    records, stderr = run("""
        route_native_stderr()
        os.write(2, b"first line\\nsecond ")
        os.write(2, b"line\\n\\nthird\\n")
        restore_native_stderr()
    """)
    assert records == [["mixdeck.native", "WARNING", "first line"],
                       ["mixdeck.native", "WARNING", "second line"],
                       ["mixdeck.native", "WARNING", "third"]]
    assert "first line" not in stderr


def test_native_lines_reach_the_real_stderr_only_through_the_log_handlers():
    records, stderr = run("""
        log_to_stderr("LOG|%(levelname)s|%(name)s|%(message)s")
        route_native_stderr()
        os.write(2, b"from C\\n")
    """)
    assert records == [["mixdeck.native", "WARNING", "from C"]]
    assert stderr.splitlines() == ["LOG|WARNING|mixdeck.native|from C"]


def test_python_stderr_keeps_writing_to_the_real_stderr_and_is_not_logged():
    records, stderr = run("""
        route_native_stderr()
        print("printed to sys.stderr", file=sys.stderr)
        sys.__stderr__.write("written to sys.__stderr__\\n")
        import warnings
        warnings.warn("a python warning")
        restore_native_stderr()
        print("after restoring", file=sys.stderr)
    """)
    assert records == []
    assert "printed to sys.stderr\nwritten to sys.__stderr__\n" in stderr
    assert "UserWarning: a python warning" in stderr and stderr.endswith("after restoring\n")


@pytest.mark.parametrize("handlers", ["configured before routing", "added after routing", "last resort only"])
def test_handlers_that_write_to_stderr_never_feed_back_into_the_pipe(handlers):
    # More than a pipe holds (64 KiB), so a handler writing back into it would block or loop.
    setup = {
        "configured before routing": "log_to_stderr('LOG|%(message)s')\nroute_native_stderr()",
        "added after routing": "route_native_stderr()\nlog_to_stderr('LOG|%(message)s')",
        "last resort only": "logging.getLogger().handlers.clear()\nroute_native_stderr()",
    }[handlers]
    records, stderr = run(setup + """
for i in range(5000):
    os.write(2, b"native %d\\n" % i)
restore_native_stderr()
""")
    expected = [f"native {i}" for i in range(5000)]
    prefix = "" if handlers == "last resort only" else "LOG|"
    assert stderr.splitlines() == [prefix + line for line in expected]
    if handlers != "last resort only":
        assert [message for _, _, message in records] == expected


def test_routing_twice_forwards_each_line_once_to_the_latest_logger():
    records, _ = run("""
        route_native_stderr()
        route_native_stderr("mixdeck.native.audio")
        os.write(2, b"once\\n")
        restore_native_stderr()
        restore_native_stderr()
    """)
    assert records == [["mixdeck.native.audio", "WARNING", "once"]]


def test_bytes_that_are_not_utf8_are_replaced_not_dropped():
    records, _ = run("""
        route_native_stderr()
        os.write(2, b"bad \\xff byte\\n")
        restore_native_stderr()
    """)
    assert records == [["mixdeck.native", "WARNING", "bad \ufffd byte"]]


def test_a_line_still_in_the_pipe_at_exit_is_forwarded():
    records, _ = run("""
        route_native_stderr()
        os.write(2, b"written last, with no newline")
    """)
    assert records == [["mixdeck.native", "WARNING", "written last, with no newline"]]


def test_a_line_longer_than_the_reader_buffer_arrives_in_pieces_that_add_up():
    records, _ = run("""
        route_native_stderr()
        os.write(2, b"x" * 200_000 + b"\\n")
        restore_native_stderr()
    """)
    assert len(records) > 1
    assert "".join(message for _, _, message in records) == "x" * 200_000


def test_restoring_gives_fd_2_back_to_the_real_stderr():
    records, stderr = run("""
        route_native_stderr()
        os.write(2, b"routed\\n")
        restore_native_stderr()
        os.write(2, b"raw again\\n")
        assert sys.stderr is sys.__stderr__ and sys.stderr.fileno() == 2
    """)
    assert records == [["mixdeck.native", "WARNING", "routed"]]
    assert stderr == "raw again\n"


def test_routing_is_a_no_op_where_fd_2_is_closed():
    records, _ = run("""
        os.close(2)
        before = sys.stderr
        route_native_stderr()
        assert sys.stderr is before
        restore_native_stderr()
        print("still running")
    """)
    assert records == []


@pytest.mark.skipif(not CAN_WRITE_MP3, reason="this libsndfile cannot write MP3")
def test_a_libmpg123_warning_about_a_damaged_mp3_becomes_a_log_record(tmp_path):
    path = tmp_path / "cut.mp3"
    records, stderr = run(f"""
        import numpy as np, soundfile
        soundfile.write({str(path)!r}, np.zeros(44_100), 44_100)
        whole = open({str(path)!r}, "rb").read()
        open({str(path)!r}, "wb").write(whole[: len(whole) // 2])
        log_to_stderr("LOG|%(name)s|%(message)s")
        route_native_stderr()
        soundfile.read({str(path)!r})
        restore_native_stderr()
    """)
    warnings = [message for name, level, message in records if name == "mixdeck.native" and level == "WARNING"]
    assert any("Xing stream size off" in message for message in warnings), records
    assert stderr and all(line.startswith("LOG|mixdeck.native|") for line in stderr.splitlines())
