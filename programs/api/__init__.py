"""The casebook's REST API (``/api/v1/``): the list pages' rows, filters, search, sorts
and facets as JSON, each record with its citations, under an OpenAPI description.
Anyone may read; editors write with a token, under exactly their admin permissions."""
