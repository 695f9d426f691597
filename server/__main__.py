"""`python -m schemasense.server` is the same as the `schemasense` console script."""

from schemasense.server.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
