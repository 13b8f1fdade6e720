"""``python -m shuxi`` runs the command line."""

from shuxi.cli import main

main()
