"""Where the user looked: Cytomine's UserPosition history and the last position per image.

The viewer reports its position at most once a second; the composition root runs this
on its writer thread, so recording never blocks the UI.  Positions are activity, not
edits: they are not undoable and do not enter the command log.
"""

from __future__ import annotations

import math

from sqlalchemy import select

from desktop_app.model.activity import LastUserPosition, UserPosition
from desktop_app.model.image import ImageInstance
from desktop_app.store.uow import Store


def record_position(
    store: Store,
    *,
    image_pk: int,
    user_pk: int,
    x: float,
    y: float,
    downsample: float,
    view_size: tuple[int, int],
) -> None:
    """Append a UserPosition and update the LastUserPosition of (user, image)."""
    half_w, half_h = view_size[0] * downsample / 2, view_size[1] * downsample / 2
    # Cytomine's zoom counts from the smallest tier: a downsample of 1 is the top zoom;
    # we store the downsample itself and let the wire layer convert with the image size.
    values = {
        "x": x,
        "y": y,
        "zoom": downsample,
        "min_x": x - half_w,
        "min_y": y - half_h,
        "max_x": x + half_w,
        "max_y": y + half_h,
    }
    if not all(math.isfinite(v) for v in values.values()):
        return
    with store.unit_of_work(undoable=False) as uow:
        project_pk = uow.session.scalar(
            select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk)
        )
        if project_pk is None:
            return
        uow.session.add(
            UserPosition(user_pk=user_pk, image_pk=image_pk, project_pk=project_pk, **values)
        )
        last = uow.session.scalar(
            select(LastUserPosition).where(
                LastUserPosition.user_pk == user_pk, LastUserPosition.image_pk == image_pk
            )
        )
        if last is None:
            uow.session.add(
                LastUserPosition(
                    user_pk=user_pk, image_pk=image_pk, project_pk=project_pk, **values
                )
            )
        else:
            for key, value in values.items():
                setattr(last, key, value)


def last_position(
    store: Store, *, image_pk: int, user_pk: int
) -> tuple[float, float, float] | None:
    """Where the user left this image: (x, y, downsample), to reopen it there."""
    with store.read() as s:
        row = s.execute(
            select(LastUserPosition.x, LastUserPosition.y, LastUserPosition.zoom).where(
                LastUserPosition.user_pk == user_pk, LastUserPosition.image_pk == image_pk
            )
        ).first()
    return (row.x, row.y, row.zoom) if row else None
