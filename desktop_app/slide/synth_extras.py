"""Associated images of a synthetic SVS: thumbnail, slide label and macro photo.

They exist so the viewer's slide-info panel, the label privacy checks and the
associated-image code paths have something real to show, and so tests can tell which
synthetic slide they are looking at (the label carries the seed and dimensions).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from desktop_app.slide.glyphs import draw_text, text_size
from desktop_app.slide.synth_plan import U8

THUMBNAIL_WIDTH = 1024
LABEL_SIZE = 400
_GLASS = (222, 226, 231)


def _resize(img: U8, width: int, height: int) -> U8:
    resized = Image.fromarray(img).resize((max(1, width), max(1, height)), Image.Resampling.BOX)
    return np.asarray(resized, np.uint8)


def thumbnail_image(overview: U8) -> U8:
    """Aperio's second IFD: the whole slide, at most ``THUMBNAIL_WIDTH`` wide."""
    h, w = overview.shape[:2]
    if w <= THUMBNAIL_WIDTH:
        return np.ascontiguousarray(overview)
    return _resize(overview, THUMBNAIL_WIDTH, round(h * THUMBNAIL_WIDTH / w))


def label_image(seed: int, width: int, height: int) -> U8:
    """A white paper label with the slide's identity and a barcode-like stripe pattern."""
    img = np.full((LABEL_SIZE, LABEL_SIZE, 3), 250, np.uint8)
    img[:4], img[-4:], img[:, :4], img[:, -4:] = 180, 180, 180, 180
    lines = ("SYNTHETIC", f"SEED {seed}", f"{width}X{height}")
    y = 24
    for line in lines:
        scale = 4 if text_size(line, 4)[0] <= LABEL_SIZE - 40 else 2
        draw_text(img, 20, y, line, (20, 20, 20), scale=scale)
        y += text_size(line, scale)[1] + 16
    bits = np.unpackbits(np.frombuffer(np.int64(seed * 2654435761 + 97).tobytes(), np.uint8))
    x = 20
    for i, bit in enumerate(bits[:56]):
        bar = 2 + 3 * int(bit) + (i % 3 == 0)
        if x + bar > LABEL_SIZE - 20:
            break
        if i % 2 == 0:
            img[260:370, x : x + bar] = 15
        x += bar
    return img


def macro_image(overview: U8, label: U8) -> U8:
    """A photo of the whole glass: the label at the left end, the tissue on the right."""
    height, width = 420, 1260
    img = np.full((height, width, 3), _GLASS, np.uint8)
    lab = _resize(label, height - 40, height - 40)
    img[20 : 20 + lab.shape[0], 20 : 20 + lab.shape[1]] = lab
    area_x0, area_w, area_h = lab.shape[1] + 60, width - lab.shape[1] - 80, height - 40
    oh, ow = overview.shape[:2]
    scale = min(area_w / ow, area_h / oh)
    tissue = _resize(overview, round(ow * scale), round(oh * scale))
    th, tw = tissue.shape[:2]
    y0, x0 = (height - th) // 2, area_x0 + (area_w - tw) // 2
    # The scanner's white balance makes glass slightly darker than the overview's white.
    img[y0 : y0 + th, x0 : x0 + tw] = (tissue.astype(np.uint16) * 232 // 243).astype(np.uint8)
    return img
