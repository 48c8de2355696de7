"""Words as residents type them: cleaning a query, folding accents, marking matches.

Nothing here uses a regular expression built from what the reader typed: a query's words are
compared with a text's words one by one, so no query can make matching slow (the class of
"catastrophic backtracking" bugs search highlighters are known for).
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: The longest query looked for; a longer one is cut, and the reader is told.
MAX_QUERY_LENGTH = 200
#: At most this many words of a query are highlighted, each at most this long.
MAX_HIGHLIGHT_TERMS = 10
MAX_TERM_LENGTH = 50
#: How much of a text an excerpt shows around the first match, and how much of it is read.
EXCERPT_LENGTH = 220
MAX_TEXT_SCANNED = 5000

# A run of letters or digits (any script): a word. Linear, whatever the input.
WORD = re.compile(r"\w+")


def clean_query(raw):
    """The words to look for, safe for every database, and whether the query had to be cut.

    The text is put in composed form (a letter typed as "u" plus a combining accent is "ú").
    Control, format (such as right-to-left marks), unassigned and surrogate characters become
    spaces (PostgreSQL refuses NUL), and so do double quotes: plain-text search gives them no
    meaning, and modelsearch's SQLite backend passes them unescaped to FTS5, which fails
    (wagtail/wagtail#13227). Runs of spaces collapse, and the length is capped like the box's.
    """
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(" " if char == '"' or unicodedata.category(char)[0] == "C" else char for char in text)
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def fold(text):
    """``text`` without accents or other marks on letters: "Vías públicas" → "Vias publicas".

    ñ becomes n and ü u, as residents typing on a phone without them write.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


@lru_cache(maxsize=50_000)
def comparable(text):
    """``text`` folded and in lower case, for comparing names as a resident would.

    Remembered: the same place names and words come back in every search, and folding them
    again each time was most of the cost of naming places and marking words in a large city.
    """
    return " ".join(fold(text).casefold().split())


def highlight_terms(query):
    """The distinct words of ``query`` worth marking in results, compared folded and in lower case."""
    terms = []
    for match in WORD.finditer(comparable(query)):
        term = match.group()[:MAX_TERM_LENGTH]
        if len(term) > 1 and term not in terms:
            terms.append(term)
        if len(terms) == MAX_HIGHLIGHT_TERMS:
            break
    return terms


def word_matches(word, term):
    """Whether a text's word (folded, lower case) is a form of a query's word.

    Full-text search finds other forms of a word ("calle" finds "calles", "canalización"
    finds "canalizaciones"), so a word matches a term when they share a long enough beginning:
    the whole of the shorter one, or all of the term but its last three letters.
    """
    if word.startswith(term) or (len(word) >= 4 and term.startswith(word)):
        return True
    shared = 0
    for a, b in zip(word, term, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= max(4, len(term) - 3)


def _matching_spans(text, terms):
    """The (start, end) of each word of ``text`` that matches one of ``terms``, as found.

    A word matching a term begins with the term's first letter, so only words beginning with
    one of those are compared (most words of a text are not).
    """
    initials = {term[0] for term in terms}
    for match in WORD.finditer(text):
        word = comparable(match.group())
        if word[:1] in initials and any(word_matches(word, term) for term in terms):
            yield match.span()


def _matches(text, terms):
    return list(_matching_spans(text, terms))


def _first_match(text, terms):
    """The (start, end) of the first word of ``text`` that matches one of ``terms``, or None."""
    return next(_matching_spans(text, terms), None) if terms else None


def has_match(text, terms):
    """Whether a word of ``text`` (its first part, as excerpts read it) matches one of ``terms``."""
    return _first_match((text or "")[:MAX_TEXT_SCANNED], terms) is not None


def _marked(text, spans):
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


def highlight(text, terms):
    """``text`` as safe HTML, escaped, with the words matching ``terms`` in ``<mark>``."""
    text = text or ""
    return _marked(text, _matches(text, terms) if terms else [])


def excerpt(text, terms, length=EXCERPT_LENGTH):
    """A piece of ``text`` about ``length`` long around its first match, highlighted (safe HTML).

    Without a match, the text's beginning. Cut at spaces, with "…" where text is left out.
    """
    text = " ".join((text or "")[:MAX_TEXT_SCANNED].split())
    if not text:
        return ""
    first = _first_match(text, terms)
    start = 0
    if first and first[1] > length:
        start = max(0, first[0] - length // 3)
        start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    # Only the words shown are compared: the rest of a long text is never read.
    shown = text[start:end]
    body = _marked(shown, _matches(shown, terms) if terms else [])
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))  # noqa: S308
