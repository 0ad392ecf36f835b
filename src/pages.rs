//! The app's routes, in one place.
//!
//! Every page of the lesson has a [`Page`] variant, a URL slug and translation keys. Routes live
//! in the URL *fragment* (`index.html#/pooling`), so the built site is plain static files: a deep
//! link opened fresh works from any static server and under any sub-folder, with no rewrites.

/// A page of the app, in the lesson's order (home first, about last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// Table of contents.
    Home,
    /// §1 How images are formed: raster and vector.
    Images,
    /// §2–3 Why a CNN; single-channel convolution.
    Convolution,
    /// §4 Multi-channel convolution.
    Channels,
    /// §5 Padding, stride and dilation.
    PaddingStride,
    /// §6 Pooling.
    Pooling,
    /// §7 The lesson's MNIST CNN.
    Mnist,
    /// The whole network for one digit, zoomable to one multiplication.
    Network,
    /// §8–9 Inception and residual networks.
    Deeper,
    /// Training the CNN in the page.
    Train,
    /// Credits, sources and licences.
    About,
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 11] = [
        Page::Home,
        Page::Images,
        Page::Convolution,
        Page::Channels,
        Page::PaddingStride,
        Page::Pooling,
        Page::Mnist,
        Page::Network,
        Page::Deeper,
        Page::Train,
        Page::About,
    ];

    /// The chapters listed in the table of contents (every page but home).
    pub fn chapters() -> impl Iterator<Item = Page> {
        Self::ALL.into_iter().filter(|p| *p != Page::Home)
    }

    /// The URL slug: the page lives at `#/<slug>` (home at `#/`).
    pub fn slug(self) -> &'static str {
        match self {
            Page::Home => "",
            Page::Images => "images",
            Page::Convolution => "convolution",
            Page::Channels => "channels",
            Page::PaddingStride => "padding-stride",
            Page::Pooling => "pooling",
            Page::Mnist => "mnist",
            Page::Network => "network",
            Page::Deeper => "deeper",
            Page::Train => "train",
            Page::About => "about",
        }
    }

    /// The `href` of a link to this page (relative, so it works under any sub-folder).
    pub fn href(self) -> String {
        format!("#/{}", self.slug())
    }

    /// Translation key of the page's heading.
    pub fn title_key(self) -> &'static str {
        match self {
            Page::Home => "page.home.title",
            Page::Images => "page.images.title",
            Page::Convolution => "page.convolution.title",
            Page::Channels => "page.channels.title",
            Page::PaddingStride => "page.padding.title",
            Page::Pooling => "page.pooling.title",
            Page::Mnist => "page.mnist.title",
            Page::Network => "page.network.title",
            Page::Deeper => "page.deeper.title",
            Page::Train => "page.train.title",
            Page::About => "page.about.title",
        }
    }

    /// Translation key of the page's name in the chapter navigation (home is "Home" there).
    pub fn nav_key(self) -> &'static str {
        match self {
            Page::Home => "nav.home",
            page => page.title_key(),
        }
    }

    /// Translation key of the one-line summary shown in the table of contents.
    pub fn summary_key(self) -> &'static str {
        match self {
            Page::Home => "page.home.summary",
            Page::Images => "page.images.summary",
            Page::Convolution => "page.convolution.summary",
            Page::Channels => "page.channels.summary",
            Page::PaddingStride => "page.padding.summary",
            Page::Pooling => "page.pooling.summary",
            Page::Mnist => "page.mnist.summary",
            Page::Network => "page.network.summary",
            Page::Deeper => "page.deeper.summary",
            Page::Train => "page.train.summary",
            Page::About => "page.about.summary",
        }
    }

    /// Translation keys of the introduction's paragraphs, in order.
    pub fn intro_keys(self) -> &'static [&'static str] {
        match self {
            Page::Home => &["page.home.p1", "page.home.p2"],
            Page::Images => &["page.images.p1", "page.images.p2"],
            Page::Convolution => &["page.convolution.p1", "page.convolution.p2"],
            Page::Channels => &["page.channels.p1", "page.channels.p2"],
            Page::PaddingStride => &["page.padding.p1", "page.padding.p2"],
            Page::Pooling => &["page.pooling.p1", "page.pooling.p2"],
            Page::Mnist => &["page.mnist.p1", "page.mnist.p2"],
            Page::Network => &["page.network.p1", "page.network.p2"],
            Page::Deeper => &["page.deeper.p1", "page.deeper.p2"],
            Page::Train => &["page.train.p1", "page.train.p2"],
            Page::About => &["page.about.p1", "page.about.p2", "page.about.p3"],
        }
    }

    /// Parses a URL fragment (`#/pooling`, `#pooling`, `#/pooling/`, or empty for home).
    /// Returns `None` for an unknown page, which the app shows as "not found".
    pub fn from_hash(hash: &str) -> Option<Page> {
        let slug = hash.trim_start_matches('#').trim_matches('/');
        let slug = slug.split(['?', '/']).next().unwrap_or("");
        Self::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_round_trips_through_its_href() {
        for page in Page::ALL {
            assert_eq!(Page::from_hash(&page.href()), Some(page), "{page:?}");
        }
    }

    #[test]
    fn empty_and_odd_fragments() {
        assert_eq!(Page::from_hash(""), Some(Page::Home));
        assert_eq!(Page::from_hash("#"), Some(Page::Home));
        assert_eq!(Page::from_hash("#/"), Some(Page::Home));
        assert_eq!(Page::from_hash("#pooling"), Some(Page::Pooling));
        assert_eq!(Page::from_hash("#/pooling/"), Some(Page::Pooling));
        assert_eq!(Page::from_hash("#/nope"), None);
    }

    #[test]
    fn slugs_are_unique() {
        let mut slugs: Vec<_> = Page::ALL.iter().map(|p| p.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), Page::ALL.len());
    }
}
