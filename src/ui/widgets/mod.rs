//! The lesson's interactive widgets, one per file.

pub mod conv_explorer;
pub mod draw_digit;
pub mod loss_chart;
pub mod pool_explorer;
pub mod train_panel;
