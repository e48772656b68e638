"""Colour words every generator understands, so "red" means one red across the product."""
from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

NAMED_COLOURS: dict[str, str] = {
    "red": "#c0302e", "crimson": "#9b1b30", "scarlet": "#d0281e", "maroon": "#6d2025", "ruby": "#b0182e",
    "orange": "#e07828", "amber": "#e09a2b", "yellow": "#e8c83a", "gold": "#d8b040", "golden": "#d8b040",
    "green": "#3f9a3a", "olive": "#6b6b2e", "lime": "#8dd03f", "emerald": "#2f9f5b", "teal": "#2e8a86",
    "turquoise": "#3ab8a8", "cyan": "#48c0d8", "blue": "#2f5fb8", "azure": "#3f8fd8", "navy": "#1f2d6a",
    "sapphire": "#2a4fb0", "purple": "#7a3da8", "violet": "#8d4fd0", "magenta": "#c0338f",
    "pink": "#e07aa8", "brown": "#7a5030", "tan": "#b59569", "beige": "#cfbf9a", "cream": "#e8dcc0",
    "ivory": "#ece6d2", "white": "#eeeee8", "black": "#2a2a30", "grey": "#808088", "gray": "#808088",
    "silver": "#c0c4cc", "copper": "#b86a3b", "bronze": "#9c7a3a", "charcoal": "#3a3c40",
    "indigo": "#3a2f8a", "lavender": "#a890d8",
}
