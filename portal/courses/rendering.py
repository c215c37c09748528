"""Markdown to sanitised HTML, parsed once per distinct source text."""

import hashlib
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th",
    "thead", "tr", "ul", "del", "s",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"style"},
    "th": {"style"},
}


def make_parser():
    # Raw HTML in course files is not passed through: course files are trusted
    # less than code, and the sanitiser below is the second line.
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
        .use(front_matter_plugin)
        .enable(["table", "strikethrough", "replacements", "smartquotes"])
    )


parser = make_parser()


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def content_hash(text):
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=4096)
def _render_by_hash(digest, text, inline):
    html = parser.renderInline(text) if inline else parser.render(text)
    return sanitise(html)


def render(text, *, inline=False):
    """Render Markdown to safe HTML; the same text is only ever rendered once."""
    return _render_by_hash(content_hash(text), text, inline)


def render_tokens(tokens):
    return sanitise(parser.renderer.render(tokens, parser.options, {}))
