"""Django admin writes go through the services (audited); nothing can be deleted."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.catalog.models import Occupation
from gongjiang.core.models import AuditEvent


def test_admin_add_occupation_goes_through_the_service(admin_client):
    # when
    response = admin_client.post(
        reverse("admin:catalog_occupation_add"),
        {"name": "碳汇计量评估师", "is_green": "on", "is_active": "on"},
    )
    # then
    assert response.status_code == 302
    occupation = Occupation.objects.get(name="碳汇计量评估师")
    assert AuditEvent.objects.filter(
        object_type="catalog.occupation", object_id=str(occupation.pk), event_type="occupation_created"
    ).exists()


def test_admin_cannot_delete_or_add_reference_rows(admin_client, loaded):
    # given
    occupation = Occupation.objects.first()
    # when
    delete = admin_client.get(reverse("admin:catalog_occupation_delete", args=[occupation.pk]))
    skill_add = admin_client.get(reverse("admin:catalog_skilllevel_add"))
    # then
    assert delete.status_code == 403
    assert skill_add.status_code == 403
