"""The analysts' pages."""

import pytest
from django.urls import reverse

from tests.factories import FundingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_home_page_counts_the_records(client):
    WorkshopFactory.create_batch(2)
    FundingFactory()
    response = client.get(reverse("programs:home"))
    assert response.status_code == 200
    assert dict(response.context["counts"])["workshops"] == 2
    assert dict(response.context["counts"])["funding"] == 1
