#!/bin/bash
# Install test: stages `cmake --install BUILD --prefix PREFIX` under DESTDIR
# for each of a few prefixes and checks, for each:
#  - the auditd drop-in runs PREFIX's binary and the configuration names
#    PREFIX's shipped rules, as absolute paths without the staging directory;
#  - no installed file mentions the staging directory;
#  - the files written for the prefix have their modes and are in the install
#    manifest (what an uninstall removes);
#  - the staged binary, on its defaults, loads the shipped rules staged next to
#    it (not the source tree's), and replays the bundled sample;
#  - the staged configuration, pointed at the staged tree, loads.
#
#   test_install.sh CMAKE SOURCE_DIR BUILD_DIR WORK_DIR SBINDIR DATADIR
#
# SBINDIR and DATADIR are the build's CMAKE_INSTALL_SBINDIR and _DATADIR.
# Exit status: 0 passed, 1 failed.
set -u

cmake=${1:?usage: test_install.sh CMAKE SOURCE_DIR BUILD_DIR WORK_DIR SBINDIR DATADIR}
src=${2:?}
build=${3:?}
work=${4:?}
sbindir=${5:?}
datadir=${6:?}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

PLUGIN=/etc/audit/plugins.d/auditeql.conf
CONFIG=/etc/auditeql/auditeql.yaml
SAMPLE=$src/tests/fixtures/sample/boot-persistence-attacks.log
SAMPLE_ALERTS=6 # what README's quick start promises for the sample
shipped=("$src"/conf/rules/*.yaml)

CHECK_NAME=test_install
# shellcheck source=../support/checks.sh
source "$(dirname "$(readlink -f "$0")")/../support/checks.sh"
under() { # under PREFIX DIR: where `cmake --install` puts DIR (a GNUInstallDirs value)
	case $2 in
	/*) echo "$2" ;;
	*) echo "${1%/}/$2" ;;
	esac
}
mode_is() { test "$(stat -c %a "$2")" = "$1" || { echo "$2: mode $(stat -c %a "$2"), expected $1"; return 1; }; }
in_manifest() { grep -qxF -- "$1" "$build/install_manifest.txt" || { echo "$1 not in $build/install_manifest.txt"; return 1; }; }
no_file_names() { # no_file_names TEXT DIR: no file under DIR contains TEXT (lists those that do)
	! grep -rlF -- "$1" "$2"
}
rules_from() { # rules_from OUTPUT DIR: `auditeql check` listed every shipped rule as loaded from DIR
	local f
	for f in "${shipped[@]}"; do
		grep -qF -- "]  $2/${f##*/}" "$1" || { echo "${f##*/} not loaded from $2:"; cat "$1"; return 1; }
	done
}

for prefix in /usr /opt/auditeql; do
	root=$work/root$(echo "$prefix" | tr / _)
	bin=$(under "$prefix" "$sbindir")/auditeql
	rules=$(under "$prefix" "$datadir")/auditeql/rules
	log "installing with --prefix $prefix, DESTDIR=$root"
	if ! DESTDIR=$root "$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
		sed 's/^/    | /' "$work/install.log" | tail -20
		fail "cmake --install $build --prefix $prefix (is the whole build built?)"
		continue
	fi
	check "[$prefix] drop-in runs $bin" grep -qx "path = $bin" "$root$PLUGIN"
	check "[$prefix] drop-in passes the configuration" grep -qx "args = $CONFIG" "$root$PLUGIN"
	check "[$prefix] drop-in lines < 160 chars (auditd's limit)" test -z "$(awk 'length > 159' "$root$PLUGIN")"
	check "[$prefix] configuration names $rules" grep -qx "  - $rules" "$root$CONFIG"
	check "[$prefix] no installed file names the staging directory" no_file_names "$root" "$root"
	check "[$prefix] drop-in 0640" mode_is 640 "$root$PLUGIN"
	check "[$prefix] configuration 0640" mode_is 640 "$root$CONFIG"
	check "[$prefix] binary 0750" mode_is 750 "$root$bin"
	for f in "$PLUGIN" "$CONFIG" "$bin"; do
		check "[$prefix] $f in the install manifest" in_manifest "$f"
	done
	check "[$prefix] every shipped rule staged" test "$(find "$root$rules" -name '*.yaml' | wc -l)" = "${#shipped[@]}"

	# The binary's defaults: an empty configuration keeps them all, the shipped
	# rules first. Relative to the staged binary, they are the staged ones
	# (unless DATADIR is absolute: then the binary names that path, unstaged).
	: >"$work/empty.yaml"
	"$root$bin" check --config "$work/empty.yaml" >"$work/defaults.out" 2>&1
	status=$?
	case $datadir in
	/*) log "[$prefix] DATADIR is absolute ($datadir): not checking what the staged binary loads by default" ;;
	*)
		check "[$prefix] staged binary's default rule directory is the staged one" \
			grep -qx "rule directories: $root$rules, /etc/auditeql/rules.d" "$work/defaults.out"
		if [ -e /etc/auditeql/rules.d ]; then
			log "[$prefix] /etc/auditeql/rules.d exists on this machine: not checking what the defaults load"
		else
			check "[$prefix] staged binary's defaults load (exit $status)" test "$status" = 0
			check "[$prefix] ... every shipped rule, from the staged directory" rules_from "$work/defaults.out" "$root$rules"
		fi
		"$root$bin" replay "$SAMPLE" >"$work/replay.out" 2>"$work/replay.err"
		check "[$prefix] staged binary replays the sample through its shipped rules: $SAMPLE_ALERTS alerts" \
			test "$(grep -c '"kind":"alert"' "$work/replay.out")" = "$SAMPLE_ALERTS"
		;;
	esac

	# The installed configuration, its absolute paths moved into the staging root.
	sed -e "s|$rules|$root$rules|" -e "s|/etc/auditeql/|$root/etc/auditeql/|" "$root$CONFIG" >"$work/staged.yaml"
	"$root$bin" check --config "$work/staged.yaml" >"$work/staged.out" 2>&1
	status=$?
	check "[$prefix] installed configuration loads (exit $status)" test "$status" = 0
	check "[$prefix] ... every shipped rule" rules_from "$work/staged.out" "$root$rules"
done

if [ "$failures" -ne 0 ]; then
	log "$failures check(s) FAILED"
	exit 1
fi
log "PASSED"
