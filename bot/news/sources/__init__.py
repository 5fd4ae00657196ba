"""Where articles come from: the drop folder and feeds (read and parse only)."""
