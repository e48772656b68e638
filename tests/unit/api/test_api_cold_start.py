"""The API function ships without the render layer: importing it must not need numpy or Pillow."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_api_handler_imports_without_numpy_or_pillow():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('numpy', 'PIL', 'yaml', 'spritekiln'):\n"
        "            raise ImportError('not in the API layer: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import functions.api.handler\n"
        "import functions.webhooks.handler\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
