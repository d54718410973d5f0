"""Files that are not what they seem, outputs that must not be clobbered, no terminal, hostile names.

Commands run in a child process with a timeout wherever a defect would hang
(a named pipe blocks the open that reads it), so a hang fails the test.
"""

import os
import pty
import sqlite3
import socket
import subprocess
import sys
from datetime import date

import pytest

from premortem_tui.cli import main
from premortem_tui.store import check
from premortem_tui.store.check import inspect
from premortem_tui.store.fileformat import SessionFileError
from premortem_tui.store.locations import recent_files, remember
from premortem_tui.store.service import SessionService
from premortem_tui.ui.launch import open_model

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_REASON = "running as root: file permissions do not bind (the faked test beside this one covers it)"


def run(cwd, *args, terminal=False, timeout=20):
    """``premortem ARGS`` in ``cwd``: (exit status, stdout, stderr); stdin and stdout a terminal if asked."""
    command = [sys.executable, "-c", "import sys; from premortem_tui.cli import main; sys.exit(main())", *args]
    if not terminal:
        done = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(command, cwd=cwd, stdin=follower, stdout=follower, stderr=subprocess.PIPE,
                                 text=True)
        try:
            _, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
        return child.returncode, "", err
    finally:
        os.close(leader)
        os.close(follower)


def session(path, *, failures=("down",)):
    with SessionService.open(str(path), create=True) as service:
        for text in failures:
            service.add_failure("API", text)
    return str(path)


def one_line(err):
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# -- 1. anything but a regular file is refused before it is opened ------------------------------------


FIFO_COMMANDS = {
    "export": ["export", "x.premortem"],
    "export-json": ["export", "x.premortem", "--format", "json", "-o", "out.json"],
    "import-target": ["import", "x.premortem", "ok.json"],
    "import-source": ["import", "new.premortem", "x.premortem"],
    "import-source-json": ["import", "new.premortem", "ok.json", "x.premortem"],
    "carry": ["carry", "x.premortem", "next.premortem"],
    "copy": ["copy", "x.premortem", "copy.premortem"],
}


@pytest.fixture
def fifo_dir(tmp_path):
    os.mkfifo(tmp_path / "x.premortem")
    session(tmp_path / "ok.premortem")
    assert main(["export", str(tmp_path / "ok.premortem"), "--format", "json", "-o",
                 str(tmp_path / "ok.json")]) == 0
    return tmp_path


@pytest.mark.parametrize("name", list(FIFO_COMMANDS))
def test_a_named_pipe_is_refused_not_waited_on(fifo_dir, name):
    before = sorted(os.listdir(fifo_dir))
    status, _, err = run(fifo_dir, *FIFO_COMMANDS[name])
    assert status == 1
    assert one_line(err) == "premortem: x.premortem: is not a regular file (a named pipe)\n"
    assert sorted(os.listdir(fifo_dir)) == before  # nothing created, not even for import's new target


def test_a_named_pipe_given_to_reminders_is_a_warning(fifo_dir):
    status, out, err = run(fifo_dir, "reminders", "x.premortem")
    assert status == 0 and out == "no reminders\n"
    assert one_line(err) == "warning: x.premortem: is not a regular file (a named pipe)\n"


def test_a_named_pipe_is_not_opened_on_the_board(fifo_dir):
    status, _, err = run(fifo_dir, "x.premortem", terminal=True)
    assert status == 1
    assert one_line(err) == "premortem: x.premortem: is not a regular file (a named pipe)\n"


def test_every_kind_of_non_file_is_named(tmp_path):
    (tmp_path / "folder").mkdir()
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock"))
        for name, kind in (("folder", "a directory"), ("sock", "a socket")):
            with pytest.raises(SessionFileError, match=rf": is not a regular file \({kind}\)$"):
                inspect(str(tmp_path / name), creating=True)
    finally:
        server.close()
    with pytest.raises(SessionFileError, match=r"is not a regular file \(a character device\)$"):
        check.regular_file("/dev/null")
    assert check.regular_file(str(tmp_path / "missing")) is None


# -- 2. a loop of symbolic links ------------------------------------------------------------------------


LOOP_COMMANDS = {
    "export": ["export", "loop.premortem"],
    "import-target": ["import", "loop.premortem", "ok.premortem"],
    "import-source": ["import", "new.premortem", "loop.premortem"],
    "carry": ["carry", "loop.premortem", "next.premortem"],
    "copy": ["copy", "loop.premortem", "copy.premortem"],
}


@pytest.fixture
def loop_dir(tmp_path):
    os.symlink("loop.premortem", tmp_path / "loop.premortem")
    session(tmp_path / "ok.premortem")
    return tmp_path


def test_a_symlink_loop_is_one_line_on_the_board(loop_dir):
    status, _, err = run(loop_dir, "loop.premortem", terminal=True)
    assert status == 1
    assert one_line(err) == "premortem: loop.premortem: is a loop of symbolic links\n"


@pytest.mark.parametrize("name", list(LOOP_COMMANDS))
def test_a_symlink_loop_is_one_line_for_every_command(loop_dir, name):
    before = sorted(os.listdir(loop_dir))
    status, _, err = run(loop_dir, *LOOP_COMMANDS[name])
    assert status == 1
    assert one_line(err) == "premortem: loop.premortem: is a loop of symbolic links\n"
    assert sorted(os.listdir(loop_dir)) == before


def test_a_symlink_loop_given_to_reminders_is_a_warning(loop_dir):
    status, _, err = run(loop_dir, "reminders", "loop.premortem")
    assert status == 0
    assert one_line(err) == "warning: loop.premortem: is a loop of symbolic links\n"


def test_remember_never_raises(tmp_path):
    loop = tmp_path / "loop.premortem"
    os.symlink(loop.name, loop)
    remember(loop)  # Path.resolve() raises on a loop: the recent list is no reason to fail
    ok = session(tmp_path / "ok.premortem")
    remember(ok)
    assert recent_files() == [tmp_path / "ok.premortem"]


# -- 3. export -o ---------------------------------------------------------------------------------------


def test_export_refuses_an_existing_output_unless_forced(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    b = session(tmp_path / "b.premortem", failures=("keep me",))
    with open(b, "rb") as handle:
        kept = handle.read()
    assert main(["export", a, "--format", "json", "-o", b]) == 1
    assert one_line(capsys.readouterr().err) == f"premortem: {b}: already exists; add --force to replace it\n"
    with open(b, "rb") as handle:
        assert handle.read() == kept
    assert main(["export", a, "--format", "json", "-o", b, "--force"]) == 0
    assert capsys.readouterr().err == f"wrote {b}\n"
    with open(b, encoding="utf-8") as handle:
        assert '"premortem-session"' in handle.read()
    assert sorted(os.listdir(tmp_path)) == ["a.premortem", "b.premortem"]


def test_export_force_never_replaces_the_session_itself(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    assert main(["export", a, "-o", a, "--force"]) == 1
    assert "is the session file itself" in one_line(capsys.readouterr().err)
    assert SessionService.open(a).load().failures[0].failure == "down"


def test_export_to_a_directory_is_one_line_and_leaves_nothing(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    out = tmp_path / "out"
    out.mkdir()
    for extra in ([], ["--force"]):
        assert main(["export", a, "-o", str(out), *extra]) == 1
        assert one_line(capsys.readouterr().err) == f"premortem: {out}: is not a regular file (a directory)\n"
    assert sorted(os.listdir(tmp_path)) == ["a.premortem", "out"]


def test_export_to_an_empty_name_is_a_usage_error(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    with pytest.raises(SystemExit) as exit_:
        main(["export", a, "-o", ""])
    assert exit_.value.code == 2
    assert "argument -o/--output: must name a file" in capsys.readouterr().err


def test_export_into_a_missing_folder_names_the_folder(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    out = tmp_path / "nowhere" / "a.md"
    assert main(["export", a, "-o", str(out)]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"premortem: {out}: the folder {tmp_path / 'nowhere'} does not exist\n")


def test_a_failed_export_leaves_no_temp_file(tmp_path, capsys, monkeypatch):
    a = session(tmp_path / "a.premortem")
    out = tmp_path / "a.md"

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["export", a, "-o", str(out)]) == 1
    assert one_line(capsys.readouterr().err) == f"premortem: {out}: cannot be written (No space left on device)\n"
    assert sorted(os.listdir(tmp_path)) == ["a.premortem"]


def test_export_touches_no_other_file_beside_out(tmp_path):
    session(tmp_path / "a.premortem")
    os.mkfifo(tmp_path / "a.md.part")  # a pipe is not waited on, and a user's file is not removed
    (tmp_path / "a.md.tmp").write_text("my draft notes")
    status, _, err = run(tmp_path, "export", "a.premortem", "-o", "a.md")
    assert status == 0 and err == "wrote a.md\n"
    assert sorted(os.listdir(tmp_path)) == ["a.md", "a.md.part", "a.md.tmp", "a.premortem"]
    assert (tmp_path / "a.md.tmp").read_text() == "my draft notes"


# -- 4. copy names DEST when DEST's folder is the problem -----------------------------------------------


@pytest.mark.parametrize("command", ["copy", "carry"])
def test_a_new_file_in_a_missing_folder_blames_it(tmp_path, capsys, command):
    a = session(tmp_path / "a.premortem")
    dest = tmp_path / "nowhere" / "c.premortem"
    assert main([command, a, str(dest)]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"premortem: {dest}: the folder {tmp_path / 'nowhere'} does not exist\n")
    assert sorted(os.listdir(tmp_path)) == ["a.premortem"]


def _deny_writes_to(monkeypatch, *paths):
    """The permission check answering 'not writable' for ``paths`` (chmod does not bind for root)."""
    real_access = os.access
    denied = {os.path.abspath(p) for p in paths}

    def access(p, mode, *args, **kwargs):
        if os.path.abspath(os.fspath(p)) in denied and mode & os.W_OK:
            return False
        return real_access(p, mode, *args, **kwargs)

    monkeypatch.setattr(check.os, "access", access)


def test_copy_into_a_folder_reported_read_only_blames_dest(tmp_path, capsys, monkeypatch):
    a = session(tmp_path / "a.premortem")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _deny_writes_to(monkeypatch, shelf)
    assert main(["copy", a, str(shelf / "c.premortem")]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"premortem: {shelf / 'c.premortem'}: the folder {shelf} cannot be written\n")
    assert os.listdir(shelf) == []


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_copy_into_a_read_only_folder_blames_dest(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    shelf.chmod(0o555)
    try:
        assert main(["copy", a, str(shelf / "c.premortem")]) == 1
        assert f"{shelf / 'c.premortem'}: the folder {shelf} cannot be written" in capsys.readouterr().err
        assert os.listdir(shelf) == []
    finally:
        shelf.chmod(0o755)


def test_a_copy_that_fails_midway_names_dest_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    a = session(tmp_path / "a.premortem")
    dest = tmp_path / "c.premortem"

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    for name in ("link", "replace", "rename"):  # however the finished copy is put in place
        monkeypatch.setattr(os, name, refuse)
    assert main(["copy", a, str(dest)]) == 1
    assert one_line(capsys.readouterr().err) == f"premortem: {dest}: cannot be written (No space left on device)\n"
    assert sorted(os.listdir(tmp_path)) == ["a.premortem"]


# -- 5. a writable file in a read-only folder opens read-only --------------------------------------------


def _session_in_shelf(tmp_path):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    return shelf, session(shelf / "s.premortem")


def _assert_opens_read_only(path, tmp_path):
    assert inspect(path, creating=False).writable is False
    with SessionService.open(path) as service:
        assert service.readonly
        with pytest.raises(SessionFileError, match="is read-only"):
            service.add_failure("API", "lost")
    model = open_model(path, clock=None)  # what the board shows: its read-only banner follows model.readonly
    assert model.readonly
    dest = str(tmp_path / "copy.premortem")
    assert main(["copy", path, dest]) == 0  # copying only reads
    assert [f.failure for f in SessionService.open(dest).load().failures] == ["down"]
    assert sorted(os.listdir(os.path.dirname(path))) == ["s.premortem"]  # no -wal or -shm was made


def test_a_file_in_a_folder_reported_read_only_opens_read_only(tmp_path, monkeypatch):
    shelf, path = _session_in_shelf(tmp_path)
    _deny_writes_to(monkeypatch, shelf)
    assert os.access(path, os.W_OK)  # the file itself says writable
    _assert_opens_read_only(path, tmp_path)


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_file_in_a_read_only_folder_opens_read_only(tmp_path):
    shelf, path = _session_in_shelf(tmp_path)
    shelf.chmod(0o555)
    try:
        _assert_opens_read_only(path, tmp_path)
    finally:
        shelf.chmod(0o755)


def test_a_new_file_in_a_folder_reported_read_only_is_refused(tmp_path, monkeypatch):
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    _deny_writes_to(monkeypatch, shelf)
    with pytest.raises(SessionFileError, match=rf"new.premortem: the folder {shelf} cannot be written$"):
        inspect(str(shelf / "new.premortem"), creating=True)


# -- 6. the board needs a terminal -----------------------------------------------------------------------


@pytest.mark.parametrize("args", [["s.premortem"], ["--new", "s.premortem"], [], ["demo", "d.premortem"]],
                         ids=["file", "new-file", "home", "demo"])
def test_the_board_without_a_terminal_is_refused(tmp_path, args):
    status, out, err = run(tmp_path, *args, timeout=20)  # stdout a pipe, stdin /dev/null
    assert status == 1 and out == ""
    assert one_line(err).startswith("premortem: the board needs a terminal; standard output is not one")
    assert os.listdir(tmp_path) == []  # neither the session nor the demo was written


def test_the_board_with_no_terminal_for_keys_is_refused(tmp_path):
    """stdout a terminal, stdin not: the board would paint, read no keys and spin until killed."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from premortem_tui.cli import main; sys.exit(main())",
             "s.premortem"], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE,
            text=True, timeout=20)
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 1
    assert one_line(done.stderr).startswith("premortem: the board needs a terminal; standard input is not one")
    assert os.listdir(tmp_path) == []


# -- 7. no terminal control character reaches the terminal ----------------------------------------------


OSC_TITLE = "\x1b]0;pwned\x07"


def test_an_error_naming_a_hostile_path_spells_the_escape_out(tmp_path, capsys):
    hostile = str(tmp_path / f"{OSC_TITLE}.premortem")
    assert main(["export", hostile]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert one_line(err) == f"premortem: {tmp_path}/\\x1b]0;pwned\\x07.premortem: no such file\n"


def test_wrote_messages_spell_the_escape_out(tmp_path, capsys):
    a = session(tmp_path / "a.premortem")
    out = str(tmp_path / "\x1b[2Jreport.md")
    assert main(["export", a, "-o", out]) == 0
    assert capsys.readouterr().err == f"wrote {tmp_path}/\\x1b[2Jreport.md\n"
    dest = str(tmp_path / "\x1b[2Jcopy.premortem")
    assert main(["copy", a, dest]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_usage_errors_spell_the_escape_out(capsys):
    with pytest.raises(SystemExit):
        main(["export", "a.premortem", OSC_TITLE])  # argparse repeats unrecognized arguments as given
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;pwned\\x07" in err


def test_reminders_spell_escapes_out(tmp_path, capsys):
    path = str(tmp_path / "r.premortem")
    with SessionService.open(path, create=True) as service:
        f = service.add_failure("API", "down")
        cm = service.add_countermeasure("placeholder", [f.id], "detect")
        service.decide(cm.id, "later", None)
        service.update_countermeasure(cm.id, remind_on=date.today().isoformat(), owner="placeholder")
    # Input refuses control characters; a file written by other means may still hold them.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE countermeasure SET text = ?, owner = ?",
                     (f"Rotate keys{OSC_TITLE}", "\x1b]52;c;cHduZWQ=\x07ops"))
        conn.execute("UPDATE session SET title = ?", ("Q3\x1b[2J",))
    conn.close()
    assert main(["reminders", path]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    (line,) = out.splitlines()
    assert "Rotate keys\\x1b]0;pwned\\x07" in line and "\\x1b]52;c;cHduZWQ=\\x07ops" in line
    assert line.endswith("Q3\\x1b[2J")


@pytest.mark.parametrize("name", ["Ann\x1b]0;x\x07", "Ann\u202e", "Ann\nBob"])
def test_an_author_with_control_characters_is_refused_at_once(tmp_path, capsys, name):
    with pytest.raises(SystemExit) as exit_:
        main([str(tmp_path / "s.premortem"), "--as", name])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--as must not contain" in err and "\x1b" not in err and "\u202e" not in err
    assert not (tmp_path / "s.premortem").exists()


@pytest.mark.parametrize("command", [["export", "{f}", "--format", "json"], ["import", "{d}/new.premortem", "{f}"]])
def test_a_column_of_the_wrong_type_is_one_line(tmp_path, capsys, command):
    path = tmp_path / "typed.premortem"
    session(path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE phase SET running_since = 'abc'")  # as another program could write it
    raw.close()
    assert main([a.format(f=path, d=tmp_path) for a in command]) == 1
    err = capsys.readouterr().err
    assert one_line(err) and "holds a value of the wrong type" in err
    assert not (tmp_path / "new.premortem").exists()
