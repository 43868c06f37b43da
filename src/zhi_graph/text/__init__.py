"""Text utilities: compiled patterns, offset-preserving normalisation, comparison keys."""
