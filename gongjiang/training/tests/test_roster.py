"""Roster import (附件2 3.1 培训学员花名册): row-level checks in Chinese, all rows or none."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.registry.models import Person
from gongjiang.training.choices import EnrolmentStatus
from gongjiang.training.file_templates import roster_template
from gongjiang.training.models import Enrolment
from gongjiang.training.services import filing, roster
from gongjiang.training.services.roster import COLUMNS

from .factories import (
    draft_class,
    existing_person_row,
    new_trainee_row,
    ready_class,
    registered_person,
    roster_csv,
)

pytestmark = pytest.mark.django_db


def _import(tw, training_class, data, filename="花名册.csv"):
    return roster.roster_import(actor=tw.clerk, training_class=training_class, filename=filename, data=data)


def _errors(exc_info):
    return {(e["row"], e["column"]): e["message"] for e in exc_info.value.details}


def test_the_template_has_the_documented_columns():
    sheet = openpyxl.load_workbook(io.BytesIO(roster_template())).active
    assert tuple(c.value for c in sheet[1]) == COLUMNS


def test_one_bad_row_refuses_the_whole_file(tw):
    # given a class and a file of three trainees, the second with a wrong check digit
    training_class = draft_class(tw)
    good_1, good_2 = new_trainee_row("赵一"), new_trainee_row("钱二")
    bad = new_trainee_row("孙三")
    bad["身份证号"] = bad["身份证号"][:-1] + ("0" if bad["身份证号"][-1] != "0" else "1")
    people_before = Person.objects.count()
    # when it is imported
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, roster_csv([good_1, bad, good_2]))
    # then the bad row is named with its column and a Chinese reason, and nothing is written
    assert _errors(refused) == {(3, "身份证号"): "身份证号校验位错误"}
    assert Person.objects.count() == people_before
    assert Enrolment.objects.count() == 0
    # when the corrected file is imported, then all three are on the roster
    bad["身份证号"] = new_trainee_row()["身份证号"]
    enrolments = _import(tw, training_class, roster_csv([good_1, bad, good_2]))
    assert [e.person.name for e in enrolments] == ["赵一", "孙三", "钱二"]
    assert {e.eligibility for e in enrolments} == {"六类人员：农村转移就业劳动者"}
    assert Person.objects.count() == people_before + 3


def test_every_bad_row_is_reported(tw):
    # given a file with several problems at once
    training_class = draft_class(tw)
    twin = new_trainee_row("周四")
    rows = [
        twin,
        dict(twin, 姓名="周四弟"),  # the same ID number again
        new_trainee_row("吴五", 人员类别=""),  # no priority group for employment training
        new_trainee_row("郑六", 人员类别="外星人"),
        new_trainee_row("王七", 户籍类型="海外"),
        new_trainee_row("冯八", 城乡低保="可能"),
    ]
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, roster_csv(rows))
    errors = _errors(refused)
    assert errors[(3, "身份证号")] == "与第 2 行重复"
    assert "六类人员" in errors[(4, "人员类别")] and "二(一)" in errors[(4, "人员类别")]
    assert errors[(5, "人员类别")].startswith("未知人员类别“外星人”")
    assert errors[(6, "户籍类型")] == "户籍类型须为“农村”或“城镇”"
    assert errors[(7, "城乡低保")] == "须填写“是”或“否”"
    assert Enrolment.objects.count() == 0


def test_registered_people_are_checked_against_the_register(tw):
    # given a registered person who is not in any priority group
    person, id_number = registered_person(tw, "陈登记")
    training_class = draft_class(tw)
    rows = [
        existing_person_row(person, id_number, 姓名="陈改名", 人员类别="城镇登记失业人员"),
    ]
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, roster_csv(rows))
    errors = _errors(refused)
    assert errors[(2, "姓名")] == "与登记姓名“陈登记”不一致"
    assert errors[(2, "人员类别")].startswith("登记信息中没有：城镇登记失业人员")


def test_a_person_in_an_overlapping_class_is_refused(tw):
    # given a trainee on the roster of a submitted class
    first = ready_class(tw, trainees=1)
    filing.class_submit(actor=tw.clerk, training_class=first)
    trainee = first.enrolments.get().person
    from gongjiang.core.pii import decrypt

    id_number = decrypt(trainee.id_number_encrypted)
    # when a second class with overlapping dates takes them
    second = draft_class(
        tw, start_date=first.start_date + dt.timedelta(days=5), end_date=first.end_date + dt.timedelta(days=5)
    )
    with pytest.raises(ImportRejected) as refused:
        _import(
            tw, second, roster_csv([existing_person_row(trainee, id_number, 人员类别="农村转移就业劳动者")])
        )
    # then the row names the other class and its dates
    message = _errors(refused)[(2, "身份证号")]
    assert first.code in message and "培训时间重叠" in message


def test_a_trainee_already_on_the_roster_is_refused(tw):
    training_class = draft_class(tw)
    row = new_trainee_row("卫九")
    _import(tw, training_class, roster_csv([row]))
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, roster_csv([dict(row, 人员类别="")]))
    assert _errors(refused)[(2, "身份证号")] == "已在本班花名册中"


def test_post_training_eligibility(tw):
    # given an enterprise post-skill class for enterprise A starting on 2025-05-06 (二(二))
    start = dt.date(2025, 5, 6)
    training_class = draft_class(
        tw,
        training_type="enterprise_post",
        enterprise=tw.enterprise_a,
        start_date=start,
        end_date=start + dt.timedelta(days=14),
    )
    credit = tw.enterprise_a.credit_code
    rows = [
        # signed a 36-month contract on 2024-06-01: within a year of signing → eligible
        new_trainee_row(
            "签约一年内",
            人员类别="",
            工作单位统一社会信用代码=credit,
            劳动合同签订日期="2024-06-01",
            **{"劳动合同期限(月)": "36"},
        ),
        # signed on 2024-03-01: more than a year before the class → not eligible
        new_trainee_row(
            "签约超一年",
            人员类别="",
            工作单位统一社会信用代码=credit,
            劳动合同签订日期="2024-03-01",
            **{"劳动合同期限(月)": "36"},
        ),
        # a 6-month contract, but a newly hired rural migrant worker → eligible (新录用的六类人员)
        new_trainee_row(
            "新录用",
            工作单位统一社会信用代码=credit,
            劳动合同签订日期="2025-02-01",
            **{"劳动合同期限(月)": "6"},
        ),
        # employed by another enterprise → not this class's
        new_trainee_row(
            "他企职工",
            人员类别="",
            工作单位统一社会信用代码=tw.enterprise_b.credit_code,
            劳动合同签订日期="2025-01-01",
            **{"劳动合同期限(月)": "24"},
        ),
        # no employment at all
        new_trainee_row("无业", 人员类别=""),
    ]
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, roster_csv(rows))
    errors = _errors(refused)
    assert set(errors) == {(3, "人员类别"), (5, "人员类别"), (6, "人员类别")}
    assert "开班日 2025-05-06 不在签订之日起1年内" in errors[(3, "人员类别")]
    assert "工作单位不是本班合作企业" in errors[(5, "人员类别")]
    assert "无劳动合同登记" in errors[(6, "人员类别")]
    # when the refused rows are dropped, the two eligible ones are enrolled with their basis
    enrolments = _import(tw, training_class, roster_csv([rows[0], rows[2]]))
    assert [e.eligibility for e in enrolments] == [
        "签订36个月劳动合同，一年内参训",
        "企业新录用的六类人员（农村转移就业劳动者）",
    ]


def test_gbk_csv_and_xlsx_are_read(tw):
    training_class = draft_class(tw)
    gbk = roster_csv([new_trainee_row("钱锟")]).decode("utf-8").encode("gbk")
    assert [e.person.name for e in _import(tw, training_class, gbk)] == ["钱锟"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = new_trainee_row("孙表格")
    sheet.append([row.get(c, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [e.person.name for e in _import(tw, training_class, buffer.getvalue(), "花名册.xlsx")] == [
        "孙表格"
    ]


def test_formula_cells_are_read_as_text_and_refused(tw):
    # given an xlsx whose ID cell is a formula (formula injection / hidden computation)
    training_class = draft_class(tw)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    row = new_trainee_row("公式")
    values = [row.get(c, "") for c in COLUMNS]
    values[1] = '=CONCAT("620102","199503150011")'
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as refused:
        _import(tw, training_class, buffer.getvalue(), "花名册.xlsx")
    assert (2, "身份证号") in _errors(refused)


def test_withdrawal_keeps_the_row_with_its_reason(tw):
    training_class = ready_class(tw, trainees=2)
    enrolment = training_class.enrolments.first()
    with pytest.raises(DomainError):
        roster.enrolment_withdraw(actor=tw.clerk, enrolment=enrolment, reason="")
    roster.enrolment_withdraw(actor=tw.clerk, enrolment=enrolment, reason="找到工作")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.withdrawn_reason) == (EnrolmentStatus.WITHDRAWN, "找到工作")
    assert training_class.enrolments.count() == 2
