"""Editing in the browser: Decap CMS at /admin/, configured from the content models."""
