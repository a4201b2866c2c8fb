"""Issue 11 finding 12: inputs that were 500s (and dropped the keep-alive connection)
are 400s with a message, on a connection that stays usable."""

from __future__ import annotations

from tests.server.harness import Server


def _is_400(r: object) -> None:
    assert r.status_code == 400, (r.status_code, r.text[:300])  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["success"] is False and body["errors"]
    assert r.headers.get("connection", "").lower() != "close"  # type: ignore[attr-defined]


def test_12_bad_input_is_400_and_keeps_the_connection(
    sec_server: Server, sec_world: dict[str, int]
) -> None:
    alice = sec_server.client("alice")
    deep = b"[" * 100_000 + b"]" * 100_000
    _is_400(alice.post("/api/project.json", raw=deep, content_type="application/json"))
    deep_obj = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    _is_400(alice.post("/api/annotation.json", raw=deep_obj, content_type="application/json"))
    image = sec_world["image"]
    for bbox in ("-inf,-inf,inf,inf", "nan,0,10,10", "0,0,1e400,10"):
        _is_400(alice.get("/api/annotation.json", params={"image": image, "bbox": bbox}))
    for param in ("afterThan", "beforeThan"):
        for value in ("99999999999999999", "-99999999999999999", "1e30", "abc"):
            _is_400(alice.get("/api/annotation.json", params={"image": image, param: value}))
    surrogate = b'{"name": "\\ud800"}'
    _is_400(alice.post("/api/project.json", raw=surrogate, content_type="application/json"))
    _is_400(
        alice.post(
            "/api/ontology.json", raw=b'{"name": "a\\udfff"}', content_type="application/json"
        )
    )
    # the same keep-alive session still works
    assert alice.get("/api/user/current.json").status_code == 200
    assert alice.session.get_adapter(sec_server.base).poolmanager.pools  # type: ignore[attr-defined]
