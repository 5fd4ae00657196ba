"""The news engine: ingestion, cleaning, clustering, quotes, comparison, digests. No Discord here."""
