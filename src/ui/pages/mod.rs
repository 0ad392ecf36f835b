//! The routed pages: home (the table of contents), a chapter, and "not found".

pub mod chapter;
pub mod home;
pub mod not_found;
pub mod toc;
