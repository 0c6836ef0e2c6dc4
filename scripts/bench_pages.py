"""The pages scripts/bench times: for each, the casebook's URL at national
scale and its equivalent on Datasette (same filter, sort, page size and
facets) or on the casebook with the documents' data alone."""

from dataclasses import dataclass
from urllib.parse import urlencode

PER_PAGE = 100
DS = "/national/"

# Targets (the "done when"), by kind of page.
TARGETS = {
    "list": ("datasette", 0.8),
    "q": ("datasette", 0.5),
    "detail": ("documents", 3.0),
    "admin": ("documents", 3.0),
    "deep": ("first page", 1.5),
    # The API against the HTML page with the same query, on the same server; a cursor deep
    # in a list against the API's own first page.
    "api": ("html", 1.0),
    "api-deep": ("api first page", 1.5),
}


@dataclass
class Page:
    name: str
    kind: str
    urls: dict[str, str]


def casebook(path: str, **params) -> str:
    return f"{path}?{urlencode({**params, 'per_page': PER_PAGE})}"


def datasette(table: str, *facets: str, where: str = "", **params) -> str:
    query = [("_size", PER_PAGE), *(("_facet", facet) for facet in facets), *params.items()]
    if where:
        query.append(("_where", where))
    return f"{DS}programs_{table}?{urlencode(query)}"


def below(column: str, path: str) -> str:
    """Datasette's equivalent of the casebook's "in this region or below it"."""
    return f"{column} in (select id from programs_region where path like '{path}%')"


# Each list page's facets on Datasette: the casebook's facets, foreign keys by id.
FACETS = {
    "source": ("kind",),
    "region": ("level", "belt"),
    "program": (),
    "pairing": ("level", "framework"),
    "workshop": ("kind", "status", "ownership"),
    "funding": ("kind", "qualifier", "source_id"),
    "outcome": ("indicator_id", "perspective", "qualifier", "source_id"),
    "supportmeasure": ("kind", "beneficiary", "source_id"),
}
LIST_PATHS = {
    "source": "/sources/",
    "region": "/regions/",
    "program": "/programs/",
    "pairing": "/pairings/",
    "workshop": "/workshops/",
    "funding": "/funding/",
    "outcome": "/outcomes/",
    "supportmeasure": "/support-measures/",
}
YEARS = "(year_end >= 2015 or (year_end is null and year_start is not null)) and coalesce(year_start, year_end) <= 2019"


def list_pages(national: dict) -> list[Page]:
    result = [
        Page(
            f"{table} list, unfiltered",
            "list",
            {"casebook": casebook(path), "datasette": datasette(table, *FACETS[table], **_m2m(table))},
        )
        for table, path in LIST_PATHS.items()
    ]
    province, county = national["province_path"], national["county_path"]
    filtered = [
        ("source", {"kind": "official_release"}, {"kind": "official_release"}),
        (
            "region",
            {"level": "county", "belt": "west", "sort": "name_en"},
            {"level": "county", "belt": "west", "_sort": "name_en"},
        ),
        (
            "program",
            {"region": national["province"], "sort": "name"},
            {
                "_sort": "name",
                "where": "id in (select program_id from programs_program_regions where "
                + below("region_id", province)
                + ")",
            },
        ),
        ("pairing", {"level": "county", "sort": "-start_year"}, {"level": "county", "_sort_desc": "start_year"}),
        (
            "workshop",
            {"region": national["province"], "status": "ceased", "sort": "-opening_year"},
            {"status": "ceased", "_sort_desc": "opening_year", "where": below("region_id", province)},
        ),
        (
            "funding",
            {"recipient": national["county"], "year__gte": 2015, "year__lte": 2019, "sort": "-amount"},
            {"_sort_desc": "amount", "where": f"{below('recipient_region_id', county)} and {YEARS}"},
        ),
        ("funding", {"kind": "enterprise_investment"}, {"kind": "enterprise_investment"}),
        (
            "outcome",
            {"indicator": "poverty-incidence", "region": national["province"], "sort": "-value"},
            {
                "_sort_desc": "value",
                "where": _outcome_region(province)
                + " and indicator_id = (select id from programs_indicator where slug = 'poverty-incidence')",
            },
        ),
        ("supportmeasure", {"kind": "training", "sort": "-value"}, {"kind": "training", "_sort_desc": "value"}),
    ]
    for table, ours, theirs in filtered:
        label = ", ".join(f"{k}={v}" for k, v in ours.items())
        result.append(
            Page(
                f"{table} list, {label}",
                "list",
                {
                    "casebook": casebook(LIST_PATHS[table], **ours),
                    "datasette": datasette(table, *FACETS[table], **theirs),
                },
            )
        )
    return result


def _m2m(table: str) -> dict:
    return {"_facet_m2m": "programs_approach"} if table == "program" else {}


def _outcome_region(path: str) -> str:
    return (
        f"({below('region_id', path)} or workshop_id in (select id from programs_workshop where "
        f"{below('region_id', path)}) or program_id in (select program_id from programs_program_regions "
        f"where {below('region_id', path)}))"
    )


def deep_pages(national: dict) -> list[Page]:
    before = national["next_before"]
    last = national["last_page"]
    return [
        Page("funding, page 1", "list", {"casebook": casebook("/funding/"), "datasette": datasette("funding")}),
        Page(
            "funding, page 500",
            "deep",
            {"casebook": casebook("/funding/", page=500), "datasette": datasette("funding", _next=before["500"])},
        ),
        Page(
            f"funding, last page ({last})",
            "deep",
            {"casebook": casebook("/funding/", page=last), "datasette": datasette("funding", _next=before[str(last)])},
        ),
    ]


def search_pages(national: dict) -> list[Page]:
    """``q`` of one word on a list, and of two: a word of the record and the place it
    lies in (the casebook's text carries its regions' names; Datasette is given the
    word and the province's subtree as SQL)."""
    province = national["province_path"]
    two_words = [
        Page(
            f"q on {table}: {words}",
            "q",
            {
                "casebook": casebook(LIST_PATHS[table], q=words),
                "datasette": datasette(
                    table,
                    *FACETS[table],
                    where=f"{region} in (select id from programs_region where path like '{province}%')",
                    **{f"{column}__contains": word},
                ),
            },
        )
        for table, column, word, region, words in (
            ("workshop", "name_zh", "服装", "region_id", "服装 广西"),
            ("funding", "purpose", "training", "recipient_region_id", "training Guangxi"),
        )
    ]
    one_word = [
        Page(
            f"q on {table}: {word}",
            "q",
            {
                "casebook": casebook(LIST_PATHS[table], q=word),
                "datasette": datasette(table, *FACETS[table], **{f"{column}__contains": word}),
            },
        )
        for table, column, word in (
            ("workshop", "name_zh", "服装"),
            ("workshop", "industry", "garments"),
            ("funding", "purpose", "车间"),
            ("funding", "purpose", "training"),
        )
    ]
    return one_word + two_words


def detail_pages(national: dict, documents: dict) -> list[Page]:
    return [
        Page("home page", "detail", {"casebook": "/", "documents": "/"}),
        Page("search page: 服装", "detail", {"casebook": "/search/?q=服装", "documents": "/search/?q=服装"}),
        Page("search page: Lueyang", "detail", {"casebook": "/search/?q=Lueyang", "documents": "/search/?q=Lueyang"}),
        Page(
            "region page: a province",
            "detail",
            {"casebook": f"/regions/{national['province']}/", "documents": f"/regions/{documents['province']}/"},
        ),
        Page(
            f"pairing page ({national['pairing_funding']:,} funding records)",
            "detail",
            {"casebook": f"/pairings/{national['pairing']}/", "documents": f"/pairings/{documents['pairing']}/"},
        ),
        Page(
            "program page",
            "detail",
            {"casebook": f"/programs/{national['program']}/", "documents": f"/programs/{documents['program']}/"},
        ),
        Page(
            "workshop page",
            "detail",
            {"casebook": f"/workshops/{national['workshop']}/", "documents": f"/workshops/{documents['workshop']}/"},
        ),
    ]


def admin_pages(national: dict, documents: dict) -> list[Page]:
    pages = []
    for model, key in (("funding", "funding_id"), ("outcome", "outcome_id")):
        base = f"/admin/programs/{model}/"
        pages += [
            Page(f"admin: {model} list", "admin", {"casebook": base, "documents": base}),
            Page(
                f"admin: {model} list, filtered",
                "admin",
                {"casebook": f"{base}?qualifier__exact=more_than", "documents": f"{base}?qualifier__exact=more_than"},
            ),
            Page(
                f"admin: {model} change form",
                "admin",
                {"casebook": f"{base}{national[key]}/change/", "documents": f"{base}{documents[key]}/change/"},
            ),
        ]
    return pages


def api(endpoint: str, **params) -> str:
    return f"/api/v1/{endpoint}/?{urlencode({**params, 'page_size': PER_PAGE})}"


API_ENDPOINTS = {"funding": "funding", "workshop": "workshops", "outcome": "outcomes", "region": "regions"}


def api_pages(national: dict) -> list[Page]:
    """Filtered API lists against their HTML pages, and rows deep in funding by cursor."""
    province = national["province"]
    same_query = [
        ("funding", {"kind": "enterprise_investment"}),
        ("workshop", {"region": province, "status": "ceased", "sort": "-opening_year"}),
        ("outcome", {"indicator": "poverty-incidence", "region": province, "sort": "-value"}),
        ("funding", {"q": "training Guangxi"}),
        ("region", {"level": "county", "belt": "west", "sort": "name_en"}),
    ]
    result = [
        Page(
            "api: funding, first page",
            "api",
            {"casebook": api("funding"), "html": casebook("/funding/")},
        )
    ]
    for table, params in same_query:
        label = ", ".join(f"{k}={v}" for k, v in params.items())
        result.append(
            Page(
                f"api: {table} list, {label}",
                "api",
                {"casebook": api(API_ENDPOINTS[table], **params), "html": casebook(LIST_PATHS[table], **params)},
            )
        )
    for name, cursor in national["api_cursors"].items():
        result.append(
            Page(
                f"api: funding, {name} row by cursor" if name != "last" else "api: funding, last page by cursor",
                "api-deep",
                {"casebook": api("funding", cursor=cursor)},
            )
        )
    return result


def pages(national: dict, documents: dict) -> list[Page]:
    return [
        *list_pages(national),
        *api_pages(national),
        *deep_pages(national),
        *search_pages(national),
        *detail_pages(national, documents),
        *admin_pages(national, documents),
    ]


# What scripts/bench --throughput requests, in turn: lists, records, search.
THROUGHPUT_MIX = (
    "/workshops/",
    "/workshops/?region=lueyang&status=ceased",
    "/funding/?region=guangxi&sort=-amount",
    "/outcomes/?indicator=poverty-incidence",
    "/outcomes/?per_page=100&sort=-value",
    "/programs/",
    "/pairings/",
    "/regions/?level=county",
    "/support-measures/?kind=rent_waiver",
    "/sources/",
    "/",
    "/regions/lueyang/",
    "/regions/guangxi/",
    "/pairings/guangdong-guangxi/",
    "/pairings/xiamen-linxia/",
    "/programs/jinjie-factory-district/",
    "/sources/sixthtone-lueyang-2020/",
    "/indicators/poverty-incidence/",
    "/search/?q=workshop",
    "/search/?q=略阳",
)
