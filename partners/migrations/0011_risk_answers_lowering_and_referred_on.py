"""Risk answers yes / no / "not asked", a record of each lowering, and the day she was passed to
partner support.

Existing risk assessments stored only the numbers ticked "yes". A box left unticked could mean
"asked, and she said no" or "never asked"; the old form could not tell them apart. Each ticked
box becomes "yes" and each unticked one becomes "not asked", never "no": a "no" would state
that she was asked and answered, evidence of lower risk nobody collected. "Not asked" keeps every
stored score and level as it was (the score counts the yeses) and shows on her page that the
answer is not known, so a worker can ask it at the next assessment.

Existing partners get ``referred_on`` (where "time to first contact" starts) from his referrals:
the latest referral received on or before the day she was recorded, that is, the referral that
brought her to the service; if none is that early, his earliest referral; if he has none, the
day she was recorded. The rule never starts the clock later than it could have started, so no
partner who has waited drops off the awaiting-contact list by this migration.
"""

import django.db.models.deletion
import django.utils.timezone
import dvpp.crypto
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    RiskAssessment = apps.get_model("partners", "RiskAssessment")
    RiskItem = apps.get_model("partners", "RiskItem")
    Partner = apps.get_model("partners", "Partner")
    Referral = apps.get_model("participants", "Referral")
    numbers = {}
    for checklist_id, number in RiskItem.objects.values_list("checklist_id", "number"):
        numbers.setdefault(checklist_id, []).append(number)
    for assessment in RiskAssessment.objects.all().iterator():
        yes = set(assessment.yes_items)
        assessment.answers = {
            str(n): "yes" if n in yes else "not_asked"
            for n in sorted(numbers.get(assessment.checklist_id, []))
        }
        assessment.save(update_fields=["answers"])
    received = {}
    for participant_id, day in Referral.objects.order_by("received_on").values_list(
        "participant_id", "received_on"
    ):
        received.setdefault(participant_id, []).append(day)
    for partner in Partner.objects.all().iterator():
        recorded = timezone.localtime(partner.created_at).date()
        days = received.get(partner.participant_id, [])
        before = [day for day in days if day <= recorded]
        partner.referred_on = before[-1] if before else (days[0] if days else recorded)
        partner.save(update_fields=["referred_on"])


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0010_rebuild_search_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='partner',
            name='referred_on',
            field=models.DateField(null=True, help_text='The day partner support received her details: time to first contact counts from it.', verbose_name='passed to partner support on'),
        ),
        migrations.AddField(
            model_name='riskassessment',
            name='answers',
            field=models.JSONField(default=dict, verbose_name='answers'),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='risk_level_after',
            field=models.CharField(blank=True, choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], max_length=8, verbose_name='risk level after'),
        ),
        migrations.CreateModel(
            name='RiskLowering',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_level', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], max_length=8, verbose_name='from')),
                ('to_level', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], max_length=8, verbose_name='to')),
                ('reason', dvpp.crypto.EncryptedTextField(verbose_name='why her risk is lower')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('assessment', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='lowering', to='partners.riskassessment')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('checkin', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='lowering', to='partners.checkin')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lowerings', to='partners.partner')),
            ],
            options={
                'verbose_name': 'risk level lowered',
                'verbose_name_plural': 'risk levels lowered',
                'ordering': ['-at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('assessment__isnull', False), ('checkin__isnull', False), _connector='OR'), name='risk_lowering_has_a_source')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
