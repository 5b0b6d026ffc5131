#!/usr/bin/env python
"""Same as the `tiaojie` console script, for people used to manage.py."""

from tiaojie.__main__ import main

if __name__ == "__main__":
    main()
