"""What the editor features know about a schema, as plain data (no LSP types, no pygls).

`index.py` builds, once per read, the position index every request looks things up in: each
name in the text (declaration or reference) with what it refers to, every reference of every
model, field, enum and value, and the symbols. The other modules answer one feature each on top
of it (`hover`, `navigation`, `completion`, `rename`), with character offsets; `explain` says
what an index or key does for queries, what it costs to build and what Prisma writes for it.
`server/features/` turns their answers into LSP messages.
"""
