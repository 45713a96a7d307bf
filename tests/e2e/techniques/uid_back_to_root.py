#!/usr/bin/python3
"""uid_back_to_root.py MARKER: a root process drops to nobody, keeping root
as its saved user id; a child it forks then takes root back.

The child's setresuid(0, 0, 0) is the one privilege escalation (its parent
runs as nobody); the parent's own return to root afterwards is not (its parent
is root). Prints "parent=PID child=PID". MARKER is only there to appear in the
process's arguments. Run as root.
"""
import os
import sys

NOBODY = 65534


def main():
    os.setresuid(NOBODY, NOBODY, 0)
    child = os.fork()
    if child == 0:
        os.setresuid(0, 0, 0)
        os._exit(0 if os.geteuid() == 0 else 1)
    _, status = os.waitpid(child, 0)
    os.setresuid(0, 0, 0)
    print(f"parent={os.getpid()} child={child}")
    sys.exit(os.waitstatus_to_exitcode(status))


main()
