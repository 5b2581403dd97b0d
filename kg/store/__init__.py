"""Store: where the named graphs live, and the word index beside them.

Embedded Oxigraph generations, an in-memory dataset, or a SPARQL 1.1 server.
"""
