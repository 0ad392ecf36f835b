//! A chapter of the lesson: its heading and introduction, then its widgets. The introduction
//! mounts with the page (it is what index.html's first screen showed); each widget (with its
//! share bar) mounts in a task of its own just after, in page order ([`Later`]), so that the
//! page's start-up has no long task. A long chapter has an outline ("On this page") under its
//! introduction ([`PageOutline`]).

use crate::embed::WidgetId;
use crate::pages::Page;
use crate::ui::components::later::Later;
use crate::ui::components::outline::PageOutline;
use crate::ui::components::page_intro::PageIntro;
use crate::ui::widgets::compare_panel::ComparePanel;
use crate::ui::widgets::draw_digit::DrawDigit;
use crate::ui::widgets::eval_panel::EvalPanel;
use crate::ui::widgets::feature_maps::FeatureMaps;
use crate::ui::widgets::gallery::Gallery;
use crate::ui::widgets::model_card::ModelCard;
use crate::ui::widgets::registry::widget_view;
use crate::ui::widgets::share_bar::ShareBar;
use crate::ui::widgets::train_panel::TrainPanel;
use crate::ui::widgets::upload_digit::UploadDigit;
use crate::ui::widgets::why_answer::WhyAnswer;
use leptos::prelude::*;

/// A widget followed by its "Embed / share" bar.
fn shared(id: WidgetId) -> impl IntoView {
    view! {
        {widget_view(id)}
        <ShareBar widget=id/>
    }
}

/// The same, mounted in a later task ([`Later`]).
fn later(id: WidgetId) -> impl IntoView {
    view! { <Later>{shared(id)}</Later> }
}

/// One chapter page.
#[component]
pub fn Chapter(page: Page) -> impl IntoView {
    let widgets = move |ids: &[WidgetId]| ids.iter().map(|&id| later(id)).collect_view();
    view! {
        <article class="page" data-page=page.slug()>
            <PageIntro page=page/>
            <PageOutline page=page/>
            {match page {
                Page::Images => widgets(&[WidgetId::Raster]).into_any(),
                Page::Convolution => widgets(&[WidgetId::Flatten, WidgetId::Conv, WidgetId::Backward, WidgetId::Transpose]).into_any(),
                Page::Channels => widgets(&[WidgetId::Channels]).into_any(),
                Page::PaddingStride => widgets(&[WidgetId::Padding]).into_any(),
                Page::Pooling => widgets(&[WidgetId::Pool]).into_any(),
                Page::Mnist => view! {
                    // The drawing pad first: it is what a visitor comes for; the shapes
                    // and the builder, for a closer look, after the model's own views.
                    {later(WidgetId::Draw)}
                    // Why this answer: next to the digit it explains.
                    <Later><WhyAnswer/> <ShareBar widget=WidgetId::Why/></Later>
                    <Later><FeatureMaps/> <ShareBar widget=WidgetId::Maps/></Later>
                    <Later><Gallery/> <ShareBar widget=WidgetId::Gallery/></Later>
                    <Later><UploadDigit/> <ShareBar widget=WidgetId::Upload/></Later>
                    <Later><ModelCard/></Later>
                    <Later><EvalPanel/> <ShareBar widget=WidgetId::Eval/></Later>
                    {later(WidgetId::Shapes)}
                    {later(WidgetId::Builder)}
                }.into_any(),
                Page::Network => widgets(&[WidgetId::Network]).into_any(),
                Page::Deeper => view! {
                    {widgets(&[WidgetId::Pointwise, WidgetId::Cost, WidgetId::Inception, WidgetId::Depth])}
                }.into_any(),
                Page::Train => view! {
                    <Later><TrainPanel/> <ShareBar widget=WidgetId::Train/></Later>
                    <Later><ModelCard/></Later>
                    <Later><EvalPanel/></Later>
                    <Later><DrawDigit/></Later>
                    <Later><ComparePanel/></Later>
                }.into_any(),
                Page::Home | Page::About => ().into_any(),
            }}
        </article>
    }
}
