//! The lesson's interactive widgets, one per file.

pub mod loss_chart;
pub mod train_panel;
