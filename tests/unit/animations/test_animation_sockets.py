"""Sockets (attachment points) of model animations at 32 px: present where the model has them, inside the frame,
moving with the pose, the same whether a job is rendered whole or in parts, absent where the model has none."""
from __future__ import annotations

import json

import pytest

from functions.animations.motion import plan_motion
from functions.animations.render import assemble_animation, render_animation, render_animation_part
from functions.sprites.compiler import compile_prompt

COMMON = dict(width=32, height=32, camera="three_quarter", elevation=None, style="pixel", palette=None, outline=True,
              shadow=False, background="transparent", pixel_perfect="auto", seed=1, direction=None,
              normalize_size=True)


def _files(result) -> dict:
    return {f.name: f for f in result.files}


def _meta(result) -> dict:
    return json.loads(_files(result)["animation.json"].data)


@pytest.fixture(scope="module")
def knight() -> dict:
    return compile_prompt("a knight with a sword", seed=1)["spec"]


@pytest.fixture(scope="module")
def slash_params(knight) -> dict:
    return dict(spec=knight, preset="attack_slash", frame_count=4, fps=10, directions=4, loop=False, **COMMON)


@pytest.fixture(scope="module")
def slash(slash_params):
    return render_animation(**slash_params)


@pytest.fixture(scope="module")
def idle(knight):
    return render_animation(spec=knight, preset="idle", frame_count=4, fps=8, directions=4, loop=True, **COMMON)


def test_weapon_hand_in_every_frame_and_direction_inside_the_frame(slash, idle):
    for result in (slash, idle):
        meta = _meta(result)
        w, h, n = meta["frame_size"]["w"], meta["frame_size"]["h"], meta["frame_count"]
        assert {"weapon_hand", "off_hand", "head"} <= set(meta["sockets"])
        rows = meta["sockets"]["weapon_hand"]
        assert list(rows) == meta["order"]
        for d in meta["order"]:
            assert len(rows[d]) == n
            for xy in rows[d]:
                assert xy is not None and len(xy) == 2
                assert 0 <= xy[0] <= w and 0 <= xy[1] <= h
        assert result.interpretation["render"]["sockets"][:3] == ["weapon_hand", "off_hand", "head"]


def test_weapon_hand_moves_in_a_slash_and_holds_in_idle(slash, idle):
    moving = _meta(slash)["sockets"]["weapon_hand"]
    for d, points in moving.items():
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        assert max(max(xs) - min(xs), max(ys) - min(ys)) >= 3, d
    holding = _meta(idle)["sockets"]["weapon_hand"]
    for d, points in holding.items():
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        assert max(max(xs) - min(xs), max(ys) - min(ys)) <= 2, d


def test_weapon_hand_is_on_the_hand_side(idle):
    # facing the viewer (s), the right hand (the sword's) is on the viewer's left, the shield hand on the right
    sockets = _meta(idle)["sockets"]
    pivot_x = _meta(idle)["pivot"]["x"]
    assert all(p[0] < pivot_x for p in sockets["weapon_hand"]["s"])
    assert all(p[0] > pivot_x for p in sockets["off_hand"]["s"])
    # the head is above the hands
    assert all(hd[1] < hn[1] for hd, hn in zip(sockets["head"]["s"], sockets["weapon_hand"]["s"], strict=True))


def test_left_weapon_hand_swaps_the_sockets(knight):
    right = plan_motion(spec=knight, preset="idle", frame_count=2, fps=8, loop=True).spec["sockets"]
    left = plan_motion(spec=knight, preset="idle", frame_count=2, fps=8, loop=True, weapon_hand="left").spec["sockets"]
    assert right["weapon_hand"]["bone"] == left["off_hand"]["bone"] == "wrist_R"
    assert right["off_hand"]["bone"] == left["weapon_hand"]["bone"] == "wrist_L"
    # a spec.yaml sent back (with our sockets in it) follows the new request's hand
    again = plan_motion(spec=plan_motion(spec=knight, preset="idle", frame_count=2, fps=8, loop=True).spec,
                        preset="idle", frame_count=2, fps=8, loop=True, weapon_hand="left").spec["sockets"]
    assert again["weapon_hand"]["bone"] == "wrist_L"


def test_parts_and_assembly_give_the_same_sockets_and_bytes(slash, slash_params):
    parts = {d: render_animation_part(part=d, **slash_params) for d in ("s", "e", "n", "w")}
    assembled = assemble_animation(parts=parts, **slash_params)
    assert _meta(assembled)["sockets"] == _meta(slash)["sockets"]
    whole, pieced = _files(slash), _files(assembled)
    for name in ("animation.json", "sheet.aseprite.json", "sheet.tres", "spec.yaml"):
        assert whole[name].data == pieced[name].data, name


def test_aseprite_slices(slash):
    meta = _meta(slash)
    ase = json.loads(_files(slash)["sheet.aseprite.json"].data)
    slices = {s["name"]: s for s in ase["meta"]["slices"]}
    assert set(slices) == set(meta["sockets"])
    keys = slices["weapon_hand"]["keys"]
    assert len(keys) == len(ase["frames"])
    n = meta["frame_count"]
    for key in keys:
        r, c = divmod(key["frame"], n)
        x, y = meta["sockets"]["weapon_hand"][meta["order"][r]][c]
        assert (key["bounds"]["x"], key["bounds"]["y"], key["bounds"]["w"]) == (int(x), int(y), 1)


def test_spec_yaml_carries_the_sockets(slash):
    assert b"sockets:" in _files(slash)["spec.yaml"].data


def test_slime_has_no_hand_sockets():
    slime = compile_prompt("a green slime", seed=1)["spec"]
    result = render_animation(spec=slime, preset="idle", frame_count=2, fps=8, directions=1, loop=True, **COMMON)
    sockets = _meta(result)["sockets"]
    assert "weapon_hand" not in sockets and "off_hand" not in sockets
    assert sockets == {}
    assert json.loads(_files(result)["sheet.aseprite.json"].data)["meta"]["slices"] == []


@pytest.mark.parametrize(("prompt", "expected"), [("a wolf", {"head", "mouth"}), ("a snake", {"head", "mouth"}),
                                                  ("a ghost", {"mouth"}), ("a treasure chest", set())])
def test_creature_sockets_only_where_the_model_has_them(prompt, expected):
    spec = compile_prompt(prompt, seed=1)["spec"]
    plan = plan_motion(spec=spec, preset="idle", frame_count=2, fps=8, loop=True)
    assert set(plan.spec.get("sockets") or {}) == expected
