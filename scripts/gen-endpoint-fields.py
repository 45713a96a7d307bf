#!/usr/bin/env python3
"""Generate src/ecs/generated/endpoint_fields.tsv: the fields of Elastic Defend's
Linux-relevant event data streams (ECS plus Elastic's additions: process.Ext.*,
file.Ext.*, process.entry_leader.* and the rest), with their type and whether
they hold arrays, in the columns of ECS's field list (field, type, array).

Sources, read from git repositories (a bare mirror or a checkout):
  - elastic/endpoint-package: package/endpoint/data_stream/<stream>/fields/fields.yml
    (the fields each data stream maps), custom_schemas/*.yml (Elastic's
    additions to ECS, with their `normalize: array` marks), and the JSON sample
    events of the chosen streams (their sample_event.json, and the
    schemas/examples/v1/*.json of their datasets);
  - elastic/ecs at the commit the endpoint package pins (ECS_GIT_REF in its
    Makefile): generated/ecs/ecs_flat.yml, for the `normalize: array` of ECS fields.

A field holds arrays when ECS or the custom schema marks it `normalize: array`,
or when a sample event gives it a JSON list (Elastic leaves some list-valued
fields unmarked, process.Ext.ancestry for one). Multi-fields (`.caseless`,
`.text`) are listed as fields of their own, with their parent's array flag.

Python 3 standard library only: the YAML reader below handles the subset of
YAML these generated files use (block maps and sequences, plain, quoted and
block scalars, one-line flow collections, several documents per file).

Usage:
  scripts/gen-endpoint-fields.py --endpoint-package REPO[@REV] --ecs REPO \
      [--streams process,file,network,library,api] [-o src/ecs/generated/endpoint_fields.tsv]
"""

import argparse
import json
import re
import subprocess
import sys

DEFAULT_STREAMS = ["process", "file", "network", "library", "api"]

# ---------------------------------------------------------------------------
# A small YAML reader.


class YamlError(Exception):
    pass


class _Lines:
    def __init__(self, text):
        self.lines = text.replace("\r\n", "\n").split("\n")
        self.i = 0

    def skip_blank(self):
        while self.i < len(self.lines):
            stripped = self.lines[self.i].strip()
            if stripped and not stripped.startswith("#"):
                return True
            self.i += 1
        return False

    def peek(self):
        return self.lines[self.i] if self.i < len(self.lines) else None


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _is_document_marker(line):
    return line.rstrip() in ("---", "...") or line.startswith("--- ")


def _strip_comment(text):
    # A plain scalar's comment starts at " #".
    at = text.find(" #")
    return text[:at].rstrip() if at >= 0 else text.rstrip()


def _closing_quote(text, start):
    """Index of the quote that closes the quoted scalar opening at text[start], or -1."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _split_key(content):
    """'key: rest' -> (key, rest); None when the line is not a map entry."""
    if content.startswith(("'", '"')):
        end = _closing_quote(content, 0)
        if end < 0:
            return None
        key = _unquote(content[:end + 1])
        rest = content[end + 1:]
        if not (rest == ":" or rest.startswith(": ")):
            return None
        return key, rest[1:].strip()
    m = re.match(r"^([^\s#'\"\[\]{},][^#]*?)\s*:(?:\s+(.*))?$", content)
    if not m or m.group(1).startswith(("- ", "[", "{")):
        return None
    return m.group(1), (m.group(2) or "").strip()


def _unquote(text):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        return _unescape(text[1:-1])
    return text


def _parse_flow(text):
    """One flow collection: [a, b] or {k: v, ...}, nesting allowed."""
    pos = 0

    def at():
        nonlocal pos
        while text[pos] == " ":
            pos += 1
        return text[pos]

    def items(close, read_item):
        nonlocal pos
        pos += 1
        while at() != close:
            read_item()
            if at() == ",":
                pos += 1
        pos += 1

    def value():
        nonlocal pos
        if at() == "[":
            out = []
            items("]", lambda: out.append(value()))
            return out
        if at() == "{":
            out = {}

            def entry():
                nonlocal pos
                key = value()
                if at() != ":":
                    raise YamlError("expected ':' in flow map: " + text)
                pos += 1
                out[key] = value()

            items("}", entry)
            return out
        if at() in "'\"":
            end = _closing_quote(text, pos)
            if end < 0:
                raise YamlError("unterminated quoted scalar: " + text)
            scalar = _unquote(text[pos:end + 1])
            pos = end + 1
            return scalar
        m = re.compile(r"[^,\]}:]*(?::(?! )[^,\]}:]*)*").match(text, pos)
        pos = m.end()
        return m.group(0).strip()

    return value()


def _read_quoted(lines, first):
    """A quoted scalar that may continue over several lines, folded as YAML
    does: a line break between two lines is a space, an empty line a newline."""
    quote = first[0]
    parts = [first]
    while True:
        joined = "\n".join(parts)
        end = _closing_quote(joined, 0)
        if end >= 0:
            break
        lines.i += 1
        if lines.i >= len(lines.lines):
            raise YamlError("unterminated quoted scalar")
        parts.append(lines.lines[lines.i])
    raw_lines = joined[1:end].split("\n")
    folded = raw_lines[0] if len(raw_lines) == 1 else raw_lines[0].rstrip()
    for line in raw_lines[1:]:
        line = line.strip()
        if not line:
            folded += "\n"
        elif folded and not folded.endswith("\n"):
            folded += " " + line
        else:
            folded += line
    return folded.replace("''", "'") if quote == "'" else _unescape(folded)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "e": "\x1b", " ": " ", "/": "/", "\\": "\\", '"': '"'}


def _unescape(text):
    """Decodes the escapes of a YAML double-quoted scalar."""
    def one(m):
        code = m.group(1)
        if code[0] in "xuU":
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)
    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", one, text)


def _read_scalar(lines, text, parent_indent):
    """The value after 'key:' or '- ' on the current line (lines.i)."""
    if text.startswith(("|", ">")):
        lines.i += 1
        block = []
        while lines.i < len(lines.lines):
            line = lines.lines[lines.i]
            if line.strip() and _indent(line) <= parent_indent:
                break
            block.append(line.strip())
            lines.i += 1
        return "\n".join(block).strip()
    if text.startswith(("'", '"')):
        value = _read_quoted(lines, text)
        lines.i += 1
        return value
    if text.startswith(("[", "{")):
        flow = text
        while flow.count("[") + flow.count("{") > flow.count("]") + flow.count("}"):
            lines.i += 1
            flow += " " + lines.lines[lines.i].strip()
        lines.i += 1
        return _parse_flow(flow)
    value = _strip_comment(text)
    lines.i += 1
    # A plain scalar continues on more indented lines.
    while lines.i < len(lines.lines):
        line = lines.lines[lines.i]
        if not line.strip() or _indent(line) <= parent_indent:
            break
        value += " " + _strip_comment(line.strip())
        lines.i += 1
    return value


def _parse_node(lines, min_indent):
    if not lines.skip_blank():
        return None
    line = lines.peek()
    if _is_document_marker(line):
        return None
    indent = _indent(line)
    if indent < min_indent:
        return None
    content = line.strip()
    if content == "-" or content.startswith("- "):
        return _parse_sequence(lines, indent)
    if _split_key(content) is not None:
        return _parse_map(lines, indent)
    return _read_scalar(lines, content, indent - 1)


def _parse_sequence(lines, indent):
    items = []
    while lines.skip_blank():
        line = lines.peek()
        if _is_document_marker(line) or _indent(line) != indent:
            break
        content = line.strip()
        if not (content == "-" or content.startswith("- ")):
            break
        rest = content[1:].strip()
        if not rest:
            lines.i += 1
            items.append(_parse_node(lines, indent + 1))
            continue
        # Re-read the item as if it started on its own line, further in.
        lines.lines[lines.i] = " " * (indent + 2) + rest
        items.append(_parse_node(lines, indent + 2))
    return items


def _parse_map(lines, indent):
    result = {}
    while lines.skip_blank():
        line = lines.peek()
        if _is_document_marker(line) or _indent(line) != indent:
            break
        entry = _split_key(line.strip())
        if entry is None:
            raise YamlError("expected 'key: value' at line %d: %r" % (lines.i + 1, line))
        key, rest = entry
        if rest and not rest.startswith("#"):
            result[key] = _read_scalar(lines, rest, indent)
            continue
        lines.i += 1
        # A nested node is more indented, except a sequence, which may sit at the key's indent.
        if lines.skip_blank():
            nxt = lines.peek()
            nested = _indent(nxt) > indent or (
                _indent(nxt) == indent and (nxt.strip() == "-" or nxt.strip().startswith("- ")))
            result[key] = _parse_node(lines, indent) if nested and not _is_document_marker(nxt) else None
        else:
            result[key] = None
    return result


def load_yaml_documents(text):
    lines = _Lines(text)
    documents = []
    while lines.skip_blank():
        if _is_document_marker(lines.peek()):
            lines.i += 1
            continue
        start = lines.i
        documents.append(_parse_node(lines, 0))
        if lines.i == start:
            raise YamlError("cannot parse line %d: %r" % (lines.i + 1, lines.peek()))
    return documents


def load_yaml(text):
    documents = load_yaml_documents(text)
    return documents[0] if documents else None


# ---------------------------------------------------------------------------
# Reading from git.


class Repo:
    def __init__(self, spec):
        path, _, rev = spec.partition("@")
        self.path = path
        self.commit = self.git("rev-parse", (rev or "HEAD") + "^{commit}").strip()

    def git(self, *args):
        return subprocess.run(["git", "-C", self.path, *args], check=True, capture_output=True,
                              text=True).stdout

    def show(self, path):
        return self.git("show", "%s:%s" % (self.commit, path))

    def ls(self, prefix):
        return [p for p in self.git("ls-tree", "-r", "--name-only", self.commit, prefix).split("\n") if p]

    def commit_date(self):
        return self.git("show", "-s", "--format=%cs", self.commit).strip()


# ---------------------------------------------------------------------------
# The fields.


def flatten_fields(entries, prefix, out):
    """fields.yml groups -> {dotted name: type}, multi-fields included."""
    for entry in entries or []:
        name = prefix + entry["name"]
        kind = entry.get("type")
        if kind == "group":
            flatten_fields(entry.get("fields"), name + ".", out)
            continue
        out.setdefault(name, kind)
        for multi in entry.get("multi_fields") or []:
            out.setdefault(name + "." + multi["name"], multi.get("type"))
        if entry.get("fields"):
            flatten_fields(entry["fields"], name + ".", out)


def ecs_arrays(flat):
    """ecs_flat.yml -> (fields marked normalize: array, {prefix: fieldset} of every reuse location)."""
    arrays = set()
    locations = {}
    for flat_name, spec in flat.items():
        if "array" in (spec.get("normalize") or []):
            arrays.add(flat_name)
        relative = spec.get("name", "")
        if flat_name.endswith("." + relative):
            prefix = flat_name[:-len(relative) - 1]
            fieldset = spec.get("original_fieldset") or prefix.split(".")[0]
            locations.setdefault(prefix, fieldset)
    return arrays, locations


def custom_arrays(documents):
    """custom_schemas -> ({fieldset: [relative names marked array]}, {location: fieldset}, {arrays at reuse locations})."""
    marked = {}
    locations = {}
    array_locations = set()
    for doc in documents:
        for fieldset in doc or []:
            name = fieldset["name"]
            locations.setdefault(name, name)
            reusable = fieldset.get("reusable") or {}
            for expected in reusable.get("expected") or []:
                at, alias = (expected, name) if isinstance(expected, str) else (expected["at"], expected.get("as", name))
                location = at + "." + alias
                locations.setdefault(location, name)
                if not isinstance(expected, str) and "array" in (expected.get("normalize") or []):
                    array_locations.add(location)
            for field in fieldset.get("fields") or []:
                if "array" in (field.get("normalize") or []):
                    marked.setdefault(name, []).append(field["name"])
    return marked, locations, array_locations


def sample_arrays(documents):
    """Dotted names of the values that are JSON lists in the sample events."""
    found = set()

    def walk(value, prefix):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, prefix + key + ".")
        elif isinstance(value, list):
            found.add(prefix[:-1])
            for item in value:
                walk(item, prefix)

    for doc in documents:
        walk(doc.get("_source", doc) if isinstance(doc, dict) else doc, "")
    return found


def event_dataset(document):
    source = document.get("_source", document)
    for group in ("data_stream", "event"):
        dataset = (source.get(group) or {}).get("dataset")
        if dataset:
            return dataset
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint-package", required=True, help="elastic/endpoint-package git repository [@rev]")
    parser.add_argument("--ecs", required=True, help="elastic/ecs git repository (the pinned commit is used)")
    parser.add_argument("--streams", default=",".join(DEFAULT_STREAMS))
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()

    endpoint = Repo(args.endpoint_package)
    makefile = endpoint.show("Makefile")
    pinned = re.search(r"^ECS_GIT_REF\s*\?=\s*(\S+)", makefile, re.M)
    if not pinned:
        sys.exit("gen-endpoint-fields: no ECS_GIT_REF in the endpoint package's Makefile")
    ecs = Repo("%s@%s" % (args.ecs, pinned.group(1)))
    package_version = load_yaml(endpoint.show("package/endpoint/manifest.yml"))["version"]
    ecs_version = ecs.show("version").strip()

    streams = [s for s in args.streams.split(",") if s]
    stream_paths = []
    fields = {}
    for stream in streams:
        path = "package/endpoint/data_stream/%s/fields/fields.yml" % stream
        if not endpoint.ls(path):
            print("gen-endpoint-fields: no data stream %s, skipped" % stream, file=sys.stderr)
            continue
        stream_paths.append(path)
        found = {}
        flatten_fields(load_yaml(endpoint.show(path)), "", found)
        for name, kind in found.items():
            if name in fields and fields[name] != kind:
                sys.exit("gen-endpoint-fields: %s is %s in one stream, %s in another" % (name, fields[name], kind))
            fields[name] = kind

    arrays, locations = ecs_arrays(load_yaml(ecs.show("generated/ecs/ecs_flat.yml")))
    custom_paths = [p for p in endpoint.ls("custom_schemas") if p.endswith((".yml", ".yaml"))]
    custom_docs = []
    for path in custom_paths:
        custom_docs.extend(load_yaml_documents(endpoint.show(path)))
    marked, custom_locations, array_locations = custom_arrays(custom_docs)
    for location, fieldset in custom_locations.items():
        locations.setdefault(location, fieldset)
    arrays |= array_locations
    for location, fieldset in locations.items():
        for relative in marked.get(fieldset, []):
            arrays.add(location + "." + relative)
    # Sample events of the chosen streams only: another stream may use a field
    # differently (the actions stream lists agent ids in agent.id).
    datasets = {"endpoint.events." + s for s in streams}
    samples = [json.loads(endpoint.show("package/endpoint/data_stream/%s/sample_event.json" % s))
               for s in streams if endpoint.ls("package/endpoint/data_stream/%s/sample_event.json" % s)]
    for path in endpoint.ls("schemas/examples"):
        if path.endswith(".json"):
            example = json.loads(endpoint.show(path))
            if event_dataset(example) in datasets:
                samples.append(example)
    arrays |= sample_arrays(samples)

    def is_array(name):
        if name in arrays:
            return True
        parent = name.rsplit(".", 1)[0]
        return parent in fields and parent in arrays and fields[parent] not in ("object", "nested", "flattened") \
            and name.rsplit(".", 1)[1] in ("caseless", "text")

    out = open(args.output, "w") if args.output != "-" else sys.stdout
    out.write("# Elastic Defend's fields for its Linux-relevant event data streams (%s).\n" % ", ".join(streams))
    out.write("# Generated by scripts/gen-endpoint-fields.py; do not edit. Regenerate from clones of\n")
    out.write("# https://github.com/elastic/endpoint-package and https://github.com/elastic/ecs:\n")
    out.write("#   scripts/gen-endpoint-fields.py --endpoint-package ENDPOINT_PACKAGE[@REV] --ecs ECS \\\n")
    out.write("#       -o src/ecs/generated/endpoint_fields.tsv\n")
    out.write("# Fields: elastic/endpoint-package commit %s (%s), package version %s:\n"
              % (endpoint.commit, endpoint.commit_date(), package_version))
    for path in stream_paths:
        out.write("#   %s\n" % path)
    out.write("# Arrays: `normalize: array` in elastic/ecs commit %s (ECS %s, the package's\n"
              "#   ECS_GIT_REF) generated/ecs/ecs_flat.yml and in the package's custom_schemas/*.yml;\n"
              "#   a JSON list in the streams' sample_event.json or the schemas/examples/v1/*.json of their datasets.\n"
              % (ecs.commit, ecs_version))
    out.write("# Multi-fields (.caseless, .text) are rows of their own. Lines starting with # are comments.\n")
    out.write("field\ttype\tarray\n")
    for name in sorted(fields):
        out.write("%s\t%s\t%s\n" % (name, fields[name], "yes" if is_array(name) else "no"))
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
