from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "gongjiang.training"
    label = "training"
    verbose_name = "职业技能培训"
