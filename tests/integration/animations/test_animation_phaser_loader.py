"""Phaser's own loader reads our TexturePacker atlas in headless Chromium: the frames a game would
play are the frames on our sheet. (CI installs Chromium and sets PIXELFORGE_REQUIRE_BROWSER=1, so
there this test runs or fails; elsewhere it is skipped when no browser is installed.)"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from functions.animations.render import render_animation
from functions.sprites.compiler import compile_prompt

ROOT = Path(__file__).resolve().parents[3]
PHASER = ROOT / "tests" / "browser" / "node_modules" / "phaser" / "dist" / "phaser.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

PAGE = """<!doctype html><html><body><pre id="out">pending</pre>
<script src="phaser.min.js"></script>
<script>
new Phaser.Game({type: Phaser.HEADLESS, width: 8, height: 8, banner: false, audio: {noAudio: true},
  scene: {
    preload() {
      this.load.on('loaderror', f => { document.getElementById('out').textContent = 'error ' + f.key; });
      this.load.atlas('walk', 'sheet.png', 'sheet.atlas.json');
    },
    create() {
      const texture = this.textures.get('walk');
      const frames = {};
      for (const name of texture.getFrameNames()) {
        const f = texture.get(name);
        frames[name] = {x: f.cutX, y: f.cutY, w: f.cutWidth, h: f.cutHeight};
      }
      const source = texture.getSourceImage();
      document.getElementById('out').textContent = JSON.stringify(
        {frames, width: source.width, height: source.height});
    }
  }});
</script></body></html>"""


def test_phaser_loads_our_atlas_and_finds_every_frame(tmp_path):
    if not (CHROMIUM and PHASER.exists()):
        if os.environ.get("PIXELFORGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium ({CHROMIUM}) and Phaser ({PHASER.exists()}) are required here")
        pytest.skip("needs Chromium and tests/browser's Phaser (make browser-tools)")
    spec = compile_prompt("knight with a sword", seed=1)["spec"]
    result = render_animation(spec=spec, preset="walk", frame_count=2, fps=8, directions=4, direction=None,
                              loop=True, normalize_size=True, width=32, height=32, camera="three_quarter",
                              elevation=None, style="pixel", palette=None, outline=True, shadow=False,
                              background="transparent", pixel_perfect="auto", seed=1)
    files = {f.name: f.data for f in result.files}
    for name in ("sheet.png", "sheet.atlas.json"):
        (tmp_path / name).write_bytes(files[name])
    shutil.copy(PHASER, tmp_path / "phaser.min.js")
    (tmp_path / "index.html").write_text(PAGE)
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--allow-file-access-from-files", "--virtual-time-budget=15000", "--dump-dom",
         (tmp_path / "index.html").as_uri()],
        capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found and found.group(1).startswith("{"), dom[-500:]
    loaded = json.loads(found.group(1).replace("&quot;", '"'))
    atlas = json.loads(files["sheet.atlas.json"])
    ours = {name: {"x": f["frame"]["x"], "y": f["frame"]["y"], "w": f["frame"]["w"], "h": f["frame"]["h"]}
            for name, f in atlas["frames"].items()}
    assert {k: v for k, v in loaded["frames"].items() if k != "__BASE"} == ours
    assert (loaded["width"], loaded["height"]) == (2 * 32, 4 * 32)
