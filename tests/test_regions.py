"""The region tree: a materialised path makes “everything below” one query."""

import pytest

from programs.models import Region, Workshop
from tests.factories import RegionFactory, WorkshopFactory, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    guangxi, chongzuo, tiandeng, jinjie = region_tree(
        ("guangxi", "province"), ("chongzuo", "prefecture"), ("tiandeng", "county"), ("jinjie", "township")
    )
    baise = RegionFactory(slug="baise", level="prefecture", parent=guangxi)
    leye = RegionFactory(slug="leye", level="county", parent=baise)
    shaanxi = RegionFactory(slug="shaanxi", level="province", parent=guangxi.parent)
    lueyang = RegionFactory(slug="lueyang", level="county", parent=shaanxi)
    return {r.slug: r for r in (guangxi, chongzuo, tiandeng, jinjie, baise, leye, shaanxi, lueyang)}


def test_path_lists_the_slugs_from_the_root(tree):
    assert tree["jinjie"].path == "china/guangxi/chongzuo/tiandeng/jinjie/"


def test_descendants_are_exactly_the_subtree_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        slugs = sorted(Region.objects.descendants_of(tree["guangxi"]).values_list("slug", flat=True))
    assert slugs == ["baise", "chongzuo", "guangxi", "jinjie", "leye", "tiandeng"]


def test_descendants_can_leave_out_the_region_itself(tree):
    slugs = sorted(Region.objects.descendants_of(tree["chongzuo"], include_self=False).values_list("slug", flat=True))
    assert slugs == ["jinjie", "tiandeng"]


def test_a_slug_that_prefixes_another_does_not_leak_into_the_subtree(tree):
    # "china/guangxi/" must not match a sibling whose slug starts with "guangxi".
    RegionFactory(slug="guangxi-extra", level="province", parent=tree["guangxi"].parent)
    slugs = sorted(Region.objects.descendants_of(tree["guangxi"]).values_list("slug", flat=True))
    assert "guangxi-extra" not in slugs
    assert len(slugs) == 6


def test_workshops_within_a_region_are_found_with_one_query(tree, django_assert_num_queries):
    WorkshopFactory(slug="in-jinjie", region=tree["jinjie"])
    WorkshopFactory(slug="in-leye", region=tree["leye"])
    WorkshopFactory(slug="in-lueyang", region=tree["lueyang"])
    with django_assert_num_queries(1):
        slugs = sorted(
            Workshop.objects.filter(region__path__startswith=tree["guangxi"].path).values_list("slug", flat=True)
        )
    assert slugs == ["in-jinjie", "in-leye"]


def test_ancestors_come_coarsest_first(tree):
    names = list(Region.objects.ancestors_of(tree["jinjie"]).values_list("slug", flat=True))
    assert names == ["china", "guangxi", "chongzuo", "tiandeng"]


def test_moving_a_region_rewrites_the_paths_of_its_subtree(tree):
    chongzuo = tree["chongzuo"]
    chongzuo.parent = tree["shaanxi"]
    chongzuo.save()
    paths = dict(Region.objects.filter(slug__in=["chongzuo", "tiandeng", "jinjie"]).values_list("slug", "path"))
    assert paths == {
        "chongzuo": "china/shaanxi/chongzuo/",
        "tiandeng": "china/shaanxi/chongzuo/tiandeng/",
        "jinjie": "china/shaanxi/chongzuo/tiandeng/jinjie/",
    }


def test_renaming_a_slug_rewrites_the_paths_below_it(tree):
    guangxi = tree["guangxi"]
    guangxi.slug = "gx"
    guangxi.save()
    assert Region.objects.get(slug="jinjie").path == "china/gx/chongzuo/tiandeng/jinjie/"
    assert Region.objects.get(slug="lueyang").path == "china/shaanxi/lueyang/"
