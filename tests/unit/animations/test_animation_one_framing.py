"""normalize_size: every preset of one character shares its scale and pivot, so a game can swap clips."""
from __future__ import annotations

import json

from functions.animations.render import render_animation
from functions.sprites.compiler import compile_prompt

ARGS = dict(camera="three_quarter", elevation=None, style="pixel", palette=None, outline=True, shadow=False,
            background="transparent", pixel_perfect="auto", seed=1, normalize_size=True, loop=False, width=32,
            height=32, frame_count=3, fps=8, directions=1, direction="s")


def test_walk_jump_and_death_share_the_scale_and_pivot_of_the_character():
    spec = compile_prompt("knight with a sword", seed=1)["spec"]
    framings = set()
    for preset in ("walk", "jump", "death"):
        result = render_animation(spec=spec, preset=preset, **ARGS)
        meta = json.loads(next(f for f in result.files if f.name == "animation.json").data)
        framings.add((json.dumps(meta["pivot"], sort_keys=True), json.dumps(meta["camera"], sort_keys=True)))
    assert len(framings) == 1, framings
