//! A chapter of the lesson: its heading and introduction. Each chapter's widgets are added
//! below the introduction as they are built.

use crate::embed::WidgetId;
use crate::pages::Page;
use crate::ui::components::page_intro::PageIntro;
use crate::ui::widgets::draw_digit::DrawDigit;
use crate::ui::widgets::eval_panel::EvalPanel;
use crate::ui::widgets::feature_maps::FeatureMaps;
use crate::ui::widgets::gallery::Gallery;
use crate::ui::widgets::model_card::ModelCard;
use crate::ui::widgets::registry::widget_view;
use crate::ui::widgets::share_bar::ShareBar;
use crate::ui::widgets::train_panel::TrainPanel;
use crate::ui::widgets::upload_digit::UploadDigit;
use leptos::prelude::*;

/// A widget followed by its "Embed / share" bar.
fn shared(id: WidgetId) -> impl IntoView {
    view! {
        {widget_view(id)}
        <ShareBar widget=id/>
    }
}

/// One chapter page.
#[component]
pub fn Chapter(page: Page) -> impl IntoView {
    let widgets = move |ids: &[WidgetId]| ids.iter().map(|&id| shared(id)).collect_view();
    view! {
        <article class="page" data-page=page.slug()>
            <PageIntro page=page/>
            {match page {
                Page::Images => widgets(&[WidgetId::Raster]).into_any(),
                Page::Convolution => widgets(&[WidgetId::Flatten, WidgetId::Conv, WidgetId::Backward]).into_any(),
                Page::Channels => widgets(&[WidgetId::Channels]).into_any(),
                Page::PaddingStride => widgets(&[WidgetId::Padding]).into_any(),
                Page::Pooling => widgets(&[WidgetId::Pool]).into_any(),
                Page::Mnist => view! {
                    // The drawing pad first: it is what a visitor comes for; the shapes
                    // and the builder, for a closer look, after the model's own views.
                    {widgets(&[WidgetId::Draw])}
                    <FeatureMaps/> <ShareBar widget=WidgetId::Maps/>
                    <Gallery/> <ShareBar widget=WidgetId::Gallery/>
                    <UploadDigit/> <ShareBar widget=WidgetId::Upload/>
                    <ModelCard/>
                    <EvalPanel/> <ShareBar widget=WidgetId::Eval/>
                    {widgets(&[WidgetId::Shapes, WidgetId::Builder])}
                }.into_any(),
                Page::Deeper => view! {
                    {widgets(&[WidgetId::Pointwise, WidgetId::Cost, WidgetId::Inception, WidgetId::Depth])}
                }.into_any(),
                Page::Train => view! {
                    <TrainPanel/> <ShareBar widget=WidgetId::Train/>
                    <ModelCard/> <EvalPanel/> <DrawDigit/>
                }.into_any(),
                Page::Home | Page::About => ().into_any(),
            }}
        </article>
    }
}
