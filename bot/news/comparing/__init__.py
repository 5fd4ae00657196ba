"""Comparing a story's articles: shared and unique points, numbers that agree or disagree."""
