"""The Markdown report under hostile text: rendered by a wiki-like renderer with raw HTML on,
every user string shows as the text it is, and the screen gets the text back unchanged."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from premortem_tui.domain.model import (
    Countermeasure, Failure, Participant, RetroNote, Session, Workshop, default_phases,
)
from premortem_tui.export.markdown import escape, render_markdown, unescape

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![](http://remote/img.png)",
    "<a href='javascript:alert(1)'>go</a>",
    "<!-- hidden -->",
    "<https://evil.example/autolink>",
    "[ref]: https://evil.example",
    "# not a heading",
    "## nor this ##",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "* not a list",
    "1. not a list",
    "2) not a list",
    "---",
    "===",
    "***",
    "```",
    "~~~",
    "**not bold** _nor em_",
    "~~not struck~~",
    "`not code`",
    "a | b | c",
    "&lt;b&gt; &amp; &#35;",
    "<br>",
    "$x^2$ and {{macro}}",
    "[ ] not a task",
    "trailing backslash\\",
]
# Our own markup: the title's heading, sections, the coverage's bold failure, **Date:**.
OUR_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "br"}


class _Html(HTMLParser):
    """The tags and the text of rendered HTML (entities decoded, as a browser shows them)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self.tables: list[list[int]] = []  # per table, the cells of each row
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("th", "td"):
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag):
        if tag.startswith("h") and tag[1:].isdigit() and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_comment(self, data):
        self.tags.append(("!--", {}))

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _render(markdown: str) -> _Html:
    """CommonMark with GitHub's tables and strikethrough, raw HTML passed through. Not the
    bare-URL linker: markdown-it's runs before entities are decoded and links "x&gt" (GitHub's
    does not), which would only test that quirk."""
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _Html(renderer.render(markdown))


def _hostile_workshop(text: str) -> Workshop:
    """Every user string of a session set to ``text`` (and ``text`` after a first line)."""
    multi = f"first line\n{text}"
    session = Session(title=text, date=text, context=multi, previous_context=text, purpose=text,
                      ground_rules=multi, current_phase="impact")
    failure = Failure(text, multi, period=text, timing=text, author=text, notes=multi, impact=5, likelihood=5)
    cms = [Countermeasure(text, [failure.id], owner=text, decision_note=multi, revisit_when=text,
                          decision=decision, remind_on="2026-04-01", author=text)
           for decision in ("now", "later")]
    return Workshop(session=session, phases=default_phases(), participants=[Participant(text, "pm")],
                    failures=[failure], countermeasures=cms,
                    retro=[RetroNote(kind, text, text) for kind in ("keep", "problem", "try")])


@pytest.mark.parametrize("text", HOSTILE)
def test_a_wiki_shows_hostile_text_as_text(text):
    report = render_markdown(_hostile_workshop(text), NOW)
    rendered = _render(report)
    tags = {tag for tag, _ in rendered.tags}
    assert tags <= OUR_TAGS, tags - OUR_TAGS  # no script, img, a, comment, code, quote, list, rule
    assert rendered.headings[0] == text.strip()
    assert rendered.headings[1:] == _render(render_markdown(_hostile_workshop("plain"), NOW)).headings[1:]
    shown = "".join(rendered.text)
    assert shown.count(text.strip()) >= 20  # every field: title, context, cells, list items...
    assert rendered.tables and all(len(set(rows)) == 1 for rows in rendered.tables)  # no "|" added a cell


def test_the_source_stays_readable():
    assert escape("請求書を1件も発行できない, 3.5 hours (about)") == "請求書を1件も発行できない, 3.5 hours (about)"
    assert escape("Timeouts & 502s") == "Timeouts &amp; 502s"
    assert escape("# 1. a") == "\\# 1. a" and escape("1. a") == "1\\. a"
    assert escape("- a") == "\\- a" and escape("- a", line_start=False) == "- a"


def test_control_characters_are_spelt_out():
    assert escape("x\x1b]0;pwned\x07y\u202e") == "x\\\\x1b\\]0;pwned\\\\x07y\\\\u202e"
    assert unescape(escape("x\x1b]0;pwned\x07")) == "x\\x1b]0;pwned\\x07"


@pytest.mark.parametrize("text", HOSTILE + ["", "plain", "a\\|b", "\\\\|", "&amp;lt;", "<br>x<br>", "12) 3. 4"])
def test_unescape_undoes_escape(text):
    assert unescape(escape(text)) == text
    assert unescape(escape(text, line_start=False)) == text


def test_unescape_undoes_escape_for_any_punctuation_mix():
    rng = random.Random(10)
    alphabet = "ab1. \\`*_[]()#+-!|{}~<>&\"';:=$/請"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        assert unescape(escape(text)) == text, text


def test_unescape_turns_the_reports_line_breaks_into_the_given_one():
    assert unescape("a<br>\\# b&lt;br&gt;", line_break=" / ") == "a / # b<br>"
