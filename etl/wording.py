"""How counts read in messages: "1 file", "2 files", never "1 files"."""

from __future__ import annotations

# English plurals that are not the word plus "s".
_IRREGULAR = {"entry": "entries", "was": "were", "this": "these", "is": "are"}


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and ``word`` in the number that fits: plural(1, "file") == "1 file"."""
    return f"{n} {word if n == 1 else (words or _IRREGULAR.get(word) or word + 's')}"
