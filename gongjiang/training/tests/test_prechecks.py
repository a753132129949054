"""The roster pre-check (附件2 3.1, before filing): what the class would pay each trainee and
whether a cap already blocks it. Amounts worked by hand from 新民社发〔2025〕13号 附件3."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.catalog.models import ShortageOccupationEntry
from gongjiang.core.pii import decrypt
from gongjiang.training.choices import ClassStatus, EnrolmentStatus
from gongjiang.training.models import Enrolment, TrainingClass
from gongjiang.training.prechecks import roster_prechecks
from gongjiang.training.services import filing, roster

from .factories import existing_person_row, ready_class, roster_csv

pytestmark = pytest.mark.django_db


def test_a_rural_trainee_of_an_a_class(tw):
    # given a 15-day 焊工 (A类) employment-skill class for rural migrant workers
    training_class = ready_class(tw, trainees=1)
    # when pre-checked
    [result] = roster_prechecks(training_class).values()
    # then 附件3 A类 培训合格证 1500 元 + 备注1 生活费 30 元/天 × 15 天 = 1950.00
    assert result["eligible"] is True
    assert result["amount"] == "1950.00"
    assert result["policy_version"] == "lanzhou-xinqu-2025@2025-01-01"


def test_the_shortage_uplift_follows_the_directory(tw):
    # given 焊工 in the shortage directory on the class's dates
    training_class = ready_class(tw, trainees=1)
    ShortageOccupationEntry.objects.create(
        jurisdiction=tw.jurisdiction,
        occupation=tw.occupations["焊工"],
        valid_from=dt.date(2025, 1, 1),
        source="兰州新区急需紧缺职业(工种)目录",
    )
    [result] = roster_prechecks(training_class).values()
    # then 1500 × (1 + 20%) = 1800 (备注2) + 30 × 15 = 450 (备注1, not raised) = 2250.00
    assert result["amount"] == "2250.00"


def test_a_cap_already_reached_is_shown_before_filing(tw):
    # given a trainee qualified in a 焊工 class closed on 2025-03-17
    first = ready_class(tw, trainees=1, start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 17))
    enrolment = first.enrolments.get()
    # (closing services are tested on their own; here the earlier class is only history)
    TrainingClass.objects.filter(pk=first.pk).update(status=ClassStatus.CLOSED, closed_on=first.end_date)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.QUALIFIED)
    person = enrolment.person
    # and an 电工 class in June of the same year taking the same person
    second = ready_class(
        tw,
        trainees=0,
        occupation=tw.occupations["电工"],
        start_date=dt.date(2025, 6, 2),
        end_date=dt.date(2025, 6, 16),
    )
    row = existing_person_row(person, decrypt(person.id_number_encrypted), 人员类别="农村转移就业劳动者")
    roster.roster_import(actor=tw.clerk, training_class=second, filename="r.csv", data=roster_csv([row]))
    # when the June class is pre-checked
    [result] = roster_prechecks(second).values()
    # then 备注5 "每年只能享受1次" blocks it, with its citation
    assert result["eligible"] is False
    assert [r["code"] for r in result["reasons"]] == ["once_per_year"]
    assert "备注5" in result["reasons"][0]["citation"]
    assert result["amount"] == "0.00"


def test_submission_freezes_the_precheck_on_each_trainee(tw):
    training_class = ready_class(tw, trainees=2)
    filing.class_submit(actor=tw.clerk, training_class=training_class)
    stored = [e.precheck["amount"] for e in training_class.enrolments.order_by("id")]
    assert stored == ["1950.00", "1950.00"]
