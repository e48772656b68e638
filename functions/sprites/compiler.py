"""The prompt compiler: text -> a spritekiln model spec (a dict) and an account of how every word was read.

No numpy here: the API function compiles prompts to price and store jobs and ships without the render layer.

Reading rules (docs/sprites.md has the long version):
- One subject decides the archetype: a role ("knight") -> humanoid; a creature ("wolf") -> its body plan;
  an item ("potion") -> a prop. `asset_type` (character | creature | item), when given, decides which kind of
  subject counts; the others are listed as ignored.
- A colour binds to the next part noun ("blue cape", "golden armour"); with no part after it, to the subject's
  main colour slot. "dark"/"light"/"pale" shade the colour (or the part) after them.
- Equipment, headwear, outfits, capes, belts and builds add or change parts of a humanoid.
- Every word ends up in `used_words`, `ignored_words` or `filler_words` (articles and glue words).
"""
from __future__ import annotations

import colorsys
import copy
import random
import re
from typing import Any

from . import builders
from .vocabulary import (
    ASSET_TYPES,
    BUILD_WORDS,
    COLOURS,
    CREATURE_SYNONYMS,
    CREATURES,
    EQUIPMENT,
    FILLER_WORDS,
    HEADWEAR,
    HUMANOID_MONSTERS,
    ITEM_EQUIPMENT,
    ITEM_SYNONYMS,
    ITEMS,
    METAL_COLOURS,
    OFF_HAND,
    OUTFIT_WORDS,
    PALETTE_NAMES,
    PALETTE_WORDS,
    PALETTES,
    PART_SLOTS,
    ROLE_SYNONYMS,
    ROLES,
    SHADE_WORDS,
)

SPEC_VERSION = 1
HINT_WORDS = {"monster": "creature", "creature": "creature", "enemy": "creature", "beast": "creature",
              "mob": "creature", "boss": "creature", "animal": "creature", "item": "item", "pickup": "item",
              "prop": "item", "object": "item", "loot": "item", "weapon": "item"}
_HEX = re.compile(r"^#(?:[0-9a-f]{6}|[0-9a-f]{3})$")
_TOKEN = re.compile(r"#[0-9a-fA-F]{3,6}\b|[a-z0-9]+(?:[-'][a-z0-9]+)*")

SKIN_TONES = ("#f0c8a0", "#e0b088", "#c68a5c", "#a86e44", "#8a5634", "#f4d4b8")
HAIR_COLOURS = ("#3a2a20", "#6b4226", "#a86a30", "#d8b060", "#1c1c22", "#8a3a1e", "#c8c0b8")
CLOTH_COLOURS = ("#3b6fa0", "#8a3a3a", "#3f7a3a", "#7a5a3e", "#6a4a8a", "#a87a3a", "#4a6a7a")
HUMANOID_SLOTS = {"body", "legs", "boots", "cape", "hair", "beard", "skin", "eyes", "belt", "gloves", "headwear",
                  "weapon", "handle", "trim", "detail", "shield", "accent"}
CREATURE_SLOTS = {"body", "belly", "wings", "eyes", "accent", "detail", "trim", "skin"}
ITEM_SLOTS = {"main", "handle", "trim", "detail"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "_", text.lower()).strip("_") or "sprite"


def _norm_hex(value: str) -> str:
    h = value.lower().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return "#" + h


def _lookup(word: str, table: dict, synonyms: dict | None = None) -> str | None:
    for w in (word, word[:-1] if word.endswith("s") and len(word) > 3 else None,
              word[:-2] if word.endswith("es") and len(word) > 4 else None):
        if not w:
            continue
        if w in table:
            return w
        if synonyms and w in synonyms:
            return synonyms[w]
    return None


def _classify(word: str) -> tuple[str, Any]:
    """(category, value) of one lower-case token."""
    if _HEX.match(word):
        return "colour", _norm_hex(word)
    if word in PALETTE_WORDS:
        return "palette", PALETTE_WORDS[word]
    if word in SHADE_WORDS:
        return "shade", SHADE_WORDS[word]
    if word in COLOURS:
        return "colour", COLOURS[word]
    if word in FILLER_WORDS:
        return "filler", None
    role = _lookup(word, ROLES, ROLE_SYNONYMS)
    if role:
        return "role", role
    creature = _lookup(word, CREATURES, CREATURE_SYNONYMS)
    if creature:
        return "creature", creature
    if word in EQUIPMENT:
        return "equipment", EQUIPMENT[word]
    item = _lookup(word, ITEMS, ITEM_SYNONYMS)
    if item:
        return "item", item
    if word in HEADWEAR:
        return "headwear", HEADWEAR[word]
    if word in OUTFIT_WORDS:
        return "outfit", OUTFIT_WORDS[word]
    if word in PART_SLOTS:
        return "part", PART_SLOTS[word]
    if word in BUILD_WORDS:
        return "build", BUILD_WORDS[word]
    if word in HINT_WORDS:
        return "hint", HINT_WORDS[word]
    return "unknown", None


def tokenize(prompt: str) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(prompt.lower()):
        if "-" in tok and _classify(tok)[0] == "unknown":
            out.extend(t for t in tok.split("-") if t)
        else:
            out.append(tok)
    return out


NOUN_KINDS = ("role", "creature", "item", "equipment", "headwear", "outfit", "part")


def compile_prompt(prompt: str, *, asset_type: str | None = None, palette: list[str] | str | None = None,
                   seed: int = 0) -> dict[str, Any]:
    """Text -> {"spec": spritekiln spec dict, "interpretation": {...}}; same inputs, same output."""
    if asset_type is not None and asset_type not in ASSET_TYPES:
        raise ValueError(f"asset_type must be one of {', '.join(ASSET_TYPES)}")
    rng = random.Random(seed)
    words = tokenize(prompt)
    tags = [_classify(w) for w in words]
    used: set[int] = set()
    ignored: set[int] = set()
    filler = {i for i, (k, _) in enumerate(tags) if k == "filler"}

    # ---- 1. the subject
    kinds = {"character": ("role",), "creature": ("creature", "role"), "item": ("item", "equipment")}
    hint = next((v for k, v in tags if k == "hint"), None)
    subject_kind, subject, subject_at = None, None, None
    wanted = asset_type
    if wanted is None:
        first_role = next((i for i, (k, _) in enumerate(tags) if k == "role"), None)
        first_creature = next((i for i, (k, _) in enumerate(tags) if k == "creature"), None)
        first_item = next((i for i, (k, _) in enumerate(tags) if k in ("item", "equipment")), None)
        if first_role is not None and first_creature is None:
            wanted = "creature" if (tags[first_role][1] in HUMANOID_MONSTERS or hint == "creature") else "character"
        elif first_creature is not None:
            wanted = "creature"
        elif first_item is not None:
            wanted = "creature" if hint == "creature" and tags[first_item][1] == "mushroom" else "item"
        else:
            wanted = hint or "character"
    for i, (k, v) in enumerate(tags):
        if k in kinds[wanted]:
            if wanted == "creature" and k == "role" and any(kk == "creature" for kk, _ in tags):
                continue
            subject_kind, subject, subject_at = k, v, i
            break
    if subject is None and wanted == "creature":
        at = next((i for i, w in enumerate(words) if _lookup(w, ITEMS, ITEM_SYNONYMS) == "mushroom"), None)
        if at is not None:
            subject_kind, subject, subject_at = "creature", "mushroom_monster", at
    if subject is None and wanted == "item":
        # a colour word that is also an item ("a ruby") stands for the item itself
        for i, w in enumerate(words):
            item = _lookup(w, ITEMS, ITEM_SYNONYMS)
            if item:
                subject_kind, subject, subject_at = "item", item, i
                break
    if subject is None:
        subject_kind, subject = {"character": ("role", "person"), "creature": ("creature", "slime"),
                                 "item": ("item", "potion")}[wanted]
    if subject_kind == "equipment":
        subject_kind, subject = "item", subject
    if subject_at is not None and subject_kind in ("item", "equipment"):
        # "health potion", "treasure chest": the last of a run of item nouns is the head noun
        while subject_at + 1 < len(tags) and tags[subject_at + 1][0] in ("item", "equipment"):
            used.add(subject_at)
            subject_at += 1
            subject_kind, subject = tags[subject_at]
    if subject_at is not None:
        used.add(subject_at)
    if subject_kind == "role":
        archetype = "humanoid"
    elif subject_kind == "creature":
        archetype = CREATURES[subject]["archetype"]
    else:
        archetype = "item"

    # ---- 2. everything else
    opts: dict[str, Any] = {}
    colours: dict[str, str] = {}
    bound: list[dict[str, Any]] = []
    shades: dict[str, float] = {}
    chosen_palette = palette
    slots = HUMANOID_SLOTS if archetype == "humanoid" else ITEM_SLOTS if archetype == "item" else CREATURE_SLOTS

    def slot_of(i: int) -> str | None:
        """The colour slot the noun at index i names, for this archetype (None: no such part here)."""
        k, v = tags[i]
        if i != subject_at and k == "item" and archetype == "item" and words[i] in PART_SLOTS:
            return {"detail": "detail", "trim": "trim", "handle": "handle"}.get(PART_SLOTS[words[i]])
        if archetype == "humanoid" and k == "item" and words[i] in HEADWEAR:
            return "headwear"
        if i == subject_at or k in ("role", "creature") or (k == "item" and archetype == "item"):
            return "main" if archetype == "item" else "body"
        if archetype == "humanoid":
            if k == "equipment":
                return "shield" if v == "shield" else "weapon"
            if k == "headwear":
                return "accent" if v == "horns" else "headwear"
            if k == "outfit":
                return "body"
            if k == "part":
                return {"beard": "hair"}.get(v, v) if v in HUMANOID_SLOTS | {"beard"} else None
            return None
        if archetype == "item":
            if k in ("equipment", "item"):
                return "main"
            if k == "part":
                return {"body": "main", "belly": "main", "detail": "detail", "trim": "trim",
                        "handle": "handle"}.get(v)
            if k == "headwear":
                return "main"
            return None
        if k == "part":
            return v if v in CREATURE_SLOTS else None
        if k == "headwear" and v == "horns":
            return "accent"
        return None

    for i, (k, v) in enumerate(tags):
        if i in used or i in filler:
            continue
        if k == "palette":
            if palette is None and chosen_palette is None:
                chosen_palette = v
                used.add(i)
            else:
                ignored.add(i)
        elif k in ("colour", "shade"):
            # find what it colours: the next noun, skipping other colour words and "and"
            j = i + 1
            while j < len(tags) and (tags[j][0] in ("colour", "shade") or words[j] in ("and", "&", "with")):
                if words[j] == "with":
                    break
                j += 1
            target = j if j < len(tags) and tags[j][0] in NOUN_KINDS else None
            slot = slot_of(target) if target is not None else ("main" if archetype == "item" else "body")
            if k == "shade":
                if i + 1 < len(tags) and tags[i + 1][0] == "colour":
                    used.add(i)  # read together with the colour after it
                    continue
                if slot is None:
                    ignored.add(i)
                    continue
                shades[slot] = v
                used.add(i)
                continue
            hex_colour = v
            word = words[i]
            if i > 0 and tags[i - 1][0] == "shade":
                hex_colour = builders.shade(hex_colour, tags[i - 1][1])
                word = f"{words[i - 1]} {word}"
            if slot is None or slot not in slots:
                ignored.add(i)
                if i > 0 and tags[i - 1][0] == "shade":
                    ignored.add(i - 1)
                    used.discard(i - 1)
                continue
            colours[slot] = hex_colour
            if word.split()[-1] in METAL_COLOURS and slot == "body":
                colours["_body_metal"] = "1"
            bound.append({"word": word, "hex": hex_colour, "applied_to": slot})
            used.add(i)
        elif archetype == "humanoid":
            if k == "role":
                ignored.add(i)  # a second role: one character per sprite
            elif k == "equipment" or (k == "item" and v in ITEM_EQUIPMENT):
                if v in OFF_HAND:
                    opts["off"] = v
                else:
                    opts["main"] = v
                used.add(i)
            elif k == "headwear" or (k == "item" and words[i] in HEADWEAR):
                v = HEADWEAR.get(words[i], v)
                if v == "bald":
                    opts["hair_style"] = "bald"
                else:
                    opts["head"] = v
                used.add(i)
            elif k == "outfit":
                opts["outfit"] = v
                used.add(i)
            elif k == "part":
                if v == "cape":
                    opts["cape"] = True
                elif v == "beard":
                    opts["beard"] = True
                elif v == "belt":
                    opts["belt"] = True
                elif v == "hair" and words[i] in ("ponytail", "braid", "braids", "mane"):
                    opts["hair_style"] = "long"
                elif v not in HUMANOID_SLOTS:
                    ignored.add(i)
                    continue
                used.add(i)
            elif k == "build":
                opts["build"] = v
                used.add(i)
            elif k == "hint":
                used.add(i)
            elif words[i] in ("long", "longhaired"):
                opts["hair_style"] = "long"
                used.add(i)
            elif words[i] in ("glowing", "glow", "evil", "demonic", "undead", "cursed", "possessed"):
                opts["glow_eyes"] = True
                used.add(i)
            else:
                ignored.add(i)
        else:
            if k == "hint":
                used.add(i)
            elif k in ("part", "item") and slot_of(i) is not None and (archetype != "item" or slot_of(i) in ITEM_SLOTS):
                used.add(i)  # names a part that this model has (coloured or not)
            elif archetype != "humanoid" and k == "headwear" and v == "horns" and subject == "dragon":
                used.add(i)
            else:
                ignored.add(i)

    # ---- 3. defaults, seed choices and the model
    interpretation_parts: list[str]
    if archetype == "humanoid":
        role = dict(ROLES[subject])
        o: dict[str, Any] = {
            "outfit": role.get("outfit", "tunic"), "head": role.get("head"), "main": role.get("main"),
            "off": role.get("off"), "build": role.get("build"), "cape": role.get("cape", False),
            "beard": role.get("beard", False), "belt": role.get("belt", False),
            "hair_style": role.get("hair_style", rng.choice(("short", "short", "long"))),
            "ears": role.get("ears"), "tusks": role.get("tusks", False),
            "glow_eyes": subject in ("skeleton", "robot", "golem", "vampire"),
            "closed_helmet": subject in ("knight", "paladin", "samurai"),
            "plume": False, "horn_helmet": subject == "viking",
            "head_jitter": 1.0 + rng.uniform(-0.04, 0.04),
        }
        for key, value in opts.items():
            o[key] = value
        if "main" in opts and opts["main"] == "shield":
            o["main"], o["off"] = None, "shield"
        if o["main"] == "bow":
            o["main"], o["off"] = None, "bow"
        if o["off"] == "bow" and o["main"] in ("sword", "axe", "hammer", "spear", "staff"):
            pass
        if o.get("head") == "helmet" and "head" in opts and subject not in ("knight", "paladin", "samurai"):
            o["closed_helmet"] = False
        c = dict(role.get("colours", {}))
        c.setdefault("skin", role.get("skin") or rng.choice(SKIN_TONES))
        c.setdefault("hair", rng.choice(HAIR_COLOURS))
        c.setdefault("body", rng.choice(CLOTH_COLOURS))
        c.setdefault("legs", builders.shade(rng.choice(("#5a4630", "#3a3a4a", "#4a5a3a", "#6a5a4a")), 0))
        c.setdefault("boots", "#4a3526")
        if o["outfit"] == "armour" and "body" not in role.get("colours", {}):
            c["body"] = "#9aa3b0"
        if role.get("skin"):
            c["skin"] = role["skin"]
        c.update(colours)
        if "beard" in colours and "hair" not in colours:
            c["hair"] = colours["beard"]
        for slot, amount in shades.items():
            if slot in c:
                c[slot] = builders.shade(c[slot], amount)
        model = builders.humanoid(o, c)
        name = subject
        kind = "character"
        interpretation_parts = _describe_humanoid(o)
    elif archetype == "item":
        c = dict(ITEMS[subject]["colours"])
        c.update({k: v for k, v in colours.items() if not k.startswith("_")})
        for slot, amount in shades.items():
            if slot in c:
                c[slot] = builders.shade(c[slot], amount)
        model = builders.item(subject, c)
        name = subject
        kind = "prop"
        interpretation_parts = sorted({p.removesuffix("_L") for p in model.parts})
    else:
        info = CREATURES[subject]
        c = dict(info["colours"])
        c.update({k: v for k, v in colours.items() if not k.startswith("_")})
        if "body" in colours and "belly" not in colours and "belly" in c:
            c["belly"] = builders.shade(c["body"], 0.4)
        for slot, amount in shades.items():
            if slot in c:
                c[slot] = builders.shade(c[slot], amount)
        shape = info["shape"]
        builder = {"quadruped": builders.quadruped, "winged": builders.winged, "amorphous": builders.amorphous,
                   "serpentine": builders.serpentine, "arthropod": builders.arthropod}[archetype]
        model = builder(shape, c)
        name = subject
        kind = "character"
        interpretation_parts = sorted({p.removesuffix("_L") for p in model.parts})

    spec: dict[str, Any] = {
        "spritekiln": SPEC_VERSION,
        "name": _slug(name),
        "kind": kind,
        "view": "topdown",
        "size": 64,
        "directions": 8,
        "camera": {"pitch": 38},
        "shadow": None,
        "brief": {"summary": prompt.strip()[:300], "generator": "pixelforge prompt compiler", "seed": seed},
        **model.sections(),
    }
    asset = asset_type or wanted
    if asset_type is None and archetype == "humanoid" and subject in HUMANOID_MONSTERS:
        asset = "creature"
    for b in bound:
        b["applied_to"] = ", ".join(model.used.get(b["applied_to"], [])) or b["applied_to"]
    interpretation = {
        "asset_type": asset,
        "archetype": archetype,
        "subject": subject,
        "parts": interpretation_parts,
        "colours": bound,
        "palette": chosen_palette,
        "used_words": [w for i, w in enumerate(words) if i in used],
        "ignored_words": [w for i, w in enumerate(words) if i in ignored or (i not in used and i not in filler)],
        "filler_words": [w for i, w in enumerate(words) if i in filler and i not in used],
    }
    return {"spec": spec, "interpretation": interpretation}


def _describe_humanoid(o: dict[str, Any]) -> list[str]:
    parts = ["body", "head", "arms", "legs"]
    parts.append({"armour": "armour", "robe": "robe", "coat": "coat", "tunic": "tunic", "leather": "leather armour",
                  "rags": "rags", "bones": "bones", "robot": "robot body", "rock": "stone body", "suit": "suit",
                  "bare": "bare chest"}.get(o.get("outfit") or "tunic", "tunic"))
    for key in ("head", "main", "off"):
        if o.get(key):
            parts.append(str(o[key]).replace("_", " "))
    for key in ("cape", "beard", "belt", "tusks"):
        if o.get(key):
            parts.append(key)
    if o.get("ears") == "pointy":
        parts.append("pointed ears")
    if o.get("build"):
        parts.append(f"{o['build']} build")
    return parts


# ---------------------------------------------------------------------------------------------- variants
FIXED_RAMPS = ("skin", "ink", "eyes", "shine", "hair", "tusk", "horn", "visor", "core")


def _rotate_hue(hex_colour: str, turn: float, sat: float) -> str:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hh, lum, ss = colorsys.rgb_to_hls(r, g, b)
    rgb = colorsys.hls_to_rgb((hh + turn) % 1.0, lum, min(1.0, ss * sat))
    return "#" + "".join(f"{max(0, min(255, round(x * 255))):02x}" for x in rgb)


def vary_spec(spec: dict[str, Any], *, seed: int, index: int) -> dict[str, Any]:
    """Variant `index` (0 = the spec itself) of a model: the same geometry in another colourway (a classic
    palette swap), chosen from `seed`. Skin, eyes, hair and effects keep their colours."""
    if index == 0:
        return spec
    rng = random.Random(seed * 7919 + index)
    out = copy.deepcopy(spec)
    base_turn = (index * 0.31 + rng.uniform(-0.06, 0.06)) % 1.0
    ramps = out.get("ramps") or {}
    for name, colours in ramps.items():
        if any(name.startswith(f) for f in FIXED_RAMPS) or not isinstance(colours, list):
            continue
        turn = base_turn + rng.uniform(-0.03, 0.03)
        sat = 1.0 + rng.uniform(-0.1, 0.25)
        ramps[name] = [_rotate_hue(str(col), turn, sat) for col in colours]
    out["ramps"] = ramps
    return out


def known_palettes() -> tuple[str, ...]:
    return PALETTE_NAMES


def palette_colours(name: str) -> list[str] | None:
    """Colours of one of our named palettes (spritekiln's ramp palettes are resolved by the renderer)."""
    return list(PALETTES[name]) if name in PALETTES else None
