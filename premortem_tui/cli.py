"""The ``premortem`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from typing import Callable, Sequence

from . import __version__
from .i18n import _

COMMANDS = ("demo", "export", "import", "carry", "copy", "reminders")
FORMATS = ("md", "json", "csv")


class CommandError(Exception):
    """A one-line error for stderr, exit status 1."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _write_output(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    tmp = out + ".part"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        raise CommandError(f"{out}: cannot be written ({exc.strerror})") from None
    print(_("wrote {path}").format(path=out), file=sys.stderr)


def render(workshop, fmt: str, now: datetime) -> str:
    """The export of ``workshop`` in ``fmt``."""
    if fmt == "json":
        from .export.json_format import dumps

        return dumps(workshop, now)
    if fmt == "csv":
        from .export.csv_format import render_csv

        return render_csv(workshop)
    from .export.markdown import render_markdown

    return render_markdown(workshop, now)


def cmd_export(args: argparse.Namespace) -> int:
    from .store.reader import read_file

    workshop = read_file(args.file)
    _write_output(render(workshop, args.format, _now()), args.output)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .store.check import inspect
    from .store.sources import load_source

    state = inspect(args.file, creating=True)  # refuse a bad FILE before reading sources
    loaded = []
    for source in args.sources:  # every source is checked before anything is written
        workshop, warnings = load_source(source)
        for warning in warnings:
            print(_("warning: {text}").format(text=warning), file=sys.stderr)
        loaded.append((source, workshop))

    from .store.service import SessionService

    with SessionService.open(args.file, create=True) as service:
        for n, (source, workshop) in enumerate(loaded):
            plan = service.import_workshop(workshop, whole_session=(n == 0 and not state.exists))
            print(_("{source}: added {f} failures, {c} countermeasures, {r} retro notes, {p} participants; "
                    "{s} already there").format(source=source, f=len(plan.failures), c=len(plan.countermeasures),
                                                 r=len(plan.retro), p=len(plan.participants), s=plan.skipped))
    return 0


def _parser_for(command: str | None) -> argparse.ArgumentParser:
    prog = "premortem" if command is None else f"premortem {command}"
    if command is None:
        p = argparse.ArgumentParser(
            prog=prog, description=_("Run a pre-mortem workshop in the terminal."),
            epilog=_("commands: export, import (premortem COMMAND --help). "
                     "A file named like a command opens as ./NAME."))
        p.add_argument("--version", action="version", version=f"premortem-tui {__version__}")
        p.add_argument("file", nargs="?", help=_("the session file to open"))
        return p
    if command == "export":
        p = argparse.ArgumentParser(prog=prog, description=_("Write a session as Markdown, JSON or CSV."))
        p.add_argument("file", help=_("the session file"))
        p.add_argument("--format", choices=FORMATS, default="md", help=_("output format (default: md)"))
        p.add_argument("-o", "--output", help=_("write to this file instead of standard output"))
        p.set_defaults(run=cmd_export)
    elif command == "import":
        p = argparse.ArgumentParser(
            prog=prog, description=_("Add the cards of JSON exports or session files to FILE "
                                     "(created if absent). Only adds: nothing in FILE changes."))
        p.add_argument("file", help=_("the session file to add to"))
        p.add_argument("sources", nargs="+", metavar="SOURCE", help=_("JSON exports or .premortem files"))
        p.set_defaults(run=cmd_import)
    else:
        raise SystemExit(2)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = args_list[0] if args_list and args_list[0] in COMMANDS else None
    parser = _parser_for(command)
    args = parser.parse_args(args_list[1:] if command else args_list)
    from .domain.validate import ValidationError
    from .store.fileformat import SessionFileError

    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        return run(args)
    except (CommandError, SessionFileError, ValidationError) as exc:
        print(f"premortem: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("premortem: interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
