#!/bin/bash
# shellcheck disable=SC2317 # functions are called through check() and the EXIT trap
# Packaging test: builds the .deb with CPack, inspects it, and -- as root on a
# machine where that is safe -- installs it for real, checks the installed
# plugin, removes, reinstalls and purges it, and checks that nothing is left.
#
#   test_deb.sh SOURCE_DIR BUILD_DIR
#
# Exit status: 0 passed, 1 failed, 77 skipped (CTest SKIP_RETURN_CODE): the
# package could be built and inspected, but the install part could not run.
#
# The install part changes the kernel audit state (augenrules loads every file
# of /etc/audit/rules.d, Debian's own -D/-b/-f/--backlog_wait_time included).
# The state found at the start (enabled, failure, backlog_limit, rate_limit,
# backlog_wait_time, the rule list) and /etc/audit/audit.rules{,.prev} are
# saved and put back on exit, whatever happens.
#
# It skips (77) the install part unless it is root, dpkg, auditctl and
# augenrules are there, the kernel answers `auditctl -s` and is not locked, no
# package or files named auditeql are installed, and nobody else is using the
# kernel audit system: another test holding flock(1) on /etc/audit, audit
# rules with auditeql's bp_* keys already loaded, or an audit daemon running a
# private configuration (auditd -c, as the e2e test does).
set -u

src=${1:?usage: test_deb.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: test_deb.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
mkdir -p "$build"
build=$(cd "$build" && pwd)
work="$build/test-work"
rm -rf "$work"
mkdir -p "$work"

PKG=auditeql
BIN=/usr/sbin/auditeql
PLUGIN=/etc/audit/plugins.d/auditeql.conf
RULES=/etc/audit/rules.d/auditeql.rules
CONFIG=/etc/auditeql/auditeql.yaml
PARKED=.auditeql-removed
WATCHED="/boot /usr/lib/dracut/modules.d /lib/dracut/modules.d"

CHECK_NAME=test_deb
# shellcheck source=../support/checks.sh
source "$(dirname "$(readlink -f "$0")")/../support/checks.sh"
skip() {
	echo
	echo "************************************************************"
	echo "SKIPPED: $*"
	echo "(the package was built and inspected; the install part did not run)"
	echo "************************************************************"
	exit 77
}
finish() {
	if [ "$failures" -ne 0 ]; then
		log "$failures check(s) FAILED"
		exit 1
	fi
	log "PASSED"
	exit 0
}

# ---------------------------------------------------------------- build
for tool in cmake cpack dpkg-deb; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIPPED: $tool is not installed: cannot build a .deb here"
		exit 77
	fi
done

deb_build="$build/deb"
log "building the package in $deb_build"
start=$(date +%s)
if ! { cmake -S "$src" -B "$deb_build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
		-DAUDITEQL_BUILD_TESTS=OFF &&
	cmake --build "$deb_build" -j "$(nproc 2>/dev/null || echo 2)" --target auditeql auditeql_man_pages &&
	rm -f "$deb_build"/auditeql_*.deb &&
	(cd "$deb_build" && cpack -G DEB); } >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log"
	fail "building the .deb (full log: $work/build.log)"
	finish
fi
debs=("$deb_build"/auditeql_*.deb)
deb=${debs[0]}
if [ ! -f "$deb" ]; then
	fail "cpack produced no auditeql_*.deb"
	finish
fi
log "built $deb in $(($(date +%s) - start))s"

# ---------------------------------------------------------------- inspect
dpkg-deb -c "$deb" >"$work/contents" || fail "dpkg-deb -c"
# "MODE OWNER PATH" for each entry (dpkg-deb -c: mode owner size date time path)
awk '{print $1, $2, $6}' "$work/contents" >"$work/entries"
mkdir -p "$work/control" "$work/root"
dpkg-deb -e "$deb" "$work/control" || fail "dpkg-deb -e"
dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x"

entry() { # entry MODE OWNER PATH: the package holds PATH with that mode and owner
	grep -qxF -- "$1 $2 $3" "$work/entries" || {
		echo "expected: $1 $2 $3"
		echo "found:    $(grep -F " $3" "$work/entries" | head -1)"
		return 1
	}
}
check "package name" test "$(dpkg-deb -f "$deb" Package)" = "$PKG"
check "section admin" test "$(dpkg-deb -f "$deb" Section)" = admin
check "depends on auditd (>= 1:3.0)" grep -q 'auditd (>= 1:3.0)' <(dpkg-deb -f "$deb" Depends)
# Package names of Depends, one a line.
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/ //g' | grep -v '^$' >"$work/depends"
for lib in auditd libauparse0 libaudit1 libyaml-cpp0.7 libc6 libstdc++6; do
	check "depends on $lib" grep -qxF -- "$lib" "$work/depends"
done
check "binary 0750 root:root" entry -rwxr-x--- root/root ./usr/sbin/auditeql
check "plugin drop-in 0640" entry -rw-r----- root/root ./etc/audit/plugins.d/auditeql.conf
check "audit rules 0640" entry -rw-r----- root/root ./etc/audit/rules.d/auditeql.rules
check "config 0640" entry -rw-r----- root/root ./etc/auditeql/auditeql.yaml
check "local rules dir 0750" entry drwxr-x--- root/root ./etc/auditeql/rules.d/
check "local exceptions dir 0750" entry drwxr-x--- root/root ./etc/auditeql/exceptions.d/
check "/etc/audit keeps auditd's 0750" entry drwxr-x--- root/root ./etc/audit/
check "watched dir shipped" entry drwxr-xr-x root/root ./usr/lib/dracut/modules.d/
for rule in "$src"/conf/rules/*.yaml; do
	check "shipped rule $(basename "$rule") 0644" entry -rw-r--r-- root/root "./usr/share/auditeql/rules/$(basename "$rule")"
done
check "man page auditeql(8)" grep -qE ' \./usr/share/man/man8/auditeql\.8(\.gz)?$' "$work/entries"
check "man page auditeql.yaml(5)" grep -qE ' \./usr/share/man/man5/auditeql\.yaml\.5(\.gz)?$' "$work/entries"
check "nothing outside /etc and /usr" test -z "$(awk '{print $3}' "$work/entries" | grep -vE '^\./(etc|usr)/' | grep -vx './')"
for f in "$CONFIG" "$PLUGIN" "$RULES"; do
	check "conffile $f" grep -qxF "$f" "$work/control/conffiles"
done
for s in postinst prerm postrm; do
	check "$s present, executable, valid sh" sh -n "$work/control/$s"
	check "$s mode 0755" test -x "$work/control/$s"
done
check "drop-in runs /usr/sbin/auditeql" grep -qx 'path = /usr/sbin/auditeql' "$work/root$PLUGIN"
check "drop-in passes the config path" grep -qx 'args = /etc/auditeql/auditeql.yaml' "$work/root$PLUGIN"
check "drop-in active, string format" grep -qx 'active = yes' "$work/root$PLUGIN"
check "drop-in lines < 160 chars" test -z "$(awk 'length > 159' "$work/root$PLUGIN")"
check "config names the installed rules" grep -q '^  - /usr/share/auditeql/rules$' "$work/root$CONFIG"
check "no packaged file names CPack's staging directory" bash -c "! grep -rlF '$deb_build/_CPack_Packages' '$work/root'"
check "packaged binary runs" "$work/root$BIN" --version
: >"$work/empty.yaml" # the defaults: the shipped rules next to the binary come first
check "packaged binary finds the packaged rules" grep -q "^rule directories: $work/root/usr/share/auditeql/rules, " \
	<("$work/root$BIN" check --config "$work/empty.yaml" 2>&1)

if [ "$failures" -ne 0 ]; then
	log "the package itself is wrong: not installing it"
	finish
fi

# ---------------------------------------------------------------- may we install?
[ "$(id -u)" = 0 ] || skip "not root: cannot install the package"
command -v dpkg >/dev/null 2>&1 || skip "dpkg is not available"
command -v auditctl >/dev/null 2>&1 || skip "auditctl is not installed (package auditd)"
status=$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = not-installed ] ||
	skip "a package named $PKG is already on this machine (status: $status)"
for f in "$BIN" "$PLUGIN" "$PLUGIN$PARKED" "$RULES" "$RULES$PARKED" /etc/auditeql; do
	[ ! -e "$f" ] || skip "$f already exists (left over from a manual install?)"
done
auditctl -s >"$work/status.before" 2>&1 || skip "the kernel audit system does not answer auditctl -s"
field() { sed -n "s/^$1 \([0-9]*\).*/\1/p" "$2"; }
[ "$(field enabled "$work/status.before")" != 2 ] || skip "the audit configuration is locked (enabled 2)"
command -v augenrules >/dev/null 2>&1 || skip "augenrules is not installed"
# Tests that drive the kernel audit system must not overlap: take the lock
# tests/e2e takes too (held until this script exits), waiting a while for it,
# and stay away from audit rules or an audit daemon someone else is using.
LOCK=/run/lock/auditeql-kernel-audit.lock
if command -v flock >/dev/null 2>&1 && mkdir -p "$(dirname "$LOCK")" 2>/dev/null && exec 9>"$LOCK"; then
	flock -w 120 9 || skip "another test has held $LOCK for 120 s: it is using the kernel audit system"
fi
if auditctl -l 2>/dev/null | grep -qE '(key=|-k )bp_(exec|fork|boot|dracut)$'; then
	skip "audit rules with auditeql's keys (bp_*) are already loaded: another auditeql installation or test is using them"
fi
daemon=$(field pid "$work/status.before")
if [ "${daemon:-0}" != 0 ] && tr '\0' ' ' <"/proc/$daemon/cmdline" 2>/dev/null | grep -qE '(^| )-c '; then
	skip "the registered audit daemon (pid $daemon: $(tr '\0' ' ' <"/proc/$daemon/cmdline")) runs a private configuration (another test?)"
fi

# Depends that are not installed yet: install them with apt-get, only if needed.
missing=()
while read -r name; do
	if [ "$(dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null)" != installed ]; then
		missing+=("$name")
	fi
done <"$work/depends"
if [ "${#missing[@]}" -gt 0 ]; then
	command -v apt-get >/dev/null 2>&1 || skip "dependencies missing and no apt-get: ${missing[*]}"
	log "installing missing dependencies: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1 ||
		skip "apt-get could not install ${missing[*]} (see $work/apt.log)"
fi

# ---------------------------------------------------------------- save, and restore on exit
auditctl -l >"$work/rules.before" 2>&1
for f in /etc/audit/audit.rules /etc/audit/audit.rules.prev; do
	if [ -e "$f" ]; then cp -p "$f" "$work/$(basename "$f").saved"; fi
done
dracut_existed=no
[ -e /usr/lib/dracut ] && dracut_existed=yes

package_present() { dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null | grep -qv not-installed; }
restore() {
	local rc=$?
	trap - EXIT INT TERM
	if package_present; then
		log "restore: purging $PKG"
		dpkg --purge "$PKG" >"$work/restore-purge.log" 2>&1 || cat "$work/restore-purge.log"
	fi
	rm -f "$PLUGIN$PARKED" "$RULES$PARKED"
	for f in /etc/audit/audit.rules /etc/audit/audit.rules.prev; do
		if [ -e "$work/$(basename "$f").saved" ]; then
			cp -p "$work/$(basename "$f").saved" "$f"
		else
			rm -f "$f"
		fi
	done
	# Kernel rules: back to the saved list if they differ.
	auditctl -l >"$work/rules.after" 2>&1
	if ! cmp -s "$work/rules.before" "$work/rules.after"; then
		log "restore: reloading the saved audit rules"
		auditctl -D >/dev/null
		grep -v '^No rules$' "$work/rules.before" >"$work/rules.reload" || true
		if [ -s "$work/rules.reload" ]; then
			auditctl -R "$work/rules.reload" >/dev/null || log "restore: WARNING: could not reload every saved rule"
		fi
	fi
	# Kernel settings: back to the saved values.
	auditctl -s >"$work/status.after" 2>&1
	restore_setting() { # restore_setting FIELD OPTION
		local before after
		before=$(field "$1" "$work/status.before")
		after=$(field "$1" "$work/status.after")
		if [ -n "$before" ] && [ "$before" != "$after" ]; then
			auditctl "$2" "$before" >/dev/null || log "restore: WARNING: could not set $1 back to $before"
		fi
	}
	restore_setting backlog_limit -b
	restore_setting failure -f
	restore_setting rate_limit -r
	restore_setting backlog_wait_time --backlog_wait_time
	restore_setting enabled -e
	if [ "$dracut_existed" = no ] && [ -d /usr/lib/dracut ]; then
		rmdir /usr/lib/dracut/modules.d /usr/lib/dracut 2>/dev/null || true
	fi
	auditctl -s >"$work/status.restored" 2>&1
	auditctl -l >"$work/rules.restored" 2>&1
	local bad=0
	for f in enabled failure backlog_limit rate_limit backlog_wait_time; do
		if [ "$(field "$f" "$work/status.before")" != "$(field "$f" "$work/status.restored")" ]; then
			log "restore: WARNING: $f is $(field "$f" "$work/status.restored"), was $(field "$f" "$work/status.before")"
			bad=1
		fi
	done
	cmp -s "$work/rules.before" "$work/rules.restored" || {
		log "restore: WARNING: the audit rules differ from the saved ones"
		bad=1
	}
	[ "$bad" = 0 ] && log "restore: kernel audit state and /etc/audit/audit.rules are as found"
	exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT TERM

bp_rules() { auditctl -l 2>/dev/null | grep -E "(key=|-k )bp_(exec|fork|boot|dracut)$" || true; }
has_rule() { auditctl -l | grep -qxF -- "$1"; }
no_bp_rules() { test -z "$(bp_rules)"; }
dpkg_status() { dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true; }

# ---------------------------------------------------------------- install
log "installing $deb"
if ! dpkg -i "$deb" >"$work/install.log" 2>&1; then
	sed 's/^/    | /' "$work/install.log"
	fail "dpkg -i"
	finish
fi
sed 's/^/    install | /' "$work/install.log"
check "package installed" test "$(dpkg_status)" = installed
check "binary installed 0750 root:root" test "$(stat -c '%a %U:%G' "$BIN")" = "750 root:root"
check "auditeql --version" bash -c "'$BIN' --version | grep -q '^auditeql '"
check "auditeql check (installed config) exits 0" bash -c "'$BIN' check >'$work/installed-check.out' 2>&1 || { cat '$work/installed-check.out'; exit 1; }"
check "auditeql check read $CONFIG" grep -q "^config: $CONFIG\$" "$work/installed-check.out"
nrules=$(find /usr/share/auditeql/rules -name '*.yaml' | wc -l)
check "every shipped rule loaded ($nrules)" grep -q "^rules: $nrules enabled" "$work/installed-check.out"
check "auditeql check --config $CONFIG exits 0" "$BIN" check --config "$CONFIG"
check "config 0640 root:root" test "$(stat -c '%a %U:%G' "$CONFIG")" = "640 root:root"
check "drop-in 0640 root:root" test "$(stat -c '%a %U:%G' "$PLUGIN")" = "640 root:root"
check "audit rules 0640 root:root" test "$(stat -c '%a %U:%G' "$RULES")" = "640 root:root"
check "local dirs 0750" test "$(stat -c '%a' /etc/auditeql/rules.d /etc/auditeql/exceptions.d | sort -u)" = 750
check "dpkg knows the conffiles" bash -c "dpkg-query -W -f='\${Conffiles}\n' $PKG | grep -c -e ' $CONFIG ' -e ' $PLUGIN ' -e ' $RULES ' | grep -qx 3"
for dir in $WATCHED; do
	check "watched directory $dir exists" test -d "$dir"
done
check "augenrules compiled the rules into /etc/audit/audit.rules" grep -q -- '-k bp_exec' /etc/audit/audit.rules
check "bp_exec b64 rule loaded" has_rule "-a always,exit -F arch=b64 -S execve,execveat -F success=1 -F key=bp_exec"
check "bp_exec b32 rule loaded" has_rule "-a always,exit -F arch=b32 -S execve,execveat -F success=1 -F key=bp_exec"
check "bp_fork thread filter loaded" has_rule "-a never,exit -F arch=b64 -S clone -F a0&0x10000 -F key=bp_fork"
check "bp_fork rules loaded" test "$(auditctl -l | grep -c 'key=bp_fork$')" = 4
check "bp_boot watch loaded" has_rule "-w /boot -p wa -k bp_boot"
check "bp_dracut watch loaded" has_rule "-w /usr/lib/dracut/modules.d -p wa -k bp_dracut"
check "bp_dracut /lib watch loaded" has_rule "-w /lib/dracut/modules.d -p wa -k bp_dracut"
check "bp_boot directory-open rule loaded" \
	has_rule "-a always,exit -F arch=b64 -S openat -F a2&0x10000 -F success=1 -F dir=/boot -F key=bp_boot"
check "every rule line of $RULES loaded" test "$(bp_rules | wc -l)" = "$(grep -c '^-[aAw] ' "$RULES")"

# ---------------------------------------------------------------- remove, reinstall
log "removing (not purging) $PKG"
if dpkg --remove "$PKG" >"$work/remove.log" 2>&1; then
	sed 's/^/    remove | /' "$work/remove.log"
	check "binary gone after remove" test ! -e "$BIN"
	check "drop-in deactivated after remove" test ! -e "$PLUGIN" -a -e "$PLUGIN$PARKED"
	check "audit rules file deactivated after remove" test ! -e "$RULES" -a -e "$RULES$PARKED"
	check "config kept after remove" test -f "$CONFIG"
	check "bp_* rules unloaded after remove" no_bp_rules
	check "/etc/audit/audit.rules recompiled without them" bash -c "! grep -q bp_ /etc/audit/audit.rules"
	log "reinstalling $PKG"
	if dpkg -i "$deb" >"$work/reinstall.log" 2>&1; then
		sed 's/^/    reinstall | /' "$work/reinstall.log"
		check "drop-in back after reinstall" test -f "$PLUGIN" -a ! -e "$PLUGIN$PARKED"
		check "rules file back after reinstall" test -f "$RULES" -a ! -e "$RULES$PARKED"
		check "drop-in content intact" cmp "$work/root$PLUGIN" "$PLUGIN"
		check "no *.dpkg-* or parked leftovers" test -z "$(find /etc/audit/plugins.d /etc/audit/rules.d /etc/auditeql \
			-name '*.dpkg-*' -o -name "*$PARKED" 2>/dev/null)"
		check "bp_* rules loaded again" test "$(bp_rules | wc -l)" = "$(grep -c '^-[aAw] ' "$RULES")"
	else
		sed 's/^/    | /' "$work/reinstall.log"
		fail "dpkg -i after remove"
	fi
else
	sed 's/^/    | /' "$work/remove.log"
	fail "dpkg --remove"
fi

# ---------------------------------------------------------------- purge
log "purging $PKG"
if dpkg --purge "$PKG" >"$work/purge.log" 2>&1; then
	sed 's/^/    purge | /' "$work/purge.log"
else
	sed 's/^/    | /' "$work/purge.log"
	fail "dpkg --purge"
fi
check "package gone" bash -c "! dpkg-query -W -f='\${db:Status-Status}' $PKG 2>/dev/null | grep -qv not-installed"
check "binary gone" test ! -e "$BIN"
check "/etc/auditeql gone" test ! -e /etc/auditeql
check "drop-in gone" test ! -e "$PLUGIN" -a ! -e "$PLUGIN$PARKED"
check "audit rules file gone" test ! -e "$RULES" -a ! -e "$RULES$PARKED"
check "shipped rules gone" test ! -e /usr/share/auditeql
check "state gone" test ! -e /var/lib/auditeql
check "bp_* rules unloaded from the kernel" no_bp_rules
check "/etc/audit/audit.rules without bp_* rules" bash -c "! grep -q bp_ /etc/audit/audit.rules"
if [ "$dracut_existed" = no ]; then
	check "/usr/lib/dracut removed again" test ! -e /usr/lib/dracut
fi

finish
