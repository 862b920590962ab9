"""`python -m estimators`: the command-line face of the engine (DESIGN §8)."""

from report.cli import main

raise SystemExit(main())
