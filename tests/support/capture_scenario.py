#!/usr/bin/env python3
"""Captures a scenario fixture with a real auditd: tests/fixtures/scenarios/<name>/.

    capture_scenario.py --rules RULES_FILE --cmd CMD_SH --out DIR [--prep SHELL] [--cleanup SHELL]
                        [--keep-log FILE] [--workload]

Runs a private auditd (`auditd -n -c <tmp>`, no plugin, ENRICHED log), loads
RULES_FILE line by line with auditctl, runs PREP (not part of the scenario),
then CMD_SH the way the corpus in /work/shared/corpus was captured:

    env -i PATH=... HOME=/root LANG=C.UTF-8 TERM=dumb \\
        bash -c 'echo $$ > /tmp/scen/rootpid; exec bash "$0"' /tmp/scen/<name>/cmd.sh

in /tmp/scen, and writes to DIR:
  audit.log  every event of that process subtree (pids linked by the clone/fork
             records and by ppid), records exactly as auditd wrote them;
  tree.txt   the process tree decoded from those records (tests/support/tree.h);
  cmd.sh     a copy of CMD_SH.
expected.json is written by hand from what the scenario did (never from
auditeql's output).

--workload: records of the command's process tree are counted per key and
printed, with the directory opens apart (for measuring what a rule costs);
no fixture is written.

Everything it changes is undone in a finally block: the rules it loaded
(removed with their own spec), auditd (stopped by pid), enabled and the backlog
limit, watched directories it had to create. It holds the kernel-audit locks
(/tmp/auditeql-kernel-audit.lock, then /run/lock/auditeql-kernel-audit.lock,
which tests/e2e and tests/packaging take) for the whole run, and refuses to
run when an audit daemon is registered or auditeql's rules are loaded.
Root only.
"""
import argparse
import collections
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LOCKS = ["/tmp/auditeql-kernel-audit.lock", "/run/lock/auditeql-kernel-audit.lock"]
ROOT_ENV = ["env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
            "LANG=C.UTF-8", "TERM=dumb", "bash", "-c", 'echo $$ > /tmp/scen/rootpid; exec bash "$0"']
SCEN = "/tmp/scen"
EXEC_SYSCALLS = {"59", "322"}                       # x86_64 execve, execveat
FORK_SYSCALLS = {"56", "57", "58", "435"}           # clone, fork, vfork, clone3


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def auditctl(*args, check=True):
    r = subprocess.run(["auditctl", *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"auditctl {' '.join(args)}: {r.stderr.strip() or r.stdout.strip()}")
    return r


def kstat(name):
    for line in auditctl("-s").stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == name:
            return parts[1]
    return None


def rule_lines(path):
    lines = []
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s and not s.startswith("#"):
                lines.append(s)
    return lines


def watched_dirs(lines):
    dirs = []
    for line in lines:
        words = line.split()
        for i, w in enumerate(words):
            if w == "-w" and i + 1 < len(words):
                dirs.append(words[i + 1])
            if w == "-F" and i + 1 < len(words) and words[i + 1].startswith("dir="):
                dirs.append(words[i + 1][4:])
    return dirs


class Session:
    """The private auditd and everything done to the kernel's audit state."""

    def __init__(self, rules_file):
        self.rules = rule_lines(rules_file)
        self.loaded = []
        self.created_dirs = []
        self.tmp = tempfile.mkdtemp(prefix="auditeql-capture.")
        self.auditd = None
        self.orig_enabled = None
        self.orig_backlog = None
        self.lock_fds = []

    def start(self):
        for path in LOCKS:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
            self.lock_fds.append(fd)
            log(f"waiting for {path}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        if kstat("pid") not in (None, "0"):
            raise RuntimeError(f"an audit daemon is registered (pid {kstat('pid')})")
        if re.search(r"(-k |key=)bp_(exec|fork|boot|dracut)\b", auditctl("-l").stdout):
            raise RuntimeError("auditeql's audit rules are already loaded")
        if os.path.exists("/var/run/auditd.pid"):
            raise RuntimeError("/var/run/auditd.pid exists")
        self.orig_enabled = kstat("enabled")
        self.orig_backlog = kstat("backlog_limit")
        conf = os.path.join(self.tmp, "conf")
        os.makedirs(os.path.join(conf, "plugins.d"))
        self.log_file = os.path.join(self.tmp, "audit.log")
        with open(os.path.join(conf, "auditd.conf"), "w") as f:
            f.write(f"""local_events = yes
write_logs = yes
log_file = {self.log_file}
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
num_logs = 2
max_log_file = 512
max_log_file_action = IGNORE
space_left = 2
admin_space_left = 1
space_left_action = SYSLOG
admin_space_left_action = SUSPEND
disk_full_action = SUSPEND
disk_error_action = SUSPEND
q_depth = 4000
overflow_action = SYSLOG
plugin_dir = {conf}/plugins.d
end_of_event_timeout = 2
""")
        os.chmod(os.path.join(conf, "auditd.conf"), 0o640)
        if self.orig_backlog and int(self.orig_backlog) < 8192:
            auditctl("-b", "8192")
        if self.orig_enabled == "0":
            auditctl("-e", "1")
        self.auditd_out = open(os.path.join(self.tmp, "auditd.stderr"), "w")
        self.auditd = subprocess.Popen(["auditd", "-n", "-c", conf], stdin=subprocess.DEVNULL,
                                       stdout=self.auditd_out, stderr=self.auditd_out)
        for _ in range(250):
            if kstat("pid") == str(self.auditd.pid):
                break
            if self.auditd.poll() is not None:
                break
            time.sleep(0.02)
        if kstat("pid") != str(self.auditd.pid):
            raise RuntimeError("auditd did not register; see " + self.auditd_out.name)
        for d in watched_dirs(self.rules):
            missing = []
            p = d
            while not os.path.exists(p):
                missing.insert(0, p)
                p = os.path.dirname(p)
            for p in missing:
                os.mkdir(p)
                self.created_dirs.append(p)
        for line in self.rules:
            auditctl(*line.split())
            self.loaded.append(line)
        log(f"auditd pid {self.auditd.pid}, {len(self.loaded)} rules loaded, log {self.log_file}")
        time.sleep(0.5)  # the rule changes' own records are written before the scenario starts

    def stop(self):
        for line in reversed(self.loaded):
            words = line.split()
            words[0] = {"-a": "-d", "-A": "-d", "-w": "-W"}.get(words[0], words[0])
            if words[0] in ("-d", "-W"):
                r = auditctl(*words, check=False)
                if r.returncode != 0:
                    log(f"could not remove: {line}: {r.stderr.strip()}")
        self.loaded = []
        if self.auditd is not None and self.auditd.poll() is None:
            self.auditd.send_signal(signal.SIGTERM)
            try:
                self.auditd.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.auditd.kill()
                self.auditd.wait()
        if self.auditd is not None and os.path.exists("/var/run/auditd.pid"):
            with open("/var/run/auditd.pid") as f:
                if f.read().strip() == str(self.auditd.pid):
                    os.unlink("/var/run/auditd.pid")
        self.auditd = None
        if self.orig_backlog and kstat("backlog_limit") != self.orig_backlog:
            auditctl("-b", self.orig_backlog, check=False)
        if self.orig_enabled in ("0", "1") and kstat("enabled") != self.orig_enabled:
            auditctl("-e", self.orig_enabled, check=False)
        for p in reversed(self.created_dirs):
            try:
                os.rmdir(p)
            except OSError as e:
                log(f"left {p}: {e}")
        self.created_dirs = []
        for fd in self.lock_fds:
            os.close(fd)
        self.lock_fds = []


# ---------------------------------------------------------------- log decoding

def split_fields(raw):
    """key=value pairs of the raw part of a record (before the ENRICHED \\x1d tail)."""
    raw = raw.split("\x1d", 1)[0]
    fields = collections.OrderedDict()
    for m in re.finditer(r'(\S+?)=("[^"]*"|\S*)', raw):
        fields.setdefault(m.group(1), m.group(2))
    return fields


def decode(value):
    if value is None or value in ("(null)", "(none)"):
        return None
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    try:
        return bytes.fromhex(value).decode("utf-8", "surrogateescape")
    except ValueError:
        return value


RECORD = re.compile(r"^type=(\S+) msg=audit\((\d+\.\d+):(\d+)\): (.*)$")


def read_events(path):
    """serial -> {"ts", "lines", "records": [(type, fields)]}, in file order of first appearance."""
    events = collections.OrderedDict()
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            m = RECORD.match(line)
            if not m:
                continue
            rtype, ts, serial, rest = m.groups()
            ev = events.setdefault(int(serial), {"ts": ts, "lines": [], "records": []})
            ev["lines"].append(line)
            ev["records"].append((rtype, split_fields(rest)))
    return events


def summarize(ev):
    s = {"syscall": None, "paths": {}, "argv": {}, "cwd": None}
    for rtype, f in ev["records"]:
        if rtype == "SYSCALL":
            s.update(syscall=f.get("syscall"), success=f.get("success"), exit=f.get("exit"), pid=int(f["pid"]),
                     ppid=int(f["ppid"]), comm=decode(f.get("comm")), exe=decode(f.get("exe")),
                     key=decode(f.get("key")), a0=f.get("a0"))
        elif rtype == "CWD":
            s["cwd"] = decode(f.get("cwd"))
        elif rtype == "PATH":
            s["paths"][int(f["item"])] = (f.get("nametype"), decode(f.get("name")))
        elif rtype == "EXECVE":
            pieces = collections.defaultdict(dict)
            for k, v in f.items():
                m = re.fullmatch(r"a(\d+)(?:\[(\d+)\])?", k)
                if m and m.group(2) is None:
                    s["argv"][int(m.group(1))] = decode(v)
                elif m:
                    pieces[int(m.group(1))][int(m.group(2))] = v
            for i, parts in pieces.items():
                joined = "".join(p[1:-1] if p.startswith('"') else p for _, p in sorted(parts.items()))
                s["argv"][i] = joined if all(p.startswith('"') for p in parts.values()) else decode(joined)
    return s


def subtree(events, root):
    """pid -> (ppid, forked_from or None), for root and every process linked to it."""
    procs = {}
    for serial, ev in sorted(events.items()):
        s = summarize(ev)
        if s["syscall"] is None:
            continue
        pid, ppid = s["pid"], s["ppid"]
        if pid == root and root not in procs:
            procs[root] = [ppid, None]
        if pid not in procs and ppid in procs:
            procs[pid] = [ppid, ppid]
        if pid in procs and s["syscall"] in FORK_SYSCALLS and s["success"] == "yes" and int(s["exit"]) > 0:
            child = int(s["exit"])
            if child not in procs:
                procs[child] = [pid, pid]
    return procs


def shorten(arg, keep=300):
    """tree.txt shows an argument over 300 characters as PREFIX...(N chars)."""
    return arg if len(arg) <= keep else f"{arg[:keep]}...({len(arg)} chars)"


def write_fixture(events, root, out_dir):
    procs = subtree(events, root)
    kept = [serial for serial, ev in events.items()
            if any(r[0] == "SYSCALL" for r in ev["records"]) and summarize(ev)["pid"] in procs]
    with open(os.path.join(out_dir, "audit.log"), "w", encoding="utf-8", errors="surrogateescape") as f:
        for serial in kept:
            for line in events[serial]["lines"]:
                f.write(line + "\n")
    by_pid = collections.defaultdict(list)
    for serial in kept:
        s = summarize(events[serial])
        s["serial"], s["ts"] = serial, events[serial]["ts"]
        by_pid[s["pid"]].append(s)
    children = collections.defaultdict(list)
    for pid, (ppid, parent) in procs.items():
        if pid != root:
            children[parent].append(pid)
    lines = [f"# process tree of root pid {root} (from audit records; fork links from clone/fork records, key bp_fork)",
             "# format: pid ppid | exec: ts:serial exe= comm= argv=[...] cwd= success= paths=[nametype:name...]",
             "#          file/other syscalls: ts:serial syscall=N key= exe= comm= cwd= success= paths=[...]", ""]

    def paths_of(s):
        return [f"{nt}:{'(null)' if name is None else name}" for _, (nt, name) in sorted(s["paths"].items())]

    def emit(pid, depth):
        pad = "  " * depth
        recs = sorted(by_pid.get(pid, []), key=lambda s: s["serial"])
        execs = [s for s in recs if s["syscall"] in EXEC_SYSCALLS and s["success"] == "yes"]
        ppid = recs[0]["ppid"] if recs else procs[pid][0]
        note = "" if execs or pid == root else "  [no exec in window: forked copy of parent image]"
        lines.append(f"{pad}{pid} (ppid {ppid}){note}")
        for s in execs:
            argv = [shorten(s["argv"][i]) for i in sorted(s["argv"])]
            lines.append(f"{pad}  exec {s['ts']}:{s['serial']} exe={s['exe']} comm={s['comm']} argv={argv!r} "
                         f"cwd={s['cwd']} success=yes paths={paths_of(s)!r}")
        for s in recs:
            if s in execs or s["syscall"] in FORK_SYSCALLS:
                continue
            lines.append(f"{pad}  sys  {s['ts']}:{s['serial']} syscall={s['syscall']} key={s['key']} exe={s['exe']} "
                         f"comm={s['comm']} cwd={s['cwd']} success={s['success']} paths={paths_of(s)!r}")
        for child in sorted(children.get(pid, [])):
            emit(child, depth + 1)

    emit(root, 0)
    with open(os.path.join(out_dir, "tree.txt"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(lines) + "\n")
    return len(kept), len(procs)


def count_by_key(events, pids):
    """Events and records per key, of the processes in `pids`; directory opens apart."""
    counts = collections.Counter()
    records = collections.Counter()
    for ev in events.values():
        s = summarize(ev)
        if s["syscall"] is None or s["pid"] not in pids:
            continue
        key = s["key"] or "(none)"
        if key in ("bp_boot", "bp_dracut") and s["syscall"] in ("257", "2", "5", "295") and \
                not any(nt == "CREATE" for nt, _ in s["paths"].values()) and \
                any(r[0] == "PATH" and r[1].get("mode", "").startswith("040") and r[1].get("nametype") == "NORMAL"
                    for r in ev["records"]):
            key += " (directory open)"
        counts[key] += 1
        records[key] += len(ev["lines"])
    return counts, records


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--out")
    ap.add_argument("--prep", default="")
    ap.add_argument("--cleanup", default="")
    ap.add_argument("--keep-log")
    ap.add_argument("--workload", action="store_true")
    args = ap.parse_args()
    if not args.out and not args.workload:
        ap.error("--out DIR is needed unless --workload")
    if os.geteuid() != 0:
        sys.exit("capture_scenario.py: must run as root")
    name = os.path.basename(os.path.normpath(args.out)) if args.out else "workload"
    session = Session(args.rules)
    try:
        session.start()
        os.makedirs(os.path.join(SCEN, name), exist_ok=True)
        script = os.path.join(SCEN, name, "cmd.sh")
        shutil.copy(args.cmd, script)
        if args.prep:
            subprocess.run(["bash", "-c", args.prep], cwd=SCEN, check=True)
        t0 = time.time()
        subprocess.run(ROOT_ENV + [script], cwd=SCEN, check=not args.workload)
        elapsed = time.time() - t0
        with open(os.path.join(SCEN, "rootpid")) as f:
            root = int(f.read().strip())
        time.sleep(1.5)  # let auditd write the last records
    finally:
        # Before stop(): it removes the watched directories it created, which
        # must be empty again by then.
        if args.cleanup:
            subprocess.run(["bash", "-c", args.cleanup], cwd=SCEN)
        session.stop()
    if args.keep_log:
        shutil.copy(session.log_file, args.keep_log)
    events = read_events(session.log_file)
    shutil.rmtree(session.tmp, ignore_errors=True)
    if args.workload:
        procs = subtree(events, root)
        counts, records = count_by_key(events, procs)
        print(f"workload ran {elapsed:.1f} s, {len(procs)} processes; events and records per key of its process tree:")
        for key in sorted(counts):
            print(f"  {key:32} {counts[key]:8} events {records[key]:9} records")
        print(f"  {'total':32} {sum(counts.values()):8} events {sum(records.values()):9} records")
        return
    os.makedirs(args.out, exist_ok=True)
    shutil.copy(args.cmd, os.path.join(args.out, "cmd.sh"))
    kept, procs = write_fixture(events, root, args.out)
    log(f"{args.out}: {kept} events of {procs} processes (root pid {root})")


if __name__ == "__main__":
    main()
