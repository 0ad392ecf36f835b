//! The lesson's interactive widgets, one per file.

pub mod channels_explorer;
pub mod conv_backward;
pub mod conv_explorer;
pub mod cost_calculator;
pub mod depth_view;
pub mod draw_digit;
pub mod eval_panel;
pub mod feature_maps;
pub mod format;
pub mod gallery;
pub mod heat_canvas;
pub mod image_views;
pub mod inception_view;
pub mod layer_builder;
pub mod loss_chart;
pub mod model_card;
pub mod pointwise;
pub mod pool_explorer;
pub mod predict_first;
pub mod prob_chart;
pub mod shape_checker;
pub mod share_bar;
pub mod stepping;
pub mod train_panel;
pub mod train_run;
pub mod upload_digit;
