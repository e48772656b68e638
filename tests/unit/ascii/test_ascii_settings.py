import subprocess
import sys

import pytest
from pydantic import ValidationError

from functions.ascii.settings import AsciiSettings, ascii_cost


def test_defaults_and_bounds():
    settings = AsciiSettings()
    assert settings.columns == 100 and settings.font_aspect == 0.5 and settings.charset == "standard"
    for bad in ({"columns": 19}, {"columns": 401}, {"fps": 31}, {"max_frames": 0}, {"background": "red"},
                {"color": "cmyk"}, {"dither": "random"}, {"unknown": 1}, {"columns": "100"}):
        with pytest.raises(ValidationError):
            AsciiSettings.model_validate(bad)


def test_custom_charset_needs_drawable_glyphs():
    assert AsciiSettings(charset="custom", custom_chars=" .oO@").custom_chars == " .oO@"
    with pytest.raises(ValidationError):
        AsciiSettings(charset="custom")
    with pytest.raises(ValidationError):
        AsciiSettings(charset="custom", custom_chars=" é")
    with pytest.raises(ValidationError):
        AsciiSettings(charset="standard", custom_chars=" .")


def test_cost_grows_with_columns_and_frames():
    assert ascii_cost({"columns": 100}) == 1
    assert ascii_cost({"columns": 300}) == 2
    assert ascii_cost({"columns": 100, "max_frames": 120}, media_kind="video") == 3
    assert ascii_cost({"columns": 100, "max_frames": 600}, media_kind="video") > ascii_cost(
        {"columns": 100, "max_frames": 60}, media_kind="video")


def test_settings_module_does_not_import_numpy():
    code = "import sys, functions.ascii, functions.ascii.settings; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
