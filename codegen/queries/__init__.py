"""Queries and the indexes that serve them: the query shape, the planner's rules, index design."""
