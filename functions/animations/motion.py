"""Motion: a preset (or a short custom motion phrase) -> per-frame channel values for spritekiln's skeleton.

Pure Python (no numpy, no spritekiln): the API imports `parse_custom_motion` to validate requests.

- `detect_archetype(spec)`: biped, quadruped, winged, amorphous, serpentine, arthropod or prop, read from the
  spec's structure (ik chains, part names, bone expressions), so edited specs work too.
- `rig_spec(spec, archetype)`: creature specs from our compiler have one rigid `body` bone; this adds the few
  pivots an animation needs (legs, wings, head, tail) as bones that rotate about the joint, driven by new
  channels. Geometry is untouched: parts only move into a bone space placed at the same spot.
- `plan_motion(...)`: the rigged spec with a spritekiln `keys` animation (one key per output frame, `ms`,
  `event`), so spritekiln evaluates it and the shipped spec.yaml re-renders with spritekiln's own CLI.

Conventions (spritekiln's): +z is the model's front, +x its left side; `*_L` channels are mirrored to `*_R`
with the same (outward-positive) values; angles in radians.
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from typing import Any

PRESETS = ("idle", "walk", "run", "attack_slash", "attack_thrust", "shoot", "cast", "jump", "hurt", "death",
           "block", "dodge", "custom")
LOOPING = ("idle", "walk", "run")
ARCHETYPES = ("biped", "quadruped", "winged", "amorphous", "serpentine", "arthropod", "prop")


class MotionProblem(ValueError):
    """The motion cannot be made for this request; the message says why (shown to the user)."""


# ---------------------------------------------------------------------------------------------- archetype
def _bone_expr(spec: dict, bone: str, key: str) -> str:
    return str(((spec.get("bones") or {}).get(bone) or {}).get(key, ""))


def detect_archetype(spec: dict) -> str:
    ik = spec.get("ik") or {}
    parts = spec.get("parts") or {}
    if "arm_L" in ik and "leg_L" in ik:
        return "biped"
    if "fleg_L" in parts or "bleg_L" in parts:
        return "quadruped"
    if "wing_L" in parts:
        return "winged"
    if "leg0_L" in parts:
        return "arthropod"
    torso = parts.get("torso") or {}
    if any("chain" in p for p in torso.get("prims") or [] if isinstance(p, dict)) and "head" in parts:
        return "serpentine"
    if "rings" in parts or ("mouth" in parts and "torso" in parts and "bob" in _bone_expr(spec, "body", "pos")
                            and any("chain" in p for p in torso.get("prims") or [] if isinstance(p, dict))):
        return "serpentine"
    if "body" in (spec.get("bones") or {}) and ("bob" in _bone_expr(spec, "body", "scale") or "torso" in parts):
        return "amorphous"
    return "prop"


# ---------------------------------------------------------------------------------------------- rigging
def _first_point(part: dict) -> list[float] | None:
    """The joint end of a limb part: a cone's `a`, a chain's first point, a membrane's hub, an ellipsoid's centre."""
    for prim in part.get("prims") or []:
        if not isinstance(prim, dict) or len(prim) != 1:
            continue
        kind, a = next(iter(prim.items()))
        point = {"cone": a.get("a"), "cylinder": a.get("a"), "chain": (a.get("pts") or [None])[0],
                 "membrane": a.get("hub"), "ellipsoid": a.get("c"), "sphere": a.get("c"), "box": a.get("c")}.get(kind)
        if isinstance(point, list) and len(point) == 3 and all(isinstance(v, (int, float)) for v in point):
            return [float(v) for v in point]
    return None


def _pivot_bone(spec: dict, name: str, parent: str, pivot: list[float], rot: str, move: str | None = None) -> str:
    """Bones `<name>` (at the pivot, rotating) and `<name>_sp` (back at the parent's origin): a part moved into
    `<name>_sp` keeps its coordinates but turns about the pivot."""
    x, y, z = (round(v, 4) for v in pivot)
    pos = f"[{x}, {y}, {z}]" if move is None else f"[{x}, {y}, {z}] + {move}"
    spec["bones"][name] = {"parent": parent, "pos": pos, "rot": rot}
    spec["bones"][f"{name}_sp" if not name.endswith("_L") else name[:-2] + "_sp_L"] = {
        "parent": name, "pos": [-x, -y, -z]}
    return f"{name}_sp" if not name.endswith("_L") else name[:-2] + "_sp_L"


def rig_spec(spec: dict, archetype: str) -> tuple[dict, list[str]]:
    """A copy of `spec` with the pivots `archetype`'s motions need; returns (spec, notes)."""
    sp = copy.deepcopy(spec)
    sp.setdefault("bones", {})
    sp.setdefault("channels", {})
    parts = sp.get("parts") or {}
    ch = sp["channels"]
    ch.setdefault("root", [0, 0, 0])
    ch.setdefault("bob", 0)
    notes: list[str] = []
    body = sp["bones"].get("body")
    if archetype == "biped":
        return sp, notes
    if body is None:  # props (and hand-written specs): one bone for everything
        sp["bones"]["body"] = body = {"parent": "root", "pos": "[0, bob, 0]"}
        for part in parts.values():
            part.setdefault("space", "body")
    for c in ("body_pitch", "body_roll", "body_yaw"):
        ch.setdefault(c, 0)
    body["rot"] = "[body_pitch, body_yaw, body_roll]"
    if archetype == "quadruped":
        for leg in ("fleg_L", "bleg_L"):
            if leg in parts and (pivot := _first_point(parts[leg])):
                ch.setdefault(leg, 0)
                parts[leg]["space"] = _pivot_bone(sp, f"{leg[:4]}_L", "body", pivot, f"[{leg}, 0, 0]")
        head_parts = [n for n in ("neck", "head", "nose", "eye_L", "ear_L", "tusk_L", "horn_L") if n in parts]
        if "neck" in parts and (pivot := _first_point(parts["neck"])):
            ch.setdefault("head_nod", 0)
            space = _pivot_bone(sp, "headpiv", "body", pivot, "[head_nod, 0, 0]")
            for n in head_parts:
                parts[n]["space"] = space
        if "tail" in parts and (pivot := _first_point(parts["tail"])):
            ch.setdefault("tail_wag", 0)
            ch.setdefault("tail_lift", 0)
            space = _pivot_bone(sp, "tailpiv", "body", pivot, "[tail_lift, tail_wag, 0]")
            for n in ("tail", "tailtip"):
                if n in parts:
                    parts[n]["space"] = space
        if "wing_L" in parts and (pivot := _first_point(parts["wing_L"])):
            ch.setdefault("flap_L", 0)
            parts["wing_L"]["space"] = _pivot_bone(sp, "wingpiv_L", "body", pivot, "[0, 0, flap_L]")
    elif archetype == "winged":
        if "wing_L" in parts and (pivot := _first_point(parts["wing_L"])):
            ch.setdefault("flap_L", 0)
            if "membrane" not in str(parts["wing_L"]["prims"][0]):  # a folded bird wing: pivot at the shoulder
                pivot = [pivot[0] * 0.6, pivot[1] + 0.12, pivot[2] + 0.05]
            parts["wing_L"]["space"] = _pivot_bone(sp, "wingpiv_L", "body", pivot, "[0, 0, flap_L]")
    elif archetype == "serpentine":
        head_parts = [n for n in ("head", "jaw", "eye_L", "tongue", "mouth") if n in parts]
        centre = _first_point(parts[head_parts[0]]) if head_parts else None
        if centre:
            for c in ("head_nod", "head_yaw", "strike"):
                ch.setdefault(c, 0)
            pivot = [centre[0], centre[1] - 0.05, centre[2] - 0.12]
            space = _pivot_bone(sp, "headpiv", "body", pivot, "[head_nod, head_yaw, 0]", move="[0, 0, strike]")
            for n in head_parts:
                parts[n]["space"] = space
        ch.setdefault("stretch", 0)
        body["scale"] = "[1 - stretch*0.5, 1, 1 + stretch]"
    elif archetype == "arthropod":
        for i in range(4):
            leg = f"leg{i}_L"
            if leg in parts and (pivot := _first_point(parts[leg])):
                ch.setdefault(f"swing{i}_L", 0)
                ch.setdefault(f"lift{i}_L", 0)
                parts[leg]["space"] = _pivot_bone(sp, f"legpiv{i}_L", "body", pivot, f"[0, swing{i}_L, lift{i}_L]")
    elif archetype == "amorphous":
        if "bob" in _bone_expr(sp, "body", "scale"):  # slime: bob is the squash; a hop lifts it
            ch.setdefault("hop", 0)
            body["pos"] = "[0, hop, 0]"
            notes.append("slime: squash and stretch on the body, hops for locomotion")
    return sp, notes


# ---------------------------------------------------------------------------------------------- sockets
SOCKETS = ("weapon_hand", "off_hand", "head", "mouth")


def _numeric(point: Any) -> list[float] | None:
    if isinstance(point, list) and len(point) == 3 and all(isinstance(v, (int, float)) for v in point):
        return [float(v) for v in point]
    return None


def _part_point(part: dict | None, tip: bool = False) -> list[float] | None:
    """A part's centre in its own space (its first prim with a literal position): a sphere's / ellipsoid's / box's
    `c`, the middle of a cone or cylinder, or with `tip` the cone's far end `b`."""
    for prim in (part or {}).get("prims") or []:
        if not isinstance(prim, dict) or len(prim) != 1:
            continue
        kind, a = next(iter(prim.items()))
        if not isinstance(a, dict):
            continue
        if kind in ("sphere", "ellipsoid", "box", "torus") and (c := _numeric(a.get("c"))):
            return c
        if kind in ("cone", "cylinder") and (pa := _numeric(a.get("a"))) and (pb := _numeric(a.get("b"))):
            return pb if tip else [(u + v) / 2 for u, v in zip(pa, pb, strict=True)]
    return None


def _part_socket(part: dict, offset: list[float]) -> dict[str, Any]:
    sk: dict[str, Any] = {"bone": str(part.get("space", "root")), "offset": [round(v, 4) for v in offset]}
    if "when" in part:
        sk["when"] = part["when"]
    return sk


def rig_sockets(spec: dict, archetype: str, weapon: str = "hand_R") -> list[str]:
    """Add spritekiln `sockets:` for the attachment points the model really has (in place); returns their names.

    - `weapon_hand` / `off_hand` (bipeds: the wrists that end the `arm_L` IK chain and its mirrored twin, at the
      hand's centre; `weapon` is the channel of the attacking hand, `hand_R` unless `weapon_hand: left`),
    - `head` (the centre of the `head` part, else the `head` bone),
    - `mouth` (the `mouth` or `jaw` part, a beak's tip, a quadruped's snout tip (`nose`), or between the fangs).
    Each socket rides the bone its part is built in, so it follows every pose. A socket the spec already names
    is kept as written, except our own hand sockets on the two wrists, which follow `weapon`. Nothing is made up:
    a slime has no sockets."""
    parts = spec.get("parts") or {}
    sockets = dict(spec.get("sockets") or {})
    derived: dict[str, dict[str, Any]] = {}
    arm = (spec.get("ik") or {}).get("arm_L") or {}
    end_l = str(arm.get("end") or "")
    if archetype == "biped" and end_l.endswith("_L"):
        end_r = end_l[:-2] + "_R"
        hand = parts.get("hand_L") or {}
        centre = (_part_point(hand) if hand.get("space") == end_l else None) or [0.0, 0.0, 0.0]
        mirrored = [-centre[0], centre[1], centre[2]]  # the _R twin is the _L side mirrored (x -> -x)
        sides = {"hand_L": {"bone": end_l, "offset": [round(v, 4) for v in centre]},
                 "hand_R": {"bone": end_r, "offset": [round(v, 4) for v in mirrored]}}
        other = "hand_L" if weapon == "hand_R" else "hand_R"
        derived["weapon_hand"] = sides[weapon]
        derived["off_hand"] = sides[other]
        for name in ("weapon_hand", "off_hand"):  # ours from an earlier spec.yaml: follow this request's hand
            if isinstance(sockets.get(name), dict) and sockets[name].get("bone") in (end_l, end_r):
                del sockets[name]
    head = parts.get("head")
    if head is not None and (c := _part_point(head)):
        derived["head"] = _part_socket(head, c)
    elif "head" in (spec.get("bones") or {}):
        derived["head"] = {"bone": "head"}
    for name, tip in (("mouth", False), ("jaw", False), ("beak", True)):
        if name in parts and (c := _part_point(parts[name], tip=tip)):
            derived["mouth"] = _part_socket(parts[name], c)
            break
    else:
        if archetype == "quadruped" and (c := _part_point(parts.get("nose"))):
            derived["mouth"] = _part_socket(parts["nose"], c)
        elif c := _part_point(parts.get("fang_L"), tip=True):
            derived["mouth"] = _part_socket(parts["fang_L"], [0.0, c[1], c[2]])  # between the pair's tips
    for name, sk in derived.items():
        sockets.setdefault(name, sk)
    if sockets:
        spec["sockets"] = sockets
    return [n for n in SOCKETS if n in sockets]


# ---------------------------------------------------------------------------------------------- keys
def _ease(x: float) -> float:
    return x * x * (3 - 2 * x)


def _lerp(a: Any, b: Any, x: float) -> Any:
    if isinstance(a, list):
        return [round(float(u) * (1 - x) + float(v) * x, 4) for u, v in zip(a, b, strict=True)]
    return round(float(a) * (1 - x) + float(b) * x, 4)


def _sample(keys: list[tuple[float, dict[str, Any]]], t: float, rest: dict[str, Any]) -> dict[str, Any]:
    """Pose at time t (0..1) between key poses (time, {channel: value}), smooth-stepped; missing = rest."""
    names = sorted({c for _, pose in keys for c in pose})
    t = min(max(t, 0.0), 1.0)

    def at(pose: dict[str, Any], other: dict[str, Any], c: str) -> Any:
        # a channel this rig has no rest value for (e.g. a right leg a one-sided rig derives) holds the
        # other key's value rather than failing the render
        return pose[c] if c in pose else rest[c] if c in rest else other.get(c)

    for i in range(len(keys) - 1):
        t0, a = keys[i]
        t1, b = keys[i + 1]
        if t0 <= t <= t1:
            x = _ease((t - t0) / (t1 - t0)) if t1 > t0 else 1.0
            pairs = {c: (at(a, b, c), at(b, a, c)) for c in names}
            return {c: _lerp(va, vb, x) for c, (va, vb) in pairs.items() if va is not None and vb is not None}
    last = keys[-1][1]
    return {c: v for c in names if (v := at(last, {}, c)) is not None}


def _v(base: list[float], dx: float = 0.0, dy: float = 0.0, dz: float = 0.0) -> list[float]:
    return [round(base[0] + dx, 4), round(base[1] + dy, 4), round(base[2] + dz, 4)]


def _rest(spec: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (spec.get("channels") or {}).items():
        if isinstance(value, (int, float)):
            out[name] = float(value)
        elif isinstance(value, list) and all(isinstance(v, (int, float)) for v in value):
            out[name] = [float(v) for v in value]
    if "foot_L" in out and "foot_R" not in out:
        out["foot_R"] = list(out["foot_L"])
    if "hand_L" in out and "hand_R" not in out:
        out["hand_R"] = list(out["hand_L"])
    return out


def _pos(x: float) -> float:
    return max(x, 0.0)


# ---------------------------------------------------------------------------------------------- bipeds
def _biped(preset: str, t: float, p: float, rest: dict, weapon: str) -> dict[str, Any]:
    off = "hand_L" if weapon == "hand_R" else "hand_R"
    hw, ho = rest[weapon], rest[off]
    fl, fr = rest["foot_L"], rest["foot_R"]
    s, c = math.sin(p), math.cos(p)
    if preset == "idle":
        return {"bob": 0.02 * math.sin(p), "squash": 1 + 0.012 * math.sin(p), "head_pitch": -0.03 * math.sin(p - 0.5),
                weapon: _v(hw, dy=0.012 * math.sin(p - 0.6)), off: _v(ho, dy=0.012 * math.sin(p - 0.6))}
    if preset in ("walk", "run"):
        run = preset == "run"
        stride, lift = (0.30, 0.16) if run else (0.22, 0.09)
        swing = 0.22 if run else 0.16
        out = {"lean": rest.get("lean", 0.03) + (0.16 if run else 0.05),
               "bob": (-0.05 if run else -0.03) * math.cos(2 * p) + (0.02 if run else 0.005),
               "twist": (0.14 if run else 0.09) * c,
               "foot_L": _v(fl, dy=lift * _pos(-s), dz=stride * c),
               "foot_R": _v(fr, dy=lift * _pos(s), dz=-stride * c),
               "hand_L": _v(rest["hand_L"], dy=0.04 * _pos(-c) + (0.1 if run else 0), dz=-swing * c * (
                   0.4 if weapon == "hand_L" else 1)),
               "hand_R": _v(rest["hand_R"], dy=0.04 * _pos(c) + (0.1 if run else 0), dz=swing * c * (
                   0.4 if weapon == "hand_R" else 1)),
               "head_pitch": 0.03 * math.cos(2 * p)}
        return out
    keys: list[tuple[float, dict[str, Any]]]
    if preset == "attack_slash":
        keys = [(0.0, {}),
                (0.35, {"twist": -0.55, "bob": -0.04, "squash": 0.96, weapon: [hw[0] + 0.1, 0.62, -0.14],
                        off: _v(ho, dy=0.1, dz=0.1), "foot_L": _v(fl, dz=0.10), "foot_R": _v(fr, dz=-0.06)}),
                (0.5, {"twist": 0.45, "lean": 0.16, "bob": -0.06, "squash": 0.98, weapon: [0.02, 0.18, 0.5],
                       off: _v(ho, dz=-0.06), "root": [0, 0, 0.05], "foot_L": _v(fl, dz=0.16),
                       "foot_R": _v(fr, dz=-0.08)}),
                (0.7, {"twist": 0.55, "lean": 0.14, "bob": -0.05, weapon: [-0.05, 0.08, 0.42],
                       "root": [0, 0, 0.05], "foot_L": _v(fl, dz=0.16), "foot_R": _v(fr, dz=-0.08)}),
                (1.0, {})]
    elif preset == "attack_thrust":
        keys = [(0.0, {}),
                (0.35, {"twist": -0.35, "bob": -0.04, weapon: [hw[0], 0.26, -0.12], "lean": -0.04,
                        "foot_L": _v(fl, dz=0.08), "foot_R": _v(fr, dz=-0.08)}),
                (0.5, {"twist": 0.2, "lean": 0.2, "bob": -0.07, weapon: [hw[0] - 0.08, 0.3, 0.58],
                       "root": [0, 0, 0.08], "foot_L": _v(fl, dz=0.2), "foot_R": _v(fr, dz=-0.1)}),
                (0.7, {"twist": 0.15, "lean": 0.16, "bob": -0.06, weapon: [hw[0] - 0.06, 0.28, 0.52],
                       "root": [0, 0, 0.08], "foot_L": _v(fl, dz=0.2), "foot_R": _v(fr, dz=-0.1)}),
                (1.0, {})]
    elif preset == "shoot":
        keys = [(0.0, {}),
                (0.3, {off: [ho[0] - 0.05, 0.42, 0.45], weapon: [hw[0] - 0.05, 0.42, 0.3], "twist": -0.2}),
                (0.6, {off: [ho[0] - 0.05, 0.42, 0.45], weapon: [hw[0] + 0.02, 0.44, -0.05], "twist": -0.25,
                       "lean": -0.03}),
                (0.7, {off: [ho[0] - 0.05, 0.44, 0.47], weapon: [hw[0] + 0.1, 0.46, -0.1], "twist": -0.28,
                       "lean": -0.06}),
                (1.0, {})]
    elif preset == "cast":
        keys = [(0.0, {}),
                (0.4, {"hand_L": [0.3, 0.62, 0.12], "hand_R": [0.3, 0.62, 0.12], "head_pitch": -0.15,
                       "bob": 0.02, "lean": -0.05}),
                (0.6, {"hand_L": [0.14, 0.38, 0.5], "hand_R": [0.14, 0.38, 0.5], "lean": 0.12, "bob": -0.03}),
                (0.75, {"hand_L": [0.14, 0.36, 0.48], "hand_R": [0.14, 0.36, 0.48], "lean": 0.1}),
                (1.0, {})]
    elif preset == "jump":
        keys = [(0.0, {}),
                (0.2, {"bob": -0.14, "squash": 0.9, "lean": 0.15, "hand_L": _v(rest["hand_L"], dz=-0.12),
                       "hand_R": _v(rest["hand_R"], dz=-0.12)}),
                (0.35, {"root": [0, 0.3, 0], "squash": 1.06, "foot_L": _v(fl, dy=0.2), "foot_R": _v(fr, dy=0.2),
                        "hand_L": _v(rest["hand_L"], dy=0.2), "hand_R": _v(rest["hand_R"], dy=0.2)}),
                (0.55, {"root": [0, 0.42, 0], "foot_L": _v(fl, dy=0.22, dz=0.06), "foot_R": _v(fr, dy=0.18),
                        "hand_L": _v(rest["hand_L"], dy=0.1), "hand_R": _v(rest["hand_R"], dy=0.1)}),
                (0.8, {"root": [0, 0.0, 0], "bob": -0.12, "squash": 0.9, "lean": 0.1}),
                (1.0, {})]
    elif preset == "hurt":
        keys = [(0.0, {}),
                (0.25, {"lean": -0.25, "head_pitch": -0.3, "twist": 0.15, "root": [0, 0, -0.08], "bob": -0.03,
                        "hand_L": _v(rest["hand_L"], dy=0.08, dz=-0.06), "hand_R": _v(rest["hand_R"], dy=0.08,
                                                                                      dz=-0.06)}),
                (0.6, {"lean": -0.12, "head_pitch": -0.12, "root": [0, 0, -0.06]}),
                (1.0, {})]
    elif preset == "death":
        keys = [(0.0, {}),
                (0.2, {"lean": -0.2, "head_pitch": -0.3, "root": [0, 0, -0.04]}),
                (0.45, {"bob": -0.32, "lean": 0.3, "head_pitch": 0.2, "foot_L": _v(fl, dz=0.12),
                        "foot_R": _v(fr, dz=-0.02), "hand_L": _v(rest["hand_L"], dy=-0.05),
                        "hand_R": _v(rest["hand_R"], dy=-0.05)}),
                (0.8, {"bob": -0.62, "lean": -1.35, "head_pitch": -0.2, "foot_L": _v(fl, dz=0.32),
                       "foot_R": _v(fr, dz=0.28), "hand_L": [rest["hand_L"][0] + 0.12, 0.0, 0.0],
                       "hand_R": [rest["hand_R"][0] + 0.12, 0.0, 0.0]}),
                (1.0, {"bob": -0.64, "lean": -1.45, "head_pitch": -0.2, "foot_L": _v(fl, dz=0.32),
                       "foot_R": _v(fr, dz=0.28), "hand_L": [rest["hand_L"][0] + 0.14, -0.02, 0.0],
                       "hand_R": [rest["hand_R"][0] + 0.14, -0.02, 0.0]})]
    elif preset == "block":
        guard = "hand_L" if weapon == "hand_R" else "hand_R"
        keys = [(0.0, {}),
                (0.3, {guard: [0.2, 0.38, 0.36], weapon: _v(hw, dy=0.06, dz=-0.04), "bob": -0.06, "squash": 0.97,
                       "lean": 0.06, "foot_L": _v(fl, dz=0.1), "foot_R": _v(fr, dz=-0.08)}),
                (0.75, {guard: [0.2, 0.38, 0.36], weapon: _v(hw, dy=0.06, dz=-0.04), "bob": -0.06,
                        "squash": 0.97, "lean": 0.06, "foot_L": _v(fl, dz=0.1), "foot_R": _v(fr, dz=-0.08)}),
                (1.0, {})]
    elif preset == "dodge":
        keys = [(0.0, {}),
                (0.2, {"bob": -0.08, "squash": 0.94, "lean": 0.1}),
                (0.45, {"root": [0.28, 0.06, -0.08], "lean": 0.25, "twist": 0.35, "bob": -0.12,
                        "foot_L": _v(fl, dy=0.08), "foot_R": _v(fr, dz=-0.12)}),
                (0.7, {"root": [0.3, 0, -0.08], "bob": -0.1, "squash": 0.95, "lean": 0.1, "twist": 0.2}),
                (1.0, {})]
    else:
        raise MotionProblem(f"unknown preset {preset!r}")
    return _sample(keys, t, rest)


# ---------------------------------------------------------------------------------------------- creatures
def _creature(archetype: str, preset: str, t: float, p: float, rest: dict, slime: bool) -> dict[str, Any]:
    s, c = math.sin(p), math.cos(p)
    locomotion = preset in ("walk", "run")
    fast = preset == "run"
    if archetype == "quadruped":
        if preset == "idle":
            return {"bob": 0.012 * s, "head_nod": 0.04 * math.sin(p - 0.6), "tail_wag": 0.25 * s}
        if locomotion:  # trot: diagonal pairs together (walk) / bound: fronts then backs (run)
            a = 0.55 if fast else 0.4
            if fast:  # rotary gallop: each pair a little out of step, backs half a cycle after the fronts
                legs = {"fleg_L": a * s, "fleg_R": a * math.sin(p + 0.6), "bleg_L": -a * s,
                        "bleg_R": -a * math.sin(p + 0.6)}
            else:  # trot: front-left with back-right
                legs = {"fleg_L": a * s, "fleg_R": -a * s, "bleg_L": -a * s, "bleg_R": a * s}
            return {**{k: round(v, 4) for k, v in legs.items()},
                    "bob": (0.05 if fast else 0.025) * _pos(math.cos(2 * p)),
                    "body_pitch": (0.08 * c if fast else 0.0), "head_nod": 0.06 * math.cos(2 * p),
                    "tail_wag": 0.2 * s, "tail_lift": -0.2 if fast else 0.0}
        keys = {
            "attack_slash": [(0, {}), (0.35, {"body_pitch": -0.12, "root": [0, 0, -0.08], "head_nod": -0.25,
                                              "fleg_L": -0.2, "fleg_R": -0.2}),
                             (0.5, {"body_pitch": 0.18, "root": [0, 0, 0.14], "head_nod": 0.3, "fleg_L": -0.45,
                                    "fleg_R": -0.3, "bleg_L": 0.3, "bleg_R": 0.3}),
                             (0.7, {"body_pitch": 0.12, "root": [0, 0, 0.12], "head_nod": 0.2}), (1, {})],
            "jump": [(0, {}), (0.2, {"bob": -0.06, "body_pitch": -0.1, "fleg_L": 0.2, "fleg_R": 0.2}),
                     (0.45, {"root": [0, 0.35, 0.05], "fleg_L": -0.6, "fleg_R": -0.6, "bleg_L": 0.6, "bleg_R": 0.6,
                             "body_pitch": -0.15, "tail_lift": -0.3}),
                     (0.75, {"root": [0, 0.0, 0.05], "bob": -0.05, "body_pitch": 0.12}), (1, {})],
            "hurt": [(0, {}), (0.25, {"root": [0, 0, -0.1], "body_pitch": -0.2, "head_nod": -0.35,
                                      "tail_lift": 0.3}), (0.6, {"root": [0, 0, -0.06], "body_pitch": -0.08}),
                     (1, {})],
            "death": [(0, {}), (0.25, {"body_pitch": -0.15, "head_nod": -0.3}),
                      (0.6, {"bob": -0.08, "body_roll": 0.8, "fleg_L": -0.2, "head_nod": 0.2}),
                      (1, {"bob": -0.04, "body_roll": 1.45, "fleg_L": -0.4, "fleg_R": 0.3, "head_nod": 0.3,
                           "tail_wag": 0.4})],
            "dodge": [(0, {}), (0.4, {"root": [0.3, 0.08, 0], "body_roll": -0.3, "fleg_L": -0.4, "bleg_L": 0.4}),
                      (0.7, {"root": [0.3, 0, 0], "bob": -0.04}), (1, {})],
            "block": [(0, {}), (0.3, {"body_pitch": -0.15, "head_nod": 0.25, "bob": -0.05, "fleg_L": -0.25,
                                      "fleg_R": -0.25}),
                      (0.75, {"body_pitch": -0.15, "head_nod": 0.25, "bob": -0.05, "fleg_L": -0.25, "fleg_R": -0.25}),
                      (1, {})],
        }
        keys["attack_thrust"] = keys["attack_slash"]
        keys["shoot"] = keys["cast"] = [(0, {}), (0.4, {"head_nod": -0.35, "body_pitch": -0.1}),
                                        (0.6, {"head_nod": 0.3, "body_pitch": 0.1, "root": [0, 0, 0.05]}), (1, {})]
        return _sample(keys[preset], t, rest)
    if archetype == "winged":
        membrane = "flap_L" in rest and rest.get("_membrane", 1.0) > 0
        flap_a = 0.7 if membrane else 0.35
        if preset in ("idle", "walk", "run"):
            speed = 2 if fast else 1
            ph = speed * p
            if membrane or preset != "idle":
                return {"flap_L": flap_a * math.sin(ph), "bob": 0.05 * math.sin(ph + math.pi / 2) + (
                    0.08 if not membrane else 0.0), "body_pitch": 0.1 if locomotion else 0.0}
            return {"bob": 0.012 * s, "flap_L": 0.05 * s}
        keys = {
            "attack_slash": [(0, {}), (0.35, {"root": [0, 0.12, -0.1], "flap_L": 0.9, "body_pitch": -0.2}),
                             (0.5, {"root": [0, -0.05, 0.2], "flap_L": -0.5, "body_pitch": 0.35}),
                             (0.7, {"root": [0, 0, 0.15], "flap_L": -0.2, "body_pitch": 0.2}), (1, {})],
            "hurt": [(0, {}), (0.25, {"root": [0, 0.05, -0.12], "body_pitch": -0.3, "flap_L": 0.8}), (1, {})],
            "death": [(0, {}), (0.3, {"flap_L": 0.9, "body_pitch": -0.3}),
                      (0.7, {"root": [0, -0.4, 0], "body_roll": 1.0, "flap_L": -0.3}),
                      (1, {"root": [0, -0.5, 0], "body_roll": 1.5, "flap_L": -0.5})],
            "jump": [(0, {}), (0.5, {"root": [0, 0.35, 0], "flap_L": 0.9}), (1, {})],
            "dodge": [(0, {}), (0.45, {"root": [0.3, 0.1, 0], "body_roll": -0.5, "flap_L": 0.6}), (1, {})],
            "block": [(0, {}), (0.3, {"flap_L": -0.9, "body_pitch": -0.1}), (0.75, {"flap_L": -0.9}), (1, {})],
        }
        keys["attack_thrust"] = keys["attack_slash"]
        keys["shoot"] = keys["cast"] = [(0, {}), (0.4, {"flap_L": 0.9, "body_pitch": -0.2}),
                                        (0.6, {"flap_L": -0.3, "body_pitch": 0.2}), (1, {})]
        if "death" in keys and not membrane:
            keys["death"] = [(0, {}), (0.4, {"flap_L": 0.6, "body_pitch": -0.2}),
                             (1, {"body_roll": 1.5, "bob": -0.05, "flap_L": 0.2})]
        return _sample(keys[preset], t, rest)
    if archetype == "amorphous":
        if slime:  # `bob` squashes (>0 flatter, <0 taller), `hop` lifts
            if preset == "idle":
                return {"bob": 0.035 * s}
            if locomotion:
                h = (0.22 if fast else 0.12)
                air = _pos(s)
                return {"hop": round(h * air, 4), "bob": round(0.07 * _pos(-s) - 0.05 * air, 4)}
            keys = {
                "attack_slash": [(0, {}), (0.35, {"bob": 0.12, "root": [0, 0, -0.06]}),
                                 (0.5, {"bob": -0.1, "hop": 0.08, "root": [0, 0, 0.2]}),
                                 (0.7, {"bob": 0.05, "root": [0, 0, 0.18]}), (1, {})],
                "jump": [(0, {}), (0.2, {"bob": 0.14}), (0.4, {"hop": 0.45, "bob": -0.1}),
                         (0.6, {"hop": 0.4, "bob": -0.04}), (0.8, {"hop": 0, "bob": 0.15}), (1, {})],
                "hurt": [(0, {}), (0.25, {"bob": 0.15, "root": [0, 0, -0.1]}), (0.5, {"bob": -0.06}), (1, {})],
                "death": [(0, {}), (0.3, {"bob": -0.08}), (0.7, {"bob": 0.25}), (1, {"bob": 0.3})],
                "dodge": [(0, {}), (0.2, {"bob": 0.1}), (0.45, {"root": [0.3, 0, 0], "hop": 0.12, "bob": -0.06}),
                          (0.7, {"root": [0.3, 0, 0], "bob": 0.08}), (1, {})],
                "block": [(0, {}), (0.3, {"bob": 0.18}), (0.75, {"bob": 0.18}), (1, {})],
            }
            keys["attack_thrust"] = keys["attack_slash"]
            keys["shoot"] = keys["cast"] = [(0, {}), (0.4, {"bob": 0.12}), (0.55, {"bob": -0.1}), (1, {})]
            return _sample(keys[preset], t, rest)
        if preset in ("idle", "walk", "run"):  # ghosts and the like: hover
            return {"bob": (0.05 if preset == "idle" else 0.04) * s, "body_pitch": 0.1 if locomotion else 0.0,
                    "body_roll": 0.04 * math.sin(p + 0.7) if locomotion else 0.0}
    if archetype == "serpentine":
        if preset in ("idle", "walk", "run"):
            k = 2 if fast else 1
            return {"stretch": (0.06 if locomotion else 0.02) * math.sin(k * p),
                    "head_yaw": (0.2 if locomotion else 0.1) * math.sin(k * p + 0.8),
                    "head_nod": 0.05 * math.sin(k * p), "body_yaw": 0.08 * math.sin(k * p) if locomotion else 0.0}
        keys = {
            "attack_slash": [(0, {}), (0.35, {"head_nod": -0.35, "strike": -0.08, "stretch": -0.06}),
                             (0.5, {"head_nod": 0.3, "strike": 0.25, "stretch": 0.08}),
                             (0.7, {"head_nod": 0.2, "strike": 0.2}), (1, {})],
            "hurt": [(0, {}), (0.25, {"head_nod": -0.4, "strike": -0.1, "stretch": -0.08}), (1, {})],
            "death": [(0, {}), (0.4, {"head_nod": -0.4}), (1, {"head_nod": 0.6, "strike": 0.05, "body_roll": 0.4})],
            "jump": [(0, {}), (0.3, {"stretch": -0.1}), (0.5, {"root": [0, 0.25, 0], "stretch": 0.12}), (1, {})],
            "dodge": [(0, {}), (0.45, {"root": [0.25, 0, 0], "head_yaw": -0.4}), (1, {})],
            "block": [(0, {}), (0.3, {"head_nod": -0.4, "strike": -0.1}), (0.75, {"head_nod": -0.4}), (1, {})],
        }
        keys["attack_thrust"] = keys["attack_slash"]
        keys["shoot"] = keys["cast"] = [(0, {}), (0.4, {"head_nod": -0.4}), (0.55, {"head_nod": 0.25,
                                                                                       "strike": 0.12}), (1, {})]
        return _sample(keys[preset], t, rest)
    if archetype == "arthropod":
        if preset in ("walk", "run"):
            out: dict[str, Any] = {"bob": 0.01 * math.cos(2 * p)}
            for i in range(4):
                sign = 1 if i % 2 == 0 else -1
                out[f"swing{i}_L"] = 0.3 * sign * s
                out[f"swing{i}_R"] = -0.3 * sign * s
                out[f"lift{i}_L"] = 0.3 * _pos(sign * c)
                out[f"lift{i}_R"] = 0.3 * _pos(-sign * c)
            return {k: round(v, 4) for k, v in out.items() if k in rest}
        if preset == "idle":
            return {"bob": 0.01 * s}
    # generic fallback (props, ghosts' one-shots, arthropod one-shots): whole-body motion only
    keys = {
        "idle": [(0, {})],
        "attack_slash": [(0, {}), (0.35, {"root": [0, 0, -0.08], "body_pitch": -0.15}),
                         (0.5, {"root": [0, 0, 0.18], "body_pitch": 0.2}), (1, {})],
        "jump": [(0, {}), (0.2, {"bob": -0.04}), (0.5, {"root": [0, 0.35, 0]}), (0.85, {"bob": -0.03}), (1, {})],
        "hurt": [(0, {}), (0.25, {"root": [0, 0, -0.1], "body_pitch": -0.2}), (1, {})],
        "death": [(0, {}), (0.4, {"body_pitch": -0.2}), (1, {"body_roll": 1.45, "bob": -0.05})],
        "dodge": [(0, {}), (0.45, {"root": [0.3, 0.06, 0], "body_roll": -0.3}), (1, {})],
        "block": [(0, {}), (0.3, {"body_pitch": -0.2, "bob": -0.03}), (0.75, {"body_pitch": -0.2}), (1, {})],
    }
    keys["attack_thrust"] = keys["attack_slash"]
    keys["shoot"] = keys["cast"] = [(0, {}), (0.4, {"body_pitch": -0.15}), (0.55, {"body_pitch": 0.15}), (1, {})]
    if preset in ("walk", "run"):
        return {"bob": (0.06 if fast else 0.03) * _pos(s), "body_pitch": 0.06 * c}
    return _sample(keys[preset], t, rest)


# ---------------------------------------------------------------------------------------------- events
EVENT_AT = {"attack_slash": ("windup", 0.35, "hit", 0.5), "attack_thrust": ("windup", 0.35, "hit", 0.5),
            "shoot": ("draw", 0.3, "release", 0.7), "cast": ("windup", 0.4, "release", 0.6),
            "jump": ("takeoff", 0.35, "land", 0.8), "hurt": ("hurt", 0.0, None, 0), "death": ("fall", 0.45,
                                                                                              "dead", 1.0),
            "block": ("block", 0.3, None, 0), "dodge": ("dodge", 0.2, None, 0)}


def _frame_at(times: list[float], target: float) -> int:
    """The first frame at or after `target` (the last one if none)."""
    for i, t in enumerate(times):
        if t >= target - 1e-9:
            return i
    return len(times) - 1


def events_for(preset: str, times: list[float], locomotion_contacts: bool) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    n = len(times)
    if preset in ("walk", "run") and locomotion_contacts:
        out.setdefault(0, []).append("step_l")
        out.setdefault(n // 2, []).append("step_r")
    elif preset in EVENT_AT:
        a, ta, b, tb = EVENT_AT[preset]
        out.setdefault(_frame_at(times, ta), []).append(a)
        if b:
            out.setdefault(_frame_at(times, tb), []).append(b)
    return out


# ---------------------------------------------------------------------------------------------- custom
FILLER = {"a", "an", "the", "then", "and", "his", "her", "its", "their", "it", "to", "with", "of", "slowly",
          "quickly", "briefly", "once", "both", "up", "high", "in", "place", "around", "arm", "arms", "hand",
          "hands", "head", "body", "forward", "back", "backward", "down", "left", "right", "twice", "over",
          "bit", "little", "air", "side", "sideways"}
VERBS = {"raise": "raise", "raises": "raise", "lift": "raise", "lifts": "raise", "lower": "lower",
         "lowers": "lower", "wave": "wave", "waves": "wave", "waving": "wave", "bow": "bow", "bows": "bow",
         "spin": "spin", "spins": "spin", "turn": "spin", "turns": "spin", "nod": "nod", "nods": "nod",
         "shake": "shake", "shakes": "shake", "jump": "jump", "jumps": "jump", "hop": "hop", "hops": "hop",
         "crouch": "crouch", "crouches": "crouch", "duck": "crouch", "ducks": "crouch", "kneel": "kneel",
         "kneels": "kneel", "lean": "lean", "leans": "lean", "punch": "punch", "punches": "punch",
         "point": "point", "points": "point", "clap": "clap", "claps": "clap", "shrug": "shrug",
         "shrugs": "shrug", "stomp": "stomp", "stomps": "stomp", "look": "look", "looks": "look",
         "stretch": "stretch", "stretches": "stretch", "step": "step", "steps": "step", "squash": "squash",
         "squashes": "squash", "flap": "flap", "flaps": "flap", "rest": "rest", "pause": "rest", "wait": "rest",
         "hold": "rest", "stand": "rest"}
NEEDS_ARMS = {"raise", "lower", "wave", "punch", "point", "clap", "shrug"}
_SPLIT = re.compile(r"\s*(?:,|;|\bthen\b|\band then\b)\s*")


@dataclass(frozen=True)
class Gesture:
    verb: str
    side: str          # left | right | both
    direction: str     # up | down | forward | back | left | right | ""
    repeat: int
    words: tuple[str, ...] = field(default_factory=tuple)


def parse_custom_motion(text: str) -> list[Gesture]:
    """'raise both arms then bow' -> [Gesture(raise, both), Gesture(bow)]. Raises MotionProblem naming every
    word it cannot read, and when a step has no verb. Vocabulary: docs/animations.md."""
    if not isinstance(text, str) or not text.strip():
        raise MotionProblem("custom_motion is empty; describe the motion, e.g. 'raise both arms then bow'")
    if len(text) > 200:
        raise MotionProblem("custom_motion is longer than 200 characters")
    steps = [s for s in _SPLIT.split(text.lower().strip()) if s.strip()]
    unknown: list[str] = []
    gestures: list[Gesture] = []
    for step in steps:
        words = re.findall(r"[a-z]+", step)
        bad = [w for w in words if w not in VERBS and w not in FILLER]
        unknown += [w for w in bad if w not in unknown]
        verbs = [VERBS[w] for w in words if w in VERBS]
        if not verbs and not bad:
            raise MotionProblem(f"custom_motion step {step!r} has no motion verb (known verbs: "
                                f"{', '.join(sorted(set(VERBS.values())))})")
        side = "both" if "both" in words or "arms" in words or "hands" in words else (
            "left" if "left" in words else "right" if "right" in words else "right")
        direction = next((w for w in ("up", "down", "forward", "back", "backward", "left", "right")
                          if w in words), "")
        repeat = 2 if "twice" in words else 1
        for verb in verbs[:1]:
            gestures.append(Gesture(verb, side, "back" if direction == "backward" else direction, repeat,
                                    tuple(words)))
    if unknown:
        raise MotionProblem(f"custom_motion: cannot read {', '.join(repr(w) for w in unknown)}; known motions: "
                            f"{', '.join(sorted(set(VERBS.values())))} (with left/right/both, arms/hands/head, "
                            "up/down/forward/back, twice; steps joined by 'then' or commas)")
    if len(gestures) > 6:
        raise MotionProblem("custom_motion: at most 6 steps")
    return gestures


def _gesture_pose(g: Gesture, rest: dict, biped: bool, x: float) -> tuple[dict[str, Any], float]:
    """Pose of gesture g at its local time x (0..1, held pose in the middle); and a yaw offset in degrees."""
    env = math.sin(math.pi * x)  # 0 -> 1 -> 0 over the gesture
    sides = ["hand_L", "hand_R"] if g.side == "both" else ["hand_L" if g.side == "left" else "hand_R"]
    out: dict[str, Any] = {}
    yaw = 0.0
    if g.verb == "spin":
        yaw = (-360.0 if g.direction == "left" else 360.0) * _ease(x) * g.repeat
        return out, yaw
    if g.verb in ("jump", "hop"):
        out["root"] = [0.0, round((0.35 if g.verb == "jump" else 0.18) * math.sin(math.pi * (x * g.repeat % 1)),
                                  4), 0.0]
        return out, yaw
    if g.verb == "rest":
        return out, yaw
    if g.verb in ("crouch", "kneel", "squash"):
        out["bob"] = round((-0.2 if g.verb == "kneel" else -0.12) * env, 4) if biped else round(0.12 * env, 4)
        if biped:
            out["squash"] = round(1 - 0.05 * env, 4)
        return out, yaw
    if g.verb == "stretch" and not biped:
        out["bob"] = round(-0.1 * env, 4)
        return out, yaw
    if g.verb in ("bow", "nod", "shake", "look", "lean", "step", "stomp", "stretch", "flap"):
        if g.verb == "bow":
            out["lean"] = round(rest.get("lean", 0.0) + 0.6 * env, 4)
            out["head_pitch"] = round(0.2 * env, 4)
        elif g.verb == "nod":
            out["head_pitch"] = round(0.25 * math.sin(2 * math.pi * x * 2 * g.repeat) * env, 4)
        elif g.verb == "shake":
            out["twist"] = round(0.15 * math.sin(2 * math.pi * x * 2 * g.repeat) * env, 4)
        elif g.verb == "look":
            out["twist"] = round((0.3 if g.direction != "right" else -0.3) * env, 4)
            if g.direction in ("up", "down"):
                out = {"head_pitch": round((-0.3 if g.direction == "up" else 0.3) * env, 4)}
        elif g.verb == "lean":
            out["lean"] = round(rest.get("lean", 0.0) + (-0.3 if g.direction == "back" else 0.3) * env, 4)
        elif g.verb in ("step", "stomp"):
            foot = "foot_L" if g.side == "left" else "foot_R"
            lift = math.sin(math.pi * min(x * 2, 1.0))
            dz = (-0.15 if g.direction == "back" else 0.15 if g.verb == "step" else 0.0)
            out[foot] = _v(rest[foot], dy=0.12 * lift, dz=dz * min(x * 2, 1.0) * (1 - max(0.0, x - 0.75) * 4))
        elif g.verb == "stretch":
            out["squash"] = round(1 + 0.06 * env, 4)
            out["hand_L"] = _v(rest["hand_L"], dy=0.5 * env)
            out["hand_R"] = _v(rest["hand_R"], dy=0.5 * env)
        elif g.verb == "flap":
            out["flap_L"] = round(0.7 * math.sin(2 * math.pi * x * 2 * g.repeat), 4)
        if not biped:
            out = {("body_pitch" if k in ("lean", "head_pitch") else "body_yaw" if k == "twist" else k): v
                   for k, v in out.items() if not k.startswith(("foot", "hand"))}
        return out, yaw
    for hand in sides:
        r = rest[hand]
        if g.verb == "raise":
            target = [r[0] + 0.02, 0.78, 0.08] if g.direction != "forward" else [r[0] - 0.05, 0.45, 0.45]
        elif g.verb == "lower":
            target = [r[0], -0.05, 0.05]
        elif g.verb == "wave":
            wig = 0.1 * math.sin(2 * math.pi * x * 3 * g.repeat)
            target = [r[0] + 0.1 + wig, 0.72, 0.12]
        elif g.verb == "punch":
            k = math.sin(math.pi * min(x * 2 * g.repeat % 1.0 + 1e-9, 1.0))
            target = [r[0] - 0.12 * k, 0.35, r[2] + 0.4 * k]
            out["twist"] = round(0.3 * k * (1 if hand == "hand_R" else -1), 4)
        elif g.verb == "point":
            target = [r[0] - 0.02, 0.42, 0.52]
        elif g.verb == "clap":
            k = abs(math.sin(2 * math.pi * x * 2 * g.repeat))
            target = [0.05 + 0.15 * k, 0.36, 0.32]
        else:  # shrug
            target = [r[0] + 0.08, 0.2, 0.12]
        out[hand] = _lerp(r, target, env if g.verb not in ("punch",) else 1.0)
    if g.verb == "clap":
        for hand in ("hand_L", "hand_R"):
            r = rest[hand]
            k = abs(math.sin(2 * math.pi * x * 2 * g.repeat))
            out[hand] = _lerp(r, [0.05 + 0.15 * k, 0.36, 0.32], env)
    return out, yaw


# ---------------------------------------------------------------------------------------------- plan
@dataclass
class MotionPlan:
    spec: dict[str, Any]                   # rigged spec with `animations[name]` (keys, one per frame)
    name: str                              # animation name in the spec
    archetype: str
    poses: list[dict[str, Any]]            # channel values per frame (what the keys set)
    events: dict[int, list[str]]
    yaw_offsets: list[float]               # per frame, degrees added to the direction (custom "spin")
    ms: int
    loop: bool
    notes: list[str]


def plan_motion(*, spec: dict, preset: str, frame_count: int, fps: int, loop: bool, weapon_hand: str | None = None,
                custom_motion: str | None = None, archetype: str | None = None) -> MotionPlan:
    if preset not in PRESETS:
        raise MotionProblem(f"preset must be one of {', '.join(PRESETS)}")
    n = int(frame_count)
    if not 2 <= n <= 24:
        raise MotionProblem("frame_count must be 2 to 24")
    kind = archetype or detect_archetype(spec)
    rigged, notes = rig_spec(spec, kind)
    weapon = "hand_R"
    if kind == "biped" and weapon_hand == "left":
        weapon = "hand_L"
        bones = rigged["bones"]
        for name, b in bones.items():
            if name in ("weapon", "offhand", "shieldmount") and b.get("parent") in ("wrist_R", "wrist_L"):
                b["parent"] = "wrist_L" if b["parent"] == "wrist_R" else "wrist_R"
        chans = rigged["channels"]
        if "hand_R" in chans and "hand_L" in chans:
            chans["hand_L"], chans["hand_R"] = chans["hand_R"], chans["hand_L"]
        notes.append("weapon moved to the left hand (the shield or bow to the right)")
    elif weapon_hand and kind != "biped":
        notes.append(f"weapon_hand ignored: a {kind} holds no weapon")
    rig_sockets(rigged, kind, weapon)
    rest = _rest(rigged)
    if kind == "winged":
        rest["_membrane"] = 1.0 if "membrane" in str((rigged["parts"].get("wing_L") or {}).get("prims")) else 0.0
    slime = kind == "amorphous" and "hop" in rest
    ms = max(1, round(1000 / int(fps)))
    times = [i / n if loop else i / (n - 1) for i in range(n)]
    yaw_offsets = [0.0] * n
    poses: list[dict[str, Any]] = []
    if preset == "custom":
        gestures = parse_custom_motion(custom_motion or "")
        if kind != "biped":
            armless = [g.verb for g in gestures if g.verb in NEEDS_ARMS]
            if armless:
                raise MotionProblem(f"custom_motion: a {kind} has no arms ({', '.join(sorted(set(armless)))})")
        for i, t in enumerate(times):
            k = min(int(t * len(gestures)), len(gestures) - 1) if t < 1 else len(gestures) - 1
            x = t * len(gestures) - k
            pose, yaw = _gesture_pose(gestures[k], rest, kind == "biped", min(max(x, 0.0), 1.0))
            poses.append(pose)
            yaw_offsets[i] = yaw % 360.0 if abs(yaw) < 359.999 else 0.0
        notes.append("custom motion: " + " then ".join(f"{g.verb} ({g.side})" if g.verb in NEEDS_ARMS else g.verb
                                                       for g in gestures))
    else:
        for t in times:
            p = 2 * math.pi * t
            if kind == "biped":
                poses.append(_biped(preset, t, p, rest, weapon))
            else:
                poses.append(_creature(kind, preset, t, p, rest, slime))
    known = set(rest)
    poses = [{c: v for c, v in pose.items() if c in known and not c.startswith("_")} for pose in poses]
    contacts = kind in ("biped", "quadruped", "arthropod") or slime
    events = events_for(preset, times, contacts)
    name = preset if preset != "custom" else "custom"
    keys = []
    for i, pose in enumerate(poses):
        key: dict[str, Any] = {"ms": ms, "set": pose}
        if events.get(i):
            key["event"] = events[i] if len(events[i]) > 1 else events[i][0]
        keys.append(key)
    rigged["animations"] = dict(rigged.get("animations") or {})
    rigged["animations"][name] = {"loop": bool(loop), "keys": keys}
    return MotionPlan(spec=rigged, name=name, archetype=kind, poses=poses, events=events, yaw_offsets=yaw_offsets,
                      ms=ms, loop=bool(loop), notes=notes)
