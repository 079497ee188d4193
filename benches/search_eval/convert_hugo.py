#!/usr/bin/env python3
"""Turn a Hugo site's content into a Casebook site, for the search benchmark (issue #11) only.

    python3 benches/search_eval/convert_hugo.py SRC DEST [--content content/en]
        [--exclude authors,topics] [--title T] [--base-url URL]

A benchmark tool, not an importer (`casebook import hugo` is the product's): it keeps only what
search needs and what lets the site build. Standard library only, so it runs on a fresh machine.

- Every top-level folder of the content folder becomes a type (its name, `required: []`) and
  each file gets `type:` set explicitly; files at the root get the type `page`. Folders and
  files starting with `_` (Hugo's headless bundles, archives) and the `--exclude` folders
  (taxonomy listings such as authors and topics) are left out. Only markdown is copied.
- Frontmatter keeps title, summary (or Hugo's `description`), date, slug, authors and draft,
  dropped line-by-line by top-level key, so the YAML itself is still read by Casebook. TOML
  frontmatter (`+++`) is read with `tomllib` and written as JSON, which YAML reads. A page with
  no title gets one from its file name. Section `_index.md` files keep title and description.
- The body loses Hugo shortcodes (`{{< x >}}`, `{{% x %}}`; the text between a paired
  shortcode's tags stays; escaped `{{</* x */>}}` become the literal `{{< x >}}`), images
  (replaced by their alt text), and every link that is not absolute is made absolute against
  `--base-url`, so Casebook's link check has nothing to resolve in a tree without its assets.
"""

import argparse
import json
import os
import re
import sys
import tomllib

KEEP = {"title", "summary", "description", "date", "slug", "authors", "draft"}
SECTION_KEEP = {"title", "description"}
# Casebook's built-in types own these folders; reuse their keys so no folder has two types.
BUILTIN = {"case-studies": "case-study", "research": "research", "toolkits": "toolkit",
           "reports": "report", "publications": "publication", "blog": "blog", "guides": "guide"}

TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
ESCAPED_OPEN, ESCAPED_CLOSE = "\x00SC_OPEN\x00", "\x00SC_CLOSE\x00"
SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\")?)\s*\)")
REF_DEF = re.compile(r"^((?:\s{0,3}>)*\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.M)  # also in a > quote
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#)")
EMAIL_AUTOLINK = re.compile(r"<([^<>@\s/]+@[^<>@\s/]+)>")
EMPTY_ITEM = re.compile(r"^\s*-\s*$")


def split_frontmatter(text):
    """(kind, frontmatter text, body): kind is 'yaml', 'toml' or None."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    for fence, kind in (("---", "yaml"), ("+++", "toml")):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            if end != -1:
                body_start = text.find("\n", end + 1)
                body = text[body_start + 1:] if body_start != -1 else ""
                return kind, text[len(fence) + 1:end + 1], body
    return None, "", text


def yaml_entries(frontmatter):
    """Top-level entries as (key, lines): a key at column 0 and the lines that continue it."""
    entries = []
    for line in frontmatter.splitlines():
        match = TOP_KEY.match(line)
        if match and not (entries and quote_open(entries[-1][1])):
            entries.append((match.group(1), [line]))
        elif line.startswith("#") or not entries:
            continue  # a top-level comment, or stray text before the first key
        else:
            entries[-1][1].append(line)
    return entries


def quote_open(lines):
    """Whether an entry's value opened a quote it has not closed yet (so it runs on)."""
    value = "\n".join(lines).split(":", 1)[1].strip()
    quote = value[:1]
    if quote == '"':
        return len(re.findall(r'(?<!\\)"', value)) % 2 == 1
    return quote == "'" and value.count("'") % 2 == 1


def one_line(lines):
    """A quoted scalar continued on further lines, folded onto one line as YAML would.

    Hugo's YAML reader takes a quoted title or summary that runs over several lines; a plain
    join with spaces keeps the text and suits every reader."""
    value = lines[0].split(":", 1)[1].strip()
    if len(lines) > 1 and value[:1] in ("'", '"'):
        return [" ".join([lines[0]] + [line.strip() for line in lines[1:]])]
    return lines


def slug_line(lines):
    """The slug as Casebook accepts it: lower-case letters, digits and hyphens."""
    value = lines[0].split(":", 1)[1].strip().strip("'\"")
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return [f"slug: {slug}"] if slug else []


def renamed(lines, old, new):
    """The entry's lines with its key `old` renamed to `new`."""
    return [lines[0].replace(old, new, 1)] + lines[1:]


def kept_frontmatter(kind, frontmatter, is_section):
    """The frontmatter lines to keep, as {casebook key: lines}."""
    if kind == "toml":
        try:
            data = tomllib.loads(frontmatter)
        except tomllib.TOMLDecodeError:
            data = {}
        entries = [(k, [f"{k}: {json.dumps(v, default=str)}"]) for k, v in data.items()]
    elif kind == "yaml":
        entries = yaml_entries(frontmatter)
    else:
        entries = []
    keep = SECTION_KEEP if is_section else KEEP
    out = {}
    for key, lines in entries:
        if is_section and key == "summary":
            key, lines = "description", renamed(lines, "summary", "description")
        elif not is_section and key == "description":
            key, lines = "summary", renamed(lines, "description", "summary")
        if key == "slug":
            lines = slug_line(lines)
        elif key == "authors":
            lines = [line for line in lines if not EMPTY_ITEM.match(line)]
            if len(lines) == 1 and not lines[0].split(":", 1)[1].strip():
                lines = []  # an empty list of authors
        else:
            lines = one_line(lines)
        if key in keep and key not in out and lines:
            out[key] = lines
    return out


def absolute(target, base_url):
    """A link target made absolute against the site's address."""
    if not target or ABSOLUTE.match(target):
        return target
    return base_url.rstrip("/") + "/" + target.lstrip("./").lstrip("/")


def clean_body(body, base_url):
    """The body without shortcodes or images, its links absolute."""
    body = body.replace("{{</*", ESCAPED_OPEN).replace("*/>}}", ESCAPED_CLOSE)
    body = body.replace("{{%/*", ESCAPED_OPEN).replace("*/%}}", ESCAPED_CLOSE)
    body = SHORTCODE.sub("", body)
    body = body.replace(ESCAPED_OPEN, "{{< ").replace(ESCAPED_CLOSE, " >}}")
    body = IMAGE.sub(lambda m: m.group(1), body)
    body = EMAIL_AUTOLINK.sub(lambda m: f"[{m.group(1)}](mailto:{m.group(1)})", body)
    body = LINK.sub(lambda m: f"]({absolute(m.group(1), base_url)}{m.group(2)})", body)
    return REF_DEF.sub(lambda m: m.group(1) + absolute(m.group(2), base_url), body)


def title_from_name(path):
    """A title from a file name: `get-started.md` -> `Get started`."""
    stem = os.path.basename(os.path.dirname(path)) if os.path.basename(path) in (
        "index.md", "_index.md") else os.path.splitext(os.path.basename(path))[0]
    words = re.sub(r"[-_]+", " ", stem).strip() or "Untitled"
    return words[0].upper() + words[1:]


def convert_file(src, dest, type_key, base_url, slugs_taken):
    """Writes the Casebook version of one Hugo markdown file.

    A slug already taken in the same folder is dropped (the file name gives the URL), as two
    Hugo pages may share a slug when their dates put them under different addresses."""
    with open(src, encoding="utf-8", errors="replace") as f:
        kind, frontmatter, body = split_frontmatter(f.read())
    is_section = os.path.basename(src) == "_index.md"
    fields = kept_frontmatter(kind, frontmatter, is_section)
    if "slug" in fields:
        place = (os.path.dirname(dest), fields["slug"][0])
        if place in slugs_taken:
            del fields["slug"]
        slugs_taken.add(place)
    if "title" not in fields:
        fields["title"] = [f"title: {json.dumps(title_from_name(src))}"]
    lines = [line for entry in fields.values() for line in entry]
    if not is_section and type_key:
        lines.append(f"type: {type_key}")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w", encoding="utf-8") as f:
        f.write("---\n" + "\n".join(lines) + "\n---\n" + clean_body(body, base_url))


def type_name(folder):
    """A type's display name from its folder: `content-management` -> `Content management`."""
    words = folder.replace("-", " ").replace("_", " ")
    return words[0].upper() + words[1:]


def write_config(dest, title, base_url, folders, has_root_pages):
    """casebook.yaml: one type per top-level folder (JSON values are YAML too)."""
    types = {BUILTIN.get(folder, folder): {"name": type_name(folder), "plural": type_name(folder),
                                           "section": folder, "required": []}
             for folder in folders}
    if has_root_pages:
        types["page"] = {"name": "Page", "plural": "Pages", "required": []}
    config = [
        "# Written by benches/search_eval/convert_hugo.py for the search benchmark.",
        f"title: {json.dumps(title)}",
        f"base_url: {json.dumps(base_url.rstrip('/') + '/')}",
        "language: en",
        "types:",
    ] + [f"  {key}: {json.dumps(value)}" for key, value in types.items()] + [
        "paginate_by: 0  # one page per listing: a Hugo page may be named `page` (methods/page/Page.md)",
        "frontmatter:",
        "  unknown_fields: allow",
    ]
    with open(os.path.join(dest, "casebook.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(config) + "\n")


def skipped(name, excluded):
    """Whether a file or folder is left out of the benchmark library."""
    return name.startswith((".", "_")) and name != "_index.md" or name in excluded


def convert(src_content, dest, title, base_url, excluded):
    """Converts every markdown file under src_content; returns (files, folders)."""
    count, folders, root_pages, slugs_taken = 0, set(), False, set()
    for dirpath, dirnames, filenames in os.walk(src_content):
        dirnames[:] = sorted(d for d in dirnames if not skipped(d, excluded))
        rel_dir = os.path.relpath(dirpath, src_content)
        top = None if rel_dir == "." else rel_dir.split(os.sep)[0]
        for name in sorted(filenames):
            if not name.endswith((".md", ".markdown")) or skipped(name, excluded):
                continue
            if top is None and name == "_index.md":
                type_key = None
            elif top is None:
                type_key, root_pages = "page", True
            else:
                type_key = BUILTIN.get(top, top)
                folders.add(top)
            target = os.path.join(dest, "content", rel_dir, os.path.splitext(name)[0] + ".md")
            convert_file(os.path.join(dirpath, name), os.path.normpath(target), type_key, base_url,
                         slugs_taken)
            count += 1
    write_config(dest, title, base_url, sorted(folders), root_pages)
    return count, folders


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", help="the Hugo site (its folder holds content/)")
    parser.add_argument("dest", help="the Casebook site to write (must not exist)")
    parser.add_argument("--content", default="content", help="content folder inside SRC")
    parser.add_argument("--exclude", default="", help="comma-separated folder names to leave out")
    parser.add_argument("--title", default="Search benchmark library")
    parser.add_argument("--base-url", default="https://example.org/")
    args = parser.parse_args()
    if os.path.exists(args.dest):
        sys.exit(f"convert_hugo: {args.dest} exists; choose a new folder")
    excluded = {name for name in args.exclude.split(",") if name}
    files, folders = convert(os.path.join(args.src, args.content), args.dest, args.title,
                             args.base_url, excluded)
    print(f"convert_hugo: {files} files, {len(folders)} types -> {args.dest}")


if __name__ == "__main__":
    main()
