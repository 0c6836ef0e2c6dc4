"""Who may do what in the admin, as a matrix: every registered model (auth's
User and Group and django-axes' logs included, and any model registered later)
× every kind of admin URL the model's admin has × five kinds of user. Each cell
asserts its exact status code and what the request did to the database: after
a refused write the record, its history and the number of records are as they
were; an allowed write did exactly what it should.

The users, one record per model and the form data each write posts are built
once for the module, inside a transaction rolled back at its end; each cell
runs in a savepoint within it, so a write one cell makes is gone for the next.
"""

import itertools
import os
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from programs.admin import ByteExactTempStorage, SpreadsheetSafeCSV
from programs.services import EDITORS
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "nonstaff", "viewer", "editor", "superuser")
PASSWORD = "correct horse battery staple"

# Each kind of admin URL: the method, the permissions it needs and its status when they are granted.
KINDS = {
    "changelist": ("get", {"view"}, 200),
    "add_get": ("get", {"add"}, 200),
    "add_post": ("post", {"add"}, 302),
    "change_get": ("get", {"view"}, 200),
    "change_post": ("post", {"change"}, 302),
    "delete_get": ("get", {"delete"}, 200),
    "delete_post": ("post", {"delete"}, 302),
    "history": ("get", {"view"}, 200),
    "bulk_delete": ("post", {"delete"}, 302),
    "revert_get": ("get", {"change"}, 200),
    "revert_post": ("post", {"change"}, 302),
    "import_get": ("get", {"add", "change"}, 200),
    "import_post": ("post", {"add", "change"}, 200),
    "process_import": ("post", {"add", "change"}, 302),
    "export_get": ("get", {"view"}, 200),
    "export_post": ("post", {"view"}, 200),
}
# What an allowed request does to the database; every refused one does nothing.
EFFECTS = {
    "add_post": "adds",
    "change_post": "changes",
    "delete_post": "deletes",
    "bulk_delete": "deletes",
    "revert_post": "changes",
    "process_import": "changes and adds",
}
# Admins that offer less to anyone, superusers included: django-axes' logs of
# sign-ins can be read and deleted, never added, and no field can be edited.
READ_ONLY = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
NUMBERS = itertools.count()
ACCESS = {"user_agent": "pytest", "ip_address": "10.0.0.9", "username": "someone", "http_accept": "*/*"}
# Models tests/factories.py has no factory for.
BUILDERS = {
    "auth.group": lambda: Group.objects.create(name=f"Group {next(NUMBERS)}"),
    "axes.accessattempt": lambda: admin_model("axes.accessattempt").objects.create(
        **ACCESS, path_info="/admin/login/", get_data="", post_data="", failures_since_start=1
    ),
    "axes.accesslog": lambda: admin_model("axes.accesslog").objects.create(**ACCESS, path_info="/admin/login/"),
    "axes.accessfailurelog": lambda: admin_model("axes.accessfailurelog").objects.create(
        **ACCESS, path_info="/admin/login/"
    ),
}
# Add forms that ask for more than the change form shows.
EXTRA_ADD_DATA = {"auth.user": {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}}


def admin_model(label):
    return next(model for model in admin.site._registry if model._meta.label_lower == label)


def applies(kind, model_admin) -> bool:
    if kind.startswith("revert"):
        return isinstance(model_admin, SimpleHistoryAdmin)
    if "import" in kind:
        return isinstance(model_admin, ImportMixin)
    if kind.startswith("export"):
        return isinstance(model_admin, ExportMixin)
    return True


def granted(role, model) -> set:
    """The permissions each kind of user holds: programs/services/groups.py gives
    editors view, add and change on the casebook's models, viewers view only."""
    if role == "superuser":
        return {"view", "change", "delete"} | ({"add"} if model._meta.label_lower not in READ_ONLY else set())
    if model._meta.app_label != "programs":
        return set()
    return {"viewer": {"view"}, "editor": {"view", "add", "change"}}[role]


def expected(role, model, kind, changeable) -> tuple[int, str]:
    """The status code and the effect on the database of one cell."""
    _, needs, status = KINDS[kind]
    if role in ("anonymous", "nonstaff"):
        return 302, "nothing"  # to the login page
    held = granted(role, model)
    if not needs <= held:
        # Without delete permission the changelist offers no delete action: it is shown again.
        return (200 if kind == "bulk_delete" and "view" in held else 403), "nothing"
    if kind == "change_post" and not changeable:
        return status, "nothing"  # a read-only admin saves no field
    return status, EFFECTS.get(kind, "nothing")


def cells():
    return list(each_cell())


def each_cell():
    for model, model_admin in admin.site._registry.items():
        for kind in KINDS:
            if applies(kind, model_admin):
                for role in ROLES:
                    yield pytest.param(model, kind, role, id=f"{model._meta.label_lower}-{kind}-{role}")


class FormData(HTMLParser):
    """What a browser posts from an admin page's change form (its id ends in
    "_form"): filled inputs, checked boxes, selected options (the first when
    none is) and textareas."""

    def __init__(self):
        super().__init__()
        self.inside, self.data = False, defaultdict(list)
        self.select, self.options, self.textarea = None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("id") or "").endswith("_form")
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.data[attrs["name"]].append(attrs.get("value") or ("on" if "checked" in attrs else ""))
        elif tag == "select":
            self.select, self.options = (attrs["name"], "multiple" in attrs), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            (name, multiple), chosen = self.select, [value for value, selected in self.options if selected]
            self.data[name].extend(chosen or ([] if multiple or not self.options else [self.options[0][0]]))
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea
            self.data[name].append("".join(text).removeprefix("\n"))
            self.textarea = None


def posted_form(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormData()
    parser.feed(response.content.decode())
    return dict(parser.data)


def changeable_field(model, data):
    """The first plain text field the form shows: the one every write changes."""
    for field in model._meta.concrete_fields:
        plain = isinstance(field, models.CharField | models.TextField) and not isinstance(field, models.SlugField)
        if plain and not field.choices and field.name in data:
            return field.name
    return None


def changed(data, field):
    return {**data, field: [data[field][0] + "-changed"]} if field else data


def build(model):
    label = model._meta.label_lower
    factory = BUILDERS.get(label) or getattr(factories, f"{model.__name__}Factory", None)
    if factory is None:
        pytest.fail(f"No way to build a {label}: add {model.__name__}Factory to tests/factories.py")
    return factory()


def world_for(model, superuser_client) -> dict:
    """One record of the model, and the form data posted to add, change and revert one."""
    label, info = model._meta.label_lower, f"admin:{model._meta.app_label}_{model._meta.model_name}"
    template = build(model)
    add = posted_form(superuser_client, reverse(f"{info}_change", args=[template.pk]))
    template.delete()  # the add form posts the values of a record that no longer exists
    record = build(model)
    data = posted_form(superuser_client, reverse(f"{info}_change", args=[record.pk]))
    field = changeable_field(model, data)
    world = {"record": record.pk, "field": field, "change": changed(data, field)}
    world["add"] = {**add, **EXTRA_ADD_DATA.get(label, {})}
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        world["version"] = record.history.earliest().history_id
        revert_url = reverse(f"{info}_simple_history", args=[record.pk, world["version"]])
        world["revert"] = changed(posted_form(superuser_client, revert_url), field)
    return world


def client_as(role, sessions) -> Client:
    """A client signed in as the role's user (signed in once, for the whole module)."""
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            "nonstaff": UserFactory(username="nonstaff", is_staff=False, groups=[EDITORS]),
            "viewer": UserFactory(username="viewer", groups=["Viewers"]),
            "editor": UserFactory(username="editor", groups=[EDITORS]),
            "superuser": UserFactory(username="superuser", is_superuser=True),
        }
        sessions = {}
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.session.session_key
        superuser_client = client_as("superuser", sessions)
        yield {"sessions": sessions, **{model: world_for(model, superuser_client) for model in admin.site._registry}}
        transaction.set_rollback(True)


def url_of(kind, model, world) -> str:
    info, pk = f"admin:{model._meta.app_label}_{model._meta.model_name}", world[model]["record"]
    if kind.startswith("revert"):
        return reverse(f"{info}_simple_history", args=[pk, world[model]["version"]])
    name = kind.removesuffix("_get").removesuffix("_post").replace("bulk_delete", "changelist")
    return reverse(f"{info}_{name}", args=[pk] if name in ("change", "delete", "history") else [])


def import_file(model, world, *, copy: bool) -> str:
    """The record as the admin exports it, with its text field changed and, if
    asked, a copy under a new natural key: an import that updates one record and adds one."""
    resource_class = admin.site._registry[model].resource_classes[0]
    dataset = resource_class().export(queryset=model.objects.filter(pk=world[model]["record"]))
    field = world[model]["field"]
    changed_row = [
        f"{value}-changed" if header == field else value
        for header, value in zip(dataset.headers, dataset[0], strict=True)
    ]
    rows = [changed_row]
    if copy:
        keys = [name for name in resource_class._meta.import_id_fields if not model._meta.get_field(name).is_relation]
        rows.append(
            [
                f"{value}-copy" if header in (*keys, field) else value
                for header, value in zip(dataset.headers, changed_row, strict=True)
            ]
        )
    return SpreadsheetSafeCSV().export_data(type(dataset)(*rows, headers=dataset.headers))


def upload_data(model, world) -> dict:
    text = import_file(model, world, copy=True)
    return {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("rows.csv", text.encode())}


def request_data(kind, model, world, superuser_client) -> dict:
    """What each kind of request posts: always something that would change the
    database if it got through. The confirm step posts a file a superuser has
    just previewed."""
    pk = world[model]["record"]
    if kind in ("add_post", "change_post", "revert_post"):
        return world[model][kind.removesuffix("_post")]
    if kind in ("import_post", "process_import"):
        data = upload_data(model, world)
        if kind == "import_post":
            return data
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
        return superuser_client.post(url, data).context["confirm_form"].initial
    if kind == "export_post":
        resource = admin.site._registry[model].resource_classes[0]
        columns = {
            SelectableFieldsExportForm.create_boolean_field_name(resource, name): "on" for name in resource.fields
        }
        return {"format": "0", "resource": "0", **columns}
    return {
        "delete_post": {"post": "yes"},
        "bulk_delete": {"action": "delete_selected", "_selected_action": [str(pk)], "post": "yes"},
    }.get(kind, {})


def forget_upload(data, response):
    """A previewed file stays in the temporary folder until it is imported."""
    context = response.context or {}
    names = [
        data.get("import_file_name"),
        context.get("confirm_form") and context["confirm_form"].initial["import_file_name"],
    ]
    for name in names:
        if name and os.path.exists(ByteExactTempStorage(name=name).get_full_path()):
            ByteExactTempStorage(name=name).remove()


def snapshot(model, pk) -> dict:
    record = model._default_manager.filter(pk=pk).first()
    row = None
    if record is not None:
        row = {field.attname: getattr(record, field.attname) for field in model._meta.concrete_fields}
        row |= {
            field.name: sorted(getattr(record, field.name).values_list("pk", flat=True))
            for field in model._meta.many_to_many
        }
    history = model.history.filter(**{model._meta.pk.attname: pk}).count() if hasattr(model, "history") else None
    return {"row": row, "history": history, "count": model._default_manager.count()}


def observed_effect(before, after) -> str:
    if after["row"] is None:
        return "deletes"
    added = " and adds" if after["count"] > before["count"] else ""
    if after["row"] != before["row"]:
        return "changes" + added
    return added.removeprefix(" and ") or ("nothing" if after == before else "writes history only")


def inline_scripts(response) -> list[str]:
    """What the Content-Security-Policy (script-src 'self') would block:
    event-handler attributes and scripts without src."""
    page = response.content.decode()
    return re.findall(r"\son[a-z]+\s*=", page) + re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page)


@pytest.mark.parametrize(("model", "kind", "role"), cells())
def test_permission_matrix(world, model, kind, role):
    client = client_as(role, world["sessions"])
    method, url = KINDS[kind][0], url_of(kind, model, world)
    data = request_data(kind, model, world, client_as("superuser", world["sessions"])) if method == "post" else {}
    before = snapshot(model, world[model]["record"])
    response = getattr(client, method)(url, data)
    after = snapshot(model, world[model]["record"])
    forget_upload(data, response)
    status, effect = expected(role, model, kind, world[model]["field"])
    assert response.status_code == status
    if role in ("anonymous", "nonstaff"):
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    assert observed_effect(before, after) == effect
    if response["Content-Type"].startswith("text/html"):
        assert inline_scripts(response) == []
    if status == 200 and kind == "import_post":
        assert [row.import_type for row in response.context["result"].rows] == ["update", "new"]
    if status == 200 and kind == "export_post":
        header = ",".join(admin.site._registry[model].resource_classes[0]._meta.fields)
        assert (response["Content-Type"], response.content.decode().splitlines()[0]) == ("text/csv", header)


@pytest.mark.parametrize(
    ("permissions", "status"),
    [(["add_funding"], 403), (["change_funding"], 403), (["add_funding", "change_funding"], 200)],
)
def test_import_needs_both_add_and_change_permission(client, permissions, status):
    user = UserFactory(username="importer")
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_funding", *permissions]))
    client.force_login(user)
    assert client.get(reverse("admin:programs_funding_import")).status_code == status
    assert client.post(reverse("admin:programs_funding_process_import"), {}).status_code == status


def test_the_changelist_offers_import_and_export_only_to_those_allowed(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("admin:programs_funding_changelist"))
    assert (response.context["has_import_permission"], response.context["has_export_permission"]) == (False, True)
