"""`python -m claimledger ...` is the `claimledger` command."""

import sys

from claimledger.outputs.cli.main import main

sys.exit(main())
