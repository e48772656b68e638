"""Procedural 3D models as spritekiln spec dicts: humanoids, creatures and items (pure Python, no numpy).

World units are "game metres" (a human is about 1.8 tall), +Y up, +Z the model's front (it faces the viewer in
direction `s`), +X the model's left. Parts named `*_L` are mirrored to `*_R` by the engine. Every builder takes
`colours` (slot -> "#rrggbb") and returns the sections of a spec; `compiler.py` assembles them.
"""
from __future__ import annotations

import colorsys
import math
from typing import Any

from .vocabulary import METAL_COLOURS  # noqa: F401  (re-exported for the compiler)

LIGHT = {"dir": [-0.55, 1.0, 0.45], "rim": [0.8, 0.35, -0.9], "rim_strength": 0.4, "ambient": 0.14}


# ---------------------------------------------------------------------------------------------- colour ramps
def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb)


def _toward(h: float, target: float, amount: float) -> float:
    d = ((target - h + 0.5) % 1.0) - 0.5
    return (h + max(-amount, min(amount, d))) % 1.0


def shade(hex_colour: str, amount: float) -> str:
    """Lighter (amount > 0) or darker (< 0) version of a colour, in HLS lightness."""
    h, lum, s = colorsys.rgb_to_hls(*_rgb(hex_colour))
    lum = lum + (1 - lum) * amount if amount > 0 else lum * (1 + amount)
    return _hex(colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s))


def ramp(hex_colour: str, *, metal: bool = False) -> list[str]:
    """A 5-tone pixel-art ramp: index 0 the outline tone, then shadow -> highlight, with hue shifting
    (shadows toward blue-violet, highlights toward yellow). The base colour is tone 3."""
    h, lum, s = colorsys.rgb_to_hls(*_rgb(hex_colour))
    lum = min(max(lum, 0.1), 0.9)
    out = []
    specs = [(0.24, -0.06, 0.75), (0.55, -0.035, 1.0), (0.78, -0.015, 1.0), (1.0, 0.0, 1.0)]
    for factor, shift, sat in specs:
        hh = _toward(h, 0.70, -shift) if s > 0.05 else h
        out.append(_hex(colorsys.hls_to_rgb(hh, max(0.035, lum * factor), min(1.0, s * sat))))
    hi = lum + (1 - lum) * (0.5 if metal else 0.3)
    hh = _toward(h, 0.14, 0.03) if s > 0.05 else h
    out.append(_hex(colorsys.hls_to_rgb(hh, hi, min(1.0, s * 0.85))))
    return out


class Spec:
    """Accumulates materials, ramps, bones and parts of one model."""

    def __init__(self) -> None:
        self.ramps: dict[str, list[str]] = {}
        self.materials: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Any] = {"root": [0, 0, 0], "bob": 0}
        self.bones: dict[str, Any] = {}
        self.ik: dict[str, Any] = {}
        self.parts: dict[str, Any] = {}
        self.animations: dict[str, Any] = {
            "idle": {"frames": 4, "ms": 160, "channels": {"bob": "0.02*sin(p)"}}}
        self.used: dict[str, list[str]] = {}   # colour slot -> materials using it

    def material(self, name: str, colour: str, *, slot: str | None = None, metal: bool = False,
                 emissive: bool = False, glow: str | None = None, two_sided: bool = False,
                 bands: list[int] | None = None) -> str:
        if name in self.materials:
            return name
        if emissive:
            self.ramps[name] = [shade(colour, -0.5), colour, shade(colour, 0.45)]
            mat: dict[str, Any] = {"ramp": name, "emissive": True, "band": 1}
            if glow:
                mat["glow"] = {"color": glow, "mix": 0.35, "radius": 1}
        else:
            self.ramps[name] = ramp(colour, metal=metal)
            mat = {"ramp": name}
            if two_sided:
                mat["two_sided"] = True
            if bands:
                mat["bands"] = bands
        self.materials[name] = mat
        self.used.setdefault(slot or name, []).append(name)
        return name

    def ink(self) -> str:
        if "ink" not in self.materials:
            self.ramps["ink"] = ["#120d16", "#1d1622", "#2a2232"]
            self.materials["ink"] = {"ramp": "ink", "emissive": True, "band": 1, "line": False}
        return "ink"

    def part(self, name: str, material: str, prims: list[dict], *, space: str | None = None,
             blend: float | None = None, cut: list[dict] | None = None, line: bool | None = None) -> None:
        p: dict[str, Any] = {"material": material}
        if space:
            p["space"] = space
        if blend:
            p["blend"] = blend
        p["prims"] = prims
        if cut:
            p["cut"] = cut
        if line is not None:
            p["line"] = line
        self.parts[name] = p

    def sections(self) -> dict[str, Any]:
        return {"light": LIGHT, "ramps": self.ramps, "materials": self.materials, "channels": self.channels,
                "bones": self.bones, "ik": self.ik, "parts": self.parts, "animations": self.animations}


def _r(v: float) -> float:
    return round(v, 4)


def _v(*xs: float) -> list[float]:
    return [_r(x) for x in xs]


def sphere(c: list[float], r: float) -> dict:
    return {"sphere": {"c": c, "r": _r(r)}}


def ell(c: list[float], r: list[float], rot: list[float] | None = None) -> dict:
    d: dict[str, Any] = {"c": c, "r": r}
    if rot:
        d["rot"] = rot
    return {"ellipsoid": d}


def cone(a: Any, b: Any, r1: float, r2: float | None = None) -> dict:
    return {"cone": {"a": a, "b": b, "r": [_r(r1), _r(r1 if r2 is None else r2)]}}


def chain(pts: list[Any], rs: list[float]) -> dict:
    return {"chain": {"pts": pts, "r": [_r(r) for r in rs]}}


def box(c: list[float], half: list[float], rot: list[float] | None = None, rnd: float = 0.0) -> dict:
    d: dict[str, Any] = {"c": c, "half": half}
    if rot:
        d["rot"] = rot
    if rnd:
        d["round"] = _r(rnd)
    return {"box": d}


def cyl(a: list[float], b: list[float], r: float, rnd: float = 0.0) -> dict:
    d: dict[str, Any] = {"a": a, "b": b, "r": _r(r)}
    if rnd:
        d["round"] = _r(rnd)
    return {"cylinder": d}


def torus(c: list[float], big: float, small: float, rot: list[float] | None = None) -> dict:
    d: dict[str, Any] = {"c": c, "R": _r(big), "r": _r(small)}
    if rot:
        d["rot"] = rot
    return {"torus": d}


# ---------------------------------------------------------------------------------------------- humanoids
BUILDS = {
    "normal": dict(hs=1.32, l1=0.42, l2=0.40, a1=0.29, a2=0.27, wf=1.0, tf=1.0),
    "chibi": dict(hs=1.75, l1=0.27, l2=0.26, a1=0.21, a2=0.19, wf=0.95, tf=0.78),
    "stocky": dict(hs=1.25, l1=0.34, l2=0.32, a1=0.29, a2=0.27, wf=1.18, tf=0.98),
    "tall": dict(hs=1.15, l1=0.50, l2=0.48, a1=0.33, a2=0.31, wf=0.9, tf=1.1),
}


def weapon_prims(kind: str, m: dict[str, str]) -> list[tuple[str, str, list[dict]]]:
    """(part suffix, material key, prims) of a hand-held weapon along +y from the grip at the origin."""
    if kind == "sword":
        return [("blade", "main", [box(_v(0, 0.40, 0), _v(0.038, 0.30, 0.012)),
                                   cone(_v(0, 0.69, 0), _v(0, 0.78, 0), 0.034, 0.004)]),
                ("guard", "trim", [box(_v(0, 0.075, 0), _v(0.10, 0.02, 0.028), rnd=0.01),
                                   sphere(_v(0, -0.10, 0), 0.038)]),
                ("grip", "handle", [cyl(_v(0, -0.08, 0), _v(0, 0.06, 0), 0.026)])]
    if kind == "dagger":
        return [("blade", "main", [box(_v(0, 0.20, 0), _v(0.032, 0.13, 0.011)),
                                   cone(_v(0, 0.32, 0), _v(0, 0.37, 0), 0.03, 0.004)]),
                ("guard", "trim", [box(_v(0, 0.06, 0), _v(0.07, 0.018, 0.025), rnd=0.008)]),
                ("grip", "handle", [cyl(_v(0, -0.07, 0), _v(0, 0.05, 0), 0.024)])]
    if kind == "axe":
        return [("head", "main", [ell(_v(-0.15, 0.52, 0), _v(0.09, 0.15, 0.022)),
                                  box(_v(-0.06, 0.52, 0), _v(0.06, 0.05, 0.03), rnd=0.01)]),
                ("grip", "handle", [cyl(_v(0, -0.14, 0), _v(0, 0.64, 0), 0.03)])]
    if kind == "hammer":
        return [("head", "main", [box(_v(0, 0.58, 0), _v(0.15, 0.085, 0.085), rnd=0.025)]),
                ("grip", "handle", [cyl(_v(0, -0.14, 0), _v(0, 0.52, 0), 0.032)])]
    if kind == "spear":
        return [("head", "main", [cone(_v(0, 0.92, 0), _v(0, 1.16, 0), 0.055, 0.006)]),
                ("grip", "handle", [cyl(_v(0, -0.55, 0), _v(0, 0.95, 0), 0.027)])]
    if kind == "staff":
        return [("orb", "detail", [sphere(_v(0, 0.86, 0), 0.085)]),
                ("grip", "handle", [cyl(_v(0, -0.58, 0), _v(0, 0.76, 0), 0.034),
                                    cone(_v(0, 0.72, 0), _v(-0.07, 0.86, 0), 0.03, 0.018),
                                    cone(_v(0, 0.72, 0), _v(0.07, 0.86, 0), 0.03, 0.018)])]
    if kind == "wand":
        return [("tip", "detail", [sphere(_v(0, 0.34, 0), 0.04)]),
                ("grip", "handle", [cone(_v(0, -0.05, 0), _v(0, 0.31, 0), 0.024, 0.016)])]
    if kind == "torch":
        return [("flame", "detail", [ell(_v(0, 0.47, 0), _v(0.07, 0.12, 0.07))]),
                ("wrap", "trim", [cyl(_v(0, 0.28, 0), _v(0, 0.37, 0), 0.05, 0.01)]),
                ("grip", "handle", [cone(_v(0, -0.16, 0), _v(0, 0.32, 0), 0.03, 0.036)])]
    if kind == "bow":
        return [("bow", "main", [chain([_v(0, -0.46, -0.07), _v(0, -0.24, 0.03), _v(0, 0, 0.065),
                                        _v(0, 0.24, 0.03), _v(0, 0.46, -0.07)], [0.016, 0.026, 0.032, 0.026, 0.016])]),
                ("grip", "handle", [cyl(_v(0, -0.07, 0.06), _v(0, 0.07, 0.06), 0.036)])]
    if kind == "shield":
        return [("shield", "main", [cyl(_v(0, 0, -0.02), _v(0, 0, 0.03), 0.21, 0.012)]),
                ("boss", "trim", [sphere(_v(0, 0, 0.035), 0.055)])]
    raise KeyError(kind)


EMISSIVE_DETAIL = {"staff", "wand", "torch"}


def humanoid(o: dict[str, Any], colours: dict[str, str]) -> Spec:
    """A biped from role options: outfit, headwear, equipment, build, cape, hair, beard, ears."""
    b = BUILDS[o.get("build") or "normal"]
    hs, l1, l2, a1, a2, wf, tf = (b[k] for k in ("hs", "l1", "l2", "a1", "a2", "wf", "tf"))
    hs *= o.get("head_jitter", 1.0)
    outfit = o.get("outfit", "tunic")
    sp = Spec()
    pelvis_y = 0.10 + 0.93 * (l1 + l2)
    sh_y, head_y = 0.55 * tf, 0.70 * tf
    hold = bool(o.get("main")) or o.get("off") in ("shield", "bow")
    sp.channels.update({
        "lean": 0.03, "twist": 0, "squash": 1, "head_pitch": 0,
        "hand_L": _v(0.30 * wf + 0.04, 0.16, 0.16) if o.get("off") in ("shield", "bow") else
        _v(0.29 * wf + 0.04, 0.06, 0.06),
        "hand_R": _v(0.29 * wf + 0.02, 0.16, 0.18) if o.get("main") else _v(0.29 * wf + 0.04, 0.06, 0.06),
        "foot_L": _v(0.12 * wf, 0, 0.02),
    })
    del hold
    sp.bones.update({
        "torso_rot": {"parent": "root", "pos": f"[0, {_r(pelvis_y)} + bob, 0]", "rot": "[lean, twist, 0]"},
        "pelvis": {"parent": "torso_rot", "scale": "[1/sqrt(squash), squash, 1/sqrt(squash)]"},
        "headbase": {"parent": "pelvis", "pos": _v(0, head_y, 0.02), "inherit_rot": False,
                     "inherit_scale": False, "rot": "[lean*0.5, twist, 0]"},
        "head": {"parent": "headbase", "rot": "[head_pitch, 0, 0]", "scale": _r(hs)},
        "shoulder_L": {"parent": "pelvis", "pos": _v(0.25 * wf, sh_y, 0.0)},
        "hip_L": {"parent": "pelvis", "pos": _v(0.11 * wf, -0.02, 0.0)},
        "sole_L": {"parent": "root", "at": "ankle_L", "rot": [0, 0.1, 0]},
        "weapon": {"parent": "wrist_R", "pos": [0, 0, 0.045], "rot": [-1.22, 0, 0]},
        "offhand": {"parent": "wrist_L", "pos": [0, 0, 0.045], "rot": [-1.22, 0, 0]},
        "shieldmount": {"parent": "wrist_L", "pos": [0.02, 0.07, -0.04], "rot": [-1.57, 0, 0]},
    })
    sp.ik.update({
        "arm_L": {"start": "shoulder_L", "space": "torso_rot", "target": "hand_L", "lengths": _v(a1, a2),
                  "pole": [0.3, 0.0, -1.0], "pole_space": "torso_rot", "up": [0, 0, 1], "joint": "elbow_L",
                  "end": "wrist_L"},
        "leg_L": {"start": "hip_L", "space": "root", "target": "foot_L + [0, 0.08, -0.02]", "lengths": _v(l1, l2),
                  "pole": [0.1, 0, 1.0], "joint": "knee_L", "end": "ankle_L"},
    })
    sp.animations["idle"]["channels"]["squash"] = "1 + 0.012*sin(p)"
    metal_body = outfit in ("armour", "robot")
    skin = sp.material("skin", colours["skin"], slot="skin", metal=outfit == "robot")
    body = sp.material("body", colours["body"], slot="body", metal=metal_body or colours.get("_body_metal") == "1")
    legs = sp.material("legs", colours["legs"], slot="legs", metal=outfit == "armour")
    boots = sp.material("boots", colours["boots"], slot="boots")
    ink = sp.ink()
    bony = outfit == "bones"
    # ---- torso
    def tv(x: float, y: float, z: float) -> list[float]:
        return _v(x * wf, y * tf, z * (1 + (wf - 1) * 0.6))

    if outfit == "robot":
        sp.part("torso", body, [box(_v(0, 0.30 * tf, 0), tv(0.21, 0.26, 0.15), rnd=0.05),
                                box(_v(0, 0.02, 0), tv(0.16, 0.09, 0.12), rnd=0.04)], space="pelvis", blend=0.02)
        sp.part("core", sp.material("core", colours.get("eyes", "#48d7f0"), emissive=True, slot="eyes"),
                [sphere(_v(0, 0.33 * tf, 0.15 * wf), 0.05)], space="pelvis")
    elif bony:
        sp.part("torso", body, [ell(_v(0, 0.40 * tf, 0), tv(0.16, 0.15, 0.11)),
                                cyl(_v(0, 0.02, -0.02), _v(0, 0.40 * tf, -0.02), 0.035),
                                ell(_v(0, 0.0, 0), tv(0.13, 0.06, 0.08))], space="pelvis", blend=0.03,
                cut=[box(_v(0, 0.36 * tf, 0.12), _v(0.2, 0.012, 0.05)), box(_v(0, 0.44 * tf, 0.12),
                                                                                _v(0.2, 0.012, 0.05))])
    elif outfit == "rock":
        sp.part("torso", body, [sphere(_v(0, 0.40 * tf, 0), 0.30 * wf), sphere(_v(0, 0.12, 0.02), 0.22 * wf),
                                sphere(_v(0.1, 0.5 * tf, 0.1), 0.16)], space="pelvis", blend=0.08)
    else:
        torso_mat = skin if outfit == "bare" else body
        sp.part("torso", torso_mat, [ell(_v(0, 0.04, 0), tv(0.19, 0.13, 0.14)),
                                     ell(_v(0, 0.25 * tf, 0), tv(0.18, 0.16, 0.13)),
                                     ell(_v(0, 0.45 * tf, 0), tv(0.25, 0.16, 0.15))], space="pelvis", blend=0.06)
    if outfit == "bare":
        sp.part("loincloth", legs, [cone(_v(0, 0.12, 0), _v(0, -0.16, 0.01), 0.2 * wf, 0.23 * wf)], space="pelvis")
    # ---- skirts, robes, coats
    if outfit == "robe":
        sp.part("robe", body, [cone(_v(0, 0.16, 0), _v(0, -(pelvis_y - 0.05), -0.01), 0.2 * wf, 0.34 * wf)],
                space="pelvis", blend=0.04)
    elif outfit in ("coat", "tunic", "rags", "leather"):
        length = {"coat": 0.55, "tunic": 0.34, "rags": 0.38, "leather": 0.28}[outfit] * (l1 + l2) / 0.82
        cut = [cone(_v(0, -0.12, 0.22), _v(0, -0.5, 0.30), 0.06, 0.16)] if outfit == "coat" else None
        if outfit == "rags":
            cut = [sphere(_v(0.12 * wf, -length - 0.02, 0.2), 0.09), sphere(_v(-0.1 * wf, -length - 0.02, -0.18), 0.09),
                   sphere(_v(-0.2 * wf, -length, 0.08), 0.08)]
        flare = 0.26 if outfit != "leather" else 0.22
        sp.part("hem", body, [cone(_v(0, 0.05, -0.01), _v(0, -length, -0.03), 0.2 * wf, flare * wf)],
                space="pelvis", blend=0.03, cut=cut)
    elif outfit == "armour":
        sp.part("tasset", legs, [cone(_v(0, 0.06, 0), _v(0, -0.2 * (l1 + l2) / 0.82, 0), 0.21 * wf, 0.25 * wf)],
                space="pelvis")
        sp.part("pauldron_L", body, [sphere("@shoulder_L", 0.12 * min(wf, 1.15))])
    if o.get("belt") or outfit in ("tunic", "coat", "leather", "armour", "robe", "suit", "bare"):
        belt_colour = colours.get("belt") or ("#d8b040" if outfit == "robe" else "#5a3a24")
        belt = sp.material("belt", belt_colour, slot="belt", metal=False)
        sp.part("belt", belt, [cyl(_v(0, 0.10, 0), _v(0, 0.16, 0), 0.2 * wf + (0.01 if outfit == "robe" else 0))],
                space="pelvis")
    # ---- neck and head
    if outfit != "robot":
        sp.part("neck", skin, [cone(_v(0, 0.50 * tf, 0), _v(0, head_y, 0.02), 0.065 if not bony else 0.04, 0.06)],
                space="pelvis")
    if outfit == "robot":
        sp.part("head", skin, [box(_v(0, 0.14, 0), _v(0.14, 0.13, 0.13), rnd=0.04)], space="head")
        sp.part("visor", sp.material("visor", colours.get("eyes", "#48d7f0"), emissive=True, slot="eyes",
                                     glow=colours.get("eyes", "#48d7f0")),
                [box(_v(0, 0.15, 0.12), _v(0.11, 0.03, 0.02), rnd=0.01)], space="head")
        sp.part("antenna", sp.material("trim", colours.get("trim", "#c8ccd4"), slot="trim", metal=True),
                [cyl(_v(0.06, 0.24, 0), _v(0.09, 0.36, 0), 0.014), sphere(_v(0.09, 0.37, 0), 0.03)], space="head")
    else:
        head_prims = [ell(_v(0, 0.14, 0), _v(0.15, 0.16, 0.15)), ell(_v(0, 0.07, 0.04), _v(0.11, 0.09, 0.11))]
        if not bony:
            head_prims.append(sphere(_v(0, 0.11, 0.15), 0.025))
        sp.part("head", skin, head_prims, space="head", blend=0.05)
        glowing = o.get("glow_eyes")
        if glowing:
            eyes = sp.material("eyes", colours.get("eyes", "#ff5a1f"), emissive=True, slot="eyes")
            if bony:
                sp.part("socket_L", ink, [sphere(_v(0.055, 0.12, 0.125), 0.042)], space="head")
            sp.part("eye_L", eyes, [sphere(_v(0.056, 0.12, 0.14), 0.028)], space="head")
        else:
            eyes = ink if "eyes" not in colours else sp.material("eyes", colours["eyes"], emissive=True, slot="eyes")
            sp.part("eye_L", eyes, [sphere(_v(0.058, 0.12, 0.14), 0.03)], space="head")
    if o.get("ears") == "pointy":
        sp.part("ear_L", skin, [cone(_v(0.13, 0.13, -0.01), _v(0.27, 0.23, -0.05), 0.045, 0.008)], space="head")
    if o.get("tusks"):
        tusk = sp.material("tusk", "#ece6d2", slot="accent")
        sp.part("tusk_L", tusk, [cone(_v(0.05, 0.03, 0.12), _v(0.065, 0.11, 0.16), 0.022, 0.006)], space="head")
    # ---- hair and headwear
    head = o.get("head")
    hair_style = o.get("hair_style", "short")
    covered = head in ("helmet", "hood", "mask", "wizard_hat")
    if hair_style != "bald" and outfit not in ("robot", "bones", "rock") and not (covered and hair_style != "long"):
        hair = sp.material("hair", colours["hair"], slot="hair", bands=[1, 3])
        prims = [ell(_v(0, 0.225, -0.03), _v(0.162, 0.10, 0.16)), ell(_v(0, 0.14, -0.09), _v(0.152, 0.12, 0.09)),
                 ell(_v(0, 0.24, 0.09), _v(0.13, 0.05, 0.07))]
        if hair_style == "long":
            prims.append(ell(_v(0, 0.02, -0.1), _v(0.16, 0.2, 0.08)))
        if covered:
            prims = [ell(_v(0, 0.0, -0.1), _v(0.15, 0.18, 0.08))]
        sp.part("hair", hair, prims, space="head", blend=0.04)
    if o.get("beard") and outfit not in ("robot", "bones", "rock") and head != "mask":
        hair = sp.material("hair", colours["hair"], slot="hair", bands=[1, 3])
        sp.part("beard", hair, [ell(_v(0, 0.03, 0.09), _v(0.12, 0.10, 0.08)),
                                cone(_v(0, 0.0, 0.12), _v(0, -0.1, 0.13), 0.07, 0.025)], space="head", blend=0.04)
    hw_colour = colours.get("headwear", colours["body"])
    if head == "helmet":
        hm = sp.material("helmet", hw_colour, slot="headwear", metal=True)
        closed = o.get("closed_helmet", False)
        cut = None if closed else [sphere(_v(0, 0.08, 0.19), 0.125)]
        sp.part("helmet", hm, [ell(_v(0, 0.165, -0.005), _v(0.172, 0.18, 0.172)),
                               cyl(_v(0, 0.14, -0.01), _v(0, 0.165, -0.01), 0.18, 0.01)], space="head", blend=0.02,
                cut=cut)
        if closed:
            sp.part("visor", ink, [box(_v(0, 0.13, 0.165), _v(0.115, 0.022, 0.03))], space="head")
        if o.get("plume"):
            plume = sp.material("plume", colours.get("cape", "#c0302e"), slot="cape")
            sp.part("plume", plume, [chain([_v(0, 0.33, 0.02), _v(0, 0.42, -0.08), _v(0, 0.38, -0.24)],
                                           [0.04, 0.05, 0.03])], space="head", blend=0.02)
    elif head == "hood":
        hm = sp.material("hood", hw_colour, slot="headwear")
        sp.part("hood", hm, [ell(_v(0, 0.15, -0.015), _v(0.172, 0.178, 0.175)),
                             cone(_v(0, 0.06, -0.07), _v(0, -0.06, -0.09), 0.13, 0.15),
                             cone(_v(0, 0.24, -0.1), _v(0, 0.2, -0.22), 0.07, 0.015)], space="head", blend=0.03,
                cut=[sphere(_v(0, 0.1, 0.17), 0.125)])
    elif head == "mask":
        hm = sp.material("mask", hw_colour, slot="headwear")
        sp.part("mask", hm, [ell(_v(0, 0.145, 0), _v(0.158, 0.168, 0.158)),
                             cone(_v(0, 0.18, -0.14), _v(0.05, 0.06, -0.3), 0.03, 0.015)],
                space="head", cut=[box(_v(0, 0.12, 0.16), _v(0.125, 0.032, 0.06))], blend=0.02)
    elif head in ("wizard_hat", "hat", "straw_hat"):
        hm = sp.material("hat", hw_colour, slot="headwear")
        if head == "wizard_hat":
            prims = [cyl(_v(0, 0.255, 0), _v(0, 0.275, 0), 0.29, 0.008),
                     chain([_v(0, 0.27, -0.01), _v(0, 0.45, -0.05), _v(0, 0.6, -0.15)], [0.17, 0.09, 0.015])]
        elif head == "hat":
            prims = [cyl(_v(0, 0.255, 0), _v(0, 0.275, 0), 0.27, 0.008),
                     cyl(_v(0, 0.26, 0), _v(0, 0.40, 0), 0.15, 0.03)]
        else:
            prims = [cyl(_v(0, 0.25, 0), _v(0, 0.265, 0), 0.33, 0.006), cone(_v(0, 0.25, 0), _v(0, 0.38, 0), 0.17, 0.1)]
        sp.part("hat", hm, prims, space="head", blend=0.02)
    elif head == "crown":
        gold = sp.material("crown", colours.get("headwear", "#d8b040"), slot="headwear", metal=True)
        spikes = [cone(_v(0.12 * math.sin(a), 0.27, 0.12 * math.cos(a)),
                       _v(0.12 * math.sin(a), 0.37, 0.12 * math.cos(a)), 0.03, 0.008)
                  for a in (0.0, 1.26, 2.51, 3.77, 5.03)]
        sp.part("crown", gold, [cyl(_v(0, 0.24, 0), _v(0, 0.30, 0), 0.13)] + spikes, space="head",
                cut=[cyl(_v(0, 0.25, 0), _v(0, 0.31, 0), 0.1)])
        gem = sp.material("crowngem", "#d8303a", emissive=True, slot="detail")
        sp.part("crowngem", gem, [sphere(_v(0, 0.27, 0.13), 0.025)], space="head")
    elif head == "horns":
        if o.get("horn_helmet"):
            hm = sp.material("helmet", hw_colour, slot="headwear", metal=True)
            sp.part("helmet", hm, [ell(_v(0, 0.2, -0.01), _v(0.17, 0.15, 0.17))], space="head",
                    cut=[box(_v(0, 0.02, 0), _v(0.3, 0.09, 0.3))])
        horn = sp.material("horn", colours.get("accent", "#ece6d2"), slot="accent")
        sp.part("horn_L", horn, [chain([_v(0.12, 0.22, 0.0), _v(0.22, 0.28, -0.01), _v(0.27, 0.40, -0.04),
                                        _v(0.24, 0.5, -0.07)], [0.048, 0.038, 0.024, 0.008])], space="head")
    # ---- limbs
    sleeve = skin if outfit in ("bare", "leather", "bones", "rock") else body
    limb = 0.45 if bony else 1.6 if outfit == "rock" else 1.0
    arm_w = limb * (1.0 if wf <= 1 else 1.15)
    arm_prims = [sphere("@shoulder_L", 0.085 * arm_w), cone("@shoulder_L", "@elbow_L", 0.075 * arm_w, 0.06 * arm_w),
                 cone("@elbow_L", "@wrist_L", 0.06 * arm_w, 0.05 * arm_w)]
    if outfit == "robe":
        arm_prims[2] = cone("@elbow_L", "@wrist_L", 0.065, 0.085)
    sp.part("arm_L", sleeve, arm_prims, blend=0.03)
    glove = skin
    if outfit == "armour" or colours.get("gloves"):
        glove = sp.material("gloves", colours.get("gloves", colours["legs"]), slot="gloves", metal=outfit == "armour")
    sp.part("hand_L", glove, [sphere(_v(0, 0, 0.04), 0.055 * max(limb, 1.0) * (0.8 if bony else 1))], space="wrist_L")
    leg_mat = skin if bony else legs
    lw = 0.5 if bony else 1.5 if outfit == "rock" else wf ** 0.5
    sp.part("leg_L", leg_mat, [cone("@hip_L", "@knee_L", 0.095 * lw, 0.07 * lw), cone("@knee_L", "@ankle_L",
                                                                                   0.07 * lw, 0.055 * lw)], blend=0.03)
    boot_mat = skin if bony else boots
    sp.part("boot_L", boot_mat, [cone(_v(0, 0.10, 0), _v(0, -0.02, 0.0), 0.065 * lw ** 0.5, 0.065 * lw ** 0.5),
                                 ell(_v(0, -0.04, 0.05), _v(0.065 * lw ** 0.5, 0.045, 0.11))],
            space="sole_L", blend=0.03)
    # ---- cape
    if o.get("cape"):
        cape = sp.material("cape", colours.get("cape", "#b03a2e"), slot="cape")
        sp.part("cape", cape, [ell(_v(0, 0.6 * tf, -0.14 * wf), _v(0.2 * wf, 0.07, 0.12)),
                               box(_v(0, (0.58 * tf - (pelvis_y - 0.3)) / 2, -0.27 * wf),
                                   _v(0.22 * wf, (0.58 * tf + pelvis_y - 0.3) / 2, 0.025), [-0.12, 0, 0], 0.02)],
                space="pelvis", blend=0.08)
    # ---- equipment
    mats = {"main": colours.get("weapon", "#c8d0dc"), "handle": colours.get("handle", "#6b4a2e"),
            "trim": colours.get("trim", "#c9a23f"), "detail": colours.get("detail", "#48b7f0")}
    main = o.get("main")
    if main:
        _equip(sp, main, "weapon", "w", mats, colours)
    off = o.get("off")
    if off == "shield":
        smats = dict(mats, main=colours.get("shield", "#2f5fa8"), trim=colours.get("trim", "#b9bcc0"))
        _equip(sp, "shield", "shieldmount", "s", smats, colours)
    elif off == "bow":
        bmats = dict(mats, main=colours.get("weapon", "#8a5a30"))
        _equip(sp, "bow", "offhand", "b", bmats, colours)
    return sp


def _equip(sp: Spec, kind: str, space: str, prefix: str, mats: dict[str, str], colours: dict[str, str]) -> None:
    for suffix, key, prims in weapon_prims(kind, mats):
        colour = mats[key]
        slot = {"main": "shield" if kind == "shield" else "weapon", "handle": "handle", "trim": "trim",
                "detail": "detail"}[key]
        name = f"{kind}_{key}"
        if key == "detail" and kind in EMISSIVE_DETAIL:
            mat = sp.material(name, colour, emissive=True, slot=slot, glow=colour)
        else:
            mat = sp.material(name, colour, slot=slot, metal=key == "main" and kind not in ("bow", "shield"))
        sp.part(kind if suffix == kind else f"{kind}_{suffix}", mat, prims, space=space)


# ---------------------------------------------------------------------------------------------- creatures
QUADRUPEDS = {
    # body length, height at the back, leg length, head radius, snout length, ear kind, tail kind
    "wolf": dict(length=0.42, height=0.62, head=0.17, snout=0.2, ears="pointy", tail="bushy", thick=0.2),
    "dog": dict(length=0.38, height=0.55, head=0.17, snout=0.16, ears="floppy", tail="thin", thick=0.19),
    "fox": dict(length=0.36, height=0.48, head=0.15, snout=0.19, ears="big", tail="fox", thick=0.16),
    "cat": dict(length=0.32, height=0.46, head=0.16, snout=0.05, ears="pointy", tail="thin", thick=0.15),
    "boar": dict(length=0.44, height=0.55, head=0.2, snout=0.2, ears="pointy", tail="thin", thick=0.28,
                 tusks=True, mane=True),
    "bear": dict(length=0.48, height=0.72, head=0.22, snout=0.1, ears="round", tail="stub", thick=0.32),
    "rat": dict(length=0.3, height=0.32, head=0.13, snout=0.14, ears="round", tail="long", thick=0.16),
}


def quadruped(shape: str, colours: dict[str, str], *, dragon: bool = False) -> Spec:
    q = QUADRUPEDS.get(shape, QUADRUPEDS["wolf"]) if not dragon else dict(
        length=0.5, height=0.7, head=0.18, snout=0.22, ears="none", tail="dragon", thick=0.27, horns=True)
    sp = Spec()
    sp.bones["body"] = {"parent": "root", "pos": "[0, bob, 0]"}
    body = sp.material("body", colours["body"], slot="body")
    belly = sp.material("belly", colours.get("belly", shade(colours["body"], 0.35)), slot="belly")
    ink = sp.ink()
    L, H, T, hr = q["length"], q["height"], q["thick"], q["head"]
    spine_y = H - T * 0.3
    sp.part("torso", body, [ell(_v(0, spine_y, -L * 0.35), _v(T, T * 0.95, L * 0.62)),
                            sphere(_v(0, spine_y + 0.02, L * 0.45), T * 1.08)], space="body", blend=0.1)
    sp.part("chest", belly, [ell(_v(0, spine_y - T * 0.45, L * 0.35), _v(T * 0.7, T * 0.55, T * 0.6))],
            space="body", blend=0.02)
    head_c = _v(0, spine_y + T * 0.75 + (0.1 if dragon else 0), L * 0.55 + T * 0.8 + (0.12 if dragon else 0))
    sp.part("neck", body, [cone(_v(0, spine_y + 0.03, L * 0.5), head_c, T * 0.75, hr * 0.8)], space="body")
    sp.part("head", body, [sphere(head_c, hr), cone(head_c, _v(0, head_c[1] - hr * 0.35, head_c[2] + hr * 0.45 +
                                                                 q["snout"]), hr * 0.7, hr * 0.42)],
            space="body", blend=0.05)
    nose = _v(0, head_c[1] - hr * 0.3, head_c[2] + hr * 0.55 + q["snout"])
    sp.part("nose", ink, [sphere(nose, max(0.03, hr * 0.22))], space="body")
    eye_c = _v(hr * 0.55, head_c[1] + hr * 0.25, head_c[2] + hr * 0.68)
    if "eyes" in colours:
        eyes = sp.material("eyes", colours["eyes"], emissive=True, slot="eyes")
    else:
        eyes = ink
    sp.part("eye_L", eyes, [sphere(eye_c, max(0.028, hr * 0.18))], space="body")
    ears = q["ears"]
    ec = [hr * 0.55, head_c[1] + hr * 0.7, head_c[2] - hr * 0.2]
    if ears in ("pointy", "big"):
        k = 1.5 if ears == "big" else 1.0
        sp.part("ear_L", body, [cone(_v(*ec), _v(ec[0] + 0.04, ec[1] + 0.15 * k, ec[2] - 0.02), 0.06 * k, 0.01)],
                space="body")
    elif ears == "round":
        sp.part("ear_L", body, [ell(_v(ec[0] + 0.02, ec[1] + 0.03, ec[2]), _v(0.06, 0.06, 0.03))], space="body")
    elif ears == "floppy":
        sp.part("ear_L", body, [ell(_v(ec[0] + 0.06, ec[1] - 0.08, ec[2] + 0.02), _v(0.04, 0.1, 0.06),
                                    [0, 0, 0.3])], space="body")
    if q.get("tusks") or dragon:
        tusk = sp.material("tusk", colours.get("accent", "#ece6d2"), slot="accent")
        if q.get("tusks"):
            sp.part("tusk_L", tusk, [cone(_v(hr * 0.35, nose[1] - 0.04, nose[2] - 0.06),
                                          _v(hr * 0.5, nose[1] + 0.08, nose[2] - 0.02), 0.03, 0.006)], space="body")
        if dragon:
            sp.part("horn_L", tusk, [chain([_v(hr * 0.5, head_c[1] + hr * 0.6, head_c[2] - hr * 0.3),
                                            _v(hr * 0.8, head_c[1] + hr * 1.2, head_c[2] - hr * 1.0),
                                            _v(hr * 0.9, head_c[1] + hr * 1.4, head_c[2] - hr * 1.9)],
                                           [0.05, 0.03, 0.008])], space="body")
            sp.part("spikes", tusk, [cone(_v(0, spine_y + T * 0.8, z), _v(0, spine_y + T * 0.8 + 0.1, z - 0.05),
                                          0.035, 0.005) for z in (L * 0.4, L * 0.05, -L * 0.3, -L * 0.65)],
                    space="body")
    if q.get("mane"):
        sp.part("mane", sp.material("mane", shade(colours["body"], -0.35), slot="body"),
                [cone(_v(0, spine_y + T * 0.85, L * 0.5), _v(0, spine_y + T * 0.8, -L * 0.4), 0.06, 0.03)],
                space="body")
    # legs: front and back, _L mirrored
    leg_r = T * 0.33
    for name, z in (("fleg_L", L * 0.45), ("bleg_L", -L * 0.75)):
        x = T * 0.55
        top = spine_y - T * 0.2
        sp.part(name, body, [cone(_v(x, top, z), _v(x + 0.01, 0.07, z + 0.02), leg_r * 1.2, leg_r * 0.75),
                             ell(_v(x + 0.01, 0.045, z + 0.05), _v(leg_r * 0.9, 0.045, leg_r * 1.3))],
                space="body", blend=0.03)
    tail = q["tail"]
    tz = -L * 0.35 - L * 0.62
    ty = spine_y + T * 0.2
    if tail == "bushy":
        prims = [chain([_v(0, ty, tz + 0.05), _v(0, ty - 0.05, tz - 0.15), _v(0, ty - 0.2, tz - 0.28)],
                       [0.05, 0.09, 0.05])]
    elif tail == "fox":
        prims = [chain([_v(0, ty, tz + 0.05), _v(0, ty - 0.02, tz - 0.18), _v(0, ty - 0.12, tz - 0.36)],
                       [0.05, 0.11, 0.07])]
    elif tail == "long":
        prims = [chain([_v(0, ty - 0.05, tz + 0.05), _v(0.05, 0.06, tz - 0.2), _v(0.18, 0.03, tz - 0.38)],
                       [0.03, 0.022, 0.012])]
    elif tail == "dragon":
        prims = [chain([_v(0, ty, tz + 0.1), _v(0, ty - 0.15, tz - 0.2), _v(0.12, 0.12, tz - 0.5),
                        _v(0.35, 0.08, tz - 0.65)], [T * 0.55, T * 0.4, 0.08, 0.025])]
    elif tail == "stub":
        prims = [sphere(_v(0, ty, tz + 0.02), 0.06)]
    else:
        prims = [chain([_v(0, ty, tz + 0.05), _v(0, ty + 0.08, tz - 0.14), _v(0, ty + 0.12, tz - 0.3)],
                       [0.04, 0.035, 0.025])]
    tail_mat = belly if tail == "fox" else body
    sp.part("tail", body, prims, space="body", blend=0.03)
    if tail == "fox":
        sp.part("tailtip", tail_mat, [sphere(_v(0, ty - 0.12, tz - 0.38), 0.07)], space="body")
    if dragon:
        wings = sp.material("wings", colours.get("wings", shade(colours["body"], -0.2)), slot="wings", two_sided=True)
        hub = _v(T * 0.5, spine_y + T * 0.7, L * 0.25)
        ring = [_v(T * 0.55, spine_y + T * 0.8, L * 0.3), _v(0.55, spine_y + 0.55, L * 0.1),
                _v(0.95, spine_y + 0.42, -0.1), _v(0.85, spine_y + 0.05, -0.25), _v(0.55, spine_y + 0.05, -0.3),
                _v(T * 0.5, spine_y + T * 0.5, -L * 0.5)]
        sp.part("wing_L", wings, [{"membrane": {"hub": hub, "ring": ring, "th": 0.02, "scallop": [2, 3],
                                                 "scallop_depth": 0.3}},
                                  chain([hub, ring[1], ring[2]], [0.04, 0.03, 0.015])], space="body")
    return sp


def winged(shape: str, colours: dict[str, str]) -> Spec:
    if shape == "dragon":
        return quadruped("dragon", colours, dragon=True)
    sp = Spec()
    ink = sp.ink()
    body = sp.material("body", colours["body"], slot="body")
    if shape == "bat":
        sp.bones["body"] = {"parent": "root", "pos": "[0, 0.75 + bob, 0]"}
        wings = sp.material("wings", colours.get("wings", shade(colours["body"], 0.15)), slot="wings", two_sided=True)
        sp.part("torso", body, [ell(_v(0, 0, 0), _v(0.16, 0.19, 0.14)), sphere(_v(0, 0.2, 0.03), 0.14)],
                space="body", blend=0.06)
        sp.part("ear_L", body, [cone(_v(0.07, 0.3, 0.02), _v(0.14, 0.46, 0.0), 0.055, 0.01)], space="body")
        eyes = sp.material("eyes", colours.get("eyes", "#ff5a1f"), emissive=True, slot="eyes")
        sp.part("eye_L", eyes, [sphere(_v(0.05, 0.22, 0.14), 0.03)], space="body")
        sp.part("fang_L", sp.material("fang", "#ece6d2", slot="accent"),
                [cone(_v(0.03, 0.13, 0.14), _v(0.035, 0.08, 0.145), 0.018, 0.005)], space="body")
        hub = _v(0.1, 0.08, 0)
        ring = [_v(0.12, 0.16, 0), _v(0.4, 0.32, -0.04), _v(0.7, 0.22, -0.06), _v(0.66, -0.02, -0.05),
                _v(0.46, -0.08, -0.04), _v(0.26, -0.1, -0.02), _v(0.12, -0.06, 0)]
        sp.part("wing_L", wings, [{"membrane": {"hub": hub, "ring": ring, "th": 0.018, "scallop": [3, 4, 5],
                                                "scallop_depth": 0.32}},
                                  chain([hub, ring[1], ring[2]], [0.03, 0.025, 0.012])], space="body")
        sp.part("foot_L", body, [cone(_v(0.06, -0.15, 0), _v(0.07, -0.25, 0.02), 0.03, 0.018)], space="body")
        return sp
    # birds and owls: standing
    sp.bones["body"] = {"parent": "root", "pos": "[0, bob, 0]"}
    belly = sp.material("belly", colours.get("belly", shade(colours["body"], 0.4)), slot="belly")
    beak = sp.material("beak", colours.get("accent", "#e8a030"), slot="accent")
    owl = shape == "owl"
    sp.part("torso", body, [ell(_v(0, 0.5, -0.04), _v(0.24, 0.3 if owl else 0.24, 0.28)),
                            sphere(_v(0, 0.82 if owl else 0.78, 0.12), 0.2 if owl else 0.16)], space="body",
            blend=0.1)
    sp.part("breast", belly, [ell(_v(0, 0.48, 0.12), _v(0.17, 0.22, 0.14))], space="body")
    head_y = 0.82 if owl else 0.78
    sp.part("beak", beak, [cone(_v(0, head_y - 0.02, 0.26), _v(0, head_y - 0.06 if owl else head_y - 0.03,
                                                               0.4 if not owl else 0.33), 0.045, 0.01)], space="body")
    if "trim" in colours:
        sp.part("comb", sp.material("comb", colours["trim"], slot="trim"),
                [sphere(_v(0, head_y + 0.17, 0.12), 0.05), sphere(_v(0, head_y + 0.15, 0.2), 0.04)], space="body")
    if owl:
        eyes = sp.material("eyes", colours.get("eyes", "#f0c020"), emissive=True, slot="eyes")
        sp.part("eyering_L", belly, [sphere(_v(0.08, head_y + 0.03, 0.24), 0.07)], space="body")
        sp.part("eye_L", eyes, [sphere(_v(0.08, head_y + 0.03, 0.29), 0.035)], space="body")
        sp.part("tuft_L", body, [cone(_v(0.12, head_y + 0.14, 0.08), _v(0.17, head_y + 0.28, 0.05), 0.05, 0.01)],
                space="body")
    else:
        sp.part("eye_L", ink, [sphere(_v(0.1, head_y + 0.04, 0.2), 0.03)], space="body")
    sp.part("wing_L", body, [ell(_v(0.22, 0.52, -0.08), _v(0.07, 0.2, 0.27), [0.35, 0, 0.15])], space="body")
    sp.part("tail", body, [box(_v(0, 0.36, -0.36), _v(0.12, 0.02, 0.12), [-0.5, 0, 0], 0.02)], space="body")
    sp.part("leg_L", beak, [cone(_v(0.09, 0.3, 0), _v(0.09, 0.02, 0.03), 0.025, 0.02),
                            ell(_v(0.09, 0.015, 0.07), _v(0.05, 0.015, 0.07))], space="body")
    return sp


def amorphous(shape: str, colours: dict[str, str]) -> Spec:
    sp = Spec()
    ink = sp.ink()
    body = sp.material("body", colours["body"], slot="body")
    if shape == "ghost":
        sp.bones["body"] = {"parent": "root", "pos": "[0, 0.35 + bob, 0]"}
        sp.part("torso", body, [sphere(_v(0, 0.95, 0), 0.34), cone(_v(0, 0.9, 0), _v(0, 0.1, -0.1), 0.33, 0.4)],
                space="body", blend=0.1,
                cut=[sphere(_v(x, 0.0, z), 0.13) for x, z in ((0.0, 0.3), (0.3, 0.1), (-0.3, 0.1), (0.2, -0.3),
                                                             (-0.2, -0.3))])
        sp.part("arm_L", body, [cone(_v(0.3, 0.7, 0.05), _v(0.5, 0.5, 0.15), 0.09, 0.05)], space="body", blend=0.05)
        eyes = sp.material("eyes", colours.get("eyes", "#26262e"), emissive=True, slot="eyes")
        sp.part("eye_L", eyes, [ell(_v(0.12, 1.0, 0.3), _v(0.05, 0.08, 0.04))], space="body")
        sp.part("mouth", ink, [ell(_v(0, 0.82, 0.31), _v(0.06, 0.05, 0.04))], space="body")
        return sp
    if shape == "myconid":
        sp.bones["body"] = {"parent": "root", "pos": "[0, bob, 0]"}
        cap = sp.material("cap", colours.get("detail", "#c83a2e"), slot="detail")
        sp.part("torso", body, [cone(_v(0, 0.1, 0), _v(0, 0.62, 0), 0.24, 0.18)], space="body", blend=0.05)
        sp.part("cap", cap, [ell(_v(0, 0.75, 0), _v(0.45, 0.24, 0.45))], space="body",
                cut=[box(_v(0, 0.5, 0), _v(0.6, 0.14, 0.6))])
        sp.part("spots", sp.material("spots", "#f8f4ec", slot="trim"),
                [sphere(_v(0.2, 0.9, 0.2), 0.07), sphere(_v(-0.22, 0.86, 0.18), 0.06), sphere(_v(0, 0.98, -0.05),
                                                                                             0.07)], space="body")
        sp.part("eye_L", ink, [sphere(_v(0.08, 0.45, 0.2), 0.035)], space="body")
        sp.part("foot_L", body, [sphere(_v(0.12, 0.05, 0.05), 0.08)], space="body")
        return sp
    # slime / blob
    sp.bones["body"] = {"parent": "root", "scale": "[1 + bob, 1 - 2*bob, 1 + bob]"}
    sp.part("torso", body, [ell(_v(0, 0.3, 0), _v(0.46, 0.34, 0.44)), sphere(_v(0, 0.5, -0.02), 0.24)],
            space="body", blend=0.12, cut=[box(_v(0, -0.3, 0), _v(1, 0.3, 1))])
    sp.part("eye_L", sp.material("eyes", colours.get("eyes", "#1c1c1e"), emissive=True, slot="eyes")
            if "eyes" in colours else ink, [ell(_v(0.14, 0.42, 0.36), _v(0.045, 0.075, 0.04))], space="body")
    sp.part("shine", sp.material("shine", "#ffffff", emissive=True, slot="detail"),
            [ell(_v(-0.2, 0.55, 0.24), _v(0.06, 0.05, 0.04))], space="body")
    return sp


def serpentine(shape: str, colours: dict[str, str]) -> Spec:
    sp = Spec()
    ink = sp.ink()
    body = sp.material("body", colours["body"], slot="body")
    belly = sp.material("belly", colours.get("belly", shade(colours["body"], 0.35)), slot="belly")
    sp.bones["body"] = {"parent": "root", "pos": "[0, bob, 0]"}
    worm = shape == "worm"
    if worm:
        pts = [_v(0.3, 0.1, -0.3), _v(0.1, 0.12, -0.1), _v(0.0, 0.2, 0.05), _v(0.0, 0.45, 0.12), _v(0, 0.65, 0.1)]
        rs = [0.08, 0.12, 0.14, 0.14, 0.13]
        head = _v(0, 0.68, 0.1)
    else:
        pts = []
        rs = []
        for i in range(11):
            a = i / 10 * 1.7 * math.pi + 0.4
            rad = 0.38 - i * 0.018
            pts.append(_v(rad * math.sin(a), 0.07 + i * 0.005, rad * math.cos(a) - 0.05))
            rs.append(0.035 + 0.055 * min(1, i / 4))
        pts += [_v(0.05, 0.25, 0.05), _v(0.0, 0.5, 0.12)]
        rs += [0.085, 0.075]
        head = _v(0, 0.55, 0.2)
    sp.part("torso", body, [chain(pts, rs)], space="body", blend=0.02)
    if worm:
        sp.part("rings", belly, [torus(_v(0, 0.3, 0.1), 0.13, 0.02, [0.2, 0, 0]),
                                 torus(_v(0, 0.5, 0.12), 0.13, 0.02, [0.1, 0, 0])], space="body")
        sp.part("mouth", ink, [sphere(_v(0, 0.72, 0.2), 0.06)], space="body")
        return sp
    sp.part("head", body, [ell(head, _v(0.13, 0.09, 0.17))], space="body", blend=0.04)
    sp.part("jaw", belly, [ell(_v(0, head[1] - 0.04, head[2] + 0.04), _v(0.1, 0.05, 0.13))], space="body")
    eyes = sp.material("eyes", colours.get("eyes", "#e8c040"), emissive=True, slot="eyes")
    sp.part("eye_L", eyes, [sphere(_v(0.08, head[1] + 0.04, head[2] + 0.08), 0.028)], space="body")
    tongue = sp.material("tongue", "#d63a3a", slot="accent")
    sp.part("tongue", tongue, [cone(_v(0, head[1] - 0.03, head[2] + 0.15), _v(0, head[1] - 0.05, head[2] + 0.26),
                                    0.014, 0.01)], space="body", line=False)
    return sp


def arthropod(shape: str, colours: dict[str, str]) -> Spec:
    sp = Spec()
    ink = sp.ink()
    body = sp.material("body", colours["body"], slot="body")
    sp.bones["body"] = {"parent": "root", "pos": "[0, bob, 0]"}
    leg = sp.material("legs", colours.get("accent", shade(colours["body"], -0.2)), slot="accent")
    eyes = sp.material("eyes", colours.get("eyes", "#ff3a2a"), emissive=True, slot="eyes")
    if shape == "spider":
        sp.part("abdomen", body, [ell(_v(0, 0.36, -0.32), _v(0.3, 0.26, 0.34))], space="body")
        sp.part("thorax", body, [sphere(_v(0, 0.3, 0.1), 0.18)], space="body")
        sp.part("eye_L", eyes, [sphere(_v(0.06, 0.38, 0.25), 0.035), sphere(_v(0.12, 0.34, 0.22), 0.025)],
                space="body")
        sp.part("fang_L", ink, [cone(_v(0.05, 0.22, 0.25), _v(0.04, 0.1, 0.3), 0.03, 0.01)], space="body")
        for i, z in enumerate((0.22, 0.1, -0.02, -0.14)):
            spread = (z - 0.05) * 1.8
            sp.part(f"leg{i}_L", leg, [chain([_v(0.12, 0.3, z), _v(0.4, 0.55, z + spread * 0.4),
                                              _v(0.62, 0.02, z + spread)], [0.04, 0.032, 0.018])], space="body")
        return sp
    belly = sp.material("belly", colours.get("belly", shade(colours["body"], -0.4)), slot="belly")
    sp.part("shell", body, [ell(_v(0, 0.3, -0.08), _v(0.3, 0.22, 0.4))], space="body",
            cut=[box(_v(0, 0.3, -0.08), _v(0.012, 0.4, 0.5))], line=True)
    sp.part("under", belly, [ell(_v(0, 0.2, 0.0), _v(0.24, 0.12, 0.36))], space="body")
    sp.part("head", belly, [sphere(_v(0, 0.24, 0.34), 0.14)], space="body")
    sp.part("horn", leg, [chain([_v(0, 0.3, 0.42), _v(0, 0.45, 0.52), _v(0, 0.56, 0.45)], [0.04, 0.03, 0.01])],
            space="body")
    sp.part("eye_L", eyes, [sphere(_v(0.09, 0.28, 0.44), 0.03)], space="body")
    for i, z in enumerate((0.2, 0.0, -0.2)):
        sp.part(f"leg{i}_L", leg, [chain([_v(0.18, 0.18, z), _v(0.38, 0.25, z + (z * 0.5)),
                                          _v(0.5, 0.02, z + z * 1.2)], [0.035, 0.028, 0.016])], space="body")
    return sp


# ---------------------------------------------------------------------------------------------- items
TILTED = {"sword", "dagger", "axe", "hammer", "spear", "staff", "wand", "torch", "key", "pickaxe", "bone", "carrot"}


def item(kind: str, colours: dict[str, str]) -> Spec:
    """A prop standing on the ground at the origin; long ones are tilted 45 degrees like an inventory icon."""
    sp = Spec()
    sp.animations["idle"] = {"frames": 4, "ms": 160, "channels": {"bob": "0.03*sin(p)"}}
    c = colours
    main = c["main"]
    metal = kind in ("sword", "dagger", "axe", "hammer", "spear", "key", "coin", "ring", "crown", "helmet",
                     "pickaxe")
    if kind in ("sword", "dagger", "axe", "hammer", "spear", "staff", "wand", "torch", "bow", "shield"):
        low = {"sword": -0.12, "dagger": -0.07, "axe": -0.14, "hammer": -0.14, "spear": -0.55, "staff": -0.58,
               "wand": -0.05, "torch": -0.16, "bow": -0.46, "shield": -0.21}[kind]
        if kind == "shield":
            sp.bones["item"] = {"parent": "root", "pos": f"[0, {_r(0.23)} + bob, 0]"}
        elif kind == "bow":
            sp.bones["item"] = {"parent": "root", "pos": f"[0, {_r(0.05 - low)} + bob, 0]", "rot": [0, 0, -0.5]}
        else:
            tilt = -0.785
            up = -low * math.cos(tilt) + 0.04
            sp.bones["item"] = {"parent": "root", "pos": f"[0, {_r(up)} + bob, 0]", "rot": [0, 0, tilt]}
        if kind == "shield":
            mats = {"main": main, "trim": c.get("trim", "#b9bcc0"), "handle": "#6b4a2e",
                    "detail": c.get("detail", "#d8c03a")}
            sp.part("shield", sp.material("main", main, slot="main"), [cyl(_v(0, 0, -0.03), _v(0, 0, 0.03), 0.23,
                                                                           0.015)], space="item")
            sp.part("rim", sp.material("trim", mats["trim"], slot="trim", metal=True),
                    [torus(_v(0, 0, 0.02), 0.21, 0.025, [1.5708, 0, 0])], space="item")
            sp.part("boss", sp.material("detail", mats["detail"], slot="detail", metal=True),
                    [sphere(_v(0, 0, 0.04), 0.06)], space="item")
            return sp
        mats = {"main": main, "handle": c.get("handle", "#6b4a2e"), "trim": c.get("trim", "#c9a23f"),
                "detail": c.get("detail", "#48b7f0")}
        for suffix, key, prims in weapon_prims(kind, mats):
            colour = mats[key]
            if key == "detail" and kind in EMISSIVE_DETAIL:
                mat = sp.material(key, colour, emissive=True, slot=key, glow=colour)
            else:
                mat = sp.material(key, colour, slot=key, metal=key == "main" and kind not in ("bow",))
            sp.part(suffix, mat, prims, space="item")
        return sp
    sp.bones["item"] = {"parent": "root", "pos": "[0, bob, 0]"}
    m = sp.material("main", main, slot="main", metal=metal)

    def mat(key: str, default: str, **kw: Any) -> str:
        return sp.material(key, c.get(key, default), slot=key, **kw)

    if kind == "potion" or kind == "flask":
        glass = mat("trim", "#c8e0e8")
        sp.part("liquid", m, [sphere(_v(0, 0.22, 0), 0.2)], space="item")
        sp.part("neck", glass, [cyl(_v(0, 0.36, 0), _v(0, 0.5, 0), 0.065, 0.01),
                                torus(_v(0, 0.5, 0), 0.065, 0.02)], space="item")
        sp.part("cork", mat("handle", "#8a6a4a"), [cyl(_v(0, 0.48, 0), _v(0, 0.58, 0), 0.055, 0.015)], space="item")
        sp.part("shine", sp.material("shine", "#ffffff", emissive=True, slot="detail"),
                [ell(_v(-0.09, 0.29, 0.15), _v(0.03, 0.05, 0.03))], space="item")
    elif kind == "key":
        sp.bones["item"]["rot"] = [0, 0, -0.785]
        sp.bones["item"]["pos"] = "[0.0, 0.3 + bob, 0]"
        sp.part("key", m, [torus(_v(0, 0.22, 0), 0.1, 0.035, [1.5708, 0, 0]),
                           cyl(_v(0, 0.12, 0), _v(0, -0.32, 0), 0.032),
                           box(_v(0.06, -0.26, 0), _v(0.05, 0.02, 0.025)), box(_v(0.05, -0.17, 0), _v(0.04, 0.018,
                                                                                                    0.025))],
                space="item", blend=0.01)
    elif kind == "coin":
        sp.part("coin", m, [cyl(_v(0, 0.22, -0.03), _v(0, 0.22, 0.03), 0.2, 0.015)], space="item")
        sp.part("emboss", sp.material("detail", shade(main, -0.15), slot="main", metal=True),
                [cyl(_v(0, 0.22, 0.02), _v(0, 0.22, 0.045), 0.12, 0.01)], space="item")
    elif kind == "gem":
        sp.part("gem", m, [box(_v(0, 0.24, 0), _v(0.15, 0.15, 0.15), [0.6155, 0.785, 0], 0.01)], space="item")
        sp.part("shine", sp.material("shine", "#ffffff", emissive=True, slot="detail"),
                [sphere(_v(-0.07, 0.3, 0.1), 0.03)], space="item")
    elif kind == "chest":
        trim = mat("trim", "#5a5e6a", metal=True)
        sp.part("box", m, [box(_v(0, 0.2, 0), _v(0.36, 0.2, 0.24), rnd=0.02)], space="item")
        sp.part("lid", m, [cyl(_v(-0.36, 0.4, 0), _v(0.36, 0.4, 0), 0.24, 0.02)], space="item",
                cut=[box(_v(0, 0.2, 0), _v(0.5, 0.2, 0.4))])
        sp.part("bands", trim, [box(_v(x, 0.32, 0), _v(0.035, 0.33, 0.255), rnd=0.01) for x in (-0.24, 0.24)] +
                [box(_v(0, 0.4, 0), _v(0.37, 0.02, 0.25))], space="item",
                cut=[box(_v(0, 0.02, 0), _v(0.5, 0.02, 0.4))])
        sp.part("lock", mat("detail", "#e0b83a", metal=True), [box(_v(0, 0.36, 0.25), _v(0.05, 0.06, 0.03),
                                                                   rnd=0.01)], space="item")
    elif kind == "scroll":
        sp.part("paper", m, [cyl(_v(-0.3, 0.1, 0), _v(0.3, 0.1, 0), 0.1, 0.02),
                             box(_v(0, 0.06, 0.14), _v(0.26, 0.008, 0.12), [0.3, 0, 0])], space="item", blend=0.02)
        sp.part("ribbon", mat("trim", "#a82a2a"), [cyl(_v(-0.03, 0.1, 0), _v(0.03, 0.1, 0), 0.11)], space="item")
        sp.part("ends", mat("handle", "#8a6a4a"), [cyl(_v(-0.36, 0.1, 0), _v(-0.3, 0.1, 0), 0.05),
                                                   cyl(_v(0.3, 0.1, 0), _v(0.36, 0.1, 0), 0.05)], space="item")
    elif kind == "ring":
        sp.part("band", m, [torus(_v(0, 0.17, 0), 0.14, 0.035, [1.5708, 0, 0])], space="item")
        sp.part("gem", mat("detail", "#d8303a"), [sphere(_v(0, 0.33, 0.0), 0.06)], space="item")
    elif kind == "bomb":
        sp.part("bomb", m, [sphere(_v(0, 0.25, 0), 0.24), cyl(_v(0, 0.44, 0), _v(0, 0.52, 0), 0.07)], space="item",
                blend=0.02)
        sp.part("fuse", mat("handle", "#c8b088"), [chain([_v(0, 0.5, 0), _v(0.04, 0.6, 0), _v(0.1, 0.64, 0)],
                                                         [0.02, 0.018, 0.016])], space="item")
        sp.part("spark", sp.material("detail", c.get("detail", "#ffb13b"), emissive=True, slot="detail",
                                     glow="#ffd060"), [sphere(_v(0.12, 0.66, 0), 0.045)], space="item")
        sp.part("shine", sp.material("shine", "#ffffff", emissive=True, slot="shine"),
                [ell(_v(-0.1, 0.34, 0.17), _v(0.035, 0.05, 0.03))], space="item")
    elif kind == "heart":
        sp.bones["item"]["scale"] = [1, 1, 0.55]
        sp.part("heart", m, [sphere(_v(-0.11, 0.36, 0), 0.125), sphere(_v(0.11, 0.36, 0), 0.125),
                             cone(_v(-0.08, 0.3, 0), _v(0, 0.04, 0), 0.12, 0.02),
                             cone(_v(0.08, 0.3, 0), _v(0, 0.04, 0), 0.12, 0.02)], space="item", blend=0.02)
        sp.part("shine", sp.material("shine", "#ffffff", emissive=True, slot="detail"),
                [sphere(_v(-0.13, 0.39, 0.1), 0.035)], space="item")
    elif kind == "apple":
        sp.part("apple", m, [sphere(_v(-0.05, 0.2, 0), 0.17), sphere(_v(0.05, 0.2, 0), 0.17)], space="item",
                blend=0.05, cut=[sphere(_v(0, 0.4, 0), 0.05)])
        sp.part("stem", mat("handle", "#5a3a20"), [cone(_v(0, 0.33, 0), _v(0.03, 0.44, 0), 0.02, 0.015)],
                space="item")
        sp.part("leaf", mat("trim", "#4f9a3a"), [ell(_v(0.09, 0.42, 0), _v(0.08, 0.025, 0.04), [0, 0, 0.4])],
                space="item")
    elif kind == "mushroom":
        sp.part("stem", mat("handle", "#ece6d2"), [cone(_v(0, 0.04, 0), _v(0, 0.4, 0), 0.1, 0.08)], space="item")
        sp.part("cap", m, [ell(_v(0, 0.42, 0), _v(0.3, 0.2, 0.3))], space="item",
                cut=[box(_v(0, 0.2, 0), _v(0.5, 0.15, 0.5))])
        sp.part("spots", mat("detail", "#f8f4ec"), [sphere(_v(0.13, 0.56, 0.12), 0.05),
                                                    sphere(_v(-0.14, 0.52, 0.14), 0.045),
                                                    sphere(_v(0.0, 0.62, -0.02), 0.05)], space="item")
    elif kind == "barrel":
        sp.part("barrel", m, [cyl(_v(0, 0.0, 0), _v(0, 0.62, 0), 0.24, 0.02), ell(_v(0, 0.31, 0),
                                                                                _v(0.28, 0.3, 0.28))],
                space="item", blend=0.04, cut=[box(_v(0, -0.2, 0), _v(0.5, 0.2, 0.5)), box(_v(0, 0.82, 0),
                                                                                           _v(0.5, 0.2, 0.5))])
        hoops = mat("trim", "#5a5e6a", metal=True)
        sp.part("hoops", hoops, [torus(_v(0, y, 0), r, 0.022) for y, r in ((0.12, 0.26), (0.5, 0.26))],
                space="item")
    elif kind == "crate":
        sp.part("crate", m, [box(_v(0, 0.25, 0), _v(0.26, 0.25, 0.26), rnd=0.015)], space="item")
        planks = mat("trim", "#6b4a2e")
        sp.part("planks", planks, [box(_v(0, 0.25, 0), _v(0.275, 0.25, 0.03), [0, 0, 0.785 * 0]),
                                   box(_v(0, 0.47, 0), _v(0.275, 0.03, 0.275)),
                                   box(_v(0, 0.03, 0), _v(0.275, 0.03, 0.275))], space="item",
                cut=[box(_v(0, 0.25, 0), _v(0.24, 0.2, 0.4)), box(_v(0, 0.25, 0), _v(0.4, 0.2, 0.24))])
    elif kind == "book":
        sp.part("cover", m, [box(_v(0, 0.3, 0), _v(0.2, 0.27, 0.07), rnd=0.015)], space="item")
        sp.part("pages", mat("trim", "#ece6d2"), [box(_v(0.02, 0.3, 0), _v(0.19, 0.25, 0.055))], space="item")
        sp.part("emblem", mat("detail", "#d8b040", metal=True), [sphere(_v(0, 0.32, 0.07), 0.05)], space="item")
    elif kind == "crown":
        spikes = [cone(_v(0.2 * math.sin(a), 0.2, 0.2 * math.cos(a)), _v(0.2 * math.sin(a), 0.38,
                                                                           0.2 * math.cos(a)), 0.05, 0.012)
                  for a in (0.0, 1.26, 2.51, 3.77, 5.03)]
        sp.part("crown", m, [cyl(_v(0, 0.0, 0), _v(0, 0.2, 0), 0.22)] + spikes, space="item",
                cut=[cyl(_v(0, 0.04, 0), _v(0, 0.3, 0), 0.18)])
        sp.part("gems", mat("detail", "#d8303a"), [sphere(_v(0, 0.1, 0.22), 0.04)], space="item")
    elif kind == "helmet":
        sp.part("helmet", m, [ell(_v(0, 0.14, 0), _v(0.26, 0.26, 0.26)),
                              cyl(_v(0, 0.0, 0), _v(0, 0.04, 0), 0.28, 0.01)], space="item",
                cut=[box(_v(0, -0.2, 0), _v(0.5, 0.2, 0.5))])
        sp.part("plume", mat("detail", "#c83a2e"), [chain([_v(0, 0.38, 0.05), _v(0, 0.5, -0.1), _v(0, 0.42, -0.3)],
                                                          [0.05, 0.06, 0.03])], space="item")
    elif kind == "skull":
        sp.part("skull", m, [sphere(_v(0, 0.22, 0), 0.2), ell(_v(0, 0.1, 0.08), _v(0.12, 0.1, 0.12))], space="item",
                blend=0.04)
        ink = sp.ink()
        sp.part("socket_L", ink, [sphere(_v(0.075, 0.2, 0.17), 0.05)], space="item")
        sp.part("nosehole", ink, [sphere(_v(0, 0.13, 0.19), 0.025)], space="item")
    elif kind == "lantern":
        sp.part("frame", m, [box(_v(0, 0.05, 0), _v(0.15, 0.04, 0.15), rnd=0.01),
                             box(_v(0, 0.42, 0), _v(0.15, 0.04, 0.15), rnd=0.01),
                             cone(_v(0, 0.46, 0), _v(0, 0.56, 0), 0.1, 0.03),
                             torus(_v(0, 0.6, 0), 0.06, 0.015, [1.5708, 0, 0])]
                + [cyl(_v(x, 0.05, z), _v(x, 0.42, z), 0.018) for x in (-0.13, 0.13) for z in (-0.13, 0.13)],
                space="item")
        sp.part("light", sp.material("detail", c.get("detail", "#ffc040"), emissive=True, slot="detail",
                                     glow="#ffd070"), [box(_v(0, 0.24, 0), _v(0.1, 0.15, 0.1))], space="item")
    elif kind == "candle":
        sp.part("wax", m, [cyl(_v(0, 0, 0), _v(0, 0.4, 0), 0.09, 0.02)], space="item")
        sp.part("flame", sp.material("detail", c.get("detail", "#ffa63a"), emissive=True, slot="detail",
                                     glow="#ffd070"), [ell(_v(0, 0.5, 0), _v(0.045, 0.08, 0.045))], space="item")
    elif kind == "bone":
        sp.bones["item"]["rot"] = [0, 0, -0.785]
        sp.bones["item"]["pos"] = "[0, 0.32 + bob, 0]"
        sp.part("bone", m, [cyl(_v(0, -0.25, 0), _v(0, 0.25, 0), 0.045)] +
                [sphere(_v(x, y, 0), 0.07) for x in (-0.05, 0.05) for y in (-0.27, 0.27)], space="item", blend=0.02)
    elif kind == "carrot":
        sp.bones["item"]["rot"] = [0, 0, -0.6]
        sp.bones["item"]["pos"] = "[0, 0.2 + bob, 0]"
        sp.part("root", m, [cone(_v(0, 0.2, 0), _v(0, -0.25, 0), 0.1, 0.015)], space="item")
        sp.part("leaves", mat("trim", "#4f9a3a"), [cone(_v(0, 0.22, 0), _v(x, 0.42, 0), 0.03, 0.012)
                                                   for x in (-0.07, 0.0, 0.07)], space="item")
    elif kind == "bag":
        sp.part("bag", m, [sphere(_v(0, 0.2, 0), 0.22), cone(_v(0, 0.3, 0), _v(0, 0.46, 0), 0.1, 0.08)],
                space="item", blend=0.06)
        sp.part("tie", mat("trim", "#6b4a2e"), [torus(_v(0, 0.38, 0), 0.085, 0.025)], space="item")
    elif kind == "star":
        arms = [cone(_v(0, 0.3, 0), _v(0.28 * math.sin(a), 0.3 + 0.28 * math.cos(a), 0), 0.11, 0.02)
                for a in (0.0, 1.2566, 2.5133, 3.7699, 5.0265)]
        sp.part("star", m, arms, space="item", blend=0.03)
    elif kind == "pickaxe":
        sp.bones["item"]["rot"] = [0, 0, -0.785]
        sp.bones["item"]["pos"] = "[0, 0.2 + bob, 0]"
        sp.part("head", m, [chain([_v(-0.28, 0.48, 0), _v(0, 0.6, 0), _v(0.28, 0.48, 0)], [0.015, 0.05, 0.015])],
                space="item")
        sp.part("grip", mat("handle", "#7a5230"), [cyl(_v(0, -0.12, 0), _v(0, 0.6, 0), 0.03)], space="item")
    else:
        raise KeyError(kind)
    return sp
