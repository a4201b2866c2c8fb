"""Property-based smoke test of every operation in the live server's /openapi.json.

Schemathesis generates requests from the schema the running process publishes; each is
signed with a real user's HMAC keys so it gets past authentication and reaches the
route.  The only check is the one that matters for robustness: no generated request
may produce a 5xx.  The server is a private one (requests are destructive at random),
examples per operation are few and the whole run has a time budget, so it stays part
of the normal suite.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from desktop_app.server.hmac_auth import sign
from tests.server.harness import BACKENDS, Keys, Server, running_server, skip_unreachable

MAX_EXAMPLES = 3
BUDGET_S = 40.0


class CytomineAuth(requests.auth.AuthBase):
    """Signs a prepared request exactly as the Cytomine clients do (4.x layout)."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        date = formatdate(usegmt=True)
        r.headers["date"] = date
        ctype = r.headers.get("content-type", "")
        token = f"{r.method}\n\n{ctype}\n{date}"
        r.headers["authorization"] = (
            f"CYTOMINE {self.keys.publicKey}:{sign(self.keys.privateKey, token)}"
        )
        return r


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, slide_path: Path
) -> Iterator[Server]:
    skip_unreachable(request.param)
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with running_server(request.param, tmp, {"fuzzer": "user", "other": "user"}) as srv:
        c = srv.client("fuzzer")
        project = c.post("/api/project.json", {"name": "fuzz"}).json()["project"]["id"]
        storage = c.get("/api/storage.json").json()["collection"][0]["id"]
        with open(slide_path, "rb") as f:
            c.post(
                "/upload",
                params={"storage": storage, "projects": project},
                files={"files[]": ("s.tiff", f)},
            )
        c.post("/api/sessions", {"project": str(project), "label": "s"})
        yield srv


def test_no_5xx_for_generated_requests(fuzz_server: Server) -> None:
    schema = schemathesis.openapi.from_url(fuzz_server.base + "/openapi.json")
    auth = CytomineAuth(fuzz_server.users["fuzzer"])
    session = requests.Session()
    failures: list[str] = []
    deadline = time.monotonic() + BUDGET_S
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) > 100
    ran = 0
    for op in operations:
        if time.monotonic() > deadline:
            break

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=op.as_strategy())
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=fuzz_server.base, session=session, auth=auth, timeout=30)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} "
                    f"path={case.path_parameters} query={case.query} "
                    f"body={str(case.body)[:200]!r} -> {response.status_code}"
                )

        run()
        ran += 1
    assert ran >= len(operations) // 2, f"only {ran}/{len(operations)} operations in budget"
    print(f"schemathesis: {ran}/{len(operations)} operations, {len(failures)} 5xx")
    assert not failures, "\n".join(failures[:30])
