//! The shell's widgets, one per file.

pub mod footer;
pub mod header;
pub mod later;
pub mod nav;
pub mod outline;
pub mod page_intro;
pub mod widget_head;
