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

An entry is plain data (strings, bytes, numbers, tuples) written with `marshal`: reading one
back runs no code, whoever wrote it. The cache folder is the user's own, like their source
files: whoever can write there can make a run print what they like, as they could by changing
the files the check reads; so it is never a folder others can write to.
Everything here is imported on the warm path, so it uses the standard library only and
nothing of the engine.
"""
