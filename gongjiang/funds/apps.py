from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "gongjiang.funds"
    label = "funds"
    verbose_name = "资金申请与拨付"
