"""Request validation, pricing, custom motions, and the lazy package (no numpy in the API)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from functions.animations.models import AnimationRequest, animation_cost, prepare_animation
from functions.animations.motion import MotionProblem, detect_archetype, parse_custom_motion, plan_motion
from functions.sprites.compiler import compile_prompt


def test_defaults_and_prepare():
    req = AnimationRequest.model_validate({"spec": {"parts": {}}, "preset": "walk"})
    params, interp = prepare_animation(req, 7)
    assert params["frame_count"] == 8 and params["fps"] == 12 and params["directions"] == 8
    assert params["loop"] is True and params["normalize_size"] is True and params["seed"] == 7
    assert params["width"] == 64 and params["camera"] == "three_quarter" and interp["source"] == "spec"
    assert AnimationRequest.model_validate({"spec": {}, "preset": "attack_slash"}).resolved_loop is False
    one = AnimationRequest.model_validate({"spec": {}, "preset": "idle", "directions": "one", "direction": "e"})
    assert prepare_animation(one, 1)[0]["directions"] == 1 and prepare_animation(one, 1)[0]["direction"] == "e"


def test_sprite_job_source_private_attr():
    req = AnimationRequest.model_validate({"sprite_job_id": "job_1", "preset": "idle", "directions": 4})
    req._source = {"spec": {"parts": {}}, "width": 48, "height": 48, "camera": "side", "elevation": 0.0,
                   "style": "pixel", "palette": "pico-8", "outline": True, "shadow": False,
                   "background": "transparent", "pixel_perfect": "auto"}
    params, interp = prepare_animation(req, 3)
    assert params["width"] == 48 and params["palette"] == "pico-8" and interp["sprite_job_id"] == "job_1"


@pytest.mark.parametrize("body", [
    {"preset": "idle"},
    {"spec": {}, "sprite_job_id": "j", "preset": "idle"},
    {"spec": {}, "preset": "dance"},
    {"spec": {}, "preset": "idle", "frame_count": 1},
    {"spec": {}, "preset": "idle", "frame_count": 25},
    {"spec": {}, "preset": "idle", "fps": 61},
    {"spec": {}, "preset": "idle", "directions": 3},
    {"spec": {}, "preset": "idle", "directions": "8"},
    {"spec": {}, "preset": "custom"},
    {"spec": {}, "preset": "idle", "custom_motion": "spin"},
    {"spec": {}, "preset": "idle", "direction": "e"},
    {"spec": {}, "preset": "idle", "colour": "red"},
    {"spec": {}, "preset": "bob"},
    {"upload_id": "u", "preset": "cast", "directions": 1},
    {"upload_id": "u", "preset": "bob"},
    {"sprite_job_id": "j", "preset": "idle", "width": 32},
    {"spec": {}, "preset": "idle", "weapon_hand": "middle"},
])
def test_rejected(body):
    with pytest.raises(ValidationError):
        AnimationRequest.model_validate(body)


def test_cost_scales_with_frames_and_directions():
    assert animation_cost({"frame_count": 8, "directions": 8}) == 8
    assert animation_cost({"frame_count": 8, "directions": 1}) == 1
    assert animation_cost({"frame_count": 2, "directions": 1}) == 1
    assert animation_cost({"frame_count": 24, "directions": 4}) == 12


@pytest.mark.parametrize("text", ["raise both arms then bow", "spin", "wave right hand", "nod twice",
                                  "crouch, jump then spin left", "punch with the left hand then step back"])
def test_custom_motion_readable(text):
    assert parse_custom_motion(text)
    AnimationRequest.model_validate({"spec": {}, "preset": "custom", "custom_motion": text})


def test_custom_motion_unknown_words_named():
    with pytest.raises(MotionProblem) as exc:
        parse_custom_motion("moonwalk then juggle the torches")
    assert "'moonwalk'" in str(exc.value) and "'juggle'" in str(exc.value) and "'torches'" in str(exc.value)
    with pytest.raises(ValidationError) as exc2:
        AnimationRequest.model_validate({"spec": {}, "preset": "custom", "custom_motion": "raise arms and yodel"})
    assert "yodel" in str(exc2.value)


def test_archetypes_and_rigs():
    kinds = {p: detect_archetype(compile_prompt(p, seed=1)["spec"])
             for p in ("a knight", "a wolf", "a bat", "a green slime", "a snake", "a spider")}
    assert kinds == {"a knight": "biped", "a wolf": "quadruped", "a bat": "winged", "a green slime": "amorphous",
                     "a snake": "serpentine", "a spider": "arthropod"}
    wolf = plan_motion(spec=compile_prompt("a wolf", seed=1)["spec"], preset="walk", frame_count=8, fps=12, loop=True)
    assert wolf.spec["parts"]["fleg_L"]["space"] == "fleg_sp_L"
    assert any(abs(p.get("fleg_L", 0)) > 0.2 for p in wolf.poses)
    slash = plan_motion(spec=compile_prompt("a knight", seed=1)["spec"], preset="attack_slash", frame_count=8,
                        fps=12, loop=False, weapon_hand="left")
    assert slash.spec["bones"]["weapon"]["parent"] == "wrist_L"
    assert [e for evs in slash.events.values() for e in evs] == ["windup", "hit"]
    with pytest.raises(MotionProblem, match="no arms"):
        plan_motion(spec=compile_prompt("a wolf", seed=1)["spec"], preset="custom", frame_count=4, fps=12,
                    loop=False, custom_motion="wave right hand")


def test_models_import_is_light():
    code = ("import sys; import functions.animations.models, functions.animations; "
            "bad = [m for m in ('numpy', 'spritekiln', 'yaml', 'PIL') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
