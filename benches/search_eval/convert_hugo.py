#!/usr/bin/env python3
"""Turn a Hugo site's content into a Casebook site, for the search benchmark (issue #11) only.

    python3 benches/search_eval/convert_hugo.py SRC DEST [--content content/en]...
        [--exclude authors,topics] [--title T] [--base-url URL] [--eleventy | --jekyll]

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
- `--content` may be given more than once, as `PATH` or `PATH:FOLDER`: several content folders
  (of one repository or several, under SRC) make one site, each put at FOLDER under the site's
  content/ (the root when none), where its top-level folders become types as above.
- `--eleventy` reads Eleventy (Liquid) content: Liquid tags are dropped (`{% comment %}` with
  its text; a `{% capture %}`'s text stays; `{% raw %}` text is left as it is), a link written
  `{{ "/x/" | url }}` or `{{ site.baseurl }}/x/` keeps its address and other `{{ ... }}`
  output is dropped; `excerpt` is read as the summary; a file with `permalink: false` (never
  rendered) is left out; a date keeps only its day (Eleventy takes `2015-03-17 10:00:00 -4`,
  Casebook does not); and an `index.md` beside other pages, or an `x.md` beside a folder `x/`,
  is that folder's section page (`_index.md`), as Hugo would have it. `permalink:` addresses
  are not followed: URLs come from the file's place, as for Hugo content.
- `--jekyll` reads Jekyll content (kramdown, Liquid): Liquid as `--eleventy` drops it (an
  `{% include image.html ... alt="x" %}` becomes its alt text, a `{{ "/x/" | relative_url }}`
  link keeps its address), and kramdown's own syntax goes too: `{::nomarkdown}` and `{:/}`
  markers (the HTML between them stays, as kramdown writes it), `{::comment}` with its text,
  `{::options /}`, attribute lists such as `{:.class}` and the list a `{:toc}` replaces with the
  table of contents; a markdown link to `javascript:` (which Casebook refuses) goes to `#`. A
  file named like `x.fr.md` or `x.zh-hans.md` is a translation and is left out. `excerpt` is
  the summary and a date keeps its day, as for Eleventy; a post with no date takes it from its
  file name (`2023-10-05-x.md`). A file's `permalink:` is its address (the
  real site's: `pages/design-develop/tutorials/forms/labels.md` is `/tutorials/forms/labels/`),
  else its place; a page whose address has others below it is that folder's section page
  (`_index.md`), and a single-folder address with none below is a root page (`/update/`).
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
LIQUID_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
LIQUID_TAG = re.compile(r"\{%.*?%\}", re.S)
LIQUID_URL = re.compile(r"\{\{-?\s*(['\"])\s*([^'\"]*?)\s*\1\s*\|\s*url\s*-?\}\}")
LIQUID_BASEURL = re.compile(r"\{\{-?\s*site\.baseurl\s*-?\}\}")
LIQUID_OUTPUT = re.compile(r"\{\{.*?\}\}", re.S)
PERMALINK_FALSE = re.compile(r"^permalink:\s*false\s*$", re.M)
DAY = re.compile(r"^date:\s*['\"]?(\d{4}-\d\d-\d\d)")
TRANSLATION = re.compile(r"\.[a-z]{2,3}(?:-[A-Za-z]{2,4})?\.(?:md|markdown)$")
POST_DAY = re.compile(r"^(\d{4}-\d\d-\d\d)-")
PERMALINK = re.compile(r"^permalink:\s*(['\"]?)([^'\"#\s]*)\1\s*(?:#.*)?$", re.M)
LIQUID_IMAGE = re.compile(r"\{%-?\s*include(?:_cached)?\s+image\.html\b(.*?)-?%\}", re.S)
LIQUID_ALT = re.compile(r"\balt=(['\"])(.*?)\1", re.S)
LIQUID_RELATIVE_URL = re.compile(
    r"\{\{-?\s*(['\"])\s*([^'\"]*?)\s*\1\s*\|\s*(?:relative|absolute)_url\s*-?\}\}")
KRAMDOWN_COMMENT = re.compile(r"\{::comment\}.*?\{:/comment\}", re.S)
KRAMDOWN_TOC_LIST = re.compile(  # the list item, then perhaps `{::options ... /}`, then `{:toc}`
    r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+.*\n(?:[ \t]*\{::[^}\n]*\}[ \t]*\n)*[ \t]*\{:\s*toc\s*\}[ \t]*$", re.M)
KRAMDOWN_EXTENSION = re.compile(r"\{::\w+[^}\n]*\}|\{:/\w*\}")
KRAMDOWN_ATTRIBUTES = re.compile(r"\{:[^}\n]*\}")
SCRIPT_LINK = re.compile(r"\]\(\s*javascript:(?:[^()\s]|\([^()]*\))*\)")


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


def kept_frontmatter(kind, frontmatter, is_section, eleventy):
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
        elif eleventy and not is_section and key == "excerpt":
            key, lines = "summary", renamed(lines, "excerpt", "summary")
        if key == "slug":
            lines = slug_line(lines)
        elif eleventy and key == "date" and DAY.match(lines[0]):
            lines = [f"date: {DAY.match(lines[0]).group(1)}"]
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


def without_liquid(body):
    """An Eleventy body without Liquid: links' addresses kept, `{% raw %}` text left as it is."""
    def outside_raw(text):
        text = LIQUID_COMMENT.sub("", text)
        text = LIQUID_URL.sub(lambda m: m.group(2), text)
        text = LIQUID_BASEURL.sub("", text)
        return LIQUID_OUTPUT.sub("", LIQUID_TAG.sub("", text))
    parts = LIQUID_RAW.split(body)  # outside, raw text, outside, ...
    return "".join(part if i % 2 else outside_raw(part) for i, part in enumerate(parts))


def without_kramdown(body):
    """A Jekyll body without kramdown's own syntax (extensions, attribute lists, the list a
    `{:toc}` becomes the table of contents) and without Liquid (images as their alt text)."""
    body = LIQUID_IMAGE.sub(lambda m: (LIQUID_ALT.search(m.group(1)) or [""] * 3)[2], body)
    body = without_liquid(LIQUID_RELATIVE_URL.sub(lambda m: m.group(2), body))
    body = KRAMDOWN_TOC_LIST.sub("", KRAMDOWN_COMMENT.sub("", body))
    body = SCRIPT_LINK.sub("](#)", body)  # `[Print this page](javascript:print())`: Casebook refuses it
    return KRAMDOWN_ATTRIBUTES.sub("", KRAMDOWN_EXTENSION.sub("", body))


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


def convert_file(src, dest, type_key, base_url, slugs_taken, eleventy, jekyll=False):
    """Writes the Casebook version of one Hugo (or Eleventy, or Jekyll) markdown file.

    A slug already taken in the same folder is dropped (the file name gives the URL), as two
    Hugo pages may share a slug when their dates put them under different addresses."""
    with open(src, encoding="utf-8", errors="replace") as f:
        kind, frontmatter, body = split_frontmatter(f.read())
    if eleventy:
        body = without_liquid(body)
    elif jekyll:
        body = without_kramdown(body)
    is_section = os.path.basename(dest) == "_index.md"
    fields = kept_frontmatter(kind, frontmatter, is_section, eleventy or jekyll)
    post_day = POST_DAY.match(os.path.basename(src))
    if jekyll and not is_section and "date" not in fields and post_day:
        fields["date"] = [f"date: {post_day.group(1)}"]
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


def never_rendered(path):
    """Whether an Eleventy file says `permalink: false` (a page Eleventy never writes)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        kind, frontmatter, _ = split_frontmatter(f.read())
    return kind == "yaml" and PERMALINK_FALSE.search(frontmatter) is not None


def target_name(name, siblings, dirnames, eleventy):
    """The converted file's path in its folder: an Eleventy `index.md` with other pages beside
    it (or folders below it) is its folder's section page, `_index.md`, and so is an `x.md`
    beside a folder `x/` (Eleventy gives both addresses by `permalink:`), `x/_index.md`."""
    stem = os.path.splitext(name)[0]
    pages = [n for n in siblings if n.endswith((".md", ".markdown"))]
    if eleventy and name == "index.md" and (len(pages) > 1 or dirnames):
        return "_index.md"
    if eleventy and stem in dirnames:
        return os.path.join(stem, "_index.md")
    return stem + ".md"


def convert(contents, dest, title, base_url, excluded, eleventy):
    """Converts every markdown file under each (content folder, place in the site) of contents;
    returns (files, folders)."""
    count, folders, root_pages, slugs_taken = 0, set(), False, set()
    for src_content, place in contents:
        for dirpath, dirnames, filenames in os.walk(src_content):
            dirnames[:] = sorted(d for d in dirnames if not skipped(d, excluded))
            rel_dir = os.path.normpath(os.path.join(place, os.path.relpath(dirpath, src_content)))
            top = None if rel_dir == "." else rel_dir.split(os.sep)[0]
            for name in sorted(filenames):
                src = os.path.join(dirpath, name)
                if not name.endswith((".md", ".markdown")) or skipped(name, excluded) or (
                        eleventy and never_rendered(src)):
                    continue
                out_name = target_name(name, filenames, dirnames, eleventy)
                if top is None and out_name == "_index.md":
                    type_key = None
                elif top is None:
                    type_key, root_pages = "page", True
                else:
                    type_key = BUILTIN.get(top, top)
                    folders.add(top)
                target = os.path.join(dest, "content", rel_dir, out_name)
                convert_file(src, os.path.normpath(target), type_key, base_url, slugs_taken,
                             eleventy)
                count += 1
    write_config(dest, title, base_url, sorted(folders), root_pages)
    return count, folders


def jekyll_address(src, rel_dir, name):
    """A Jekyll file's address as folder names: its `permalink:`, else its place."""
    with open(src, encoding="utf-8", errors="replace") as f:
        kind, frontmatter, _ = split_frontmatter(f.read())
    permalink = PERMALINK.search(frontmatter) if kind == "yaml" else None
    if permalink and permalink.group(2):
        path = permalink.group(2)
    else:
        stem = os.path.splitext(name)[0]
        path = rel_dir if stem == "index" else os.path.join(rel_dir, stem)
    return tuple(part for part in path.replace(os.sep, "/").split("/") if part not in ("", "."))


def convert_jekyll(contents, dest, title, base_url, excluded):
    """Converts Jekyll content, each file put at its address (`jekyll_address`); returns
    (files, folders)."""
    addresses = {}  # address -> source file
    for src_content, place in contents:
        for dirpath, dirnames, filenames in os.walk(src_content):
            dirnames[:] = sorted(d for d in dirnames if not skipped(d, excluded))
            rel_dir = os.path.normpath(os.path.join(place, os.path.relpath(dirpath, src_content)))
            for name in sorted(filenames):
                src = os.path.join(dirpath, name)
                if not name.endswith((".md", ".markdown")) or skipped(name, excluded) or (
                        TRANSLATION.search(name)):
                    continue
                address = jekyll_address(src, rel_dir, name)
                if address in addresses:
                    sys.exit(f"convert_hugo: {src} and {addresses[address]} are both "
                             f"/{'/'.join(address)}/")
                addresses[address] = src
    sections = {address[:i] for address in addresses for i in range(len(address))}
    folders, root_pages, slugs_taken = set(), False, set()
    for address, src in sorted(addresses.items()):
        if address in sections:
            target, type_key = os.path.join(*address, "_index.md") if address else "_index.md", None
        else:
            target = os.path.join(*address[:-1], address[-1] + ".md")
            type_key = "page" if len(address) == 1 else BUILTIN.get(address[0], address[0])
        if len(address) == 1 and address not in sections:
            root_pages = True
        elif address:
            folders.add(address[0])
        convert_file(src, os.path.join(dest, "content", target), type_key, base_url, slugs_taken,
                     False, jekyll=True)
    write_config(dest, title, base_url, sorted(folders), root_pages)
    return len(addresses), folders


def content_folders(src, specs):
    """(folder to read, place in the site) for each `--content PATH[:FOLDER]`."""
    return [(os.path.join(src, path), place or ".")
            for path, _, place in (spec.partition(":") for spec in specs)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", help="the Hugo site (its folder holds content/)")
    parser.add_argument("dest", help="the Casebook site to write (must not exist)")
    parser.add_argument("--content", action="append",
                        help="content folder inside SRC, as PATH or PATH:FOLDER (FOLDER: where "
                        "it goes in the site's content/); repeatable; default content")
    parser.add_argument("--exclude", default="", help="comma-separated folder names to leave out")
    parser.add_argument("--title", default="Search benchmark library")
    parser.add_argument("--base-url", default="https://example.org/")
    parser.add_argument("--eleventy", action="store_true",
                        help="the content is Eleventy's (Liquid tags, index.md section pages)")
    parser.add_argument("--jekyll", action="store_true",
                        help="the content is Jekyll's (kramdown, Liquid, permalink addresses)")
    args = parser.parse_args()
    if os.path.exists(args.dest):
        sys.exit(f"convert_hugo: {args.dest} exists; choose a new folder")
    excluded = {name for name in args.exclude.split(",") if name}
    contents = content_folders(args.src, args.content or ["content"])
    if args.jekyll:
        files, folders = convert_jekyll(contents, args.dest, args.title, args.base_url, excluded)
    else:
        files, folders = convert(contents, args.dest, args.title, args.base_url, excluded,
                                 args.eleventy)
    print(f"convert_hugo: {files} files, {len(folders)} types -> {args.dest}")


if __name__ == "__main__":
    main()
