"""``record_url`` gives the very text ``reverse()`` gives, for every record's
page, under a script prefix, and refuses what ``reverse()`` refuses."""

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse, set_script_prefix

from programs.links import _template, fixed_context, record_url

pytestmark = pytest.mark.usefixtures("db", "documents")

DETAIL = {
    "Funding": ("programs:funding_detail", "pk"),
    "Outcome": ("programs:outcome_detail", "pk"),
    "Indicator": ("programs:indicator_detail", "slug"),
    "Pairing": ("programs:pairing_detail", "slug"),
    "Program": ("programs:program_detail", "slug"),
    "Region": ("programs:region_detail", "slug"),
    "Source": ("programs:source_detail", "slug"),
    "Workshop": ("programs:workshop_detail", "slug"),
}


@pytest.mark.parametrize("model_name", sorted(DETAIL))
def test_every_records_url_is_the_one_reverse_gives(model_name):
    viewname, field = DETAIL[model_name]
    records = list(apps.get_model("programs", model_name).objects.all())
    assert records
    for record in records:
        value = getattr(record, field)
        assert record.get_absolute_url() == record_url(viewname, **{field: value})
        assert record_url(viewname, **{field: value}) == reverse(viewname, kwargs={field: value})


def test_a_script_prefix_is_kept():
    set_script_prefix("/casebook/")
    try:
        assert record_url("programs:region_detail", slug="lueyang") == "/casebook/regions/lueyang/"
        assert record_url("programs:funding_detail", pk=12) == "/casebook/funding/12/"
    finally:
        set_script_prefix("/")
    assert record_url("programs:region_detail", slug="lueyang") == "/regions/lueyang/"


@pytest.mark.parametrize(
    ("viewname", "kwargs"),
    [
        ("programs:region_detail", {"slug": "略阳"}),
        ("programs:region_detail", {"slug": "a b"}),
        ("programs:region_detail", {"slug": ""}),
        ("programs:funding_detail", {"pk": "x"}),
        ("programs:funding_detail", {"slug": "lueyang"}),
    ],
)
def test_what_reverse_refuses_is_refused(viewname, kwargs):
    with pytest.raises(NoReverseMatch):
        reverse(viewname, kwargs=kwargs)
    with pytest.raises(NoReverseMatch):
        record_url(viewname, **kwargs)


def test_a_name_reverse_does_not_know_is_refused():
    with pytest.raises(NoReverseMatch):
        record_url("programs:nowhere", slug="x")


def test_a_fixed_context_holds_the_prefix_it_was_entered_with_and_no_longer():
    _template.cache_clear()  # nothing reversed earlier under these prefixes
    set_script_prefix("/casebook/")
    try:
        with fixed_context():
            set_script_prefix("/elsewhere/")  # not seen inside: the context was fixed on entry
            assert record_url("programs:region_detail", slug="lueyang") == "/casebook/regions/lueyang/"
            with fixed_context():  # a nested block fixes the prefix of its own entry
                assert record_url("programs:region_detail", slug="lueyang") == "/elsewhere/regions/lueyang/"
            assert record_url("programs:region_detail", slug="lueyang") == "/casebook/regions/lueyang/"
        assert record_url("programs:region_detail", slug="lueyang") == "/elsewhere/regions/lueyang/"
    finally:
        set_script_prefix("/")
    assert record_url("programs:region_detail", slug="lueyang") == "/regions/lueyang/"
