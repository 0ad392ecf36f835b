//! App-wide state, provided as Leptos context by [`crate::ui::App`] and read with
//! `expect_context`: the language, the theme and the current route.

pub mod backend;
pub mod lab;
pub mod lang;
pub mod route;
pub mod theme;
