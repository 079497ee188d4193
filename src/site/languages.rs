//! A site's other languages, each planned, validated and assembled as a library of its own:
//! its resources are the translations (inheritance applied, urls under `<code>/`), its config
//! the view [`Config::for_language`] gives, its site map the default language's with the
//! translated pages in place of their originals — so a link from a Welsh page to another
//! resource goes to its Welsh page when there is one, else to the original, and an image
//! or attachment of the bundle is the one file both languages share.

use crate::config::Config;
use crate::content::site_map::SiteMap;
use crate::content::{Content, LanguageContent};
use crate::library::Library;
use crate::render::sitemap;
use crate::render::views::SitemapEntry;
use crate::urls;

/// One other language, read and validated.
pub struct LanguageSources {
    /// The config as this language's pages see it.
    pub config: Config,
    /// Its translations, as content (no assets: the default language's are shared).
    pub content: Content,
    /// Where its links lead.
    pub site_map: SiteMap,
    /// Its sections, terms and coverage.
    pub library: Library,
}

impl LanguageSources {
    /// Every language of `config` but the default, in config order, from the translations
    /// `content` holds (a language without any still has its home, listings and search).
    pub fn all(config: &Config, content: &Content, site_map: &SiteMap) -> Vec<LanguageSources> {
        config
            .languages
            .keys()
            .map(|code| {
                let translated = content.languages.iter().find(|l| &l.lang == code);
                LanguageSources::new(config.for_language(code), translated, site_map)
            })
            .collect()
    }

    fn new(config: Config, translated: Option<&LanguageContent>, site_map: &SiteMap) -> LanguageSources {
        let content = Content {
            resources: translated.map(|l| l.resources.clone()).unwrap_or_default(),
            sections: translated.map(|l| l.sections.clone()).unwrap_or_default(),
            ..Content::default()
        };
        let mut site_map = site_map.clone();
        for r in &content.resources {
            site_map.add(&r.content_path, &urls::page_file(&r.url));
            let section = format!("{}{}", config.lang_prefix, urls::dir_url(&r.section));
            site_map.add(&r.section, &urls::page_file(&section));
        }
        for s in &content.sections {
            let intro = if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            };
            site_map.add(&intro, &urls::page_file(&s.url));
            site_map.add(&s.dir, &urls::page_file(&s.url));
        }
        let library = Library::without_related(&content, &config);
        LanguageSources {
            config,
            content,
            site_map,
            library,
        }
    }

    /// Its pages as the sitemap lists them.
    pub fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        sitemap::entries(&self.library, self.content.resources.iter(), &self.config)
    }
}
