"""Role × object access matrix over every route (issue 2, roles and access).

The routes come from the URL resolver and from the OpenAPI spec, so a new route without an entry in
PAGES or API (or a written exemption) fails `test_every_route_is_in_the_matrix`. For each route and
role the test requests it and checks the status; object routes are tried with an object of the
user's own scope (A side) and one of another scope (B side), so that a clerk of institution A never
reads institution B's trainees, by page, API or export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from gongjiang.core.choices import Role
from gongjiang.registry.tests.factories import PASSWORD

ALL = frozenset(Role)
STAFF = frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER, Role.AUDITOR})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Route:
    allowed: frozenset[str]
    # For object routes: the object to try, by name on the test world, and who may read it.
    objects: dict[str, frozenset[str]] = field(default_factory=dict)
    public: bool = False


PEOPLE_READERS = STAFF | {Role.INSTITUTION_CLERK, Role.ENTERPRISE_CLERK, Role.PERSON}
TRAINING_READERS = STAFF | {Role.INSTITUTION_CLERK}
# class_a: institution A (the clerk's), reviewed by centre 1 (the reviewer's); class_b: institution B,
# centre 2 — only the jurisdiction-wide roles see it.
CLASS_OBJECTS = {
    "class_a": TRAINING_READERS,
    "class_b": frozenset({Role.BUREAU_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR}),
}
RECORD_APPLIERS = frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})
PAGES: dict[str, Route] = {
    "web:home": Route(ALL),
    "web:audit_list": Route(frozenset({Role.AUDITOR, Role.BUREAU_ADMIN})),
    "web:public_home": Route(ALL, public=True),
    "registry:person_list": Route(PEOPLE_READERS),
    "registry:person_detail": Route(
        PEOPLE_READERS,
        objects={
            "trainee_a": STAFF | {Role.INSTITUTION_CLERK, Role.PERSON},
            "trainee_b": STAFF,
            "employee_a": STAFF | {Role.ENTERPRISE_CLERK},
            "person_other": NONE,
        },
    ),
    "registry:enterprise_list": Route(STAFF | {Role.ENTERPRISE_CLERK}),
    "registry:enterprise_detail": Route(
        STAFF | {Role.ENTERPRISE_CLERK},
        objects={"enterprise_a": STAFF | {Role.ENTERPRISE_CLERK}, "enterprise_b": STAFF},
    ),
    "registry:institution_list": Route(STAFF | {Role.INSTITUTION_CLERK}),
    "registry:institution_detail": Route(
        STAFF | {Role.INSTITUTION_CLERK},
        objects={
            "institution_a": STAFF | {Role.INSTITUTION_CLERK},
            "institution_b": STAFF,
            "institution_other": NONE,
        },
    ),
    "registry:teacher_list": Route(STAFF | {Role.INSTITUTION_CLERK}),
    "registry:teacher_detail": Route(
        STAFF | {Role.INSTITUTION_CLERK},
        objects={"teacher_a": STAFF | {Role.INSTITUTION_CLERK}, "teacher_b": STAFF},
    ),
    "catalog:occupation_list": Route(ALL),
    "catalog:shortage_list": Route(ALL),
    "catalog:import_export": Route(ALL),  # export for all; the import form and POST for bureau admins only
    "catalog:export_xlsx": Route(ALL),
    "policy:trial": Route(ALL),
    "policy:simulate": Route(frozenset({Role.BUREAU_ADMIN})),
    "training:class_list": Route(TRAINING_READERS),
    "training:class_create": Route(frozenset({Role.BUREAU_ADMIN, Role.INSTITUTION_CLERK})),
    "training:review_queue": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "training:roster_template": Route(TRAINING_READERS),
    "training:timetable_template": Route(TRAINING_READERS),
    **{
        f"training:{name}": Route(TRAINING_READERS, objects=CLASS_OBJECTS)
        for name in (
            "class_detail",
            "class_roster",
            "class_timetable",
            "class_evidence",
            "class_timeline",
            "class_attendance",
            "class_spot_checks",
            "class_closing",
        )
    },
    # Running the class (附件2 3.2): the anomaly queue for reviewers, devices for the institution side.
    "training:anomaly_queue": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "training:device_list": Route(frozenset({Role.BUREAU_ADMIN, Role.INSTITUTION_CLERK})),
    "training:certificate_pdf": Route(
        TRAINING_READERS,
        objects={"certificate_a": CLASS_OBJECTS["class_a"], "certificate_b": CLASS_OBJECTS["class_b"]},
    ),
    "training:number_ranges": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "training_public:certificate_verify": Route(ALL, public=True),
    # Follow-up and KPIs (附件2 3.3, 四(三)): the class tab for its readers; the KPI page and export for
    # staff and clerks (clerks: their institution's figures); the black/white list for bureau admins.
    "training:class_follow_up": Route(TRAINING_READERS, objects=CLASS_OBJECTS),
    "training:kpi": Route(TRAINING_READERS),
    "training:kpi_export": Route(TRAINING_READERS),
    "training:list_proposals": Route(frozenset({Role.BUREAU_ADMIN})),
    "training:class_edit": Route(
        TRAINING_READERS,
        objects={
            "class_a": frozenset({Role.BUREAU_ADMIN, Role.INSTITUTION_CLERK}),
            "class_b": frozenset({Role.BUREAU_ADMIN}),
        },
    ),
    "training:evidence_download": Route(
        TRAINING_READERS,
        objects={"evidence_a": CLASS_OBJECTS["class_a"], "evidence_b": CLASS_OBJECTS["class_b"]},
    ),
    # Targets (issue 7): the dashboard and drill-down for staff and clerks (clerks: own institution's
    # figures); the monthly report and the recipient list for staff; entry and import for bureau admins.
    **{
        f"targets:{name}": Route(TRAINING_READERS)
        for name in ("dashboard", "drill", "goal_list", "table_list")
    },
    "targets:monthly_report": Route(STAFF),
    "targets:recipient_list": Route(STAFF),
    **{
        f"targets:{name}": Route(frozenset({Role.BUREAU_ADMIN}))
        for name in ("table_edit", "table_import", "table_template", "recipient_template")
    },
    # Funds (issue 6): applicants see their own applications; queues, batches and reports for staff;
    # the public notice pages for everyone without log-in.
    "funds:application_list": Route(PEOPLE_READERS),
    "funds:application_detail": Route(
        PEOPLE_READERS,
        objects={"application_a": STAFF | {Role.INSTITUTION_CLERK}, "application_b": STAFF},
    ),
    "funds:review_queue": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "funds:apply_for_class": Route(
        frozenset(
            {
                Role.BUREAU_ADMIN,
                Role.CENTRE_REVIEWER,
                Role.INSTITUTION_CLERK,
                Role.ENTERPRISE_CLERK,
                Role.PERSON,
            }
        )
    ),
    "funds:notice_detail": Route(STAFF, objects={"notice_a": STAFF}),
    "funds:payment_queue": Route(frozenset({Role.BUREAU_ADMIN, Role.FINANCE_OFFICER})),
    "funds:batch_new": Route(frozenset({Role.BUREAU_ADMIN, Role.FINANCE_OFFICER})),
    "funds:batch_list": Route(STAFF),
    "funds:batch_detail": Route(STAFF, objects={"batch_a": STAFF}),
    "funds:report": Route(STAFF),
    "funds:report_xlsx": Route(STAFF),
    "funds_public:notice_list": Route(ALL, public=True),
    "funds_public:notice_detail": Route(ALL, objects={"notice_a": ALL}, public=True),
    # Talent (issue 7): rounds for staff and enterprise clerks (a clerk only answers, for their own
    # enterprise); answers, aggregates, the talent database and records for staff; the public
    # 供求信息 page (aggregates of closed rounds) without log-in. round_other: another jurisdiction.
    "talent:round_list": Route(STAFF | {Role.ENTERPRISE_CLERK}),
    **{
        f"talent:{name}": Route(STAFF, objects={"round_a": STAFF, "round_other": NONE})
        for name in ("round_detail", "supply_demand", "supply_demand_xlsx")
    },
    "talent:import_template": Route(
        frozenset({Role.BUREAU_ADMIN}),
        objects={"round_a": frozenset({Role.BUREAU_ADMIN}), "round_other": NONE},
    ),
    "talent:response_form": Route(
        frozenset({Role.ENTERPRISE_CLERK}),
        objects={"round_a": frozenset({Role.ENTERPRISE_CLERK}), "round_other": NONE},
    ),
    **{f"talent:{name}": Route(STAFF) for name in ("talent_list", "talent_export", "record_list")},
    # entering the records of competitions, studios, titles and platforms, and the picker's search
    **{
        f"talent:{name}": Route(frozenset({Role.BUREAU_ADMIN}))
        for name in (
            "competition_create",
            "competition_result_create",
            "studio_create",
            "studio_assessment_create",
            "title_create",
            "platform_create",
            "person_pick",
            "enterprise_pick",
        )
    },
    "talent_public:supply_demand": Route(ALL, public=True),
    "talent_public:supply_demand_xlsx": Route(ALL, public=True),
    # 发起资金申请 from a talent record (issues 6 and 7): bureau admins and reviewers for any record of
    # their jurisdiction; a person or clerk only for a record of themselves or their own unit.
    "funds:apply_from_competition_result": Route(
        NONE, objects={"competition_result_a": RECORD_APPLIERS | {Role.PERSON}}
    ),
    "funds:apply_from_studio": Route(
        NONE,
        objects={"studio_a": RECORD_APPLIERS | {Role.ENTERPRISE_CLERK}, "studio_b": RECORD_APPLIERS},
    ),
    "funds:apply_from_title": Route(NONE, objects={"title_a": RECORD_APPLIERS | {Role.ENTERPRISE_CLERK}}),
    "funds:apply_from_platform": Route(
        NONE, objects={"platform_a": RECORD_APPLIERS | {Role.INSTITUTION_CLERK}}
    ),
}
# Routes not driven by GET in this matrix, each with the reason.
PAGE_EXEMPT = {
    "web:login": "公开登录页",
    "web:logout": "仅 POST，退出登录",
    "account:otp_verify": "登录第二步（动态口令），仅在输入密码后的待验证状态可用；由 core/tests/test_login_controls.py 覆盖",
    "account:otp_enrol": "登录第二步（绑定动态口令），同上",
    "catalog:shortage_add": "仅 POST 表单，权限由 catalog 测试覆盖",
    "catalog:shortage_end": "仅 POST 表单，权限由 catalog 测试覆盖",
    "registry:person_reveal": "仅 POST（说明目的后查看完整信息），由 registry/tests/test_reveal.py 覆盖",
    "registry:teacher_reveal": "仅 POST（说明目的后查看完整信息），由 registry/tests/test_reveal.py 覆盖",
    "training:class_submit": "仅 POST，权限由 training 服务测试覆盖",
    "training:class_cancel": "仅 POST，权限由 training 服务测试覆盖",
    "training:class_review": "仅 POST，权限由 training 服务测试覆盖",
    "funds:line_review": "仅 POST，权限由 funds 服务测试覆盖",
    "funds:application_action": "仅 POST（材料、提交、审核完毕、发布公示），权限由 funds 服务与页面测试覆盖",
    "funds:notice_action": "仅 POST（处理异议、结束公示），权限由 funds 服务与页面测试覆盖",
    "funds:batch_action": "仅 POST（审批、导出银行文件、导入回盘），权限由 funds 服务与页面测试覆盖",
    "training:class_anomaly_scan": "仅 POST（重新检测考勤异常），权限由 training 服务测试覆盖",
    "training:anomaly_resolve": "仅 POST（核查考勤异常），由 training/tests/test_anomalies.py 覆盖",
    "training:device_deactivate": "仅 POST（停用考勤设备），由 training/tests/test_attendance.py 覆盖",
    **{
        f"training:{name}": "仅 POST，权限由 training 服务与页面测试覆盖"
        for name in (
            "class_assess",
            "class_closing_request",
            "class_closing_review",
            "number_range_add",
            "number_range_request",
            "number_range_decide",
        )
    },
    "talent:round_close": "仅 POST，权限由 talent 服务与页面测试覆盖",
    "talent:proposal_create": "仅 POST，权限由 talent 服务与页面测试覆盖",
    "talent:proposal_decide": "仅 POST，权限由 talent 服务与页面测试覆盖",
}

API: dict[str, Route] = {
    "GET /api/core/me": Route(ALL),
    "GET /api/core/health": Route(ALL, public=True),
    "GET /api/policy/packs": Route(ALL),
    "GET /api/core/audit-events": Route(frozenset({Role.AUDITOR, Role.BUREAU_ADMIN})),
    "GET /api/registry/people": Route(PEOPLE_READERS),
    "GET /api/registry/people/export.xlsx": Route(PEOPLE_READERS),
    "GET /api/registry/people/{person_id}": PAGES["registry:person_detail"],
    "GET /api/registry/enterprises": PAGES["registry:enterprise_list"],
    "GET /api/registry/enterprises/{enterprise_id}": PAGES["registry:enterprise_detail"],
    "GET /api/registry/institutions": PAGES["registry:institution_list"],
    "GET /api/registry/institutions/{institution_id}": PAGES["registry:institution_detail"],
    "GET /api/registry/teachers": PAGES["registry:teacher_list"],
    "GET /api/registry/teachers/{teacher_id}": PAGES["registry:teacher_detail"],
    "GET /api/training/classes": Route(TRAINING_READERS),
    "GET /api/training/classes/{class_id}": PAGES["training:class_detail"],
    "GET /api/training/classes/{class_id}/checklist": PAGES["training:class_detail"],
    "GET /api/training/classes/{class_id}/roster": PAGES["training:class_detail"],
    "GET /api/training/review-queue": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "GET /api/training/classes/{class_id}/attended-hours": PAGES["training:class_detail"],
    "GET /api/training/classes/{class_id}/spot-checks": PAGES["training:class_detail"],
    "GET /api/training/anomalies": PAGES["training:anomaly_queue"],
    "GET /api/training/devices": PAGES["training:device_list"],
    "GET /api/training/classes/{class_id}/closing": PAGES["training:class_detail"],
    "GET /api/training/classes/{class_id}/certificates": PAGES["training:class_detail"],
    "GET /api/training/number-ranges": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "GET /api/training/kpi/classes": PAGES["training:kpi"],
    "GET /api/training/kpi/institutions": PAGES["training:kpi"],
    "GET /api/training/classes/{class_id}/follow-up": PAGES["training:class_follow_up"],
    "GET /api/training/list-proposals": PAGES["training:list_proposals"],
    "GET /api/targets/tables": Route(TRAINING_READERS),
    "GET /api/targets/progress": Route(TRAINING_READERS),
    "GET /api/targets/goals": Route(TRAINING_READERS),
    "GET /api/targets/drill": Route(TRAINING_READERS),
    "GET /api/targets/report.xlsx": Route(STAFF),
    "GET /api/funds/applications": Route(PEOPLE_READERS),
    "GET /api/funds/applications/{application_id}": PAGES["funds:application_detail"],
    "GET /api/funds/review-queue": Route(frozenset({Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER})),
    "GET /api/funds/batches": Route(STAFF),
    "GET /api/funds/report": Route(STAFF),
    "GET /api/funds/report.xlsx": Route(STAFF),
    "GET /api/talent/rounds": PAGES["talent:round_list"],
    "GET /api/talent/rounds/{round_id}/supply-demand": PAGES["talent:supply_demand"],
}
API_EXEMPT_PREFIXES = {
    "POST ": "写接口：权限与范围由各应用的服务测试覆盖（服务层统一校验角色与辖区）",
    "GET /api/catalog/": "目录为全体登录用户可读的参考数据，由 catalog 测试覆盖",
    "GET /api/core/reports/": "后台报表记录：仅申请人本人及本辖区管理员可读，由 core/tests/test_reports.py 覆盖",
}


def page_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in {"admin", "api"}:
                    continue  # admin: read-only ModelAdmins; api: checked through the OpenAPI spec
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns)
    return names


def api_operations() -> set[str]:
    spec = api.get_openapi_schema()
    return {
        f"{method.upper()} /api{path.removeprefix('/api')}"
        for path, ops in spec["paths"].items()
        for method in ops
    }


def test_every_route_is_in_the_matrix():
    missing_pages = page_route_names() - set(PAGES) - set(PAGE_EXEMPT)
    missing_api = {
        op for op in api_operations() - set(API) if not any(op.startswith(p) for p in API_EXEMPT_PREFIXES)
    }
    assert not missing_pages, f"pages missing from the access matrix: {sorted(missing_pages)}"
    assert not missing_api, f"API operations missing from the access matrix: {sorted(missing_api)}"


def _object(world: Any, name: str) -> Any:
    """An object of the world; training objects are made on first use (only their routes need them)."""
    if name.startswith(("class_", "evidence_", "certificate_")) and not hasattr(world, name):
        from gongjiang.training.services.evidence import evidence_add
        from gongjiang.training.tests.factories import draft_class, pdf, training_world

        training_world(world)
        world.class_a = draft_class(world)
        world.class_b = draft_class(world, actor=world.root, institution=world.institution_b)
        for side in ("a", "b"):
            name_, stream = pdf()
            setattr(
                world,
                f"evidence_{side}",
                evidence_add(
                    actor=world.root,
                    training_class=getattr(world, f"class_{side}"),
                    kind="training_plan",
                    name=name_,
                    stream=stream,
                ),
            )
        from gongjiang.training.tests.closing_factories import certificate_row

        world.certificate_a = certificate_row(world, world.class_a, world.trainee_a, "900001")
        world.certificate_b = certificate_row(world, world.class_b, world.trainee_b, "900002")
    if name.startswith(("application_", "batch_", "notice_")) and not hasattr(world, name):
        _funds_objects(world)
    if name.startswith(("competition_result_", "studio_", "title_", "platform_")) and not hasattr(
        world, name
    ):
        from gongjiang.funds.tests.factories import record_objects

        record_objects(world)
    return getattr(world, name)


def _funds_objects(world: Any) -> None:
    """Institution A's application (the clerk's), institution B's, a batch and a public notice."""
    from gongjiang.funds import services
    from gongjiang.funds.tests import factories

    factories.funds_world(world)
    world.application_a = factories.training_application(world, factories.trainees(world, 1))
    world.application_b = services.application_create(
        actor=world.root,
        applicant_kind="institution",
        applicant=world.institution_b,
        policy="lanzhou-xinqu-2025",
        benefit="training_subsidy",
        claim_date=factories.CLAIM_DATE,
    )
    factories.noticed(world, factories.trainees(world, 1, prefix="公示"))
    world.batch_a = services.batch_create(actor=world.finance, fund_source=world.fund, year=factories.YEAR)
    world.notice_a = world.batch_a.items.get().instalment.schedule.line.notice


def _prepare(world: Any, route: str) -> None:
    """Targets routes read the jurisdiction's task table: load it (once) before requesting them."""
    if "targets" in route and not getattr(world, "targets_loaded", False):
        from gongjiang.targets.services import targets_load_reference

        targets_load_reference(actor=world.root, jurisdiction=world.jurisdiction)
        world.targets_loaded = True
    if "talent" in route and not hasattr(world, "round_a"):
        from gongjiang.talent.tests.factories import access_rounds

        access_rounds(world)


def _client_for(world: Any, role: str | None) -> Client:
    client = Client()
    if role is not None:
        assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def _cases(table: dict[str, Route]) -> list[tuple[str, str | None, str | None]]:
    cases: list[tuple[str, str | None, str | None]] = []
    for name, route in table.items():
        for role in [*sorted(Role), None]:
            if route.objects:
                cases.extend((name, role, obj) for obj in route.objects)
            else:
                cases.append((name, role, None))
    return cases


def _expected_ok(route: Route, role: str | None, obj: str | None) -> bool:
    if role is None:
        return route.public
    if obj is not None:
        return role in route.objects[obj]
    return role in route.allowed


@pytest.mark.parametrize(("name", "role", "obj"), _cases(PAGES))
def test_page_access(world, name, role, obj):
    from django.urls import reverse

    # given
    route = PAGES[name]
    _prepare(world, name)
    url = reverse(name, kwargs={"pk": _object(world, obj).pk} if obj else None)
    # when
    response = _client_for(world, role).get(url)
    response.close()  # a file download streams: release its file handle
    # then
    if _expected_ok(route, role, obj):
        assert response.status_code == 200, f"{role} should read {name} {obj}"
    elif role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404), f"{role} must not read {name} {obj}"


@pytest.mark.parametrize(("op", "role", "obj"), _cases(API))
def test_api_access(world, op, role, obj):
    # given
    route = API[op]
    _prepare(world, op)
    path = op.split(" ", 1)[1]
    if obj:
        path = re.sub(r"\{[^}]+\}", str(_object(world, obj).pk), path)
    # when
    response = _client_for(world, role).get(path)
    # then
    if _expected_ok(route, role, obj):
        assert response.status_code == 200, f"{role} should read {op} {obj}: {response.content[:200]!r}"
    elif role is None:
        assert response.status_code == 401
    else:
        assert response.status_code in (403, 404), f"{role} must not read {op} {obj}"


LIST_VISIBILITY: dict[str, tuple[set[str], set[str]]] = {
    # role: (names that must appear, names that must not)
    Role.INSTITUTION_CLERK: ({"张学员"}, {"李学员", "王职工", "赵职工", "湖州人"}),
    Role.ENTERPRISE_CLERK: ({"王职工"}, {"张学员", "李学员", "赵职工", "湖州人"}),
    Role.PERSON: ({"张学员"}, {"李学员", "王职工", "赵职工", "湖州人"}),
    Role.CENTRE_REVIEWER: ({"张学员", "李学员", "王职工", "赵职工"}, {"湖州人"}),
}


@pytest.mark.parametrize("role", sorted(LIST_VISIBILITY))
@pytest.mark.parametrize(
    "source", ["registry:person_list", "/api/registry/people", "/api/registry/people/export.xlsx"]
)
def test_people_lists_and_exports_show_only_the_users_scope(world, role, source):
    import io
    import json

    import openpyxl
    from django.urls import reverse

    # given
    must, must_not = LIST_VISIBILITY[role]
    url = reverse(source) if ":" in source else source
    # when
    response = _client_for(world, role).get(url)
    assert response.status_code == 200
    if source.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    elif source.startswith("/api/"):
        text = json.dumps(response.json(), ensure_ascii=False)
    else:
        text = response.content.decode()
    # then
    assert all(name in text for name in must), f"{role} should see {must}"
    assert not any(name in text for name in must_not), f"{role} must not see {must_not}"


@pytest.mark.parametrize("role", [Role.INSTITUTION_CLERK, Role.ENTERPRISE_CLERK, Role.AUDITOR])
def test_identifiers_are_masked_for_roles_without_pii_access(world, role):
    from gongjiang.core.pii import decrypt

    # given the clear ID and account of someone this role can see
    person = world.trainee_a if role != Role.ENTERPRISE_CLERK else world.employee_a
    clear_id = decrypt(person.id_number_encrypted)
    clear_account = decrypt(person.bank_account_encrypted)
    client = _client_for(world, role)
    # when reading the page, the API and the export
    bodies = [
        client.get(f"/registry/people/{person.pk}/").content,
        client.get(f"/api/registry/people/{person.pk}").content,
        client.get("/api/registry/people").content,
        client.get("/registry/people/").content,
    ]
    # then only the masked forms appear
    for body in bodies:
        text = body.decode("unicode_escape") if body.startswith((b"{", b"[")) else body.decode()
        assert clear_id not in text and clear_account not in text
        assert person.id_number_masked in text


def test_identifiers_stay_masked_for_a_pii_role_until_a_purpose_is_stated(world):
    from gongjiang.core.pii import decrypt

    # given a role allowed to see full ID numbers
    client = _client_for(world, Role.CENTRE_REVIEWER)
    clear_id = decrypt(world.trainee_a.id_number_encrypted)
    # when it reads the record, then states a purpose
    plain = client.get(f"/api/registry/people/{world.trainee_a.pk}").content.decode()
    revealed = client.post(
        f"/api/registry/people/{world.trainee_a.pk}/reveal",
        {"purpose": "review_claim", "note": "申领编号 2025-001"},
        content_type="application/json",
    )
    # then the read is masked and only the stated purpose unmasks
    assert clear_id not in plain and world.trainee_a.id_number_masked in plain
    assert revealed.status_code == 200
    assert revealed.json()["id_number"] == clear_id
