//! One widget alone, for a course page's iframe: `index.html?<state>&lang=…&theme=…&hide=…#/embed/<widget>`.
//!
//! No header, navigation or footer; a transparent background; the widget's state, language and
//! theme from the address; `hide=` names controls to hide (so a teacher can fix a setting).
//! Whatever the address says, the widget renders: an unknown widget or control gives a small
//! note, never a blank frame. The frame's height is posted to the parent page whenever it
//! changes (`{type: "convscope:height", height}`), which `embed.js` uses to size the iframe.

use crate::embed::{self, Embed, WidgetId};
use crate::ui::platform;
use crate::ui::state::{self, lang::t};
use crate::ui::widgets::channels_explorer::ChannelsExplorer;
use crate::ui::widgets::conv_backward::ConvBackward;
use crate::ui::widgets::conv_explorer::ConvExplorer;
use crate::ui::widgets::cost_calculator::CostCalculator;
use crate::ui::widgets::depth_view::DepthView;
use crate::ui::widgets::draw_digit::DrawDigit;
use crate::ui::widgets::eval_panel::EvalPanel;
use crate::ui::widgets::feature_maps::FeatureMaps;
use crate::ui::widgets::gallery::Gallery;
use crate::ui::widgets::image_views::{Flattening, RasterVector};
use crate::ui::widgets::inception_view::InceptionView;
use crate::ui::widgets::layer_builder::LayerBuilder;
use crate::ui::widgets::pointwise::Pointwise;
use crate::ui::widgets::pool_explorer::PoolExplorer;
use crate::ui::widgets::shape_checker::ShapeChecker;
use crate::ui::widgets::train_panel::TrainPanel;
use crate::ui::widgets::transpose_explorer::TransposeExplorer;
use crate::ui::widgets::upload_digit::UploadDigit;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The widget itself.
pub fn widget_view(id: WidgetId) -> AnyView {
    match id {
        WidgetId::Conv => view! { <ConvExplorer/> }.into_any(),
        WidgetId::Padding => view! { <ConvExplorer padding=0 stride=2/> }.into_any(),
        WidgetId::Backward => view! { <ConvBackward/> }.into_any(),
        WidgetId::Transpose => view! { <TransposeExplorer/> }.into_any(),
        WidgetId::Channels => view! { <ChannelsExplorer/> }.into_any(),
        WidgetId::Pool => view! { <PoolExplorer/> }.into_any(),
        WidgetId::Pointwise => view! { <Pointwise/> }.into_any(),
        WidgetId::Cost => view! { <CostCalculator/> }.into_any(),
        WidgetId::Inception => view! { <InceptionView/> }.into_any(),
        WidgetId::Raster => view! { <RasterVector/> }.into_any(),
        WidgetId::Flatten => view! { <Flattening/> }.into_any(),
        WidgetId::Shapes => view! { <ShapeChecker/> }.into_any(),
        WidgetId::Builder => view! { <LayerBuilder/> }.into_any(),
        WidgetId::Draw => view! { <DrawDigit/> }.into_any(),
        WidgetId::Maps => view! { <DrawDigit/> <FeatureMaps/> }.into_any(),
        WidgetId::Gallery => view! { <DrawDigit/> <Gallery/> }.into_any(),
        WidgetId::Upload => view! { <DrawDigit/> <UploadDigit/> }.into_any(),
        WidgetId::Eval => view! { <EvalPanel/> }.into_any(),
        WidgetId::Train => view! { <TrainPanel/> <DrawDigit/> }.into_any(),
        WidgetId::Depth => view! { <DepthView/> }.into_any(),
        WidgetId::Network => view! { <crate::ui::widgets::network_view::NetworkView/> }.into_any(),
    }
}

/// The stylesheet that hides the named controls (names come from a fixed list).
fn hide_css(e: &Embed) -> String {
    e.hide
        .iter()
        .map(|name| {
            if *name == "heading" {
                ".embed-root .widget > h2 { display: none !important; }".to_string()
            } else {
                format!(".embed-root [data-control~=\"{name}\"] {{ display: none !important; }}")
            }
        })
        .collect()
}

/// Posts the document's height to the parent page whenever it changes.
fn post_height_on_resize() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(parent) = window.parent() else { return };
    let Some(parent) = parent else { return };
    if parent == window {
        return;
    }
    let last = std::cell::Cell::new(0i32);
    let post = move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        // The widget's own extent (not the document's, which is never less than the frame), so
        // the frame shrinks as well as grows.
        let Some(root) = doc.query_selector(".embed-root").ok().flatten() else {
            return;
        };
        let scroll_y = web_sys::window()
            .and_then(|w| w.scroll_y().ok())
            .unwrap_or(0.0);
        let height = (root.get_bounding_client_rect().bottom() + scroll_y).ceil() as i32 + 8;
        if height != last.get() {
            last.set(height);
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"convscope:height".into());
            let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
            // Only the height goes out, so any parent may read it.
            let _ = parent.post_message(&message, "*");
        }
    };
    post();
    let callback = Closure::<dyn FnMut()>::new(post);
    // The frame lives as long as the page: poll cheaply (layout changes from fonts, canvases and
    // toggles all show up), so the callback is never freed.
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        callback.as_ref().unchecked_ref(),
        250,
    );
    callback.forget();
}

/// The embed page.
#[component]
pub fn EmbedApp() -> impl IntoView {
    state::provide_shared();
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let slug = embed::embed_slug(&hash).unwrap_or("").to_string();
    let e = embed::parse(&slug, platform::query_param("hide").as_deref());
    if !e.notes.is_empty() {
        leptos::logging::log!("convscope embed: {}", e.notes.join("; "));
    }
    if let Some(root) = platform::root_element() {
        let _ = root.class_list().add_1("embed");
    }
    post_height_on_resize();
    let notes = e.notes.clone();
    view! {
        <style>{hide_css(&e)}</style>
        <div class="embed-root" role="main" data-widget=e.widget.slug()>
            {(!notes.is_empty()).then(|| view! { <p class="link-note embed-note" role="status">{t("embed.adjusted")}" "{notes.join(", ")}</p> })}
            {widget_view(e.widget)}
            <p class="embed-credit"><a href=format!("index.html#/{}", e.widget.page().slug()) target="_blank" rel="noopener">{t("embed.open")}</a></p>
        </div>
    }
}
