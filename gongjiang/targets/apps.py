from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "gongjiang.targets"
    label = "targets"
    verbose_name = "任务目标与进度"
