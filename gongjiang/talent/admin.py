from django.contrib import admin

from gongjiang.core.admin import ReadOnlyAdmin

from .models import (
    Competition,
    MasterStudio,
    ShortageProposal,
    SurveyRound,
    TalentPlatform,
    TalentTitle,
)


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "period", "year", "status", "closed_on")


@admin.register(ShortageProposal)
class ShortageProposalAdmin(ReadOnlyAdmin):
    list_display = ("occupation", "survey_round", "demand", "supply", "status", "effective_from")


@admin.register(Competition)
class CompetitionAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "occupation", "held_on")


@admin.register(MasterStudio)
class MasterStudioAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "enterprise", "recognised_on")


@admin.register(TalentTitle)
class TalentTitleAdmin(ReadOnlyAdmin):
    list_display = ("title_name", "kind", "awarded_on")


@admin.register(TalentPlatform)
class TalentPlatformAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "level", "recognised_on")
