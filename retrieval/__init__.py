"""Retrieval pipeline: ingest -> clean -> chunk -> embed -> store -> search -> answer."""
