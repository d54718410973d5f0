"""The ``premortem`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from typing import Callable, Sequence

from . import __version__
from .domain.plaintext import visible
from .i18n import _

COMMANDS = ("demo", "export", "import", "carry", "copy", "reminders")
FORMATS = ("md", "json", "csv", "ics")


class CommandError(Exception):
    """A one-line error for stderr, exit status 1."""


def _say(text: str, *, err: bool = False) -> None:
    """Print one line; a path or card text cannot drive the terminal (escapes are spelled out)."""
    print(visible(text, multiline=False), file=sys.stderr if err else sys.stdout)


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file=None) -> None:
        # Usage errors repeat the arguments given, which may be hostile file names.
        super()._print_message(visible(message), file)


def _file_name(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError(_("must name a file, not be empty"))
    return text


def _check_output(out: str, session: str, *, force: bool) -> None:
    """Before anything is written, refuse an OUT that exists (unless forced; never the session itself),
    that is anything but a file, or whose folder cannot take it."""
    from .store.check import folder_problem, regular_file

    if os.path.lexists(out):
        info = regular_file(out)  # a folder, a pipe or a loop is never replaced
        if info is not None and os.path.samefile(out, session):
            raise CommandError(_("{out}: is the session file itself; choose another output").format(out=out))
        if not force:
            raise CommandError(_("{out}: already exists; add --force to replace it").format(out=out))
    problem = folder_problem(out)
    if problem:
        raise CommandError(_("{out}: {problem}").format(out=out, problem=problem))


def _write_output(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    from .store.atomic import remove_temp, temp_beside

    # Written under a hidden temp name beside OUT and renamed when complete: OUT is never left
    # half-written, and no file of the user's (say OUT.part) is touched.
    tmp = None
    try:
        tmp = temp_beside(out)
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        raise CommandError(_("{out}: cannot be written ({strerror})").format(
            out=out, strerror=exc.strerror)) from None
    finally:
        if tmp is not None:
            remove_temp(tmp)
    _say(_("wrote {path}").format(path=out), err=True)


def render(workshop, fmt: str, now: datetime, removed=()) -> str:
    """The export of ``workshop`` in ``fmt``; ``removed``: its deleted carried cards (Markdown shows them)."""
    if fmt == "json":
        from .export.json_format import dumps

        return dumps(workshop, now)
    if fmt == "csv":
        from .export.csv_format import render_csv

        return render_csv(workshop)
    if fmt == "ics":
        from .export.ics import NoDatedReminders, render_ics

        try:
            return render_ics(workshop, now)
        except NoDatedReminders as exc:
            raise CommandError(str(exc)) from None
    from .export.markdown import render_markdown

    return render_markdown(workshop, now, removed=removed)


def cmd_export(args: argparse.Namespace) -> int:
    from .store.reader import read_file_with_removed

    workshop, removed = read_file_with_removed(args.file)
    if args.no_authors:
        workshop = workshop.without_authors()
    if args.output is not None:
        _check_output(args.output, args.file, force=args.force)
    _write_output(render(workshop, args.format, _clock().now(), removed), args.output)
    return 0


def cmd_carry(args: argparse.Namespace) -> int:
    from .store.handoff import carry_file

    with _Progress() as progress:
        progress.show(_("carrying {file} into {path}").format(file=args.file, path=args.new))
        carry_file(args.file, args.new, args.title, clock=_clock(),
                   progress=progress.cards(_("carrying {file}").format(file=args.file)))
    _say(_("carried {file} into {path}").format(file=args.file, path=args.new))
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from .store.check import inspect
    from .store.handoff import refuse_existing
    from .store.service import SessionService

    refuse_existing(args.dest)
    inspect(args.file, creating=False)  # refuse a missing or empty FILE instead of creating it
    with SessionService.open(args.file) as service:
        service.copy_to(args.dest)
    _say(_("wrote a copy of {file} to {path}").format(file=args.file, path=args.dest))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .store.check import inspect
    from .store.sources import load_source

    state = inspect(args.file, creating=True)  # refuse a bad FILE before reading sources
    with _Progress() as progress:
        loaded = []
        for source in args.sources:  # every source is checked before anything is written
            progress.show(_("reading {source}").format(source=source))
            workshop, warnings = load_source(source)
            for warning in warnings:
                progress.say(_("warning: {text}").format(text=warning))
            loaded.append((source, workshop))

        from .store.service import SessionService, create_session_file

        def write(service: SessionService, source: str, workshop, whole_session: bool = False):
            return service.import_workshop(workshop, whole_session=whole_session, progress=progress.cards(
                _("importing {source}").format(source=source)))

        clock = _clock()
        plans: list = []

        def build(service: SessionService) -> None:
            # A new FILE takes the first source's whole session, and appears only when all is in.
            plans.extend(write(service, s, w, whole_session=(n == 0)) for n, (s, w) in enumerate(loaded))

        if state.exists or not create_session_file(args.file, build, clock=clock):
            # an existing FILE, or one another process created meanwhile: add to it as to any session
            with SessionService.open(args.file, clock=clock) as service:
                plans = [write(service, source, workshop) for source, workshop in loaded]
    for (source, _workshop), plan in zip(loaded, plans):
        _say(_("{source}: added {f} failures, {c} countermeasures, {r} retro notes, {p} participants; "
                "{s} already there").format(source=source, f=len(plan.failures), c=len(plan.countermeasures),
                                             r=len(plan.retro), p=len(plan.participants), s=plan.skipped))
    return 0


class _Progress:
    """One status line on stderr for a command that runs over ``AFTER`` seconds, rewritten in
    place and ended with a newline; only when stderr is a terminal, so that what scripts read
    is unchanged. A thread draws it, so it shows while a big source is read (which reports nothing)."""

    AFTER = 1.0  # seconds before the line first shows
    EVERY = 0.1  # seconds between redraws

    def __init__(self) -> None:
        import threading
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._text = self._shown = ""
        self._thread = threading.Thread(target=self._run, daemon=True) if sys.stderr.isatty() else None

    def __enter__(self) -> "_Progress":
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        with self._lock:
            if self._clock() - self._start >= self.AFTER:
                self._draw()  # the last figure, e.g. "10,000 of 10,000 cards"
            if self._shown:
                sys.stderr.write("\n")
                sys.stderr.flush()

    def show(self, text: str) -> None:
        with self._lock:
            self._text = visible(text, multiline=False)

    def cards(self, what: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` for the service: "WHAT: 5,000 of 10,000 cards"."""
        return lambda done, total: self.show(
            _("{what}: {done} of {total} cards").format(what=what, done=f"{done:,}", total=f"{total:,}"))

    def say(self, text: str) -> None:
        """Print a line of its own on stderr (clearing the status line first, which comes back)."""
        with self._lock:
            if self._shown:
                sys.stderr.write("\r\x1b[K")
                self._shown = ""
            _say(text, err=True)

    def _run(self) -> None:
        if self._stop.wait(self.AFTER):
            return
        while not self._stop.is_set():
            with self._lock:
                self._draw()
            self._stop.wait(self.EVERY)

    def _draw(self) -> None:
        if self._text and self._text != self._shown:
            sys.stderr.write(f"\r{self._text}\x1b[K")  # over the last line, erasing what it left
            sys.stderr.flush()
            self._shown = self._text


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _reminder_rows(reminders) -> list[str]:
    """One aligned line per reminder: date, condition, text, owner, session title.

    The date is marked DUE or OVERDUE when it has come; the condition is
    "when: ..." (the countermeasure's revisit condition). Either one may be
    missing ("-"), never both. A long value overflows its column instead of
    widening every line.
    """
    rows = []
    for r in reminders:
        if r.overdue:
            marker = _("OVERDUE {date}").format(date=r.remind_on.isoformat())
        elif r.due:
            marker = _("DUE {date}").format(date=r.remind_on.isoformat())
        elif r.remind_on is not None:
            marker = r.remind_on.isoformat()
        else:
            marker = "-"
        when = _("when: {condition}").format(condition=r.condition) if r.condition else "-"
        # Spelled out before the widths are measured, so a row with escapes stays aligned.
        rows.append([" ".join(visible(value).split())
                     for value in (marker, when, r.text, r.owner or "-", r.session_title)])
    if not rows:
        return []
    caps = (18, 60, 72, 20)
    widths = [min(cap, max(_display_width(row[n]) for row in rows)) for n, cap in enumerate(caps)]
    return ["  ".join([*(v + " " * max(0, w - _display_width(v)) for v, w in zip(row, widths)), row[-1]])
            for row in rows]


def cmd_reminders(args: argparse.Namespace) -> int:
    from .domain.reminders import collect
    from .store.fileformat import SessionFileError
    from .store.locations import store_sessions
    from .store.reader import read_file

    paths = list(dict.fromkeys(args.files)) if args.files else [str(p) for p in store_sessions()]
    sessions = []
    for path in paths:
        try:
            sessions.append((path, read_file(path)))
        except SessionFileError as exc:
            _say(_("warning: {text}").format(text=exc), err=True)
    reminders = collect(sessions, _clock().today())
    if args.due:
        reminders = [r for r in reminders if r.due]
    if not reminders:
        _say(_("no reminders"))
        return 0
    for line in _reminder_rows(reminders):
        _say(line)
    return 0


def _run_app(model, clock, author: str, **options) -> int:
    from .ui.app import PremortemApp

    app = PremortemApp(model, clock=clock, author=author, **options)
    app.run()
    if app.error:
        _say(f"premortem: {app.error}", err=True)
    return app.return_code or 0


def _clock(speed: float = 1.0):
    """The one clock a command reads the time and the day from (tests put their own here)."""
    from .domain.timer import SystemClock

    if speed <= 0:
        raise CommandError(_("--speed must be a positive number"))
    return SystemClock(speed=speed)


def _author(value: str) -> str:
    """``--as NAME`` is checked like any participant name: refused at once, not at the first card."""
    from .domain.validate import ValidationError, text

    try:
        return text("--as", value)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _need_terminal() -> None:
    """Refuse to start the board without a terminal on both ends.

    Without one it reads no keys and keeps a processor busy until killed.
    Checked before anything is written, so a refused ``demo`` leaves no file.
    """
    for name, stream in (("output", sys.stdout), ("input", sys.stdin)):
        if stream is None or not stream.isatty():
            raise CommandError(_("the board needs a terminal; standard {stream} is not one "
                                 "(to write a session as text, use premortem export)").format(stream=name))


def cmd_open(args: argparse.Namespace) -> int:
    _need_terminal()
    clock = _clock(args.speed)
    if args.file is None:
        return _run_app(None, clock, args.author)
    from .ui.launch import missing_session, open_model

    rehearsal = args.rehearsal
    if not args.new and missing_session(args.file):
        # A mistyped name must not become a session: the app asks first, and cancel exits with 1.
        return _run_app(None, clock, args.author, create=args.file, rehearsal=rehearsal)
    model = open_model(args.file, clock=clock, author=args.author, rehearsal=rehearsal)
    return _run_app(model, clock, args.author)


def cmd_demo(args: argparse.Namespace) -> int:
    from .store.locations import new_store_path
    from .ui.launch import open_model, write_demo

    _need_terminal()
    clock = _clock(args.speed)  # a refused --speed writes no demo
    path = args.file or str(new_store_path("demo"))
    write_demo(path, clock)
    _say(_("wrote the demo workshop to {path}").format(path=path), err=True)
    return _run_app(open_model(path, clock=clock, author=args.author, rehearsal=args.rehearsal),
                    clock, args.author)


def _open_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="author", default="", metavar="NAME", type=_author,
                   help=_("author of the cards you add"))
    p.add_argument("--speed", type=float, default=1.0, metavar="N",
                   help=_("run the clock N times faster (to rehearse a workshop in minutes)"))
    p.add_argument("--rehearsal", action="store_true",
                   help=_("mark the session a rehearsal (S on the board changes it later)"))


def _parser_for(command: str | None) -> argparse.ArgumentParser:
    prog = "premortem" if command is None else f"premortem {command}"
    if command is None:
        p = _Parser(
            prog=prog, description=_("Run a pre-mortem workshop in the terminal."),
            epilog=_("commands: demo, export, import, carry, copy, reminders (premortem COMMAND --help). "
                     "A file named like a command opens as ./NAME."))
        p.add_argument("--version", action="version", version=f"premortem-tui {__version__}")
        p.add_argument("file", nargs="?", help=_("the session file to open (if absent, the board asks "
                                                  "before creating it); without it, the list of sessions"))
        p.add_argument("--new", action="store_true",
                       help=_("create FILE without asking if it does not exist"))
        _open_options(p)
        p.set_defaults(run=cmd_open)
        return p
    if command == "demo":
        p = _Parser(prog=prog, description=_("Write the demo workshop and open it."))
        p.add_argument("file", nargs="?", help=_("where to write it (refused if it exists); "
                                                  "default: a new file in the store"))
        _open_options(p)
        p.set_defaults(run=cmd_demo)
    elif command == "export":
        p = _Parser(prog=prog, description=_(
            "Write a session as Markdown, JSON or CSV, or its dated reminders as an iCalendar file (ics)."))
        p.add_argument("file", help=_("the session file"))
        p.add_argument("--format", choices=FORMATS, default="md", help=_("output format (default: md)"))
        p.add_argument("-o", "--output", type=_file_name, metavar="OUT",
                       help=_("write to this file instead of standard output (refused if it exists)"))
        p.add_argument("--force", action="store_true", help=_("replace OUT if it exists"))
        p.add_argument("--no-authors", action="store_true",
                       help=_("leave out who wrote each card (blameless: for sharing beyond the room)"))
        p.set_defaults(run=cmd_export)
    elif command == "import":
        p = _Parser(
            prog=prog, description=_("Add the cards of JSON exports or session files to FILE "
                                     "(created if absent). Only adds: nothing in FILE changes."))
        p.add_argument("file", help=_("the session file to add to"))
        p.add_argument("sources", nargs="+", metavar="SOURCE", help=_("JSON exports or .premortem files"))
        p.set_defaults(run=cmd_import)
    elif command == "carry":
        p = _Parser(
            prog=prog, description=_("Start the next meeting from FILE: a new session NEW with the "
                                     "participants, every failure and countermeasure (remembering where "
                                     "it came from), decisions, reminders and done flags; timers reset, "
                                     "retrospective notes left behind. FILE is never changed."))
        p.add_argument("file", metavar="FILE", help=_("the session to carry from"))
        p.add_argument("new", metavar="NEW", help=_("the new session file (refused if it exists)"))
        p.add_argument("--title", metavar="T", help=_("title of the new session (default: \"<title> (next)\")"))
        p.set_defaults(run=cmd_carry)
    elif command == "copy":
        p = _Parser(
            prog=prog, description=_("Write a self-contained copy of FILE for hand-off "
                                     "(safe while FILE is open elsewhere)."))
        p.add_argument("file", metavar="FILE", help=_("the session file"))
        p.add_argument("dest", metavar="DEST", help=_("where to write the copy (refused if it exists)"))
        p.set_defaults(run=cmd_copy)
    elif command == "reminders":
        p = _Parser(
            prog=prog, description=_("List the countermeasures decided 'later' that have a condition or a "
                                     "reminder date: due ones first. A countermeasure carried into a newer "
                                     "session is listed once, from the newest. Files that cannot be read "
                                     "are skipped with a warning."))
        p.add_argument("files", nargs="*", metavar="FILE",
                       help=_("session files (default: every session of the store)"))
        p.add_argument("--due", action="store_true", help=_("only the reminders whose date has come"))
        p.set_defaults(run=cmd_reminders)
    else:
        raise AssertionError(command)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = args_list[0] if args_list and args_list[0] in COMMANDS else None
    parser = _parser_for(command)
    args = parser.parse_args(args_list[1:] if command else args_list)
    from .domain.validate import ValidationError
    from .store.fileformat import SessionFileError

    if command is None and args.new and args.file is None:
        parser.error(_("--new needs a FILE to create"))
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        return run(args)
    except (CommandError, SessionFileError, ValidationError) as exc:
        _say(f"premortem: {exc}", err=True)
        return 1
    except OSError as exc:
        _say(f"premortem: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return 1
    except Exception as exc:
        # The database may refuse (locked for too long, disk full): one line, never a traceback.
        if type(exc).__module__.split(".")[0] in ("sqlite3", "sqlalchemy"):
            _say(f"premortem: {getattr(args, 'file', '')}: {str(exc).splitlines()[0]}", err=True)
            return 1
        raise
    except KeyboardInterrupt:
        _say(_("premortem: interrupted"), err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
