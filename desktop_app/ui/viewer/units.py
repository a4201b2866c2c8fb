"""Human-readable lengths for the scale bar and the status bar (no Qt)."""

from __future__ import annotations

import math


def format_length_um(um: float) -> str:
    """``250 µm``, ``1.5 mm``; micrometres below a millimetre."""
    if abs(um) >= 1000.0:
        mm = um / 1000.0
        return f"{mm:.0f} mm" if mm == round(mm) else f"{mm:.1f} mm"
    if abs(um) >= 10.0 or um == round(um):
        return f"{um:.0f} µm"
    return f"{um:.1f} µm"


def nice_length(max_value: float) -> float:
    """The largest 1, 2 or 5 x 10^n that is <= ``max_value`` (for a scale bar)."""
    if max_value <= 0:
        return 0.0
    exp = math.floor(math.log10(max_value))
    for mult in (5.0, 2.0, 1.0):
        value = mult * 10.0**exp
        if value <= max_value:
            return value
    return 10.0**exp
