"""Graph: one named graph per document (and per link unit) with stable IRIs, checked against the SHACL shapes."""
