"""Everything that knows Discord or wall-clock scheduling: client, tree, scheduler, rendering."""
