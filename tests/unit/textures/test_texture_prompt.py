"""interpret_texture_prompt: family, colours, modifiers and an account of every word."""
from __future__ import annotations

import re

import pytest

from functions.common.colours import NAMED_COLOURS
from functions.textures import FAMILIES, interpret_texture_prompt


def words_of(prompt: str) -> list[str]:
    return re.findall(r"#[0-9a-f]{6}\b|[a-z0-9]+", prompt.lower())


def test_reads_family_colour_and_modifier():
    result = interpret_texture_prompt("mossy red brick wall")
    assert result["family"] == "brick"
    assert result["colours"] == [{"word": "red", "hex": NAMED_COLOURS["red"]}]
    assert result["modifiers"] == ["mossy"]
    assert "wall" in result["ignored_words"]


@pytest.mark.parametrize(
    ("prompt", "family"),
    [
        ("old wood", "planks"), ("rock face", "stone"), ("blue tiles", "ceramic_tiles"),
        ("rust", "rusted_metal"), ("rusty metal plate", "rusted_metal"), ("metal rust", "rusted_metal"),
        ("steel panels", "metal_plate"), ("cobbled street", "cobblestone"), ("tree bark", "bark"),
        ("molten magma", "lava"), ("frozen lake ice", "ice"), ("beach sand", "sand"), ("pebbles", "gravel"),
        ("woven cloth", "fabric"), ("cement", "concrete"), ("purple gems", "crystal"), ("moss", "moss"),
        ("white marble", "marble"), ("leather", "leather"), ("snow", "snow"), ("grass", "grass"),
        ("mud", "dirt"), ("ocean water", "water"), ("bricks", "brick"),
    ],
)
def test_synonyms_choose_the_family(prompt, family):
    assert interpret_texture_prompt(prompt)["family"] == family


def test_every_family_is_reachable_by_its_own_name():
    for family in FAMILIES:
        assert interpret_texture_prompt(family.replace("_", " "))["family"] == family


def test_modifier_synonyms_map_to_canonical_names():
    result = interpret_texture_prompt("old damp grimy shiny rough pale snowy charred painted cracked dark stone")
    assert set(result["modifiers"]) == {"worn", "wet", "dirty", "polished", "rough", "light", "snowy", "burnt",
                                        "painted", "cracked", "dark"}


def test_hex_codes_are_colours():
    result = interpret_texture_prompt("#3A7BD5 and green tiles")
    assert result["colours"] == [{"word": "#3a7bd5", "hex": "#3a7bd5"},
                                 {"word": "green", "hex": NAMED_COLOURS["green"]}]


def test_earlier_family_words_become_modifiers_or_are_listed_as_ignored():
    snowy = interpret_texture_prompt("snow covered wooden planks")
    assert snowy["family"] == "planks" and "snowy" in snowy["modifiers"] and "snow" in snowy["used_words"]
    tiles = interpret_texture_prompt("stone tiles")
    assert tiles["family"] == "ceramic_tiles" and "stone" in tiles["ignored_words"]


def test_unknown_prompt_falls_back_to_stone_and_ignores_everything():
    result = interpret_texture_prompt("something nice please")
    assert result["family"] == "stone"
    assert result["ignored_words"] == ["something", "nice", "please"]


@pytest.mark.parametrize("prompt", ["A cracked, wet old stone floor with #336699 tint", "mossy red brick wall",
                                    "the shiny blue-green rusty metal plates of a ship hull", ""])
def test_no_word_is_dropped_silently(prompt):
    result = interpret_texture_prompt(prompt)
    assert set(result["used_words"]) | set(result["ignored_words"]) == set(words_of(prompt))
    assert not set(result["used_words"]) & set(result["ignored_words"])
