"""``premortem FILE`` on a path with no session: the board asks first, ``--new`` creates without asking."""

from __future__ import annotations

import os

import pytest

from premortem_tui import cli
from premortem_tui.cli import main
from premortem_tui.store.service import SessionService


class FakeApp:
    """Records how the command line would start the app, and exits as the user's answer would."""

    started: list[dict] = []
    status = 0

    def __init__(self, model, **options) -> None:
        self.options = {"model": model, **options}
        self.error = None
        self.return_code = None

    def run(self) -> None:
        FakeApp.started.append(self.options)
        self.return_code = FakeApp.status


@pytest.fixture
def app(monkeypatch):
    from premortem_tui.ui import app as app_module

    FakeApp.started, FakeApp.status = [], 0
    monkeypatch.setattr(cli, "_need_terminal", lambda: None)
    monkeypatch.setattr(app_module, "PremortemApp", FakeApp)
    return FakeApp


def test_a_missing_file_starts_the_question_and_writes_nothing(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app.status = 1  # cancelled
    assert main(["ws.premortm", "--speed", "2", "--rehearsal"]) == 1
    (started,) = app.started
    assert started["model"] is None and started["create"] == "ws.premortm" and started["rehearsal"] is True
    assert os.listdir(tmp_path) == []


def test_speed_alone_leaves_a_real_session_as_it_is(app, tmp_path):
    path = tmp_path / "real.premortem"
    assert main(["--new", str(path)]) == 0
    app.started[-1]["model"].close()
    assert main([str(path), "--speed", "60"]) == 0
    app.started[-1]["model"].close()
    with SessionService.open(str(path)) as service:
        assert service.load().session.rehearsal is False
    assert main([str(path), "--rehearsal"]) == 0
    app.started[-1]["model"].close()
    with SessionService.open(str(path)) as service:
        assert service.load().session.rehearsal is True


def test_new_creates_without_asking(app, tmp_path):
    path = tmp_path / "ws.premortem"
    assert main(["--new", str(path)]) == 0
    (started,) = app.started
    assert "create" not in started and started["model"].path == str(path)
    started["model"].close()
    with SessionService.open(str(path)) as service:
        assert service.load().failures == []


def test_an_existing_file_opens_without_asking(app, tmp_path):
    path = tmp_path / "s.premortem"
    SessionService.open(str(path), create=True).close()
    assert main([str(path)]) == 0
    (started,) = app.started
    assert "create" not in started and started["model"].path == str(path)
    started["model"].close()


def test_a_missing_folder_is_refused_before_asking(app, tmp_path, capsys):
    path = tmp_path / "nowhere" / "ws.premortem"
    assert main([str(path)]) == 1
    assert app.started == []
    assert capsys.readouterr().err == f"premortem: {path}: the folder {tmp_path / 'nowhere'} does not exist\n"


def test_new_needs_a_file(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--new"])
    assert exc.value.code == 2
    assert "--new needs a FILE" in capsys.readouterr().err


def test_an_error_after_create_is_one_line(app, tmp_path, capsys, monkeypatch):
    def failed(self):
        self.error, self.return_code = f"{tmp_path}/x.premortem: the folder went away", 1
    monkeypatch.setattr(FakeApp, "run", failed)
    assert main([str(tmp_path / "x.premortem")]) == 1
    assert capsys.readouterr().err == f"premortem: {tmp_path}/x.premortem: the folder went away\n"


def test_help_names_new(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--new create FILE without asking if it does not exist" in out
    assert "the board asks before creating it" in out
