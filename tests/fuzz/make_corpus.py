#!/usr/bin/env python3
"""Regenerates the committed seed corpora in tests/fuzz/corpus/ (not run by
the build: the output is committed, the script documents where it came from).

    tests/fuzz/make_corpus.py BUILD_DIR     # BUILD_DIR holds src/app/auditeql

records/   audit logs from tests/fixtures (formats/, scenarios/, sample/), each
           cut down to the events that still give the same alerts
           (`auditeql replay`) or, without alerts, the same normalized events
           (`auditeql events`): small seeds that still reach the rules. Two control bytes first (fuzz_records.cpp):
           most seeds one feed, some chunked, with gaps, small limits.
eql/       the five shipped queries, 100 queries of
           tests/data/elastic-linux-eql-rules.jsonl (all sample queries, a
           share of sequences, the event queries with the most regex / wildcard
           / function use first), hand-written queries for the corners of the
           grammar, `pattern\\0subject` seeds for the regex and wildcard
           engines and `query\\0{json}` seeds with an event.
rule_yaml/ conf/rules/*.yaml, conf/auditeql.yaml and exception files.
"""
import gzip
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
MAX_RECORD_SEED = 12 * 1024

SERIAL = re.compile(rb"msg=audit\(\d+\.\d+:(\d+)\)")


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- records

def events_of(log):
    """Lines grouped by audit serial, in order of first appearance."""
    groups, order = {}, []
    for line in log.splitlines(keepends=True):
        m = SERIAL.search(line)
        key = m.group(1) if m else None
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(line)
    return [b"".join(groups[k]) for k in order]


def observe(binary, data):
    out = []
    for cmd in (["events"], ["replay", "--rules", os.path.join(ROOT, "conf", "rules")]):
        r = subprocess.run([binary] + cmd + ["-"], input=data, capture_output=True)
        out.append(r.stdout)
    return out


def reduce_log(binary, log):
    """Drops whole events (ddmin-like) while the alerts stay the same or, for
    logs without alerts, while the normalized events do."""
    events = events_of(log)
    full = observe(binary, b"".join(events))
    keep = 1 if full[1] else 0
    want = full[keep]
    chunk = max(1, len(events) // 2)
    while chunk >= 1:
        i = 0
        while i < len(events):
            trial = events[:i] + events[i + chunk:]
            if trial and observe(binary, b"".join(trial))[keep] == want:
                events = trial
            else:
                i += chunk
        chunk //= 2
    return b"".join(events), observe(binary, b"".join(events))


def record_seeds(binary):
    logs = []
    for name in sorted(os.listdir(os.path.join(FIXTURES, "formats"))):
        if name.endswith(".log") or name.endswith("auditlog.txt") or name == "k_ausearch_raw_sample.txt":
            with open(os.path.join(FIXTURES, "formats", name), "rb") as f:
                logs.append(("fmt_" + os.path.splitext(name)[0], f.read()))
    scen = os.path.join(FIXTURES, "scenarios")
    for name in sorted(os.listdir(scen)):
        path = os.path.join(scen, name, "audit.log")
        if os.path.exists(path):
            with open(path, "rb") as f:
                logs.append(("scn_" + name, f.read()))
        elif os.path.exists(path + ".gz"):
            with gzip.open(path + ".gz", "rb") as f:
                data = f.read()
            # Big benign captures: a slice from the middle, whole events.
            events = events_of(data)
            mid = len(events) // 2
            logs.append(("scn_" + name, b"".join(events[mid:mid + 40])))
    with open(os.path.join(FIXTURES, "sample", "boot-persistence-attacks.log"), "rb") as f:
        sample = events_of(f.read())
    for k in range(0, len(sample), 400):
        logs.append(("sample_%03d" % (k // 400), b"".join(sample[k:k + 400])))

    headers = [b"\x00\x00", b"\x01\x07", b"\x02\x1f", b"\x03\x00", b"\x05\x40", b"\x0a\x03", b"\x12\x02",
               b"\x21\x00", b"\x40\x00", b"\x7f\x11"]
    n = 0
    for name, log in logs:
        reduced, (events, alerts) = reduce_log(binary, log)
        if len(reduced) > MAX_RECORD_SEED:
            reduced = reduced[:MAX_RECORD_SEED]
            reduced = reduced[:reduced.rfind(b"\n") + 1]
        header = headers[0] if alerts or n % 3 else headers[n % len(headers)]
        write("records", name + ".bin", header + reduced)
        print("records/%s: %d -> %d bytes, %d events, %d alerts" %
              (name, len(log), len(reduced), events.count(b"\n"), alerts.count(b"\n")), file=sys.stderr)
        n += 1
    # The same attack through every chunking mode.
    with open(os.path.join(HERE, "corpus", "records", "scn_atk_boot_cp_into.bin"), "rb") as f:
        attack = f.read()[2:]
    for i, h in enumerate(headers[1:]):
        write("records", "chunking_%02d.bin" % i, h + attack)


# ---------------------------------------------------------------- eql

EQL_HANDWRITTEN = [
    'process where true',
    'any where not (process.name : ("cp*", "MV", "?ash")) or process.args like~ "*/BOOT/*"',
    'process where process.name regex~ "c[a-p]+|(mv){1,3}" and process.executable regex ".*/(s)?bin/.*"',
    'process where process.args regex """-[a-z]\\d*|@|#""" or process.command_line regex "(a|b)*c{2,}.?[^x-z]+"',
    'file where file.path : "/usr/lib/dracut/modules.d/*" and file.extension in~ ("SH", "py")',
    'process where length(process.name) > 1 and startsWith~(process.executable, "/USR") and endsWith(process.name, "p")',
    'process where substring(process.command_line, 0, 2) == "cp" and indexOf(process.name, "p", 0) == 1',
    'process where between(process.command_line, "-", " ", false) == "a" and stringContains~(process.name, "C")',
    'any where cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16", "::ffff:0:0/96", "fe80::/10")',
    'process where add(process.pid, 1) > multiply(2, 3) and divide(process.pid, 0) == null and modulo(-7, 3) == -1',
    'process where number("0x1f", 16) == 31 and number(process.pid) >= 3225 and string(process.args_count) == "4"',
    'process where concat(process.name, "-", process.parent.name) : "cp-*" and subtract(10, 2.5) < 8',
    'process where ?process.nonexistent == null and `process.name` == "cp" and process.parent.args_count != 3',
    'process where process.name == "\\u{1F600}\\t\\n\\"\\\\" or process.name == \'single\' /* comment /* nested */ */',
    'process where process.name in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "cp")',
    'process where not not not process.name != "cp" and -process.pid < -1 and +1 == 1 and 1.5e3 > 1e-2',
    'process where process.name like ("c?", "*p", "**", "?", "*?*") and process.name like~ "C*P"',
    'sequence by host.id with maxspan=30s [process where process.name == "a"] by process.pid [file where true] until [process where false]',
    'sample by host.id [process where true] [file where true]',
    'process where true | head 5 | tail 2 | filter process.name == "cp" | unique process.name',
    'process where process.name : "cp" and process.args : ("/boot/*", "-?") and process.args regex~ "/BOOT/[A-Z]+.*"',
    'process where label regex ".{3}\\s.\\s\\S" and label : "*\u00e9*" and label like "\u00c9t\u00e9*"',
    'file where file.path regex "/usr/lib/dracut/modules\\.d/[0-9]{2}[a-z]+/[^/]*\\.sh" and nested.b in ("Z", "x")',
    'process where (((((((((((((process.name == "cp")))))))))))))',
    'process where process.name == ~"cp" or process.args in~ ("-A") or process.name :~ "CP"',
    'process where flag == true and off != true and ratio == 0.5 and big > 0 and neg < 0 and nothing == null and empty == null',
]

ENGINE_SEEDS = [
    ("*boot*", "/boot/vmlinuz"), ("c?", "cp"), ("*/?*.sh", "/usr/lib/dracut/modules.d/99x/module-setup.sh"),
    ("a*b*c*", "aXbYbZc"), ("*\u00e9?", "caf\u00e9\u00e9!"), ("[a-c]+d{2,3}", "abcdd"), ("(ab|cd)*e?", "abcdab"),
    ('"quoted*"@#', "quoted*x"), ("\\d\\w\\s\\D\\W\\S", "1a x.y"), ("[^\\]x-]{0,4}.", "abcd!"),
    ("**?**", "\U0001F600"), ("*", ""), ("", ""), ("?*?*?", "ab"), ("A*B", "ab"), ("x{1000}", "x" * 20),
]

EQL_EVENT = {"process": {"name": "cp", "args": ["cp", "/boot/x"], "pid": 7, "parent": {"name": "sh"}},
             "file": {"path": "/boot/x"}, "event": {"type": ["start"]}, "n": [1, 2.5, True, None, {"k": "v"}]}


def eql_seeds():
    with open(os.path.join(ROOT, "tests", "data", "elastic-linux-eql-rules.jsonl")) as f:
        rules = [json.loads(line) for line in f if line.strip()]

    def score(r):
        q = r["query"]
        return (len(re.findall(r"\bregex~?\b", q)) * 4 + q.count(":") + len(re.findall(r"like~?", q)) * 2 +
                len(re.findall(r"\b[a-zA-Z]+\(", q)) * 2)

    samples = [r for r in rules if r.get("query_kind") == "sample"]
    sequences = sorted((r for r in rules if r.get("query_kind") == "sequence"), key=score, reverse=True)[:17]
    events = sorted((r for r in rules if r.get("query_kind") == "event"), key=score, reverse=True)
    chosen = samples + sequences
    chosen += events[:100 - len(chosen)]
    for i, r in enumerate(chosen):
        write("eql", "elastic_%03d_%s.eql" % (i, r["rule_id"][:8]), r["query"])

    rules_dir = os.path.join(ROOT, "conf", "rules")
    for name in sorted(os.listdir(rules_dir)):
        with open(os.path.join(rules_dir, name)) as f:
            text = f.read()
        m = re.search(r"^query: \|\n((?:  .*\n|\n)+)", text, re.M)
        query = "\n".join(line[2:] for line in m.group(1).splitlines())
        write("eql", "shipped_%s.eql" % os.path.splitext(name)[0], query + "\n")
    for i, q in enumerate(EQL_HANDWRITTEN):
        write("eql", "hand_%02d.eql" % i, q)
    for i, (pattern, subject) in enumerate(ENGINE_SEEDS):
        write("eql", "engine_%02d.bin" % i, pattern.encode() + b"\0" + subject.encode())
    write("eql", "with_event_00.bin", EQL_HANDWRITTEN[1].encode() + b"\0" + json.dumps(EQL_EVENT).encode())
    write("eql", "with_event_01.bin", b'process where process.name : "c*" and n == 2.5\0' +
          json.dumps(EQL_EVENT, indent=1).encode())


# ---------------------------------------------------------------- rule_yaml

YAML_SEEDS = {
    "exceptions_list.yaml": """- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
  description: the backup agent restores kernels
  condition: process.parent.executable == "/opt/backup/bin/restore"
- rule_id: no-such-rule
  condition: process.name == "x"
""",
    "exceptions_map.yaml": """exceptions:
  - rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
    condition: |
      process.parent.name in ("restore", "backup") and
        process.args : "/boot/*"
  - rule_id: "5bda8597-69a6-4b9e-87a2-69a7c963ea83"
    condition: 'process.name == "cp"'
""",
    "exceptions_broken.yaml": """- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
  condition: process.parent.executable ==
- rule_id: ""
  condition: x
- just a string
- {rule_id: a, condition: "", extra: 1}
""",
    "override_disable.yaml": """id: c5fc788c-7576-4a02-b3d6-d2c016eb85a6
enabled: false
""",
    "override_keys.yaml": """id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
severity: critical
risk_score: 99
max_signals: 1
tags: ["Local: \\u2028 line\\nbreak", "\\"quoted\\""]
exceptions:
  - process.parent.name == "sudo"
  - description: inline
    condition: >
      process.args : "/boot/efi/*"
""",
    "local_rule.yaml": """id: local-1
name: "Local \\x01 rule \\t with control characters\\r\\n"
description: |
  Multi-line
  description with "quotes" and \\ backslashes
ruleset: local
severity: medium
risk_score: 50
references: [https://example.org/a, "x\\u0000y"]
threat:
  - framework: MITRE ATT&CK
    tactic: {id: TA0003, name: Persistence, reference: "https://attack.mitre.org/tactics/TA0003/"}
    technique:
      - id: T1542
        name: Pre-OS Boot
        reference: "https://attack.mitre.org/techniques/T1542/"
        subtechnique:
          - {id: T1542.003, name: Bootkit, reference: "https://attack.mitre.org/techniques/T1542/003/"}
query: |
  any where process.name : "*" and process.args regex~ ".*BOOT.*"
""",
    "local_file_rule.yaml": """id: local-2
name: File rule
severity: high
query: "file where file.path : \\"/boot/*\\" or file.path regex \\"/usr/lib/dracut/.*\\""
""",
    "broken_query.yaml": """id: broken-query
name: Broken
query: |
  process where process.name == "cp" and
    process.args like~ ("/boot/*",
    and true
""",
    "sequence_rule.yaml": """id: seq-1
name: Some Sequence
query: |
  sequence by host.id with maxspan=1m
    [process where process.name == "a"]
    [process where process.name == "b"]
""",
    "bad_types.yaml": """id: [1, 2]
name: {a: b}
severity: extreme
risk_score: 101
max_signals: -1
enabled: maybe
tags: tag
threat: {tactic: x}
query: ""
enabeld: true
""",
    "anchors.yaml": """base: &b {id: TA0003, name: Persistence}
id: anchors
name: &n Anchored
description: *n
query: >-
  process where
  process.name == "cp"
threat:
  - tactic: *b
    technique: [*b, {id: T1, subtechnique: [*b]}]
""",
    "config_bad.yaml": """rule_directories: /not/a/list
syslog_facility: local9
max_alert_bytes: 10
alert_file: relative/path
queue_bytes: 99999999999999
unknown: 1
""",
    "empty.yaml": "",
    "tabs_utf8.yaml": "id: t\nname: \"\u00e9t\u00e9\"\nquery: |\n\tprocess where true\n",
}


def yaml_seeds():
    rules_dir = os.path.join(ROOT, "conf", "rules")
    for name in sorted(os.listdir(rules_dir)):
        with open(os.path.join(rules_dir, name), "rb") as f:
            write("rule_yaml", "shipped_" + name, f.read())
    with open(os.path.join(ROOT, "conf", "auditeql.yaml"), "rb") as f:
        write("rule_yaml", "conf_auditeql.yaml", f.read())
    for name, text in YAML_SEEDS.items():
        write("rule_yaml", name, text)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.join(sys.argv[1], "src", "app", "auditeql")
    for target in ("records", "eql", "rule_yaml"):
        d = os.path.join(HERE, "corpus", target)
        if os.path.isdir(d):
            for name in os.listdir(d):
                if not name.startswith("README"):
                    os.remove(os.path.join(d, name))
    eql_seeds()
    yaml_seeds()
    record_seeds(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
