"""``make-slide`` benchmark: prints figures, asserts nothing.

    python benchmarks/make_slide_bench.py [--width 100000 --height 80000] [--keep DIR]

Figures (target in brackets):
  wall time to write a 100,000 x 80,000 SVS through ``workstation make-slide``  [< 60 s]
  file size, levels, distinct level-0 tiles
  OpenSlide sanity: vendor, mpp, a level-0 tile decodes and is not blank,
  level 1 vs level 0 box-downsampled (mean absolute difference, grey levels) [< ~2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import openslide

from desktop_app.cli import main as cli_main
from desktop_app.slide.synth_plan import SlidePlan


def _box(img: np.ndarray, f: int) -> np.ndarray:
    h, w = img.shape[0] // f, img.shape[1] // f
    return img[: h * f, : w * f].reshape(h, f, w, f, 3).mean(axis=(1, 3))


def run(out: Path, width: int, height: int) -> None:
    print(f"make-slide {width}x{height} -> {out}  ({os.cpu_count()} CPUs)")
    t0 = time.perf_counter()
    code = cli_main(["make-slide", str(out), "--width", str(width), "--height", str(height)])
    elapsed = time.perf_counter() - t0
    size = out.stat().st_size
    plan = SlidePlan(width, height, 256, 0)
    print(f"  exit code          {code}")
    print(f"  wall time          {elapsed:.1f} s   [target < 60 s]")
    print(f"  file size          {size / 2**20:.0f} MiB")
    print(f"  level-0 tiles      {plan.grid.size} ({plan.distinct} distinct encoded)")

    t1 = time.perf_counter()
    with openslide.OpenSlide(out) as slide:
        open_s = time.perf_counter() - t1
        props = slide.properties
        print(f"  openslide open     {open_s * 1000:.0f} ms")
        print(
            f"  vendor / mpp / obj {props.get('openslide.vendor')} / "
            f"{props.get('openslide.mpp-x')} / {props.get('openslide.objective-power')}"
        )
        print(f"  levels             {slide.level_dimensions}")
        print(f"  associated         {sorted(slide.associated_images)}")
        cx, cy = width // 2 // 256 * 256, height // 2 // 256 * 256
        t2 = time.perf_counter()
        tile = np.asarray(slide.read_region((cx, cy), 0, (256, 256)).convert("RGB"))
        print(
            f"  level-0 tile read  {(time.perf_counter() - t2) * 1000:.1f} ms, "
            f"std {tile.std():.1f} (not blank: {tile.std() > 3})"
        )
        x, y, w = cx - 2048, cy - 2048, 4096
        l0 = np.asarray(slide.read_region((x, y), 0, (w, w)).convert("RGB"), np.float64)
        l1 = np.asarray(slide.read_region((x, y), 1, (w // 4, w // 4)).convert("RGB"), np.float64)
        print(
            f"  level1 vs level0/4 MAE {np.abs(l1 - _box(l0, 4)).mean():.2f} grey levels "
            "(dense tissue at the slide centre)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=100_000)
    parser.add_argument("--height", type=int, default=80_000)
    parser.add_argument("--keep", metavar="DIR", help="write the slide here and keep it")
    args = parser.parse_args()
    if args.keep:
        run(Path(args.keep) / "bench-100k.svs", args.width, args.height)
        return 0
    with tempfile.TemporaryDirectory(prefix="make-slide-bench-") as tmp:
        run(Path(tmp) / "bench-100k.svs", args.width, args.height)
    return 0


if __name__ == "__main__":
    sys.exit(main())
