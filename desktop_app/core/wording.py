"""Counted nouns in messages: "1 image", "2 images" (a status bar reading "1 images"
looks broken to the people reading it)."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` with ``noun`` agreeing with it, thousands separated; ``nouns`` is the
    plural when it is not ``noun + "s"``."""
    word = noun if count == 1 else (nouns or noun + "s")
    return f"{count:,} {word}"
