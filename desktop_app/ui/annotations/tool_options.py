"""Tool options on the tool bar: brush size, wand sensitivity, counting mode.

Each widget edits one field of :class:`ToolPrefs` and follows it back, so ``[``/``]``,
Ctrl+wheel and the spin box always agree and the value is remembered.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSpinBox, QToolBar

from desktop_app.core.wand import MAX_SENSITIVITY, MIN_SENSITIVITY
from desktop_app.ui.annotations.prefs import BRUSH_MAX, BRUSH_MIN, ToolPrefs


@dataclass
class ToolOptions:
    brush_size: QSpinBox
    wand_sensitivity: QDoubleSpinBox
    counting: QAction


def add_tool_options(toolbar: QToolBar, prefs: ToolPrefs) -> ToolOptions:
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Brush"))
    size = QSpinBox(toolbar)
    size.setObjectName("brush_size")
    size.setRange(BRUSH_MIN, BRUSH_MAX)
    size.setSuffix(" px")
    size.setValue(prefs.brush_diameter)
    size.setToolTip("Brush diameter in screen pixels ([ and ] or Ctrl+wheel)")
    size.valueChanged.connect(lambda v: setattr(prefs, "brush_diameter", v))
    toolbar.addWidget(size)
    toolbar.addWidget(QLabel(" Wand"))
    sens = QDoubleSpinBox(toolbar)
    sens.setObjectName("wand_sensitivity")
    sens.setRange(MIN_SENSITIVITY, MAX_SENSITIVITY)
    sens.setDecimals(2)
    sens.setSingleStep(0.25)
    sens.setValue(prefs.wand_sensitivity)
    sens.setToolTip(
        "Wand sensitivity: higher keeps to closer colours (wheel while drawing, Ctrl+wheel)"
    )
    sens.valueChanged.connect(lambda v: setattr(prefs, "wand_sensitivity", v))
    toolbar.addWidget(sens)
    counting = QAction("Count", toolbar, checkable=True)
    counting.setObjectName("counting")
    counting.setChecked(prefs.counting)
    counting.setToolTip(
        "Counting: each point-tool click adds to one multi-point per term (the active term)"
    )
    counting.toggled.connect(lambda on: setattr(prefs, "counting", on))
    toolbar.addAction(counting)

    def follow(name: str) -> None:
        if name == "brush_diameter" and size.value() != prefs.brush_diameter:
            size.setValue(prefs.brush_diameter)
        elif name == "wand_sensitivity" and abs(sens.value() - prefs.wand_sensitivity) > 1e-3:
            sens.setValue(prefs.wand_sensitivity)
        elif name == "counting" and counting.isChecked() != prefs.counting:
            counting.setChecked(prefs.counting)

    prefs.changed.connect(follow)
    return ToolOptions(size, sens, counting)
