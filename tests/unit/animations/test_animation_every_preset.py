"""Every preset plans for every kind of model the compiler makes (a wolf's death once crashed the render)."""
from __future__ import annotations

import pytest

from functions.animations.motion import PRESETS, plan_motion
from functions.sprites.compiler import compile_prompt

SUBJECTS = ["knight with a sword", "wolf", "boar", "dragon", "bat", "snake", "spider", "green slime", "ghost",
            "golem", "bird", "beetle", "health potion"]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_every_preset_plans_frames(subject):
    spec = compile_prompt(subject, seed=1)["spec"]
    for preset in PRESETS:
        if preset == "custom":
            continue
        plan = plan_motion(spec=spec, preset=preset, frame_count=6, fps=10, loop=False)
        assert plan.spec and len(plan.yaw_offsets) == 6, (subject, preset)
