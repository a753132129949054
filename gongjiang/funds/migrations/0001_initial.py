"""The funds app. On PostgreSQL the ledger is guarded by the database itself:

- a constraint trigger, deferred to commit, refuses a transaction that leaves any posting whose
  entries do not sum to zero, or whose entries belong to another fund than the posting;
- ledger postings and entries are append-only (UPDATE and DELETE refused), like the audit table.

SQLite has no deferred constraint triggers; there `gongjiang.funds.ledger.post` checks the sum
before writing and a test proves it (see core/migrations/0003_audit_append_only.py for the pattern).
"""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


LEDGER_SQL = """
CREATE OR REPLACE FUNCTION funds_ledger_posting_balances() RETURNS trigger AS $$
DECLARE
    total numeric;
    strays integer;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM funds_ledgerentry WHERE posting_id = NEW.posting_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'funds ledger posting % does not balance: its entries sum to %', NEW.posting_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT COUNT(*) INTO strays FROM funds_ledgerentry e JOIN funds_ledgerposting p ON p.id = e.posting_id
        WHERE e.posting_id = NEW.posting_id AND e.fund_source_id <> p.fund_source_id;
    IF strays > 0 THEN
        RAISE EXCEPTION 'funds ledger posting % has entries of another fund', NEW.posting_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER funds_ledgerentry_balanced
    AFTER INSERT ON funds_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_posting_balances();
CREATE OR REPLACE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
CREATE TRIGGER funds_ledgerposting_append_only
    BEFORE UPDATE OR DELETE ON funds_ledgerposting
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
"""
LEDGER_SQL_DROP = """
DROP TRIGGER IF EXISTS funds_ledgerposting_append_only ON funds_ledgerposting;
DROP TRIGGER IF EXISTS funds_ledgerentry_append_only ON funds_ledgerentry;
DROP TRIGGER IF EXISTS funds_ledgerentry_balanced ON funds_ledgerentry;
DROP FUNCTION IF EXISTS funds_ledger_append_only();
DROP FUNCTION IF EXISTS funds_ledger_posting_balances();
"""


def ledger_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEDGER_SQL, params=None)


def ledger_guards_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEDGER_SQL_DROP, params=None)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0004_auth_sessions_reports'),
        ('registry', '0002_person_certificates'),
        ('training', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Instalment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveSmallIntegerField(verbose_name='期次')),
                ('due_month', models.CharField(max_length=7, verbose_name='应付月份')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='金额')),
                ('status', models.CharField(choices=[('scheduled', '未到期'), ('due', '待拨付'), ('in_batch', '拨付中'), ('paid', '已拨付'), ('cancelled', '已取消')], default='scheduled', max_length=10, verbose_name='状态')),
                ('cancel_reason', models.CharField(blank=True, max_length=200, verbose_name='取消原因')),
            ],
            options={
                'verbose_name': '应付期次',
                'verbose_name_plural': '应付期次',
                'ordering': ['schedule', 'seq'],
            },
        ),
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=24, unique=True, verbose_name='申请编号')),
                ('applicant_kind', models.CharField(choices=[('institution', '培训机构'), ('enterprise', '企业'), ('person', '个人')], max_length=12, verbose_name='申请主体')),
                ('policy', models.CharField(max_length=40, verbose_name='政策包')),
                ('benefit', models.CharField(max_length=60, verbose_name='补贴项目')),
                ('claim_date', models.DateField(verbose_name='申请依据日期')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待审核'), ('reviewed', '已审核'), ('returned', '退回修改'), ('in_notice', '公示中'), ('noticed', '公示结束'), ('closed', '已办结')], default='draft', max_length=12, verbose_name='状态')),
                ('checklist', models.JSONField(blank=True, default=dict, verbose_name='申请材料')),
                ('on_behalf', models.BooleanField(default=False, verbose_name='局方代为申请')),
                ('submitted_on', models.DateField(blank=True, null=True, verbose_name='提交日期')),
                ('review_due_on', models.DateField(blank=True, null=True, verbose_name='审核期限')),
                ('reviewed_on', models.DateField(blank=True, null=True, verbose_name='审核日期')),
                ('review_note', models.TextField(blank=True, verbose_name='审核意见')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='registry.enterprise', verbose_name='企业')),
                ('filed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
                ('institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='registry.institution', verbose_name='培训机构')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction', verbose_name='辖区')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.person', verbose_name='申请人')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('training_class', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fund_applications', to='training.trainingclass', verbose_name='培训班')),
            ],
            options={
                'verbose_name': '资金申请',
                'verbose_name_plural': '资金申请',
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='ApplicationLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('benefit', models.CharField(max_length=60, verbose_name='补贴项目')),
                ('facts', models.JSONField(blank=True, default=dict, verbose_name='事实')),
                ('quote', models.JSONField(default=dict, verbose_name='试算结果')),
                ('eligible', models.BooleanField(default=False, verbose_name='符合条件')),
                ('engine_amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='试算金额')),
                ('bound_min', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='下限')),
                ('bound_max', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='上限')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='核定金额')),
                ('amount_reason', models.CharField(blank=True, max_length=200, verbose_name='调整理由')),
                ('status', models.CharField(choices=[('pending', '待审核'), ('blocked', '政策限制不予补贴'), ('approved', '审核通过'), ('rejected', '审核不通过'), ('in_notice', '公示中'), ('payable', '待拨付'), ('withdrawn', '异议成立已撤回'), ('stopped', '已停发'), ('paid', '已拨付')], default='pending', max_length=12, verbose_name='状态')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('review_note', models.CharField(blank=True, max_length=200, verbose_name='审核意见')),
                ('payment_due_on', models.DateField(blank=True, null=True, verbose_name='拨付期限')),
                ('occupation', models.CharField(blank=True, max_length=80, verbose_name='职业(工种)')),
                ('level', models.CharField(blank=True, max_length=40, verbose_name='等级')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='funds.application')),
                ('enrolment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fund_lines', to='training.enrolment')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fund_lines', to='registry.person', verbose_name='受益人')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
            ],
            options={
                'verbose_name': '申请明细',
                'verbose_name_plural': '申请明细',
                'ordering': ['application', 'id'],
            },
        ),
        migrations.CreateModel(
            name='FundSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='代码')),
                ('name', models.CharField(max_length=80, verbose_name='资金名称')),
                ('account_name', models.CharField(blank=True, max_length=120, verbose_name='付款账户名')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction', verbose_name='辖区')),
            ],
            options={
                'verbose_name': '资金来源',
                'verbose_name_plural': '资金来源',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='FundBudget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='预算金额')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='依据')),
                ('fund_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budgets', to='funds.fundsource')),
            ],
            options={
                'verbose_name': '年度预算',
                'verbose_name_plural': '年度预算',
                'ordering': ['fund_source', 'year'],
            },
        ),
        migrations.CreateModel(
            name='BenefitFunding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('policy', models.CharField(max_length=40, verbose_name='政策包')),
                ('benefit', models.CharField(max_length=60, verbose_name='补贴项目')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction', verbose_name='辖区')),
                ('fund_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='funds.fundsource', verbose_name='资金来源')),
            ],
            options={
                'verbose_name': '补贴资金渠道',
                'verbose_name_plural': '补贴资金渠道',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='application',
            name='fund_source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='funds.fundsource', verbose_name='资金来源'),
        ),
        migrations.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=80)),
                ('operation', models.CharField(max_length=80)),
                ('request_hash', models.CharField(max_length=64)),
                ('status_code', models.PositiveSmallIntegerField()),
                ('response', models.JSONField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '幂等键',
                'verbose_name_plural': '幂等键',
            },
        ),
        migrations.CreateModel(
            name='BatchItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('detail_number', models.CharField(max_length=32, unique=True, verbose_name='明细号')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='金额')),
                ('purpose', models.CharField(max_length=120, verbose_name='用途')),
                ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送银行'), ('paid', '支付成功'), ('failed', '支付失败'), ('removed', '已移出')], default='pending', max_length=10, verbose_name='状态')),
                ('failure_reason', models.CharField(blank=True, max_length=200, verbose_name='失败原因')),
                ('bank_reference', models.CharField(blank=True, max_length=64, verbose_name='银行流水号')),
                ('settled_at', models.DateTimeField(blank=True, null=True, verbose_name='回盘时间')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='registry.person', verbose_name='收款人')),
                ('reissue_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funds.batchitem', verbose_name='重发自')),
                ('instalment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='batch_items', to='funds.instalment')),
            ],
            options={
                'verbose_name': '拨付明细',
                'verbose_name_plural': '拨付明细',
                'ordering': ['batch', 'id'],
            },
        ),
        migrations.CreateModel(
            name='InstalmentSchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('active', '执行中'), ('stopped', '已停发'), ('completed', '已发完')], default='active', max_length=10, verbose_name='状态')),
                ('stop_reason', models.CharField(blank=True, max_length=200, verbose_name='停发原因')),
                ('stopped_on', models.DateField(blank=True, null=True, verbose_name='停发日期')),
                ('line', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='schedule', to='funds.applicationline')),
                ('stopped_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='停发人')),
            ],
            options={
                'verbose_name': '分期计划',
                'verbose_name_plural': '分期计划',
            },
        ),
        migrations.AddField(
            model_name='instalment',
            name='schedule',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='instalments', to='funds.instalmentschedule'),
        ),
        migrations.CreateModel(
            name='LedgerPosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='预算年度')),
                ('kind', models.CharField(choices=[('commitment', '批次审批计提'), ('payment', '银行支付成功'), ('reversal', '支付失败冲回'), ('recovery', '追回')], max_length=12, verbose_name='类型')),
                ('memo', models.CharField(max_length=200, verbose_name='摘要')),
                ('posted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记账时间')),
                ('posted_by_id', models.BigIntegerField(blank=True, null=True, verbose_name='记账人ID')),
                ('batch_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='funds.batchitem')),
                ('fund_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='funds.fundsource')),
            ],
            options={
                'verbose_name': '记账凭证',
                'verbose_name_plural': '记账凭证',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account', models.CharField(choices=[('expense', '补贴支出'), ('payable', '应付待拨'), ('bank', '银行存款')], max_length=10, verbose_name='科目')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='金额')),
                ('fund_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funds.fundsource')),
                ('posting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='funds.ledgerposting')),
            ],
            options={
                'verbose_name': '分录',
                'verbose_name_plural': '分录',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='PaymentBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=24, unique=True, verbose_name='批次号')),
                ('year', models.PositiveSmallIntegerField(verbose_name='预算年度')),
                ('status', models.CharField(choices=[('draft', '待审批'), ('approved', '已审批'), ('exported', '已导出银行文件'), ('settled', '已回盘')], default='draft', max_length=10, verbose_name='状态')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='制单时间')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('exported_at', models.DateTimeField(blank=True, null=True, verbose_name='导出时间')),
                ('settled_at', models.DateTimeField(blank=True, null=True, verbose_name='回盘时间')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='制单人')),
                ('fund_source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='funds.fundsource', verbose_name='资金来源')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction', verbose_name='辖区')),
            ],
            options={
                'verbose_name': '拨付批次',
                'verbose_name_plural': '拨付批次',
                'ordering': ['-id'],
            },
        ),
        migrations.AddField(
            model_name='batchitem',
            name='batch',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='funds.paymentbatch'),
        ),
        migrations.CreateModel(
            name='PaymentKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, verbose_name='支付键')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('released_at', models.DateTimeField(blank=True, null=True, verbose_name='释放时间')),
                ('release_reason', models.CharField(blank=True, max_length=200, verbose_name='释放原因')),
                ('instalment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payment_keys', to='funds.instalment')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction')),
            ],
            options={
                'verbose_name': '支付键',
                'verbose_name_plural': '支付键',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='PublicNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=24, unique=True, verbose_name='公示编号')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('issuing_unit', models.CharField(max_length=120, verbose_name='发布单位')),
                ('published_on', models.DateField(verbose_name='发布日期')),
                ('ends_on', models.DateField(verbose_name='公示截止日')),
                ('status', models.CharField(choices=[('open', '公示中'), ('closed', '公示结束')], default='open', max_length=10, verbose_name='状态')),
                ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='core.jurisdiction', verbose_name='辖区')),
                ('published_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
            ],
            options={
                'verbose_name': '公示',
                'verbose_name_plural': '公示',
                'ordering': ['-published_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Objection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('objector_name', models.CharField(max_length=60, verbose_name='异议人')),
                ('objector_contact', models.CharField(blank=True, max_length=60, verbose_name='联系方式')),
                ('content', models.TextField(verbose_name='异议内容')),
                ('filed_on', models.DateField(verbose_name='提出日期')),
                ('status', models.CharField(choices=[('open', '待处理'), ('upheld', '异议成立'), ('dismissed', '异议不成立')], default='open', max_length=10, verbose_name='状态')),
                ('resolution', models.TextField(blank=True, verbose_name='处理意见')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='funds.applicationline')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='funds.publicnotice')),
            ],
            options={
                'verbose_name': '公示异议',
                'verbose_name_plural': '公示异议',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='applicationline',
            name='notice',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='funds.publicnotice'),
        ),
        migrations.AddConstraint(
            model_name='fundsource',
            constraint=models.UniqueConstraint(fields=('jurisdiction', 'code'), name='fund_source_code_once'),
        ),
        migrations.AddConstraint(
            model_name='fundbudget',
            constraint=models.UniqueConstraint(fields=('fund_source', 'year'), name='fund_budget_once_a_year'),
        ),
        migrations.AddConstraint(
            model_name='fundbudget',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='fund_budget_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='benefitfunding',
            constraint=models.UniqueConstraint(fields=('jurisdiction', 'policy', 'benefit'), name='benefit_funding_once'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('applicant_kind', 'institution'), ('institution__isnull', False)), models.Q(('applicant_kind', 'enterprise'), ('enterprise__isnull', False)), models.Q(('applicant_kind', 'person'), ('person__isnull', False)), _connector='OR'), name='application_has_its_applicant'),
        ),
        migrations.AddConstraint(
            model_name='idempotencykey',
            constraint=models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_once'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.UniqueConstraint(fields=('schedule', 'seq'), name='instalment_seq_once'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='instalment_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='ledgerposting',
            constraint=models.UniqueConstraint(fields=('batch_item', 'kind'), name='posting_kind_once_per_item'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='ledger_entry_not_zero'),
        ),
        migrations.AddConstraint(
            model_name='batchitem',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'sent', 'paid'])), fields=('instalment',), name='batch_item_holds_instalment_once'),
        ),
        migrations.AddConstraint(
            model_name='batchitem',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='batch_item_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='paymentkey',
            constraint=models.UniqueConstraint(condition=models.Q(('released_at__isnull', True)), fields=('jurisdiction', 'key'), name='payment_key_held_once'),
        ),
        migrations.AddConstraint(
            model_name='publicnotice',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('published_on'))), name='notice_has_a_window'),
        ),
        migrations.AddConstraint(
            model_name='applicationline',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='line_amount_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='applicationline',
            constraint=models.UniqueConstraint(fields=('application', 'person'), name='line_person_once_per_application'),
        ),
        migrations.RunPython(ledger_guards, ledger_guards_drop),
    ]
