"""A real ``chroma run`` server on loopback, for the benchmark and the server tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HEARTBEAT = "/api/v2/heartbeat"


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_executable() -> str:
    """The ``chroma`` command of this interpreter's environment (the venv), else from PATH."""
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return str(beside)
    found = shutil.which("chroma")
    if not found:
        raise RuntimeError("The `chroma` command is missing: pip install chromadb (it ships the server).")
    return found


class ChromaServer:
    """``chroma run --path DIR --host 127.0.0.1 --port N`` as a child process.

    Use as a context manager; ``host``/``port`` are what ``CITEBOT_CHROMA_HOST``/``_PORT`` need.
    """

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None) -> None:
        self.path = Path(path)
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.log = log or self.path.parent / f"chroma-{self.port}.log"
        self.process: subprocess.Popen | None = None
        self.start_seconds = 0.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + HEARTBEAT, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self, timeout: float = 60.0) -> "ChromaServer":
        self.path.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [chroma_executable(), "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"chroma run exited with code {self.process.returncode}:\n{tail}")
            if self.alive():
                self.start_seconds = time.perf_counter() - started
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run did not answer {HEARTBEAT} on port {self.port} within {timeout:.0f} s")

    def rss_mb(self) -> float | None:
        """Resident memory of the server process now (Linux /proc), in MB."""
        if self.process is None:
            return None
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):  # peak resident set size
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def __enter__(self) -> "ChromaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
