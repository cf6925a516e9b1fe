"""Rendering: Jinja environments and pages, what a template read, JSON-LD, feeds, the vCard,
security headers."""
