"""The build: `pipeline.py` runs the stages in order; `builder.py` is what `serve` keeps.

Stages: `parse_cache.py` (parse, with memory), `outputs.py` (render), `write.py`,
`search_index.py` (index), `report.py`; folders beside the output `side_folders.py`, OS
failures in words `write_failures.py`. Change detection: `receipt.py` and `stamping.py` (has
anything changed?), `digests.py` and `changes.py` (which outputs must be made again?),
`manifest.py` (what each output was made from). Memory between builds: `memory.py`, on disk
`cache.py`. Serve's quick way: `quick_edit.py`. Every core: `workers.py`. The collector:
`heap.py`.
"""
