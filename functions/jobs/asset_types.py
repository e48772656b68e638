"""Every kind of job the API accepts: its price, how its prompt is read, and which renderer runs it.

The renderer is named, not imported, so the API function never loads numpy; only the worker does.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from functions.textures import models as texture_models


@dataclass(frozen=True)
class AssetType:
    name: str
    endpoint: str
    cost: Callable[[dict], int]
    params: Callable[[Any, int], dict]   # (validated request, seed) -> what the renderer receives
    interpreter: str            # "module:function" taking the prompt, numpy-free
    renderer: str               # "module:function" taking the params as keywords plus progress=
    description: dict[str, Any] = field(default_factory=dict)

    def interpret(self, params: dict) -> dict:
        return _load(self.interpreter)(params["prompt"])

    def render_function(self) -> Callable[..., Any]:
        return _load(self.renderer)


def _load(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


ASSET_TYPES: dict[str, AssetType] = {
    "texture": AssetType(
        name="texture", endpoint="/v1/textures", cost=texture_models.texture_cost,
        params=lambda request, seed: texture_models.texture_params(request, seed=seed),
        interpreter="functions.textures.prompt:interpret_texture_prompt",
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
}
