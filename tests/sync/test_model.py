"""Randomised convergence: several offline devices, random edits, syncs through faults.

``test_state_machine``: a Hypothesis ``RuleBasedStateMachine`` (two or three devices
of two users) with create / move / term toggle / delete / review and syncs in random
order through the fault proxy; at the end faults are healed, every conflict is
resolved, and everyone syncs until quiet.  Then: every cache == the server == a
fresh checkout, no uid twice on the server, every created annotation is on the
server or was deleted / discarded by a user, and a further sync sends nothing.
``SYNC_HYPOTHESIS_PROFILE=long`` runs many more, longer examples.
``test_hundreds_of_syncs_through_faults``: a long seeded run of the same kind.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.services.geojson_io import import_features
from desktop_app.store import edits
from desktop_app.store.edits import EditError
from tests.sync.conftest import assert_outbox_consistent, make_device, make_world
from tests.sync.helpers import assert_converged, local_image, local_term, settle, square

TERM_NAMES = ("tumor", "stroma", "necrosis")  # make_world's terms, in order

LONG = os.environ.get("SYNC_HYPOTHESIS_PROFILE") == "long"


class World:
    """Devices + bookkeeping of every user edit (for the no-silent-loss check)."""

    def __init__(
        self, server: Any, slide: Path, tmp: Path, proxy: Any, n_devices: int, tag: str
    ) -> None:
        self.server, self.proxy, self.tmp = server, proxy, tmp
        self.w = make_world(server, slide, tag)
        self.p = self.w["project"]
        who = ["alice", "alice", "bob"][:n_devices]
        self.devs = [
            make_device(tmp, f"{tag}-{i}", server.users[u], proxy.base) for i, u in enumerate(who)
        ]
        for d in self.devs:
            proxy.heal()
            assert d.sync([self.p]).ok
        self.created: set[str] = set()
        self.deleted: set[str] = set()
        self.discarded: set[str] = set()
        self.edits = 0

    def live(self, dev: Any) -> list[Annotation]:
        with dev.store.read() as s:
            return list(
                s.scalars(
                    select(Annotation).where(
                        Annotation.local_deleted.is_(False),
                        Annotation.kind == AnnotationKind.USER,
                        Annotation.project_pk.is_not(None),
                    )
                )
            )

    def create(self, i: int, x: int, y: int, term: int | None) -> None:
        from tests.sync.helpers import draw

        ann = draw(
            self.devs[i],
            self.w["image"],
            square(x, y, 30),
            [] if term is None else [self.w["terms"][term]],
        )
        self.created.add(ann.uid)
        self.edits += 1

    def import_(self, i: int, x: int, y: int, term: int | None) -> None:
        """A QuPath import (the bulk path): two features, classed or not."""
        dev = self.devs[i]
        cls = {} if term is None else {"classification": {"name": TERM_NAMES[term]}}
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x, y], [x + 30, y], [x + 30, y + 30], [x, y + 30], [x, y]]],
                },
                "properties": {"objectType": "annotation", **cls},
            }
            for x, y in ((x, y), (x + 5, y + 5))
        ]
        before = {a.uid for a in self.live(dev)}
        data = {"type": "FeatureCollection", "features": features}
        import_features(dev.store, local_image(dev.store, self.w["image"]), data, user_pk=dev.me())
        self.created |= {a.uid for a in self.live(dev)} - before
        self.edits += 1

    def check(self) -> None:
        """The outbox invariant holds on every device after every step."""
        for dev in self.devs:
            assert_outbox_consistent(dev.store, dev.name)

    def pick(self, i: int, k: int) -> Annotation | None:
        live = self.live(self.devs[i])
        return live[k % len(live)] if live else None

    def move(self, i: int, k: int, x: int, y: int) -> None:
        ann = self.pick(i, k)
        if ann is not None:
            with self.devs[i].store.unit_of_work(user_pk=self.devs[i].me()) as uow:
                edits.update_geometry(uow, ann.pk, square(x, y, 30))
            self.edits += 1

    def toggle(self, i: int, k: int, term: int) -> None:
        ann, dev = self.pick(i, k), self.devs[i]
        if ann is not None:
            with dev.store.unit_of_work(user_pk=dev.me()) as uow:
                edits.toggle_term(
                    uow, [ann.pk], local_term(dev.store, self.w["terms"][term]), dev.me()
                )
            self.edits += 1

    def delete(self, i: int, k: int) -> None:
        ann, dev = self.pick(i, k), self.devs[i]
        if ann is not None:
            with dev.store.unit_of_work(user_pk=dev.me()) as uow:
                edits.delete_annotations(uow, [ann.pk])
            self.deleted.add(ann.uid)
            self.edits += 1

    def review(self, i: int, k: int) -> None:
        ann, dev = self.pick(i, k), self.devs[i]
        if ann is None or ann.server_id is None:
            return
        try:
            with dev.store.unit_of_work(user_pk=dev.me()) as uow:
                edits.review(uow, ann.pk, reviewer_pk=dev.me(), accept=True)
            self.edits += 1
        except EditError:
            pass

    def sync(self, i: int, faulty: bool) -> None:
        self.proxy.set_faults(p_drop=0.04 if faulty else 0, p_cut=0.04 if faulty else 0)
        rep = self.devs[i].sync([self.p])
        assert rep.error is None or rep.error_kind in ("offline", "server"), rep

    def finish(self) -> None:
        """Heal, resolve every conflict (users decide), settle, check the invariants."""
        self.proxy.heal()
        for _ in range(4):
            settle(self.devs, self.p)
            pending = [(d, c) for d in self.devs for c in d.engine.list_conflicts()]
            if not pending:
                break
            for dev, c in pending:
                if c.kind in ("review",) or c.kind == "failed":
                    choice = "theirs"
                else:
                    choice = random.Random(c.pk).choice(["mine", "theirs", "both"])
                ann = dev.store.read().__enter__().get(Annotation, c.entity_pk)
                if choice == "theirs" and ann is not None:
                    self.discarded.add(ann.uid)
                if c.kind == "edit_vs_delete" and ann is not None:
                    self.deleted.add(ann.uid)  # someone deleted it on the server
                dev.engine.resolve(c.pk, choice)
        settle(self.devs, self.p)
        state = assert_converged(self.server, self.devs, self.p, self.tmp)
        self.check()
        body = (
            self.server.client("alice")
            .get(f"/api/project/{self.p}/annotations/bulk.json", params={"since": 0})
            .json()
        )
        uids = [r["uid"] for r in body["annotations"]]
        assert len(uids) == len(set(uids)) == len(state), "duplicate entity on the server"
        lost = self.created - set(uids) - self.deleted - self.discarded
        assert not lost, f"edits silently lost: {lost}"

    def close(self) -> None:
        for d in self.devs:
            d.client.close()
            d.store.close()


def test_state_machine(server: Any, slide: Path, proxy: Any, tmp_path: Path) -> None:
    counter = [0]

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            counter[0] += 1
            n = 3 if counter[0] % 2 else 2
            self.world = World(server, slide, tmp_path, proxy, n, f"sm{counter[0]}-{os.getpid()}")
            self.n = n

        dev = st.integers(0, 2)
        xy = st.integers(0, 30).map(lambda v: v * 30)

        @rule(i=dev, x=xy, y=xy, term=st.none() | st.integers(0, 2))
        def create(self, i: int, x: int, y: int, term: int | None) -> None:
            self.world.create(i % self.n, x, y, term)

        @rule(i=dev, x=xy, y=xy, term=st.none() | st.integers(0, 2))
        def import_(self, i: int, x: int, y: int, term: int | None) -> None:
            self.world.import_(i % self.n, x, y, term)

        @rule(i=dev, k=st.integers(0, 50), x=xy, y=xy)
        def move(self, i: int, k: int, x: int, y: int) -> None:
            self.world.move(i % self.n, k, x, y)

        @rule(i=dev, k=st.integers(0, 50), term=st.integers(0, 2))
        def toggle(self, i: int, k: int, term: int) -> None:
            self.world.toggle(i % self.n, k, term)

        @rule(i=dev, k=st.integers(0, 50))
        def delete(self, i: int, k: int) -> None:
            self.world.delete(i % self.n, k)

        @precondition(lambda self: self.n == 3)
        @rule(k=st.integers(0, 50))
        def review(self, k: int) -> None:
            self.world.review(2, k)

        @rule(i=dev, faulty=st.booleans())
        def sync(self, i: int, faulty: bool) -> None:
            self.world.sync(i % self.n, faulty)

        @invariant()
        def outbox_consistent(self) -> None:
            self.world.check()

        def teardown(self) -> None:
            try:
                self.world.finish()
            finally:
                self.world.close()

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=40 if LONG else 3,
            stateful_step_count=40 if LONG else 12,
            deadline=None,
            derandomize=not LONG,
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_hundreds_of_syncs_through_faults(
    server: Any, slide: Path, proxy: Any, tmp_path: Path
) -> None:
    rng = random.Random(7)
    world = World(server, slide, tmp_path, proxy, 3, f"long-{os.getpid()}")
    try:
        steps = 1000 if LONG else 100
        for _ in range(steps):
            i = rng.randrange(3)
            what = rng.random()
            if what < 0.25:
                world.create(
                    i, rng.randrange(30) * 30, rng.randrange(30) * 30, rng.choice([None, 0, 1])
                )
            elif what < 0.4:
                world.move(i, rng.randrange(50), rng.randrange(30) * 30, rng.randrange(30) * 30)
            elif what < 0.45:
                world.toggle(i, rng.randrange(50), rng.randrange(3))
            elif what < 0.5:
                world.import_(
                    i, rng.randrange(30) * 30, rng.randrange(30) * 30, rng.choice([None, 0, 2])
                )
            elif what < 0.55:
                world.delete(i, rng.randrange(50))
            else:
                world.sync(i, faulty=True)
        assert world.proxy.cut + world.proxy.dropped > 0  # faults really happened
        world.finish()
    finally:
        world.close()
