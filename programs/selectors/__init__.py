"""Reads: every query the pages run is built here, by plain functions named
``<entity>_<action>`` with keyword-only arguments; views call them and never
build queries themselves.

- ``lists``: the querysets behind the list pages, and their stable order;
- ``facets``: counts beside a list's choices, and the region cascade;
- ``details``: a record with what surrounds it, for its page;
- ``search``: the site-wide search and the region suggestions;
- ``home``: the home page's summary.
"""
