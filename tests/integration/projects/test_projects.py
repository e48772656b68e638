from __future__ import annotations

from functions.common.clock import utcnow
from functions.projects import store


def test_projects_are_created_listed_and_private(stack):
    account, key = stack.account()
    status, headers, project = stack.call("POST", "/v1/projects", key=key, body={
        "name": "Dungeon crawl", "art_style": "pixel", "resolution": 64, "view_angle": "three_quarter",
        "palette": ["#112233", "#AABBCC"]})
    assert status == 201 and project["id"].startswith("prj_") and headers["Location"] == f"/v1/projects/{project['id']}"
    assert project["palette"] == ["#112233", "#aabbcc"]
    second = stack.call("POST", "/v1/projects", key=key, body={"name": "Overworld", "palette": "pico8"})[2]
    listed = stack.call("GET", "/v1/projects", key=key)[2]["projects"]
    assert [p["id"] for p in listed] == [second["id"], project["id"]]
    status, _, got = stack.call("GET", f"/v1/projects/{project['id']}", key=key)
    assert status == 200 and got["library"] == [] and got["resolution"] == 64

    _, other = stack.account()
    assert stack.call("GET", f"/v1/projects/{project['id']}", key=other)[0] == 404
    assert stack.call("GET", "/v1/projects", key=other)[2]["projects"] == []

    # a library entry shows with a download URL, and does not pass for a project
    store.add_to_library(stack.backends.ddb, stack.env["PROJECTS_TABLE"], account_id=account["account_id"],
                         project_id=project["id"], job_id="job_1", variant=1,
                         files=[{"name": "sprite.png", "key": "assets/x/job_1/sprite.png"}], now=utcnow())
    got = stack.call("GET", f"/v1/projects/{project['id']}", key=key)[2]
    assert [(e["job_id"], e["variant"]) for e in got["library"]] == [("job_1", 1)]
    assert got["library"][0]["files"][0]["url"].startswith("http")
    assert len(stack.call("GET", "/v1/projects", key=key)[2]["projects"]) == 2


def test_bad_project_requests_name_the_field(stack):
    _, key = stack.account()
    cases = [({"name": ""}, "name"), ({"name": "x", "resolution": 4}, "resolution"),
             ({"name": "x", "palette": ["red"]}, "palette"), ({"name": "x", "palette": "nes"}, "palette"),
             ({"name": "x", "view_angle": "fisheye"}, "view_angle"), ({"name": "x", "colour": 1}, "colour")]
    for body, field in cases:
        status, _, err = stack.call("POST", "/v1/projects", key=key, body=body)
        assert status == 400 and err["details"]["fields"][0]["field"] == field, (body, err)
