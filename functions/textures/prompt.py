"""Reading a texture prompt: one material family, colours, modifiers; every word accounted for."""
from __future__ import annotations

import re
from typing import Any

from functions.common.colours import NAMED_COLOURS

FAMILIES: tuple[str, ...] = (
    "stone", "cobblestone", "brick", "planks", "bark", "grass", "dirt", "sand", "gravel", "water",
    "lava", "ice", "snow", "metal_plate", "rusted_metal", "marble", "moss", "ceramic_tiles", "fabric",
    "leather", "concrete", "crystal",
)
DEFAULT_FAMILY = "stone"

FAMILY_WORDS: dict[str, str] = {
    **dict.fromkeys(("stone", "rock", "rocky", "stony", "granite", "slate", "cliff", "boulder", "basalt",
                     "sandstone", "limestone"), "stone"),
    **dict.fromkeys(("cobblestone", "cobble", "cobbled", "cobblestoned", "paving", "pavement", "flagstone",
                     "street", "road"), "cobblestone"),
    **dict.fromkeys(("brick", "brickwork", "masonry"), "brick"),
    **dict.fromkeys(("planks", "plank", "wood", "wooden", "board", "floorboard", "timber", "parquet",
                     "lumber", "hardwood", "oak", "pine", "walnut", "deck", "decking"), "planks"),
    **dict.fromkeys(("bark", "tree", "trunk", "log"), "bark"),
    **dict.fromkeys(("grass", "grassy", "lawn", "turf", "meadow", "field"), "grass"),
    **dict.fromkeys(("dirt", "soil", "earth", "ground", "mud", "clay"), "dirt"),
    **dict.fromkeys(("sand", "sandy", "beach", "desert", "dune"), "sand"),
    **dict.fromkeys(("gravel", "pebble", "pebbles", "shingle", "rubble"), "gravel"),
    **dict.fromkeys(("water", "ocean", "sea", "lake", "pond", "river", "wave", "puddle"), "water"),
    **dict.fromkeys(("lava", "magma", "molten", "volcanic"), "lava"),
    **dict.fromkeys(("ice", "icy", "glacier", "frozen"), "ice"),
    **dict.fromkeys(("snow", "snowfield", "powder"), "snow"),
    **dict.fromkeys(("metal", "steel", "iron", "metallic", "plate", "panel", "aluminium", "aluminum",
                     "chrome", "sheet", "hull"), "metal_plate"),
    **dict.fromkeys(("rust", "rusted", "rusty", "corroded", "corrosion"), "rusted_metal"),
    **dict.fromkeys(("marble", "marbled"), "marble"),
    **dict.fromkeys(("moss", "lichen"), "moss"),
    **dict.fromkeys(("tile", "tiled", "ceramic", "porcelain", "bathroom", "kitchen", "mosaic"),
                    "ceramic_tiles"),
    **dict.fromkeys(("fabric", "cloth", "cotton", "linen", "wool", "woven", "canvas", "textile", "denim",
                     "burlap", "carpet"), "fabric"),
    **dict.fromkeys(("leather", "hide", "suede"), "leather"),
    **dict.fromkeys(("concrete", "cement", "plaster", "stucco", "asphalt", "tarmac"), "concrete"),
    **dict.fromkeys(("crystal", "crystals", "crystalline", "gem", "gemstone", "quartz", "amethyst",
                     "diamond"), "crystal"),
}
# A family word that is not the main subject still says something: "snow-covered bricks" are snowy bricks.
FAMILY_AS_MODIFIER = {"moss": "mossy", "snow": "snowy", "grass": "mossy", "dirt": "dirty", "ice": "snowy"}

COLOURS: dict[str, str] = NAMED_COLOURS

MODIFIER_WORDS: dict[str, str] = {
    **dict.fromkeys(("mossy", "overgrown", "lichen-covered"), "mossy"),
    **dict.fromkeys(("cracked", "cracks", "crack", "broken", "damaged", "shattered", "fractured"), "cracked"),
    **dict.fromkeys(("wet", "damp", "rainy", "soaked", "puddled"), "wet"),
    **dict.fromkeys(("worn", "old", "aged", "weathered", "ancient", "used", "eroded", "battered"), "worn"),
    **dict.fromkeys(("dirty", "grimy", "muddy", "dusty", "filthy", "stained", "grungy"), "dirty"),
    **dict.fromkeys(("polished", "shiny", "glossy", "smooth", "lacquered", "varnished", "glazed"),
                    "polished"),
    **dict.fromkeys(("rough", "coarse", "rugged", "bumpy", "jagged"), "rough"),
    **dict.fromkeys(("dark", "darker", "deep", "dim", "shadowy"), "dark"),
    **dict.fromkeys(("light", "lighter", "pale", "bleached", "faded"), "light"),
    **dict.fromkeys(("snowy", "frosty", "frosted", "snowcovered"), "snowy"),
    **dict.fromkeys(("burnt", "burned", "charred", "scorched", "sooty"), "burnt"),
    **dict.fromkeys(("painted", "paint"), "painted"),
}
MODIFIERS: tuple[str, ...] = (
    "cracked", "worn", "rough", "polished", "painted", "dark", "light", "burnt", "dirty", "mossy", "snowy",
    "wet",
)

_HEX = re.compile(r"^#[0-9a-f]{6}$")


def _lookup(word: str, table: dict[str, str]) -> str | None:
    if word in table:
        return table[word]
    # Plurals: "bricks", "planks", "tiles", "waves" - but never strip a single letter off a short word.
    for suffix in ("es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and word[: -len(suffix)] in table:
            return table[word[: -len(suffix)]]
    return None


def interpret_texture_prompt(prompt: str) -> dict[str, Any]:
    """Turn free text into a family, colours and modifiers; every word is listed as used or ignored.

    Words the vocabulary does not know (including "a", "with", "wall") are listed as ignored.

    The family is the last family word, because English puts the head noun last ("stone tiles" are
    tiles, "brick wall" is brick); earlier family words become modifiers where one fits (moss -> mossy).
    "Rusty metal" is the rusted-metal family whichever order the words come in.
    """
    words = re.findall(r"#[0-9a-fA-F]{6}\b|[a-z0-9]+", prompt.lower())
    family_hits: list[tuple[int, str]] = []
    colours: list[dict[str, str]] = []
    modifiers: list[str] = []
    used: list[str] = []
    ignored: list[str] = []
    pending: list[str] = []

    for index, word in enumerate(words):
        if _HEX.match(word):
            colours.append({"word": word, "hex": word})
            used.append(word)
            continue
        modifier = _lookup(word, MODIFIER_WORDS)
        colour = _lookup(word, COLOURS)
        family = _lookup(word, FAMILY_WORDS)
        if modifier and not family:
            if modifier not in modifiers:
                modifiers.append(modifier)
            used.append(word)
        elif colour:
            colours.append({"word": word, "hex": colour})
            used.append(word)
        elif family:
            family_hits.append((index, family))
            pending.append(word)
        else:
            ignored.append(word)

    families_named = {family for _, family in family_hits}
    if "rusted_metal" in families_named and "metal_plate" in families_named:
        chosen = "rusted_metal"
    elif family_hits:
        chosen = family_hits[-1][1]
    else:
        chosen = DEFAULT_FAMILY

    for word, (_, family) in zip(pending, family_hits, strict=True):
        if family == chosen or (chosen == "rusted_metal" and family == "metal_plate"):
            used.append(word)
        elif family in FAMILY_AS_MODIFIER:
            if FAMILY_AS_MODIFIER[family] not in modifiers:
                modifiers.append(FAMILY_AS_MODIFIER[family])
            used.append(word)
        else:
            ignored.append(word)

    ordered_used = [w for w in words if w in used]
    ordered_ignored = [w for w in words if w in ignored and w not in used]
    return {
        "family": chosen,
        "colours": colours,
        "modifiers": [m for m in MODIFIERS if m in modifiers],
        "used_words": _dedupe(ordered_used),
        "ignored_words": _dedupe(ordered_ignored),
    }


def _dedupe(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))
