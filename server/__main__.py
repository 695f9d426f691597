"""`python -m schemasense.server` is the same as the `schemasense` console script."""

from schemasense.server.cli import main

raise SystemExit(main())
