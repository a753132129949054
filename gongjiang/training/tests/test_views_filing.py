"""The filing pages as a clerk and a reviewer use them (附件2 3.1)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.choices import ClassStatus
from gongjiang.training.models import Enrolment, TrainingClass
from gongjiang.training.services import timetable

from .factories import (
    class_dates,
    draft_class,
    new_trainee_row,
    png,
    ready_class,
    roster_csv,
    submitted_class,
    timetable_csv,
)

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_clerk_files_a_class_through_the_form(client, tw):
    # given the clerk of institution A
    _login(client, tw.clerk)
    begin, end = class_dates()
    # when they fill in the filing form
    response = client.post(
        reverse("training:class_create"),
        {
            "institution": tw.institution_a.pk,
            "name": "农村转移就业劳动者焊工就业技能培训班",
            "training_type": "employment",
            "occupation": tw.occupations["焊工"].pk,
            "level": "cert",
            "planned_size": 30,
            "start_date": begin.isoformat(),
            "end_date": end.isoformat(),
            "venue_address": "实训楼 3 层",
            "textbook_name": "焊工",
            "textbook_publisher": "中国劳动社会保障出版社",
        },
    )
    # then a draft exists and they land on its page
    training_class = TrainingClass.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("training:class_detail", args=[training_class.pk])
    page = client.get(response.url).content.decode()
    assert "草稿" in page and "最低 120 课时" in page
    assert "已导入课程表" in page  # the checklist shows what is still missing


def test_a_form_error_from_the_service_is_shown(client, tw):
    _login(client, tw.clerk)
    begin, end = class_dates()
    response = client.post(
        reverse("training:class_create"),
        {
            "institution": tw.institution_a.pk,
            "name": "学徒班",
            "training_type": "apprenticeship",
            "occupation": tw.occupations["焊工"].pk,
            "level": "cert",
            "planned_size": 10,
            "start_date": begin.isoformat(),
            "end_date": end.isoformat(),
            "venue_address": "厂区",
            "textbook_name": "焊工",
            "textbook_publisher": "出版社",
        },
    )
    assert response.status_code == 200
    assert "企业新型学徒制的培训等级须为：初级工、中级工、高级工" in response.content.decode()
    assert TrainingClass.objects.count() == 0


def test_a_roster_with_a_bad_row_shows_every_error_and_writes_nothing(client, tw):
    # given a draft with its timetable
    training_class = draft_class(tw)
    timetable.timetable_import(
        actor=tw.clerk, training_class=training_class, filename="t.csv", data=timetable_csv(training_class)
    )
    _login(client, tw.clerk)
    bad = new_trainee_row("错号")
    bad["身份证号"] = "620102199503150000"
    url = reverse("training:class_roster", args=[training_class.pk])
    # when the file is uploaded on the roster page
    response = client.post(url, {"file": _upload("花名册.csv", roster_csv([new_trainee_row(), bad]))})
    # then the page lists the row, column and reason, and the roster stays empty
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="row-errors"' in page and "第 3 行" in page and "身份证号校验位错误" in page
    assert Enrolment.objects.count() == 0
    # when the corrected file is uploaded, then the roster shows both with their pre-check
    bad["身份证号"] = new_trainee_row()["身份证号"]
    response = client.post(url, {"file": _upload("花名册.csv", roster_csv([new_trainee_row(), bad]))})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "错号" in page and page.count("可享受") == 2 and "1950.00" in page  # 附件3 A类 1500 + 30 × 15
    assert Enrolment.objects.count() == 2


def test_roster_page_masks_ids_for_the_clerk(client, tw):
    training_class = ready_class(tw, trainees=1)
    person = training_class.enrolments.get().person
    from gongjiang.core.pii import decrypt

    page = (
        _login(client, tw.clerk)
        .get(reverse("training:class_roster", args=[training_class.pk]))
        .content.decode()
    )
    assert person.id_number_masked in page
    assert decrypt(person.id_number_encrypted) not in page


def test_timetable_and_evidence_pages_upload(client, tw):
    training_class = draft_class(tw)
    _login(client, tw.clerk)
    response = client.post(
        reverse("training:class_timetable", args=[training_class.pk]),
        {"file": _upload("课程表.csv", timetable_csv(training_class))},
    )
    assert response.status_code == 302
    training_class.refresh_from_db()
    assert training_class.class_hours == 120
    name, stream = png()
    response = client.post(
        reverse("training:class_evidence", args=[training_class.pk]),
        {"kind": "venue_photo", "file": _upload(name, stream.getvalue()), "note": "实训车间"},
    )
    assert response.status_code == 302
    evidence = training_class.evidence.get()
    download = client.get(reverse("training:evidence_download", args=[evidence.pk]))
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == stream.getvalue()


def test_submit_review_and_queue_through_pages(client, tw):
    # given a complete draft
    training_class = ready_class(tw)
    _login(client, tw.clerk)
    # when the clerk submits it
    client.post(reverse("training:class_submit", args=[training_class.pk]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED
    # then it is in the reviewer's queue with its working days left
    client.logout()
    _login(client, tw.reviewer)
    queue = client.get(reverse("training:review_queue")).content.decode()
    assert training_class.code in queue
    # when the reviewer returns it without a reason, then it stays submitted with a message
    detail = reverse("training:class_detail", args=[training_class.pk])
    response = client.post(
        reverse("training:class_review", args=[training_class.pk]), {"decision": "return"}, follow=True
    )
    assert "退回修改必须填写理由" in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED
    # when they approve it, then the class is approved and the timeline says so
    client.post(
        reverse("training:class_review", args=[training_class.pk]), {"decision": "approve", "note": "同意"}
    )
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED
    timeline = client.get(reverse("training:class_timeline", args=[training_class.pk])).content.decode()
    assert "备案通过：同意" in timeline
    assert client.get(detail).status_code == 200


def test_an_incomplete_submission_explains_itself(client, tw):
    training_class = draft_class(tw)
    _login(client, tw.clerk)
    response = client.post(reverse("training:class_submit", args=[training_class.pk]), follow=True)
    assert "备案材料不完整" in response.content.decode()


def test_other_institutions_clerk_cannot_upload(client, tw):
    training_class = draft_class(tw, actor=tw.root, institution=tw.institution_b)
    _login(client, tw.clerk)
    response = client.post(
        reverse("training:class_roster", args=[training_class.pk]),
        {"file": _upload("r.csv", roster_csv([new_trainee_row()]))},
    )
    assert response.status_code == 404


def test_templates_download(client, tw):
    _login(client, tw.clerk)
    for name, first in (("training:roster_template", "姓名"), ("training:timetable_template", "日期")):
        response = client.get(reverse(name))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == first


def test_class_list_scoping(client, tw):
    mine = submitted_class(tw)
    theirs = draft_class(tw, actor=tw.root, institution=tw.institution_b)
    page = _login(client, tw.clerk).get(reverse("training:class_list")).content.decode()
    assert mine.code in page and theirs.code not in page
