#!/usr/bin/python3
"""module_attempt.py MARKER FILE: asks the kernel to load FILE as a module
with init_module(2), which it must refuse (FILE is not a module: ENOEXEC, or
EPERM without CAP_SYS_MODULE). The attempt is what the test wants audited.
Prints "errno=NAME"; exit 1 if the kernel accepted it. MARKER is only there to
appear in the process's arguments.
"""
import ctypes
import errno
import sys


def main():
    with open(sys.argv[2], "rb") as f:
        image = f.read()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.init_module.argtypes = (ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)
    rc = libc.init_module(image, len(image), b"")
    err = ctypes.get_errno()
    print(f"rc={rc} errno={errno.errorcode.get(err, err)}")
    sys.exit(1 if rc == 0 else 0)


main()
