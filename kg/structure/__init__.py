"""Structure: cut a document's text into sections and blocks, each with its character offsets."""
