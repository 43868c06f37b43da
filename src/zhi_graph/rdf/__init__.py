"""ExtractionResult -> RDF, under the zhi: vocabulary."""
