"""A demo class walked from filing to closing in a real browser (issue 5 “Done when”).

The clerk of 甘肃交通职业技术学院 files a 焊工 (A类, 120 课时) employment-skill class for 2–16 June
2025, the unit's reviewer approves it, a face-recognition terminal posts the check-ins over HTTP,
the reviewer records three spot checks, the class closes with certificates from 新民社发〔2025〕13号
附件4, the PDF is read back, the public verification page is opened, and the follow-up moves the
KPIs. Debian's chromium driven by Playwright, as in gongjiang/web/tests/test_browser.py.

The walk happens in 2025, so that the closing draws on the 2025 ranges of 附件4: `clock` moves
Django's `timezone.now` (and with it `timezone.localdate`, which every page and service reads) to
the instant each step happens; the live server runs in this process, so it sees the same clock.
Each time the clock moves, people log in again (the session clocks follow it). `clock` and `people`
are shared with the other browser walks (root conftest.py, gongjiang/web/tests/browser_support.py).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from gongjiang.core.pii import decrypt
from gongjiang.web.tests.browser_support import ZONE, submit, upload

from ..choices import ClassStatus
from ..models import Enrolment, TrainingClass
from ..services import certificates, timetable
from . import factories
from .factories import add_filing_evidence, draft_class, new_trainee_row, roster_csv, timetable_csv

pytestmark = pytest.mark.browser

CLASS_START = dt.date(2025, 6, 2)  # Monday; 15 days to Monday 16 June, 30 sessions of 4 课时
NAMES = ["张建国", "李秀英", "王志强"]


def open_tab(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("nav").get_by_role("link", name=label, exact=True).last.click()


def test_a_demo_class_walks_from_filing_to_closing(live_server, transactional_db, tw, people, clock):
    base = live_server.url
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)

    # --- 开班备案 (附件2 3.1) -----------------------------------------------------------------
    # given Wednesday 28 May 2025: a draft with its timetable (36 theory + 84 practice = 120 课时,
    # 四(一) A类不少于120课时), venue photo, training and emergency plans
    clock.set(dt.date(2025, 5, 28))
    training_class = draft_class(tw, start=CLASS_START)
    timetable.timetable_import(
        actor=tw.clerk,
        training_class=training_class,
        filename="课程表.csv",
        data=timetable_csv(training_class),
    )
    add_filing_evidence(tw, training_class)
    rows = [new_trainee_row(name) for name in NAMES]
    good_id = rows[2]["身份证号"]
    rows[2]["身份证号"] = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # a wrong check digit

    # when the clerk uploads the roster with one bad row on the roster page
    clerk = people(tw.clerk)
    clerk.goto(f"{base}/training/classes/{training_class.pk}/")
    open_tab(clerk, "花名册与预审")
    clerk.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        upload("花名册.csv", roster_csv(rows), "text/csv")
    )
    submit(clerk, clerk.get_by_role("button", name="上传并导入"))

    # then the whole file is refused: the row (header is row 1, so 王志强 is row 4), column and
    # reason in Chinese, and nobody is on the roster
    errors = clerk.locator("#row-errors")
    assert errors.locator("tbody tr").count() == 1
    assert errors.locator("tbody tr").first.inner_text().split("\t") == [
        "第 4 行",
        "身份证号",
        "身份证号校验位错误",
    ]
    assert "文件未写入" in clerk.locator("h3", has_text="错误明细").inner_text()
    assert "尚未导入学员" in clerk.content()
    assert Enrolment.objects.filter(training_class=training_class).count() == 0

    # when the corrected file is uploaded
    rows[2]["身份证号"] = good_id
    clerk.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        upload("花名册.csv", roster_csv(rows), "text/csv")
    )
    submit(clerk, clerk.get_by_role("button", name="上传并导入"))

    # then the three are on the roster, each pre-checked at 1950.00 (附件3 A类 1500 + 备注1 30 元/天 × 15 天)
    roster = clerk.locator("#roster tbody tr")
    assert roster.count() == 3
    assert [roster.nth(i).locator("td").first.inner_text() for i in range(3)] == NAMES
    assert roster.locator("td.amount").all_inner_texts() == ["1950.00"] * 3
    assert all("*" in t for t in roster.locator("td.mono").all_inner_texts())

    # when the clerk submits the filing from the overview tab
    open_tab(clerk, "备案信息")
    submit(clerk, clerk.get_by_role("button", name="提交审核"))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED

    # then, the next day, the reviewer's queue shows it with 4 working days left: submitted Wed 28
    # May (not counted, 附件2 3.1 5 个工作日), 29, 30 May, [端午 31 May–2 June], 3, 4, 5 June → due
    # 5 June; on 29 May the days left are 30 May, 3, 4, 5 June
    clock.set(dt.date(2025, 5, 29))
    reviewer = people(tw.reviewer)
    reviewer.goto(f"{base}/training/review/")
    row = reviewer.locator("#review-queue tbody tr", has_text=training_class.code)
    assert row.locator("td").all_inner_texts()[3:] == ["2025-05-28", "2025-06-05", "4"]

    # when the reviewer opens it and approves
    with reviewer.expect_navigation():
        row.get_by_role("link", name=training_class.code).click()
    reviewer.get_by_label("审核结论").select_option("approve")
    reviewer.get_by_label("审核意见").fill("材料齐全，同意开班")
    submit(reviewer, reviewer.get_by_role("button", name="提交审核结论"))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED

    # --- 考勤 (附件2 3.2): the institution registers a face terminal and it posts every check-in --
    # given Tuesday 17 June 2025, the day after the last day
    clock.set(dt.date(2025, 6, 17))
    clerk = people(tw.clerk)
    clerk.goto(f"{base}/training/devices/")
    clerk.get_by_label("培训机构").select_option(label=tw.institution_a.name)
    clerk.get_by_label("设备编号").fill("FACE-0317")
    clerk.get_by_label("设备名称").fill("实训楼 3 层人脸考勤机")
    clerk.get_by_label("识别方式").select_option("face")
    submit(clerk, clerk.get_by_role("button", name="登记并生成密钥"))
    key = clerk.locator("#new-key .mono").inner_text().strip()
    assert key

    # when the terminal posts a check-in for each trainee a few minutes before each of the 30
    # sessions (20 seconds apart, as people pass the terminal)
    sessions = list(training_class.sessions.order_by("date", "starts_at"))
    assert len(sessions) == 30
    terminal = people(None, log_in_as=False).context.request
    ids = [r["身份证号"] for r in rows]
    statuses = []
    for session in sessions:
        start = dt.datetime.combine(session.date, session.starts_at, tzinfo=ZONE)
        for i, id_number in enumerate(ids):
            response = terminal.post(
                f"{base}/api/attendance",
                headers={"X-Device-Key": key},
                data={
                    "serial": "FACE-0317",
                    "id_number": id_number,
                    "class_code": training_class.code,
                    "occurred_at": (
                        start - dt.timedelta(minutes=5) + dt.timedelta(seconds=20 * i)
                    ).isoformat(),
                    "method": "face",
                    "match_score": "93.50",
                },
            )
            statuses.append(response.status)
    # then each was recorded once
    assert statuses == [201] * 90

    # --- 抽查 (附件2 3.2 至少开展3次抽查): the reviewer records three on the page ---------------
    reviewer = people(tw.reviewer)
    reviewer.goto(f"{base}/training/classes/{training_class.pk}/")
    open_tab(reviewer, "抽查")
    for day, mode in (("2025-06-04", "online"), ("2025-06-09", "on_site"), ("2025-06-13", "online")):
        reviewer.get_by_label("抽查日期").fill(day)
        reviewer.get_by_label("方式").select_option(mode)
        reviewer.get_by_label("在场人数").fill("3")
        reviewer.get_by_label("检查情况").fill("学员在训，签到与课程表一致")
        reviewer.get_by_label("结论").select_option("compliant")
        submit(reviewer, reviewer.get_by_role("button", name="登记"))
    assert reviewer.locator("#spot-checks tbody tr").count() == 3
    assert "3 / 至少 3 次" in reviewer.locator("h2", has_text="抽查记录").inner_text()

    # --- 结班 (附件2 3.2): assessment, closing ceremony, request ------------------------------
    # when the clerk opens the closing tab, each trainee has 30 × 4 = 120 of 120 课时
    clerk.goto(f"{base}/training/classes/{training_class.pk}/")
    open_tab(clerk, "结班与发证")
    assert clerk.locator("#assessment td.amount:not(:has(input))").all_inner_texts() == ["120 / 120"] * 3
    for name, score in zip(NAMES, ("88", "92", "79"), strict=True):
        clerk.get_by_label(f"{name} 考核结果").select_option("qualified")
        clerk.get_by_label(f"{name} 成绩").fill(score)
    submit(clerk, clerk.get_by_role("button", name="保存考核结果"))

    # and uploads the closing ceremony photo on the evidence tab
    open_tab(clerk, "材料与影像")
    name, stream = factories.jpeg()
    clerk.get_by_label("类别").select_option("closing_ceremony")
    clerk.locator("input[type=file][name=file]").set_input_files(
        upload(name, stream.getvalue(), "image/jpeg")
    )
    clerk.get_by_label("拍摄/形成日期").fill("2025-06-16")
    submit(clerk, clerk.get_by_role("button", name="上传"))

    # and requests the closing
    open_tab(clerk, "结班与发证")
    assert clerk.locator("#closing-problems").count() == 0
    submit(clerk, clerk.get_by_role("button", name="申请结班"))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CLOSING

    # when the reviewer approves the qualified list
    reviewer.goto(f"{base}/training/classes/{training_class.pk}/closing/")
    reviewer.get_by_label("通过：为合格学员编号发放培训合格证").check()
    submit(reviewer, reviewer.get_by_role("button", name="提交审核结论"))

    # then three certificates are numbered from the start of 附件4's 2025 range of 第一服务中心
    # 就业技能培训, 202251–206250: 202251, 202252, 202253, in roster order, issued 17 June
    certificates_table = reviewer.locator("#certificates tbody tr")
    assert certificates_table.count() == 3
    cells = [certificates_table.nth(i).locator("td").all_inner_texts() for i in range(3)]
    assert [(c[0], c[1], c[3]) for c in cells] == [
        ("202251", "张建国", "2025-06-17"),
        ("202252", "李秀英", "2025-06-17"),
        ("202253", "王志强", "2025-06-17"),
    ]
    assert "已于 2025-06-17 结班；取证与就业跟踪期限 2025-09-17" in reviewer.content()
    code = cells[0][4]

    # --- the PDF certificate, read back ----------------------------------------------------------
    # when the clerk downloads 张建国's certificate from the closing tab
    clerk.goto(f"{base}/training/classes/{training_class.pk}/closing/")
    link = clerk.locator("#certificates tbody tr", has_text="202251").get_by_role(
        "link", name="打印证书（PDF）"
    )
    response = clerk.context.request.get(base + link.get_attribute("href"))
    # then it is a PDF whose Chinese text names the holder, the number and the verification code
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    holder = Enrolment.objects.get(training_class=training_class, person__name="张建国").person
    for expected in (
        "职业技能培训合格证",
        "张建国",
        "202251",
        "焊工",
        "2025年6月17日",
        code,
        holder.id_number_masked,
    ):
        assert expected in text, expected
    assert decrypt(holder.id_number_encrypted) not in text

    # --- the public verification page, no log-in ------------------------------------------------
    visitor = people(None, log_in_as=False)
    visitor.goto(f"{base}/public/certificates/?code={code}")
    verified = visitor.locator("#verified")
    facts = dict(
        zip(verified.locator("dt").all_inner_texts(), verified.locator("dd").all_inner_texts(), strict=True)
    )
    assert facts == {
        "持证人": "张**",
        "身份证号": holder.id_number_masked,
        "职业(工种)": "焊工",
        "等级": "培训合格证",
        "培训机构": "甘肃交通职业技术学院",
        "发证日期": "2025年6月17日",
    }
    page_text = visitor.content()
    assert "张建国" not in page_text and decrypt(holder.id_number_encrypted) not in page_text
    assert "202251" not in page_text

    # --- 跟踪 (附件2 3.3) and the KPIs (四(三)) --------------------------------------------------
    # given Friday 1 August 2025, within the quarter after the closing (due 17 September)
    clock.set(dt.date(2025, 8, 1))
    clerk = people(tw.clerk)
    clerk.goto(f"{base}/training/kpi/")
    before = clerk.locator("#class-kpis tbody tr", has_text=training_class.code).locator("td.amount")
    assert before.all_inner_texts()[:3] == ["0/3 0.0%", "0", "0/3 0.0%"]

    # when the clerk records 张建国's skill-level certificate, three 就业推介, and the labour
    # contracts of 张建国 and 李秀英 on the follow-up tab
    clerk.goto(f"{base}/training/classes/{training_class.pk}/follow-up/")
    form = clerk.locator("form:has(input[name=action][value=certificate])")
    form.get_by_label("学员").select_option(label=f"张建国（{holder.id_number_masked}）")
    form.get_by_label("证书类型").select_option(label="职业技能等级证书")
    form.get_by_label("证书编号").fill("GZ2025070001")
    form.get_by_label("发证日期").fill("2025-07-20")
    form.get_by_label("发证机构").fill("兰州新区职业技能鉴定所")
    submit(clerk, form.get_by_role("button", name="登记证书"))
    for day, title in (
        ("2025-06-25", "焊工专场推介会"),
        ("2025-07-10", "制造业企业招聘会"),
        ("2025-07-25", "新区园区推介会"),
    ):
        form = clerk.locator("form:has(input[name=action][value=promotion])")
        form.get_by_label("推介日期").fill(day)
        form.get_by_label("推介内容").fill(title)
        form.get_by_label("参与用人单位").fill("甲公司、乙公司")
        form.get_by_label("参加学员数").fill("3")
        name, stream = factories.pdf()
        form.get_by_label("推介记录（.pdf/.jpg/.png）").set_input_files(
            upload(name, stream.getvalue(), "application/pdf")
        )
        submit(clerk, form.get_by_role("button", name="登记推介"))
    for trainee in ("张建国", "李秀英"):
        person = Enrolment.objects.get(training_class=training_class, person__name=trainee).person
        form = clerk.locator("form:has(input[name=action][value=employment])")
        form.get_by_label("学员").select_option(label=f"{trainee}（{person.id_number_masked}）")
        form.get_by_label("凭证类型").select_option("labour_contract")
        form.get_by_label("就业单位/创业主体").fill("兰州新区某制造有限公司")
        form.get_by_label("就业/创业日期").fill("2025-07-01")
        name, stream = factories.pdf()
        form.get_by_label("凭证（.pdf/.jpg/.png）").set_input_files(
            upload(name, stream.getvalue(), "application/pdf")
        )
        submit(clerk, form.get_by_role("button", name="登记就业"))

    # then the tab and the KPI page show certification 1/3 = 33.3% (goal ≥ 40%) and employment
    # 2/3 = 66.7% (goal ≥ 50%), with 3 就业推介 (四(三))
    assert clerk.locator("#certification-rate").inner_text() == "1/3 = 33.3%"
    assert clerk.locator("#employment-rate").inner_text() == "2/3 = 66.7%"
    clerk.goto(f"{base}/training/kpi/")
    after = clerk.locator("#class-kpis tbody tr", has_text=training_class.code).locator("td.amount")
    assert after.all_inner_texts()[:3] == ["1/3 33.3%", "3", "2/3 66.7%"]
    assert TrainingClass.objects.get(pk=training_class.pk).status == ClassStatus.CLOSED
