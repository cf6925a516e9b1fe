"""Scaffolding: new content files and new sites."""
