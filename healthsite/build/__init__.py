"""The build: the pipeline of stages, the builder that repeats it, change detection, the cache,
workers, writing, the report."""
