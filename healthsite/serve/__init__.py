"""The local preview server."""
