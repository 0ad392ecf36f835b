//! A chapter of the lesson: its heading and introduction. Each chapter's widgets are added
//! below the introduction as they are built.

use crate::pages::Page;
use crate::ui::components::page_intro::PageIntro;
use crate::ui::widgets::channels_explorer::ChannelsExplorer;
use crate::ui::widgets::conv_backward::ConvBackward;
use crate::ui::widgets::conv_explorer::ConvExplorer;
use crate::ui::widgets::cost_calculator::CostCalculator;
use crate::ui::widgets::draw_digit::DrawDigit;
use crate::ui::widgets::eval_panel::EvalPanel;
use crate::ui::widgets::feature_maps::FeatureMaps;
use crate::ui::widgets::gallery::Gallery;
use crate::ui::widgets::image_views::{Flattening, RasterVector};
use crate::ui::widgets::inception_view::InceptionView;
use crate::ui::widgets::layer_builder::LayerBuilder;
use crate::ui::widgets::model_card::ModelCard;
use crate::ui::widgets::pointwise::Pointwise;
use crate::ui::widgets::pool_explorer::PoolExplorer;
use crate::ui::widgets::shape_checker::ShapeChecker;
use crate::ui::widgets::train_panel::TrainPanel;
use crate::ui::widgets::upload_digit::UploadDigit;
use leptos::prelude::*;

/// One chapter page.
#[component]
pub fn Chapter(page: Page) -> impl IntoView {
    view! {
        <article class="page" data-page=page.slug()>
            <PageIntro page=page/>
            {(page == Page::Images).then(|| view! { <RasterVector/> })}
            {(page == Page::Convolution).then(|| view! { <Flattening/> <ConvExplorer/> <ConvBackward/> })}
            {(page == Page::Channels).then(|| view! { <ChannelsExplorer/> })}
            {(page == Page::PaddingStride).then(|| view! { <ConvExplorer padding=0 stride=2/> })}
            {(page == Page::Pooling).then(|| view! { <PoolExplorer/> })}
            {(page == Page::Mnist).then(|| view! { <ShapeChecker/> <LayerBuilder/> <DrawDigit/> <FeatureMaps/> <Gallery/> <UploadDigit/> <ModelCard/> <EvalPanel/> })}
            {(page == Page::Deeper).then(|| view! { <Pointwise/> <CostCalculator/> <InceptionView/> })}
            {(page == Page::Train).then(|| view! { <TrainPanel/> <ModelCard/> <EvalPanel/> <DrawDigit/> })}
        </article>
    }
}
