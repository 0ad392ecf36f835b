//! The lesson's interactive widgets, one per file.

pub mod channels_explorer;
pub mod conv_backward;
pub mod conv_explorer;
pub mod cost_calculator;
pub mod draw_digit;
pub mod format;
pub mod image_views;
pub mod inception_view;
pub mod loss_chart;
pub mod pointwise;
pub mod pool_explorer;
pub mod predict_first;
pub mod shape_checker;
pub mod stepping;
pub mod train_panel;
