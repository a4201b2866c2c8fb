"""User positions: history plus the last position per image."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop_app.model.activity import UserPosition
from desktop_app.services.activity import last_position, record_position
from tests.scene import Scene


def test_positions_are_recorded_and_last_one_kept(scene: Scene) -> None:
    for x in (100.0, 200.0, 300.0):
        record_position(
            scene.store,
            image_pk=scene.image_pk,
            user_pk=scene.user_pk,
            x=x,
            y=50.0,
            downsample=4.0,
            view_size=(800, 600),
        )
    record_position(
        scene.store,
        image_pk=scene.image_pk,
        user_pk=scene.user_pk,
        x=float("nan"),
        y=0.0,
        downsample=1.0,
        view_size=(10, 10),
    )
    assert last_position(scene.store, image_pk=scene.image_pk, user_pk=scene.user_pk) == (
        300.0,
        50.0,
        4.0,
    )
    with scene.store.read() as s:
        assert s.scalar(select(func.count()).select_from(UserPosition)) == 3
        last = s.scalars(select(UserPosition).order_by(UserPosition.pk.desc())).first()
        assert last is not None and (last.min_x, last.max_x) == (300 - 1600, 300 + 1600)
