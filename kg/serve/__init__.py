"""Serve: the site, a read-only SPARQL 1.1 endpoint and its query workers."""
