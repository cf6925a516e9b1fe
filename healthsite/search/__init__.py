"""Search: the facets a visitor filters by, and the Pagefind index stage."""
