"""The /api/talent/ operations: rounds, the paper-round import (422 with every bad row), the
aggregates as JSON, proposals, and records returning the facts for the policy engine."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongjiang.core.choices import Role
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.talent.models import SurveyResponse

from .factories import row_b, survey_csv, survey_row

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_round_import_and_aggregates_through_the_api(tw):
    # given
    w = tw
    admin = client_for(w.root)
    created = admin.post(
        "/api/talent/rounds",
        {"title": "2025年调查", "period": "2025年", "year": 2025},
        content_type="application/json",
    )
    assert created.status_code == 201
    round_id = created.json()["id"]
    # when a file with one bad row is posted
    bad = survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b, 需求等级1="大师")])
    refused = admin.post(f"/api/talent/rounds/{round_id}/import", {"file": SimpleUploadedFile("r.csv", bad)})
    # then 422 with the row, column and reason; nothing written
    assert refused.status_code == 422
    assert refused.json()["details"] == [
        {
            "row": 3,
            "column": "需求等级1",
            "message": "应为 初级工/中级工/高级工/技师/高级技师 之一，实际为“大师”",
        }
    ]
    assert not SurveyResponse.objects.exists()
    # when the good file is posted
    good = survey_csv([survey_row(w.enterprise_a), row_b(w.enterprise_b)])
    assert admin.post(
        f"/api/talent/rounds/{round_id}/import", {"file": SimpleUploadedFile("r.csv", good)}
    ).json() == {
        "round_id": round_id,
        "rows": 2,
    }
    # then the aggregates (test_aggregates: 78 skilled, 焊工 demand 10 against no supply here)
    data = client_for(w.users[Role.AUDITOR]).get(f"/api/talent/rounds/{round_id}/supply-demand").json()
    assert (data["skilled"], data["high_skilled"]) == (78, 25)
    assert data["demand"][0] == {
        "occupation": "焊工",
        "demand": 10,
        "demand_self": 7,
        "demand_joint": 3,
        "supply": 0,
        "gap": 10,
        "in_directory": False,
    }
    # and a proposal, accepted
    proposal = admin.post(
        f"/api/talent/rounds/{round_id}/proposals",
        {"occupation_id": w.occupations["焊工"].pk},
        content_type="application/json",
    ).json()
    decided = admin.post(
        f"/api/talent/proposals/{proposal['id']}/decision",
        {"accept": True, "effective_from": "2025-09-01"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "accepted"


def test_records_through_the_api_return_their_facts(tw):
    w = tw
    admin = client_for(w.root)
    competition = admin.post(
        "/api/talent/competitions",
        {
            "name": "全区焊工技能竞赛",
            "level": "district",
            "occupation_id": w.occupations["焊工"].pk,
            "organiser": "区人社局",
            "held_on": "2025-09-20",
        },
        content_type="application/json",
    )
    assert competition.status_code == 201
    # 兰州新区 has no competition award in its packs: no facts
    result = admin.post(
        f"/api/talent/competitions/{competition.json()['id']}/results",
        {"person_id": w.employee_a.pk, "rank": 1},
        content_type="application/json",
    )
    assert result.status_code == 201 and result.json()["facts_for_policy"] == []
    # a person of another jurisdiction is not found; a reviewer may not write
    other = admin.post(
        f"/api/talent/competitions/{competition.json()['id']}/results",
        {"person_id": w.person_other.pk, "rank": 2},
        content_type="application/json",
    )
    assert other.status_code == 404
    reviewer = client_for(w.users[Role.CENTRE_REVIEWER]).post(
        "/api/talent/titles",
        {
            "person_id": w.employee_a.pk,
            "kind": "chief_technician",
            "awarded_by": "x",
            "awarded_on": "2025-01-01",
        },
        content_type="application/json",
    )
    assert reviewer.status_code == 403
    platform = admin.post(
        "/api/talent/platforms",
        {
            "kind": "training_base",
            "level": "national",
            "name": "基地",
            "recognised_on": "2025-04-01",
            "institution_id": w.institution_b.pk,
        },
        content_type="application/json",
    )
    assert platform.status_code == 201
