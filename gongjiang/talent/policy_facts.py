"""The facts a funds application started from a talent record would give the policy engine.

Each function returns quote requests in the contract of `POST /api/quote` ({policy, date, benefit,
facts}) for the pack of the record's jurisdiction; an empty list when that jurisdiction's document
pays nothing for the record. The funds app (built separately) starts applications from these; the
tests run them through the engine against the packs taierzhuang-2021, huzhou-2021, shangyu-2023.

    台儿庄  competition result, 区级 一/二/三等奖      competition_award {rank}     三(二)6
            市级及以上 result                            higher_competition_award     三(二)6
    湖州    中国技能大赛 result                         china_skills_award {result}  二(二)4
            世界技能大赛 result                         world_skills_award           二(二)4
            master studio 市/省/国家级                  master_studio_award {level}  二(三)6
            craftsman title                              craftsman_award {title}      二(二)3
            training base 国家/省级, 世赛集训基地         training_base_award {base}   二(三)5
    上虞    studio 市/区级: opening grant + master's share, excellent assessment → reward;
            国家/省级: selection award {level}                                          三(四)22
            浙江 craftsman title                         craftsman_award {title}      三(四)22
            首席技师                                     chief_technician_allowance   三(四)21
            public training base, municipal one-off, training demo base, evaluation demo
            enterprise/park                                                             三(二)10/14, 三(三)17
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .choices import AssessmentResult, CompetitionLevel, PlatformKind, PlatformLevel, StudioLevel, TitleKind

PACK_OF_JURISDICTION = {
    "taierzhuang": "taierzhuang-2021",
    "huzhou": "huzhou-2021",
    "shangyu": "shangyu-2023",
}
# 中国技能大赛 / 世界技能大赛 results as written on the record → the pack's enum
RESULT_CODES = {
    "金牌": "gold",
    "银牌": "silver",
    "铜牌": "bronze",
    "优胜奖": "excellence",
    "国家集训队": "national_team",
}
RANK_RESULTS = {1: "gold", 2: "silver", 3: "bronze"}


def _request(pack: str, day: dt.date, benefit: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {"policy": pack, "date": day.isoformat(), "benefit": benefit, "facts": facts}


def _pack(jurisdiction: Any) -> str | None:
    return PACK_OF_JURISDICTION.get(jurisdiction.code)


def competition_result_facts(result: Any) -> list[dict[str, Any]]:
    competition = result.competition
    pack = _pack(competition.jurisdiction)
    day = competition.held_on
    if pack == "taierzhuang-2021":
        if competition.level in (CompetitionLevel.ENTERPRISE, CompetitionLevel.DISTRICT):
            if competition.level == CompetitionLevel.DISTRICT and result.rank in (1, 2, 3):
                return [_request(pack, day, "competition_award", {"rank": result.rank})]
            return []
        return [_request(pack, day, "higher_competition_award", {})]
    if pack == "huzhou-2021":
        code = RESULT_CODES.get(result.result_label) or RANK_RESULTS.get(result.rank)
        if competition.level == CompetitionLevel.NATIONAL and code in (
            "gold",
            "silver",
            "bronze",
            "excellence",
        ):
            return [_request(pack, day, "china_skills_award", {"result": code})]
        if competition.level == CompetitionLevel.WORLD and code is not None:
            return [_request(pack, day, "world_skills_award", {"result": code, "role": "contestant"})]
    return []


def studio_facts(studio: Any) -> list[dict[str, Any]]:
    pack = _pack(studio.jurisdiction)
    day = studio.recognised_on
    if pack == "huzhou-2021" and studio.level != StudioLevel.DISTRICT:
        return [_request(pack, day, "master_studio_award", {"level": studio.level})]
    if pack != "shangyu-2023":
        return []
    if studio.level in (StudioLevel.NATIONAL, StudioLevel.PROVINCIAL):
        return [_request(pack, day, "master_studio_selection_award", {"level": studio.level})]
    requests = [
        _request(pack, day, "master_studio_opening_grant", {}),
        _request(pack, day, "master_studio_master_share", {}),
    ]
    for assessment in studio.assessments.order_by("year"):
        if assessment.result == AssessmentResult.EXCELLENT:
            requests.append(_request(pack, assessment.assessed_on, "master_studio_excellence_reward", {}))
    return requests


ZHEJIANG_TITLES = (
    TitleKind.ZHEJIANG_GRAND,
    TitleKind.ZHEJIANG_OUTSTANDING,
    TitleKind.ZHEJIANG,
    TitleKind.ZHEJIANG_YOUNG,
)


def title_facts(title: Any) -> list[dict[str, Any]]:
    pack = _pack(title.jurisdiction)
    day = title.awarded_on
    if pack == "huzhou-2021" and title.kind not in (TitleKind.CHIEF_TECHNICIAN, TitleKind.TECHNICAL_EXPERT):
        return [_request(pack, day, "craftsman_award", {"title": str(title.kind)})]
    if pack == "shangyu-2023":
        if title.kind in ZHEJIANG_TITLES:
            return [_request(pack, day, "craftsman_award", {"title": str(title.kind)})]
        if title.kind == TitleKind.CHIEF_TECHNICIAN and title.allowance_months:
            return [_request(pack, day, "chief_technician_allowance", {"months": title.allowance_months})]
    return []


def platform_facts(platform: Any) -> list[dict[str, Any]]:
    pack = _pack(platform.jurisdiction)
    day = platform.recognised_on
    kind, level = platform.kind, platform.level
    if pack == "huzhou-2021":
        if kind == PlatformKind.WORLD_SKILLS_BASE:
            return [_request(pack, day, "training_base_award", {"base": "world_skills_national"})]
        if kind == PlatformKind.TRAINING_BASE and level in (PlatformLevel.NATIONAL, PlatformLevel.PROVINCIAL):
            return [_request(pack, day, "training_base_award", {"base": level})]
        return []
    if pack != "shangyu-2023":
        return []
    if kind == PlatformKind.PUBLIC_TRAINING_BASE:
        if level == PlatformLevel.MUNICIPAL:
            return [_request(pack, day, "municipal_public_base_grant", {})]
        return [_request(pack, day, "public_training_base_support", {"level": level})]
    if kind == PlatformKind.TRAINING_DEMO_BASE and level == PlatformLevel.MUNICIPAL:
        return [_request(pack, day, "training_demo_base_grant", {})]
    if level == PlatformLevel.MUNICIPAL and kind in (
        PlatformKind.EVALUATION_DEMO_ENTERPRISE,
        PlatformKind.EVALUATION_DEMO_PARK,
    ):
        facts = {"kind": "enterprise" if kind == PlatformKind.EVALUATION_DEMO_ENTERPRISE else "park"}
        return [_request(pack, day, "evaluation_demo_award", facts)]
    return []
