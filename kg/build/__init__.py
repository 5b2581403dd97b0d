"""Build: compose the stages over a corpus.

Plan what changed, extract (in parallel, from the cache), make graphs, link, validate, publish.
"""
