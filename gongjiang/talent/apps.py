from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "gongjiang.talent"
    label = "talent"
    verbose_name = "技能人才调查与人才库"

    def ready(self) -> None:
        # The targets app's goals and its “其中：国家级基地承接” columns read this app's records.
        from .measures import register

        register()
