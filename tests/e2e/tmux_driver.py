"""Drive the real ``premortem`` command in a tmux pane, as a person at a terminal would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PREMORTEM = str(Path(sys.executable).with_name("premortem"))


def need_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the end-to-end tests drive the real app in tmux")


class Pane:
    def __init__(self, cwd: Path, env: dict[str, str], width: int = 120, height: int = 40) -> None:
        self.socket = str(cwd / f"tmux-{uuid.uuid4().hex[:8]}.sock")
        self.cwd, self.env, self.size = cwd, env, (width, height)

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-f", "/dev/null", "-S", self.socket, *args],
                              capture_output=True, text=True, check=False)

    def start(self, *argv: str, options: dict[str, str] | None = None) -> None:
        """Run ``premortem ARGV`` in a new pane; ``options``: global tmux options set with it."""
        exports = " ".join(f"{k}={v!r}" for k, v in self.env.items())
        # COLUMNS/LINES from the test runner would override the pane's real size.
        command = (f"cd {str(self.cwd)!r} && env -u COLUMNS -u LINES {exports} {PREMORTEM} {' '.join(argv)}; "
                   "echo EXITED=$?; sleep 30")
        width, height = self.size
        chained = [arg for name, value in (options or {}).items() for arg in (";", "set-option", "-g", name, value)]
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), command, *chained)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e").stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def ready(self, text: str) -> str:
        """Wait for the first paint, then a moment: keys typed while the app starts may be lost."""
        screen = self.wait_for(text)
        time.sleep(0.5)
        return screen

    def keys(self, *keys: str, pause: float = 0.25) -> None:
        for key in keys:  # one at a time, as typed: a burst would read as a paste
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(pause)

    def close(self) -> None:
        self.tmux("kill-server")
        try:
            os.unlink(self.socket)
        except OSError:
            pass


@pytest.fixture
def pane_factory(tmp_path):
    need_tmux()
    panes: list[Pane] = []
    env = {"PREMORTEM_HOME": str(tmp_path / "home"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}

    def make(**kwargs) -> Pane:
        pane = Pane(tmp_path, env, **kwargs)
        panes.append(pane)
        return pane

    yield make
    for pane in panes:
        pane.close()
