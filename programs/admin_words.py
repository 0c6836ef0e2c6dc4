"""Words of Django's own admin templates that its Simplified Chinese catalogue does
not translate yet (Django 5.2's app list headings, read aloud by screen readers):
marked here so that ``makemessages`` puts them in the casebook's catalogue, which
Django reads before its own."""

from django.utils.translation import gettext_noop

ADMIN_WORDS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
