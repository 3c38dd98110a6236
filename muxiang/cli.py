"""The ``muxiang`` console command: Django's management commands under the project's name.

``muxiang migrate``, ``muxiang demo``, ``muxiang createsuperuser``, ``muxiang evidence verify`` …
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "muxiang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["muxiang", *sys.argv[1:]])


if __name__ == "__main__":
    main()
