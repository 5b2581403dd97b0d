"""Link: connect statements of different publications about the same matter, ordered by their place in time."""
