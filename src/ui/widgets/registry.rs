//! The widget registry: which widget (or pair of widgets) each [`WidgetId`] shows. The chapter
//! pages and the embed page (`#/embed/<widget>`) both render a widget through [`widget_view`],
//! so a new widget is added here once, next to the others.

use super::channels_explorer::ChannelsExplorer;
use super::conv_backward::ConvBackward;
use super::conv_explorer::ConvExplorer;
use super::cost_calculator::CostCalculator;
use super::depth_view::DepthView;
use super::draw_digit::DrawDigit;
use super::eval_panel::EvalPanel;
use super::feature_maps::FeatureMaps;
use super::gallery::Gallery;
use super::image_views::{Flattening, RasterVector};
use super::inception_view::InceptionView;
use super::layer_builder::LayerBuilder;
use super::network_view::NetworkView;
use super::pointwise::Pointwise;
use super::pool_explorer::PoolExplorer;
use super::shape_checker::ShapeChecker;
use super::train_panel::TrainPanel;
use super::transpose_explorer::TransposeExplorer;
use super::upload_digit::UploadDigit;
use super::why_answer::WhyAnswer;
use crate::embed::WidgetId;
use leptos::prelude::*;

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
        WidgetId::Why => view! { <DrawDigit/> <WhyAnswer/> }.into_any(),
        WidgetId::Gallery => view! { <DrawDigit/> <Gallery/> }.into_any(),
        WidgetId::Upload => view! { <DrawDigit/> <UploadDigit/> }.into_any(),
        WidgetId::Eval => view! { <EvalPanel/> }.into_any(),
        WidgetId::Train => view! { <TrainPanel/> <DrawDigit/> }.into_any(),
        WidgetId::Depth => view! { <DepthView/> }.into_any(),
        WidgetId::Network => view! { <NetworkView/> }.into_any(),
    }
}
