"""The frozen bundle's entry script: the same ``main`` as the ``calfdesk`` command of a pip install."""

import sys

from ui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
