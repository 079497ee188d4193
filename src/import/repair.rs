//! Mechanical repairs of a body: Hugo shortcodes and Jekyll Liquid tags with a markdown
//! equivalent are rewritten (`ref`/`relref`, `figure`, `youtube`, `highlight`; `{% link %}`,
//! `{% post_url %}`, `{% highlight %}`, `{{ site.baseurl }}`); every other tag is kept as text
//! and its place returned, so the report can name its line.

use super::report::Repair;

/// A body after its repairs.
#[derive(Debug, Default, PartialEq)]
pub struct Repaired {
    /// The new body.
    pub body: String,
    /// The repairs made, one entry per tag rewritten.
    pub repairs: Vec<Repair>,
    /// Tags kept as text: the byte offset in `body` and the tag as written.
    pub kept: Vec<(usize, String)>,
    /// Links whose target was not found: the byte offset in `body` and the tag.
    pub unresolved: Vec<(usize, String)>,
}

/// How a link tag's target becomes a URL of the new site (root-relative, leading `/`).
pub type Resolve<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Rewrites the Hugo shortcodes of `body`; `resolve` turns a `ref` path into a URL.
pub fn hugo(body: &str, resolve: Resolve<'_>) -> Repaired {
    let mut out = Repaired::default();
    let mut rest = body;
    while let Some(at) = find_either(rest, "{{<", "{{%") {
        out.body.push_str(&rest[..at]);
        let close = if rest[at..].starts_with("{{<") { ">}}" } else { "%}}" };
        // The close is looked for after the opener: `{{%}}` is not a tag.
        let Some(len) = rest[at + 3..].find(close).map(|end| 3 + end + close.len()) else {
            rest = &rest[at..]; // an opener never closed: the rest is text
            break;
        };
        let tag = &rest[at..at + len];
        let inner = tag[3..tag.len() - 3].trim();
        rest = &rest[at + len..];
        if inner.starts_with("/*") || inner.starts_with('/') {
            out.body.push_str(tag); // an escaped example, or the end of a kept pair
            continue;
        }
        let args = split_args(inner);
        let name = args.first().map_or("", |(_, v)| v.as_str());
        match name {
            "ref" | "relref" => link(&mut out, tag, positional_or(&args, 1, "path"), resolve),
            "figure" => figure(&mut out, &args),
            "youtube" => youtube(&mut out, &args),
            "highlight" => {
                let end = find_either(rest, "{{< /highlight >}}", "{{</highlight>}}");
                match end {
                    Some(end) => {
                        let lang = positional_or(&args, 1, "lang").unwrap_or_default();
                        fence(&mut out, &lang, &rest[..end]);
                        let close_len = rest[end..].find("}}").map_or(0, |c| c + 2);
                        rest = &rest[end + close_len..];
                    }
                    None => keep(&mut out, tag),
                }
            }
            _ => keep(&mut out, tag),
        }
    }
    out.body.push_str(rest);
    out
}

/// Rewrites the Liquid tags of `body`; `link` resolves a `{% link path %}`, `post` a
/// `{% post_url name %}`.
pub fn jekyll(body: &str, link_to: Resolve<'_>, post: Resolve<'_>) -> Repaired {
    let mut out = Repaired::default();
    let mut rest = body;
    while let Some(at) = find_either(rest, "{%", "{{") {
        out.body.push_str(&rest[..at]);
        let close = if rest[at..].starts_with("{%") { "%}" } else { "}}" };
        let Some(len) = rest[at + 2..].find(close).map(|end| 2 + end + close.len()) else {
            rest = &rest[at..]; // an opener never closed: the rest is text
            break;
        };
        let tag = &rest[at..at + len];
        let inner = tag[2..tag.len() - 2].trim_matches('-').trim();
        rest = &rest[at + len..];
        if close == "}}" {
            if inner == "site.baseurl" {
                out.repairs.push(Repair::Baseurl);
            } else {
                keep(&mut out, tag);
            }
            continue;
        }
        let (name, argument) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let argument = argument.trim();
        match name {
            "link" => link(&mut out, tag, Some(argument.to_string()), link_to),
            "post_url" => link(&mut out, tag, Some(argument.to_string()), post),
            "raw" => {
                let end = rest.find("{% endraw %}").unwrap_or(rest.len());
                out.body.push_str(&rest[..end]);
                rest = &rest[(end + "{% endraw %}".len()).min(rest.len())..];
            }
            "highlight" => match rest.find("{% endhighlight %}") {
                Some(end) => {
                    let lang = argument.split_whitespace().next().unwrap_or("");
                    fence(&mut out, lang, &rest[..end]);
                    rest = &rest[end + "{% endhighlight %}".len()..];
                }
                None => keep(&mut out, tag),
            },
            _ => keep(&mut out, tag),
        }
    }
    out.body.push_str(rest);
    out
}

/// The byte offset of the first of `a` or `b` in `text`.
fn find_either(text: &str, a: &str, b: &str) -> Option<usize> {
    match (text.find(a), text.find(b)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn keep(out: &mut Repaired, tag: &str) {
    out.kept.push((out.body.len(), tag.to_string()));
    out.body.push_str(tag);
}

fn link(out: &mut Repaired, tag: &str, target: Option<String>, resolve: Resolve<'_>) {
    let target = target.unwrap_or_default();
    let (path, anchor) = target.split_once('#').map_or((target.as_str(), ""), |(p, a)| (p, a));
    // `ref "#part"` is a place on this page.
    let own_page = || (path.is_empty() && !anchor.is_empty()).then(String::new);
    match resolve(path).or_else(own_page) {
        Some(url) if anchor.is_empty() => out.body.push_str(&url),
        Some(url) => out.body.push_str(&format!("{url}#{anchor}")),
        None => {
            out.unresolved.push((out.body.len(), tag.to_string()));
            out.body.push_str(tag);
            return;
        }
    }
    out.repairs.push(Repair::Link);
}

fn figure(out: &mut Repaired, args: &[(Option<String>, String)]) {
    let named = |key: &str| named(args, key).unwrap_or_default();
    let caption = named("caption");
    let alt = [named("alt"), caption.clone(), named("title")]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let alt = alt.replace('[', "\\[").replace(']', "\\]");
    out.body.push_str(&format!("![{alt}]({})", link_target(&named("src"))));
    if !caption.is_empty() && caption != alt {
        out.body.push_str(&format!("\n\n*{caption}*"));
    }
    out.repairs.push(Repair::Figure);
}

fn youtube(out: &mut Repaired, args: &[(Option<String>, String)]) {
    let id = positional_or(args, 1, "id").unwrap_or_default();
    let title = named(args, "title").unwrap_or_else(|| "Watch the video on YouTube".to_string());
    out.body
        .push_str(&format!("[{title}](https://www.youtube.com/watch?v={id})"));
    out.repairs.push(Repair::Youtube);
}

fn fence(out: &mut Repaired, lang: &str, code: &str) {
    let code = code.strip_prefix('\n').unwrap_or(code).trim_end_matches([' ', '\t']);
    let ticks = if code.contains("```") { "~~~~" } else { "```" };
    let newline = if code.ends_with('\n') { "" } else { "\n" };
    out.body.push_str(&format!("{ticks}{lang}\n{code}{newline}{ticks}"));
    out.repairs.push(Repair::Highlight);
}

/// A link target markdown reads whole: `<…>` around one with spaces or parentheses.
fn link_target(url: &str) -> String {
    if url.contains([' ', '(', ')']) {
        format!("<{url}>")
    } else {
        url.to_string()
    }
}

/// Shortcode arguments: positional (`None`) or named (`key="value"`), quotes removed; the
/// first is the shortcode's name.
fn split_args(inner: &str) -> Vec<(Option<String>, String)> {
    let mut args = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return args;
        }
        let mut key = None;
        let mut word = String::new();
        loop {
            match chars.next() {
                None => break,
                Some(c) if c.is_whitespace() => break,
                Some('=') if key.is_none() => key = Some(std::mem::take(&mut word)),
                Some(q @ ('"' | '`')) => {
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        word.push(c);
                    }
                }
                Some(c) => word.push(c),
            }
        }
        args.push((key, word));
    }
}

fn named(args: &[(Option<String>, String)], key: &str) -> Option<String> {
    args.iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .map(|(_, v)| v.clone())
}

/// The `index`-th positional argument (0 is the name), else the named one.
fn positional_or(args: &[(Option<String>, String)], index: usize, key: &str) -> Option<String> {
    named(args, key).or_else(|| {
        args.iter()
            .filter(|(k, _)| k.is_none())
            .nth(index)
            .map(|(_, v)| v.clone())
    })
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(path: &str) -> Option<String> {
        (path.trim_start_matches('/') == "news/a.md").then(|| "/news/a/".to_string())
    }

    #[test]
    fn hugo_shortcodes_with_a_markdown_equivalent_are_rewritten() {
        let body = "See [a]({{< ref \"/news/a.md#top\" >}}) [b]({{< relref \"#b\" >}}).\n{{< figure src=\"/img/x.png\" caption=\"A cat\" >}}\n{{< youtube abc >}}\n{{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n";
        let out = hugo(body, &urls);
        assert_eq!(
            out.body,
            "See [a](/news/a/#top) [b](#b).\n![A cat](/img/x.png)\n[Watch the video on YouTube](https://www.youtube.com/watch?v=abc)\n```go\nfmt.Println()\n```\n"
        );
        assert_eq!(
            out.repairs,
            [
                Repair::Link,
                Repair::Link,
                Repair::Figure,
                Repair::Youtube,
                Repair::Highlight
            ]
        );
        assert!(out.kept.is_empty());
    }

    #[test]
    fn other_shortcodes_are_kept_as_text_with_their_place() {
        let body = "one\n{{< card-policy src=\"x\" >}}\n{{% note %}}hi{{% /note %}}\n";
        let out = hugo(body, &urls);
        assert_eq!(out.body, body);
        let lines: Vec<usize> = out.kept.iter().map(|(at, _)| line_of(&out.body, *at)).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn liquid_links_and_baseurl_are_rewritten_and_other_tags_kept() {
        let posts = |name: &str| (name == "2014-03-12-hello").then(|| "/posts/hello/".to_string());
        let body = "[x]({% post_url 2014-03-12-hello %}) ![i]({{ site.baseurl }}/img.png)\n{% include card.html %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n";
        let out = jekyll(body, &urls, &posts);
        assert_eq!(
            out.body,
            "[x](/posts/hello/) ![i](/img.png)\n{% include card.html %}\n```ruby\nputs 1\n```\n"
        );
        assert_eq!(out.kept, [(34, "{% include card.html %}".to_string())]);
    }

    #[test]
    fn hostile_bodies_are_kept_whole_without_panicking() {
        for body in [
            "{{%}}",
            "{{<>}}",
            "{{< ",
            "{%}",
            "{{}}",
            "{% raw %}",
            "{{< highlight",
            "é{{<é>}}é",
            "{% highlight %}",
        ] {
            let hugo_out = hugo(body, &urls);
            let jekyll_out = jekyll(body, &urls, &urls);
            assert!(
                hugo_out.body.len() + jekyll_out.body.len() <= 2 * body.len() + 16,
                "{body}"
            );
        }
        assert_eq!(hugo("a {{< b", &urls).body, "a {{< b", "an unclosed tag is kept");
    }

    #[test]
    fn a_link_to_nothing_is_kept_and_reported() {
        let out = jekyll("[x]({% link missing.md %})", &urls, &urls);
        assert_eq!(out.body, "[x]({% link missing.md %})");
        assert_eq!(out.unresolved.len(), 1);
    }
}
