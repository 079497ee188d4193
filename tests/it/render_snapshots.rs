//! Snapshots of what users see: rendered markdown, and the text of the main error messages.

use casebook::content::site_map::SiteMap;
use casebook::markdown::{render, Place, RenderOptions};
use casebook::{BuildOptions, Site};
use std::fs;

fn site_map() -> SiteMap {
    let mut map = SiteMap::default();
    map.add("toolkits/huddles.md", "toolkits/huddles/index.html");
    map.add("case-studies/a/index.md", "case-studies/a/index.html");
    map.add("case-studies/a/chart.png", "case-studies/a/chart.png");
    map
}

fn rendered(markdown: &str) -> String {
    let place = Place {
        file: "content/case-studies/a/index.md",
        first_line: 5,
        dir: "case-studies/a",
        url: "case-studies/a/",
    };
    let out = render(markdown, place, &site_map(), &RenderOptions::default());
    let problems: Vec<String> = out.problems.iter().map(ToString::to_string).collect();
    format!("{}\n--- problems ---\n{}", out.html, problems.join("\n"))
}

#[test]
fn representative_markdown() {
    insta::assert_snapshot!(rendered(
        r#"# Joint huddles {#huddles}

Read the [huddle toolkit](../../toolkits/huddles.md#agenda) first, then the
[missing page](../nowhere.md). Mail [us](mailto:team@example.org) or visit
<https://example.org/>.

![Reviews per month](chart.png "Reviews")

## Results

| Practice | Reviews | Change |
|:---------|--------:|:------:|
| Riverside | 120 | +15% |

- [x] agree the list
- [ ] meet again

~~old plan~~ and a footnote.[^note]

[^note]: From the 2023 audit.

```rust
fn main() { println!("hello"); }
```

```
plain text block
```

## Results

<div class="callout" onmouseover="x()">Raw <b>HTML</b><script>bad()</script></div>
"#
    ));
}

/// A site with one problem per file, loaded through the library; the diagnostics as printed.
#[test]
fn main_error_messages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/case-studies")).unwrap();
    fs::write(
        root.join("casebook.yaml"),
        "title: T\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - { slug: shared-purpose, name: Shared purpose }\n",
    )
    .unwrap();
    let files: &[(&str, &str)] = &[
        ("bad-yaml.md", "---\ntitle: \"unclosed\nenablers: [shared-purpose]\n---\n"),
        ("unclosed.md", "---\ntitle: Never closed\n"),
        ("unknown-term.md", "---\ntitle: T\ndate: 2020-01-01\norganisation: O\nenablers: [shared-purpse]\n---\n"),
        ("missing-field.md", "---\ntitle: T\nenablers: [shared-purpose]\n---\n"),
        ("bad-date.md", "---\ntitle: T\ndate: 2023-02-31\norganisation: O\nenablers: [shared-purpose]\n---\n"),
        ("wrong-shape.md", "---\ntitle: T\ndate: 2020-01-01\norganisation: O\nenablers: 3\n---\n"),
        ("unknown-field.md", "---\ntitle: T\ndate: 2020-01-01\norganisation: O\nenablers: [shared-purpose]\nsumary: x\n---\n"),
        ("bad-slug.md", "---\ntitle: T\ndate: 2020-01-01\norganisation: O\nenablers: [shared-purpose]\nslug: ../../etc\n---\n"),
        ("broken-link.md", "---\ntitle: T\ndate: 2020-01-01\norganisation: O\nenablers: [shared-purpose]\nsummary: S\n---\nSee [x](../toolkits/none.md).\n"),
    ];
    for (name, text) in files {
        fs::write(root.join("content/case-studies").join(name), text).unwrap();
    }
    let (_, diagnostics) = Site::load(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("the config is valid"));
    let text: Vec<String> = diagnostics
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn an_email_autolink_is_a_mailto_link_not_a_broken_path() {
    let markdown = "Write to <team@example.org> with questions.\n";
    let out = rendered(markdown);
    assert!(
        out.contains(r#"<a href="mailto:team@example.org">team@example.org</a>"#),
        "{out}"
    );
    assert!(out.ends_with("--- problems ---\n"), "{out}");
    let place = Place {
        file: "x.md",
        first_line: 1,
        dir: "a",
        url: "a/x/",
    };
    assert_eq!(casebook::markdown::check_links(markdown, place, &site_map()), vec![]);
}
