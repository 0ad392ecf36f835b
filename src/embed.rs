//! The embeddable widgets: their URL names, where they live in the app, the controls a course
//! page may hide, and the parsing of an embed address — `index.html?<state>&hide=…#/embed/<widget>`.
//!
//! Everything a link says is checked: an unknown widget falls back to the convolution explorer,
//! unknown control names are ignored; each gives a short note the page shows. Nothing here
//! panics, whatever the input (a property test feeds it random strings).

use crate::pages::Page;

/// A widget that can be embedded on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WidgetId {
    /// Single-channel convolution explorer.
    Conv,
    /// The same explorer set up for padding and stride (padding 0, stride 2).
    Padding,
    /// The backward view.
    Backward,
    /// The transposed convolution.
    Transpose,
    /// Multi-channel convolution.
    Channels,
    /// Pooling.
    Pool,
    /// The 1×1 convolution, pixel by pixel.
    Pointwise,
    /// The 1×1 bottleneck cost calculator.
    Cost,
    /// The Inception module.
    Inception,
    /// Raster versus vector.
    Raster,
    /// Flattening.
    Flatten,
    /// The shape checker.
    Shapes,
    /// The layer builder.
    Builder,
    /// Draw a digit.
    Draw,
    /// Feature maps (with the drawing pad above them).
    Maps,
    /// Why this answer: saliency and occlusion maps (with the drawing pad above them).
    Why,
    /// Real test digits (with the classifier above them).
    Gallery,
    /// Your own picture (with the classifier above it).
    Upload,
    /// The model tested on the 10,000 test digits.
    Eval,
    /// Training the Net in the page.
    Train,
    /// The residual block and the depth experiment.
    Depth,
    /// The whole network for one digit (the network view).
    Network,
}

impl WidgetId {
    /// Every embeddable widget.
    pub const ALL: [WidgetId; 22] = [
        WidgetId::Conv,
        WidgetId::Padding,
        WidgetId::Backward,
        WidgetId::Transpose,
        WidgetId::Channels,
        WidgetId::Pool,
        WidgetId::Pointwise,
        WidgetId::Cost,
        WidgetId::Inception,
        WidgetId::Raster,
        WidgetId::Flatten,
        WidgetId::Shapes,
        WidgetId::Builder,
        WidgetId::Draw,
        WidgetId::Maps,
        WidgetId::Why,
        WidgetId::Gallery,
        WidgetId::Upload,
        WidgetId::Eval,
        WidgetId::Train,
        WidgetId::Depth,
        WidgetId::Network,
    ];

    /// Its name in the embed address.
    pub fn slug(self) -> &'static str {
        match self {
            WidgetId::Conv => "conv",
            WidgetId::Padding => "padding",
            WidgetId::Backward => "backward",
            WidgetId::Transpose => "transpose",
            WidgetId::Channels => "channels",
            WidgetId::Pool => "pool",
            WidgetId::Pointwise => "pointwise",
            WidgetId::Cost => "cost",
            WidgetId::Inception => "inception",
            WidgetId::Raster => "raster",
            WidgetId::Flatten => "flatten",
            WidgetId::Shapes => "shapes",
            WidgetId::Builder => "builder",
            WidgetId::Draw => "draw",
            WidgetId::Maps => "maps",
            WidgetId::Why => "why",
            WidgetId::Gallery => "gallery",
            WidgetId::Upload => "upload",
            WidgetId::Eval => "eval",
            WidgetId::Train => "train",
            WidgetId::Depth => "depth",
            WidgetId::Network => "network",
        }
    }

    /// The widget named `slug`.
    pub fn from_slug(slug: &str) -> Option<WidgetId> {
        Self::ALL.into_iter().find(|w| w.slug() == slug)
    }

    /// The page it lives on.
    pub fn page(self) -> Page {
        match self {
            WidgetId::Conv | WidgetId::Backward | WidgetId::Transpose | WidgetId::Flatten => {
                Page::Convolution
            }
            WidgetId::Padding => Page::PaddingStride,
            WidgetId::Channels => Page::Channels,
            WidgetId::Pool => Page::Pooling,
            WidgetId::Pointwise | WidgetId::Cost | WidgetId::Inception | WidgetId::Depth => {
                Page::Deeper
            }
            WidgetId::Gallery | WidgetId::Upload | WidgetId::Eval => Page::Mnist,
            WidgetId::Train => Page::Train,
            WidgetId::Raster => Page::Images,
            WidgetId::Network => Page::Network,
            WidgetId::Shapes
            | WidgetId::Builder
            | WidgetId::Draw
            | WidgetId::Maps
            | WidgetId::Why => Page::Mnist,
        }
    }

    /// Whether a link can reproduce the widget as the learner sees it. The drawing pad, an
    /// uploaded picture, and the feature maps and the "why this answer" maps of either show the
    /// learner's own input, which no address carries: their share bars offer the embed snippet
    /// (an empty pad, the model named by `?model=`) and no link.
    pub fn link_reproduces(self) -> bool {
        !matches!(
            self,
            WidgetId::Draw | WidgetId::Upload | WidgetId::Maps | WidgetId::Why | WidgetId::Network
        )
    }

    /// A sensible iframe height in pixels (the frame resizes itself with `embed.js`).
    pub fn height(self) -> u32 {
        match self {
            WidgetId::Conv | WidgetId::Padding => 900,
            WidgetId::Backward => 760,
            WidgetId::Transpose => 900,
            WidgetId::Channels => 900,
            WidgetId::Pool => 720,
            WidgetId::Pointwise => 720,
            WidgetId::Cost => 620,
            WidgetId::Inception => 760,
            WidgetId::Raster | WidgetId::Flatten => 560,
            WidgetId::Shapes => 520,
            WidgetId::Builder => 980,
            WidgetId::Draw => 560,
            WidgetId::Maps => 1200,
            WidgetId::Why => 1100,
            WidgetId::Gallery | WidgetId::Upload => 1000,
            WidgetId::Eval => 900,
            WidgetId::Train => 1100,
            WidgetId::Depth => 1000,
            WidgetId::Network => 1100,
        }
    }

    /// The controls a course page can hide with `hide=` (plus `heading`, for every widget).
    pub fn controls(self) -> &'static [&'static str] {
        match self {
            WidgetId::Conv | WidgetId::Padding => &[
                "size",
                "input",
                "kernel-size",
                "kernel",
                "bias",
                "padding",
                "stride",
                "dilation",
                "paint",
                "predict",
                "code",
                "player",
            ],
            WidgetId::Pool => &[
                "mode", "window", "stride", "input", "channels", "backward", "predict", "code",
            ],
            WidgetId::Channels => &[
                "cin",
                "cout",
                "k",
                "padding",
                "depthwise",
                "predict",
                "code",
            ],
            WidgetId::Cost => &["hw", "cin", "cout", "k", "bottleneck", "b", "chart"],
            WidgetId::Pointwise => &["cout", "player", "code"],
            WidgetId::Draw => &["buttons", "model"],
            WidgetId::Maps => &["buttons"],
            WidgetId::Why => &["buttons", "patch"],
            WidgetId::Network => &["digit", "model"],
            _ => &[],
        }
    }
}

/// What an embed address asks for, after checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    /// The widget.
    pub widget: WidgetId,
    /// The controls to hide (known names only).
    pub hide: Vec<&'static str>,
    /// What was ignored or replaced, for a visible note.
    pub notes: Vec<String>,
}

/// The widget slug of an embed fragment (`#/embed/<slug>`), if it is one.
pub fn embed_slug(hash: &str) -> Option<&str> {
    let rest = hash.strip_prefix('#').unwrap_or(hash);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let slug = rest
        .strip_prefix("embed/")
        .or_else(|| (rest == "embed").then_some(""))?;
    Some(slug.split(['/', '?']).next().unwrap_or(""))
}

fn short(s: &str) -> String {
    s.chars().take(24).collect()
}

/// Checks an embed request: the widget `slug` and the `hide` list (comma-separated).
pub fn parse(slug: &str, hide: Option<&str>) -> Embed {
    let mut notes = Vec::new();
    let widget = WidgetId::from_slug(slug).unwrap_or_else(|| {
        notes.push(format!("widget {:?} → conv", short(slug)));
        WidgetId::Conv
    });
    let mut hidden = Vec::new();
    for name in hide
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let known = std::iter::once("heading")
            .chain(widget.controls().iter().copied())
            .find(|c| *c == name);
        match known {
            Some(c) if !hidden.contains(&c) => hidden.push(c),
            Some(_) => {}
            None => notes.push(format!(
                "hide {:?}: not a control of {}",
                short(name),
                widget.slug()
            )),
        }
    }
    Embed {
        widget,
        hide: hidden,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_fragments_parse() {
        for w in WidgetId::ALL {
            assert_eq!(WidgetId::from_slug(w.slug()), Some(w));
        }
        assert_eq!(embed_slug("#/embed/pool"), Some("pool"));
        assert_eq!(embed_slug("#/embed/pool/x"), Some("pool"));
        assert_eq!(embed_slug("#/embed"), Some(""));
        assert_eq!(embed_slug("#/pooling"), None);
    }

    #[test]
    fn unknown_widgets_and_controls_are_noted() {
        let e = parse("pool", Some("stride, code,stride,bogus"));
        assert_eq!(e.widget, WidgetId::Pool);
        assert_eq!(e.hide, ["stride", "code"]);
        assert_eq!(e.notes, [r#"hide "bogus": not a control of pool"#]);
        let e = parse("nope", None);
        assert_eq!(e.widget, WidgetId::Conv);
        assert_eq!(e.notes.len(), 1);
    }
}
