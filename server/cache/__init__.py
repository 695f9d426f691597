"""The persistent cache of the one-shot commands (`check`, `schema --migrated`), like ruff's
`.ruff_cache`: a second run on unchanged files prints what the first printed without importing
the engine.

- `store.py`: where the cache is (`.schemasense_cache/` at the project root, moved by
  `SCHEMASENSE_CACHE_DIR` or `cache-dir` in the configuration), its version folder, and the
  atomic write / tolerant read of one entry.
- `record.py`: what a run looked at on disk (files read, folders listed, paths probed), and
  whether all of it is still the same.
- `runs.py`: a command's whole output kept under its invocation and replayed while everything
  it looked at is unchanged.

Only our own entries are ever read back, with pickle, from the cache folder: a cache folder
is the user's own, like their source files (anyone who can write there can already change
what the check reads). Everything here is imported on the warm path, so it uses the standard
library only and nothing of the engine.
"""
