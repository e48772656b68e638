"""SpriteRequest validation, pricing and the params handed to the worker."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from functions.sprites.models import SpriteRequest, sprite_cost, sprite_params


def test_defaults_are_made_explicit_and_the_spec_is_compiled():
    params = sprite_params(SpriteRequest(prompt="knight with a red cape"), seed=9)
    assert params["width"] == params["height"] == 64
    assert params["direction"] == "s" and params["camera"] == "three_quarter" and params["elevation"] == 38.0
    assert params["spec"]["parts"]["cape"]["material"] == "cape"
    assert params["interpretation"]["archetype"] == "humanoid" and params["seed"] == 9
    assert sprite_cost(params) == 1
    assert sprite_cost(sprite_params(SpriteRequest(prompt="knight", variants=3), seed=1)) == 3


@pytest.mark.parametrize(("given", "expected"), [("south", "s"), ("south-east", "se"), ("southeast", "se"),
                                                 ("North West", "nw"), ("e", "e"), ("SW", "sw")])
def test_directions_are_normalised(given, expected):
    assert SpriteRequest(prompt="knight", direction=given).direction == expected


@pytest.mark.parametrize("kwargs", [
    {}, {"prompt": "knight", "spec": {"parts": {"a": {}}}}, {"prompt": "no"}, {"prompt": "knight", "width": 4},
    {"prompt": "knight", "height": 1024}, {"prompt": "knight", "direction": "up"},
    {"prompt": "knight", "camera": "fisheye"}, {"prompt": "knight", "elevation": 120},
    {"prompt": "knight", "style": "smooth", "pixel_perfect": "on"}, {"prompt": "knight", "palette": "rainbow"},
    {"prompt": "knight", "palette": ["red", "blue"]}, {"prompt": "knight", "background": "blue"},
    {"prompt": "knight", "variants": 4}, {"prompt": "knight", "colour": "red"},
    {"spec": {"parts": {}}}, {"spec": {"parts": {"a": {}}, "palette": "/etc/passwd"}},
    {"spec": {"parts": {"a": {}}}, "asset_type": "item"},
])
def test_bad_requests_are_rejected(kwargs):
    with pytest.raises(ValidationError):
        SpriteRequest(**kwargs)


@pytest.mark.parametrize("asset_type", ["tile", "background", "ui", "effect"])
def test_other_asset_types_name_what_is_supported(asset_type):
    with pytest.raises(ValidationError) as error:
        SpriteRequest(prompt="grass", asset_type=asset_type)
    assert "character, creature, item" in str(error.value)


def test_a_spec_request_keeps_the_spec():
    spec = {"spritekiln": 1, "parts": {"ball": {"material": "m", "prims": [{"sphere": {"c": [0, 0.3, 0], "r": 0.3}}]}},
            "materials": {"m": {"ramp": ["#111111", "#444444", "#888888", "#bbbbbb"]}}}
    params = sprite_params(SpriteRequest(spec=spec, palette="gameboy"), seed=1)
    assert params["spec"] == spec and params["palette"] == "gameboy"
