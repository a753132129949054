"""Test data built through the services (so it is valid and audited), never with bare .save().

`build_world` makes, in one jurisdiction: two service centres, two institutions (A, B) each with a
trainee, two enterprises (A, B) each with an employee, a teacher per institution, and a user for
every role (the clerks belong to A). A third institution/person sits in another jurisdiction.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from gongjiang.core.choices import Role
from gongjiang.core.services import user_create
from gongjiang.registry import services
from gongjiang.registry.validators import credit_code_with_check_digit, resident_id_with_check_digit

PASSWORD = "test-password-123"
_serial = itertools.count(1)


def new_id_number(birth: str = "19900101", region: str = "620102", sex: str = "male") -> str:
    n = next(_serial) % 500
    order = 2 * n + (1 if sex == "male" else 0)
    return resident_id_with_check_digit(f"{region}{birth}{order:03d}")


def new_credit_code() -> str:
    n = next(_serial)
    return credit_code_with_check_digit(f"91620100MA{n:07d}")


@dataclass
class World:
    jurisdiction: Any
    other_jurisdiction: Any
    root: Any
    users: dict[str, Any] = field(default_factory=dict)
    institution_a: Any = None
    institution_b: Any = None
    institution_other: Any = None
    enterprise_a: Any = None
    enterprise_b: Any = None
    trainee_a: Any = None
    trainee_b: Any = None
    employee_a: Any = None
    employee_b: Any = None
    person_other: Any = None
    teacher_a: Any = None
    teacher_b: Any = None
    centre_1: Any = None
    centre_2: Any = None


def make_admin(jurisdiction: Any, username: str = "root-admin") -> Any:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=Role.BUREAU_ADMIN,
        jurisdictions=[jurisdiction],
        display_name="系统管理员",
    )


def make_person(admin: Any, jurisdiction: Any, name: str, **kwargs: Any) -> Any:
    kwargs.setdefault("household_type", "rural")
    kwargs.setdefault("id_number", new_id_number())
    kwargs.setdefault("phone", "13812345678")
    kwargs.setdefault("bank_name", "中国农业银行兰州新区支行")
    kwargs.setdefault("bank_account", "6228480012345678901")
    return services.person_create(actor=admin, jurisdiction=jurisdiction, name=name, **kwargs)


def build_world(jurisdiction: Any, other_jurisdiction: Any) -> World:
    root = make_admin(jurisdiction)
    other_root = make_admin(other_jurisdiction, "other-root-admin")
    w = World(jurisdiction=jurisdiction, other_jurisdiction=other_jurisdiction, root=root)
    w.centre_1 = services.service_unit_create(
        actor=root,
        jurisdiction=jurisdiction,
        code="centre-1",
        name="兰州新区社会保障第一服务中心",
        kind="service_centre",
    )
    w.centre_2 = services.service_unit_create(
        actor=root,
        jurisdiction=jurisdiction,
        code="centre-2",
        name="兰州新区社会保障第二服务中心",
        kind="service_centre",
    )
    w.institution_a = services.institution_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="甘肃交通职业技术学院",
        credit_code=new_credit_code(),
        service_unit=w.centre_1,
        filing_status="filed",
    )
    w.institution_b = services.institution_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="新区博仁职业技能培训学校",
        credit_code=new_credit_code(),
        service_unit=w.centre_2,
        filing_status="filed",
    )
    w.institution_other = services.institution_create(
        actor=other_root,
        jurisdiction=other_jurisdiction,
        name="湖州某培训学校",
        credit_code=new_credit_code(),
    )
    w.enterprise_a = services.enterprise_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="兰州新区甲化工有限公司",
        credit_code=new_credit_code(),
        ownership="private_corp",
        size="medium",
        insured_headcount=120,
    )
    w.enterprise_b = services.enterprise_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="兰州新区乙装备制造有限公司",
        credit_code=new_credit_code(),
        ownership="state",
        size="large",
        insured_headcount=800,
    )
    w.trainee_a = make_person(root, jurisdiction, "张学员", is_rural_migrant_worker=True)
    w.trainee_b = make_person(
        root, jurisdiction, "李学员", is_registered_unemployed=True, household_type="urban"
    )
    services.institution_trainee_register(actor=root, institution=w.institution_a, person=w.trainee_a)
    services.institution_trainee_register(actor=root, institution=w.institution_b, person=w.trainee_b)
    w.employee_a = make_person(
        root,
        jurisdiction,
        "王职工",
        employer=w.enterprise_a,
        contract_start=dt.date(2024, 3, 1),
        contract_term_months=36,
        insured_since=dt.date(2024, 3, 1),
    )
    w.employee_b = make_person(root, jurisdiction, "赵职工", employer=w.enterprise_b)
    w.person_other = make_person(
        other_root, other_jurisdiction, "湖州人", id_number=new_id_number(region="330502")
    )
    w.teacher_a = services.teacher_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="陈老师",
        id_number=new_id_number(birth="19800505"),
        filing_number="XQSZ-2025-001",
        filed_on=dt.date(2025, 1, 10),
        institutions=[w.institution_a],
    )
    w.teacher_b = services.teacher_create(
        actor=root,
        jurisdiction=jurisdiction,
        name="刘老师",
        id_number=new_id_number(birth="19810606"),
        filing_number="XQSZ-2025-002",
        filed_on=dt.date(2025, 1, 10),
        institutions=[w.institution_b],
    )
    links: dict[str, dict[str, Any]] = {
        Role.BUREAU_ADMIN: {},
        Role.CENTRE_REVIEWER: {"service_unit": w.centre_1},
        Role.FINANCE_OFFICER: {},
        Role.INSTITUTION_CLERK: {"institution": w.institution_a},
        Role.ENTERPRISE_CLERK: {"enterprise": w.enterprise_a},
        Role.PERSON: {"person": w.trainee_a},
        Role.AUDITOR: {},
    }
    for role, extra in links.items():
        w.users[role] = user_create(
            actor=root,
            username=role,
            password=PASSWORD,
            role=role,
            jurisdictions=[jurisdiction],
            display_name=Role(role).label,
            **extra,
        )
    return w
