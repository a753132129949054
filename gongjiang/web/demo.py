"""The demo data set: 兰州新区 in 2025, built through the services so that it is valid and audited.

Deterministic (seeded) so two installs look alike; the log-in passwords are not: they are generated
per install and written to var/demo-logins.txt (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from gongjiang.catalog.models import Occupation
from gongjiang.catalog.services import catalog_load_reference, shortage_entry_add
from gongjiang.core.choices import Role
from gongjiang.core.models import Jurisdiction
from gongjiang.core.services import jurisdiction_create, user_create
from gongjiang.funds.demo import load_demo_funds
from gongjiang.registry import services as registry
from gongjiang.registry.choices import PRIORITY_GROUP_FIELDS
from gongjiang.registry.validators import credit_code_with_check_digit, resident_id_with_check_digit
from gongjiang.talent.demo import load_demo_records, load_demo_survey
from gongjiang.talent.services import platform_create
from gongjiang.targets.demo import load_demo_targets
from gongjiang.training.services.certificates import number_ranges_load_reference

from .demo_training import load_demo_training

JURISDICTIONS = [
    ("lanzhou-xinqu", "兰州新区", "620100"),
    ("taierzhuang", "台儿庄区", "370405"),
    ("shangyu", "上虞区", "330604"),
    ("huzhou", "湖州市", "330500"),
]
SERVICE_UNITS = [
    ("centre-1", "兰州新区社会保障第一服务中心", "service_centre"),
    ("centre-2", "兰州新区社会保障第二服务中心", "service_centre"),
    ("employment-section", "就业科", "section"),
]
INSTITUTIONS = [
    ("甘肃交通职业技术学院", "centre-1", "social_training_evaluation_org", "white"),
    ("甘肃财贸职业学院", "centre-1", "social_training_evaluation_org", "normal"),
    ("兰州现代职业学院", "centre-1", "none", "normal"),
    ("甘肃东方高级技工学校", "centre-2", "social_training_evaluation_org", "normal"),
    ("新区博仁职业技能培训学校", "centre-2", "none", "normal"),
    ("兰州石化职业技术大学", "centre-1", "social_training_evaluation_org", "white"),
    ("新区石化人力资源培训有限公司", "centre-2", "none", "normal"),
]
ENTERPRISES = [
    ("恒信石油化工有限公司", "石油化工", "state", "large"),
    ("华盛精细化工有限公司", "石油化工", "private_corp", "medium"),
    ("金鼎装备制造有限公司", "装备制造", "private_corp", "large"),
    ("宏泰机械制造有限公司", "装备制造", "private", "medium"),
    ("瑞丰现代物流有限公司", "现代物流", "private_corp", "medium"),
    ("陇原冷链物流有限公司", "现代物流", "private", "small"),
    ("丝路新材料科技有限公司", "新材料", "private_corp", "medium"),
    ("黄河铝业有限公司", "新材料", "state", "large"),
    ("康源生物医药有限公司", "生物医药", "private_corp", "medium"),
    ("祁连中药饮片有限公司", "生物医药", "collective", "small"),
    ("新港电子信息有限公司", "电子信息", "private_corp", "medium"),
    ("智联数据服务有限公司", "电子信息", "private", "small"),
    ("陇上食品加工有限公司", "食品加工", "private", "small"),
    ("秦王川牛肉面食品店", "食品加工", "individual", "small"),
    ("光能新能源科技有限公司", "新能源", "private_corp", "medium"),
    ("风电装备有限公司", "新能源", "state", "large"),
    ("安康养老服务有限公司", "养老服务", "private", "small"),
    ("建工建筑安装有限公司", "建筑", "state", "large"),
    ("通达汽车维修部", "汽车维修", "individual", "small"),
    ("博雅家政服务有限公司", "家政服务", "private", "small"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌鹏飞海燕晓东"
LANZHOU_REGIONS = ["620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123"]
SHORTAGE = ["焊工", "电工", "养老护理员", "工业机器人系统运维员", "化工总控工"]


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str
    note: str


class DemoBuilder:
    def __init__(self, seed: int = 2025) -> None:
        self.rng = random.Random(seed)
        self.used_orders: set[str] = set()
        self.credit_serial = 1000

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def id_number(self, birth_year: tuple[int, int] = (1968, 2004)) -> str:
        while True:
            birth = dt.date(self.rng.randint(*birth_year), self.rng.randint(1, 12), self.rng.randint(1, 28))
            first17 = f"{self.rng.choice(LANZHOU_REGIONS)}{birth:%Y%m%d}{self.rng.randint(1, 999):03d}"
            if first17 not in self.used_orders:
                self.used_orders.add(first17)
                return resident_id_with_check_digit(first17)

    def credit_code(self) -> str:
        self.credit_serial += 1
        return credit_code_with_check_digit(f"91620100MA{self.credit_serial:07d}")

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}"

    def bank_account(self) -> str:
        return f"622848{self.rng.randint(0, 10**13 - 1):013d}"


def demo_is_loaded() -> bool:
    return Jurisdiction.objects.exists()


@transaction.atomic
def demo_load(logins_path: Path) -> list[DemoLogin]:
    b = DemoBuilder()
    jurisdictions = {
        code: jurisdiction_create(actor=None, code=code, name=name, region_code=region)
        for code, name, region in JURISDICTIONS
    }
    xq = jurisdictions["lanzhou-xinqu"]
    logins: list[DemoLogin] = []

    def login(username: str, role: str, note: str, actor: Any, **links: Any) -> Any:
        password = secrets.token_urlsafe(12)
        user = user_create(
            actor=actor,
            username=username,
            password=password,
            role=role,
            jurisdictions=[xq],
            display_name=note,
            **links,
        )
        logins.append(DemoLogin(username, str(Role(role).label), password, note))
        return user

    # The first administrator is bootstrapped (no actor); everything after is done by them.
    admin = login("admin", Role.BUREAU_ADMIN, "局管理员 赵主任", actor=None)
    catalog_load_reference(actor=admin, jurisdiction=xq)
    for name in SHORTAGE:
        occupation = Occupation.objects.get(name=name)
        shortage_entry_add(
            actor=admin,
            jurisdiction=xq,
            occupation=occupation,
            valid_from=dt.date(2025, 1, 1),
            valid_to=None,
            source="兰州新区2025年急需紧缺职业(工种)指导目录（演示）",
        )
    units = {
        code: registry.service_unit_create(actor=admin, jurisdiction=xq, code=code, name=name, kind=kind)
        for code, name, kind in SERVICE_UNITS
    }
    # 培训合格证书号段 of 新民社发〔2025〕13号 附件4 (needs the two centres above).
    number_ranges_load_reference(actor=admin, jurisdiction=xq)
    institutions = []
    for name, unit, qualification, state in INSTITUTIONS:
        inst = registry.institution_create(
            actor=admin,
            jurisdiction=xq,
            name=name,
            credit_code=b.credit_code(),
            service_unit=units[unit],
            filing_status="filed",
            filed_on=dt.date(2024, 12, 1),
            evaluation_qualification=qualification,
            contact_name=b.name(),
            address="甘肃省兰州新区",
        )
        if state != "normal":
            registry.institution_set_list_state(
                actor=admin, institution=inst, state=state, reason="2024年度培训质量考核优秀"
            )
        institutions.append(inst)
    enterprises = [
        registry.enterprise_create(
            actor=admin,
            jurisdiction=xq,
            name=f"兰州新区{name}",
            credit_code=b.credit_code(),
            ownership=ownership,
            size=size,
            business_field=field,
            insured_headcount=b.rng.randint(30, 2000),
        )
        for name, field, ownership, size in ENTERPRISES
    ]
    occupations = list(Occupation.objects.all()[:40])
    for i in range(10):
        registry.teacher_create(
            actor=admin,
            jurisdiction=xq,
            name=b.name(),
            id_number=b.id_number((1965, 1992)),
            filing_number=f"XQSZ-2025-{i + 1:03d}",
            filed_on=dt.date(2025, 1, 15),
            phone=b.phone(),
            qualification=b.rng.choice(["高级技师", "技师", "讲师", "高级讲师", "工程师"]),
            institutions=[institutions[i % len(institutions)]],
            occupations=b.rng.sample(occupations, 2),
        )
    people = []
    for i in range(300):
        flags = {field: False for field in PRIORITY_GROUP_FIELDS}
        flags[PRIORITY_GROUP_FIELDS[i % len(PRIORITY_GROUP_FIELDS)]] = True
        employed = i % 5 == 4
        person = registry.person_create(
            actor=admin,
            jurisdiction=xq,
            name=b.name(),
            id_number=b.id_number(),
            household_type="rural" if i % 3 else "urban",
            phone=b.phone(),
            bank_name="中国农业银行兰州新区支行",
            bank_account=b.bank_account(),
            is_urban_rural_dibao=i % 17 == 0,
            is_veteran=i % 23 == 0,
            is_disabled=i % 41 == 0,
            employer=enterprises[i % 20] if employed else None,
            contract_start=dt.date(2024, 1 + i % 12, 1) if employed else None,
            contract_term_months=36 if employed else None,
            insured_since=dt.date(2024, 1 + i % 12, 1) if employed else None,
            **flags,
        )
        if not employed:
            registry.institution_trainee_register(actor=admin, institution=institutions[i % 7], person=person)
        people.append(person)
    reviewers = {
        "centre-1": login(
            "reviewer1", Role.CENTRE_REVIEWER, "第一服务中心 审核员", admin, service_unit=units["centre-1"]
        ),
        "centre-2": login(
            "reviewer2", Role.CENTRE_REVIEWER, "第二服务中心 审核员", admin, service_unit=units["centre-2"]
        ),
    }
    login("finance", Role.FINANCE_OFFICER, "就业科 财务", admin, service_unit=units["employment-section"])
    # A second finance officer: a payment batch is approved by someone other than its maker.
    login("finance2", Role.FINANCE_OFFICER, "就业科 复核", admin, service_unit=units["employment-section"])
    clerks = {
        0: login(
            "jiaotong",
            Role.INSTITUTION_CLERK,
            "甘肃交通职业技术学院 经办人",
            admin,
            institution=institutions[0],
        ),
        4: login(
            "boren",
            Role.INSTITUTION_CLERK,
            "新区博仁职业技能培训学校 经办人",
            admin,
            institution=institutions[4],
        ),
    }
    login(
        "enterprise", Role.ENTERPRISE_CLERK, f"{enterprises[4].name} 经办人", admin, enterprise=enterprises[4]
    )
    login("worker", Role.PERSON, f"{people[4].name}（职工）", admin, person=people[4])
    login("auditor", Role.AUDITOR, "审计 钱审计", admin)
    # The skilled-talent survey (issue 7): a published round of every enterprise but the demo
    # clerk's, and an open round that clerk can fill in online.
    load_demo_survey(xq, actor=admin, skip_enterprise=enterprises[4])
    load_demo_records(xq, actor=admin, people=people, institution=institutions[5])
    # Issue 7: the 附件1 task table and goals, and 2025's classes so that the 任务进度 dashboard shows
    # progress as of `demo_training.DEMO_TODAY` (/targets/?year=2025&as_of=2025-10-31).
    load_demo_targets(xq, actor=admin)
    # Issue 6: the fund sources, which fund pays which benefit, and each fund's 2025 budget.
    load_demo_funds(xq, admin=admin, year=2025)
    # Two 国家级高技能人才培训基地 recognised before 2025 (their classes fill the “其中：国家级基地承接”
    # columns of 附件1).
    for institution, recognised_on in (
        (institutions[0], dt.date(2021, 11, 20)),
        (institutions[3], dt.date(2023, 9, 1)),
    ):
        platform_create(
            actor=admin,
            jurisdiction=xq,
            kind="training_base",
            level="national",
            name=f"{institution.name}国家级高技能人才培训基地",
            recognised_on=recognised_on,
            institution=institution,
        )
    load_demo_training(
        b,
        jurisdiction=xq,
        admin=admin,
        units=units,
        institutions=institutions,
        enterprises=enterprises,
        reviewers=reviewers,
        clerks=clerks,
    )
    # Thousands of rows were just written in bulk: on PostgreSQL the planner knows nothing of them until
    # statistics are gathered, and the dashboard's queries then take minutes instead of a second.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    logins_path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# 演示账号（本机生成，请勿提交）",
        *(f"{x.username}\t{x.password}\t{x.role}\t{x.note}" for x in logins),
    ]
    logins_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logins_path.chmod(0o600)
    return logins
