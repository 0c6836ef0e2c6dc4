"""Settings split by purpose: ``base`` holds what every environment shares,
``local`` is for development, ``test`` for the test suite and ``production``
for a deployed casebook. ``DJANGO_SETTINGS_MODULE`` picks one."""
