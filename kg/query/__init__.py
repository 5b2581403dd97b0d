"""Query: named SPARQL questions, look-ups and walks over the stored graph, bounded, returning typed records."""
