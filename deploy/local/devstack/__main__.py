"""Entry point: ``python -m devstack``."""

from __future__ import annotations

import sys

from devstack.cli import main

sys.exit(main())
