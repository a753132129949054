"""Benefits paid to a unit's own account (an enterprise's self-training reward, a studio's award, a
training base's subsidy): a line may have no person (the applying unit is its beneficiary), a line
and a batch item say whose account they are paid into, the application carries the unit's bank
account (资金申请表 开户行、账号), and a line remembers the talent record it was started from.

Existing rows are person lines paid to the person (the default), so nothing needs converting."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0001_initial"),
        ("registry", "0002_person_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="payee_bank_name",
            field=models.CharField(blank=True, max_length=80, verbose_name="单位开户行"),
        ),
        migrations.AddField(
            model_name="application",
            name="payee_account_encrypted",
            field=models.TextField(blank=True, verbose_name="单位银行账号(加密)"),
        ),
        migrations.AddField(
            model_name="application",
            name="payee_account_masked",
            field=models.CharField(blank=True, max_length=12, verbose_name="单位银行账号"),
        ),
        migrations.AlterField(
            model_name="applicationline",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fund_lines",
                to="registry.person",
                verbose_name="受益人",
            ),
        ),
        migrations.AddField(
            model_name="applicationline",
            name="payee",
            field=models.CharField(
                choices=[("person", "个人账户"), ("organisation", "单位账户")],
                default="person",
                max_length=12,
                verbose_name="收款方",
            ),
        ),
        migrations.AddField(
            model_name="applicationline",
            name="record",
            field=models.CharField(blank=True, max_length=40, verbose_name="来源记录"),
        ),
        migrations.AddConstraint(
            model_name="applicationline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("person__isnull", True)),
                fields=("application",),
                name="line_organisation_once_per_application",
            ),
        ),
        migrations.AddConstraint(
            model_name="applicationline",
            constraint=models.CheckConstraint(
                condition=models.Q(("person__isnull", False), ("payee", "organisation"), _connector="OR"),
                name="line_without_person_is_paid_to_the_unit",
            ),
        ),
        migrations.AlterField(
            model_name="batchitem",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="registry.person",
                verbose_name="收款人",
            ),
        ),
        migrations.AddField(
            model_name="batchitem",
            name="payee",
            field=models.CharField(
                choices=[("person", "个人账户"), ("organisation", "单位账户")],
                default="person",
                max_length=12,
                verbose_name="收款方",
            ),
        ),
        migrations.AddConstraint(
            model_name="batchitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("payee", "person"), ("person__isnull", False)),
                    ("payee", "organisation"),
                    _connector="OR",
                ),
                name="batch_item_has_its_payee",
            ),
        ),
    ]
