from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "gongjiang.talent"
    label = "talent"
    verbose_name = "技能人才调查与人才库"
