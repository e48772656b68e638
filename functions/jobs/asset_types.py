"""Every kind of job the API accepts: its price, how its request becomes render parameters and an
interpretation, and which renderer runs it.

The renderer is named, not imported, so the API function never loads numpy; only the worker does.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions.animations import models as animation_models
from functions.ascii import models as ascii_models
from functions.sprites import models as sprite_models
from functions.sprites import rotation_models
from functions.textures import models as texture_models


@dataclass(frozen=True)
class AssetType:
    name: str
    endpoint: str
    cost: Callable[[dict], int]
    # (validated request, seed) -> (what the renderer receives, how the request was read)
    prepare: Callable[[Any, int], tuple[dict, dict]]
    renderer: str               # "module:function" taking the params as keywords plus progress=
    description: dict[str, Any] = field(default_factory=dict)
    # Jobs that split into parts rendered by parallel worker invocations (on AWS): which parts a job has,
    # what renders one part (to bytes) and what assembles them into the job's files.
    parts: Callable[[dict], list[str]] | None = None
    part_renderer: str | None = None
    assembler: str | None = None

    def render_function(self) -> Callable[..., Any]:
        return _load(self.renderer)

    def part_function(self) -> Callable[..., bytes]:
        assert self.part_renderer
        return _load(self.part_renderer)

    def assemble_function(self) -> Callable[..., Any]:
        assert self.assembler
        return _load(self.assembler)


def _load(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


ASSET_TYPES: dict[str, AssetType] = {
    "animation": AssetType(
        name="animation", endpoint="/v1/animations", cost=animation_models.animation_cost,
        prepare=animation_models.prepare_animation, renderer="functions.animations.jobs:render_animation_job",
        parts=animation_models.fanout_parts, part_renderer="functions.animations.jobs:render_animation_part_job",
        assembler="functions.animations.jobs:assemble_animation_job",
        description={
            "summary": "Every preset in 1, 4 or 8 directions from a model-based sprite (or 2D motion of an upload), "
                       "as engine-ready sheets: Aseprite, TexturePacker/Phaser, Godot 4 SpriteFrames, GIFs, frames.",
            "cost": {"formula": "ceil(frame_count x directions / 8), at least 1"},
            "presets": list(animation_models.PRESETS), "frame_count": {"min": 2, "max": 24},
            "fps": {"min": 4, "max": 60}, "directions": [1, 4, 8],
        },
    ),
    "animation_process": AssetType(
        name="animation_process", endpoint="/v1/animations/{id}/process",
        cost=lambda params: animation_models.PROCESS_COST, prepare=animation_models.prepare_process,
        renderer="functions.animations.jobs:render_animation_job",
        description={"summary": "A non-destructive cleaned copy of an animation: stabilize, tight or aggressive.",
                     "cost": {"per_job": animation_models.PROCESS_COST}},
    ),
    "ascii": AssetType(
        name="ascii", endpoint="/v1/ascii", cost=ascii_models.cost, prepare=ascii_models.prepare_ascii,
        renderer="functions.ascii.jobs:render_ascii_job",
        description={
            "summary": "ASCII art from an upload (image, GIF, video, GLB, OBJ) or from another job's picture.",
            "cost": {"still": 1, "wide_still_over_200_columns": 2,
                     "animation_video_or_3d": "1 + 1 per started 60 of max_frames"},
            "outputs": ["ascii.txt", "ascii.ans", "ascii.html", "ascii.gif", "ascii.json", "ascii.mp4 (video)"],
        },
    ),
    "texture": AssetType(
        name="texture", endpoint="/v1/textures", cost=texture_models.texture_cost,
        prepare=texture_models.prepare_texture,
        renderer="functions.textures.render:render_texture_set",
        description={
            "summary": "Seamless PBR material set from a prompt.",
            "cost": {"up_to_512": 2, "1024": 4, "2048": 8},
            "size": {"min": texture_models.MIN_SIZE, "max": texture_models.MAX_SIZE, "rule": "power of two"},
            "maps": list(texture_models.ALL_MAPS),
            "always_included": ["preview.png", "material.json"],
            "options": ["prompt", "size", "seed", "maps", "pixel_art", "webhook_url"],
        },
    ),
    "sprite": AssetType(
        name="sprite", endpoint="/v1/sprites", cost=sprite_models.sprite_cost,
        prepare=sprite_models.prepare_sprite,
        renderer="functions.sprites.jobs:render_sprite_job",
        description={
            "summary": "A character, creature or item built as a 3D model and rendered to pixel art.",
            "cost": {"per_variant": 1},
            "asset_types": list(sprite_models.SUPPORTED_ASSET_TYPES),
            "size": {"min": sprite_models.MIN_SIZE, "max": sprite_models.MAX_SIZE},
            "directions": list(sprite_models.DIRECTIONS), "cameras": list(sprite_models.CAMERAS),
            "always_included": ["sprite.png", "sprite.json", "spec.yaml"],
        },
    ),
    "rotation": AssetType(
        name="rotation", endpoint="/v1/rotations", cost=rotation_models.rotation_cost,
        prepare=rotation_models.prepare_rotation,
        renderer="functions.sprites.jobs:render_rotation_job",
        description={
            "summary": "A model-based sprite in 4 or 8 directions (one model, one camera, one palette); an uploaded "
                       "top-down image rotated in-plane.",
            "cost": {"4_directions": rotation_models.COST[4], "8_directions": rotation_models.COST[8]},
            "sources": ["sprite_job_id", "spec", "upload_id (top-down images only)"],
            "always_included": ["rotation_<dir>.png", "rotations_sheet.png", "rotations.json"],
        },
    ),
}
