"""Does user text reach the page as the literal text? Render Markdown as the browser would.

markdown-it-py is CommonMark plus GitHub's tables and strike-through, as Streamlit's renderer has.
GitHub's autolinks (bare `www.`, `http://`, e-mail addresses) it does not implement; Streamlit's
renderer finds them (and `:material/icon:`) in the text after escapes are resolved, so they are
checked on that text: `md()` must leave no `www.`, `://`, `:material/` or `@` followed by a name
in it. tests/e2e/test_markdown_injection.py confirms it in Chromium.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Tags that only Markdown syntax (or raw HTML) in the text itself could have produced.
_MARKUP = re.compile(r"<(h[1-6]|a|img|ul|ol|li|blockquote|table|pre|code|script|del|em|hr)\b")
_AUTOLINK_START = re.compile(r"(?i)(www\.|://|@[\w-]|:material/)")
_ESCAPE = re.compile(r"\\(.)")
WORD_JOINER = "\u2060"


def render(source: str) -> str:
    return _RENDERER.render(source)


def literal(text: str) -> str:
    """What the reader must see: the text on one line (line breaks become spaces)."""
    return _LINE_BREAKS.sub(" ", text).strip()


def assert_inert(source: str, text: str, allowed: tuple[str, ...] = ()) -> None:
    """`source` (a page's Markdown) shows `text` literally, with no markup coming from it."""
    assert not _LINE_BREAKS.search(source), source
    rendered = render(source)
    tags = {tag for tag in _MARKUP.findall(rendered) if tag not in allowed}
    assert not tags, (tags, rendered)
    seen = rendered.replace("&quot;", '"').replace(WORD_JOINER, "")
    assert html.escape(literal(text), quote=False) in seen, rendered
    assert not _AUTOLINK_START.search(_ESCAPE.sub(r"\1", source)), source
