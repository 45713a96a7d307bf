# shellcheck shell=bash
# Checks for the script tests (tests/install, tests/packaging): each check
# prints "NAME: ok: WHAT", or "NAME: FAIL: WHAT" and the first lines of the
# command's output, and counts the failures in `failures`.
# Set CHECK_NAME, and `work` (a scratch directory), before the first check.
# Sourced; bash only.

failures=0
log() { echo "$CHECK_NAME: $*"; }
fail() {
	echo "$CHECK_NAME: FAIL: $*"
	failures=$((failures + 1))
}
pass() { echo "$CHECK_NAME: ok: $*"; }
# shellcheck disable=SC2154 # work is the sourcing script's
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >"$work/check.out" 2>&1; then
		pass "$what"
	else
		fail "$what"
		sed 's/^/    | /' "$work/check.out" | head -40
	fi
}
