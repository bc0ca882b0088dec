"""citebot: answers questions from a document collection with cited, verbatim passages."""

__version__ = "0.1.0"
