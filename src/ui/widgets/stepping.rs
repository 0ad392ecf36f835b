//! Keyboard stepping shared by the explorers: ← and → move one position, Home and End jump to
//! the first and last.

/// The position a key moves to from `current` (`usize::MAX` for "the last"; the caller clamps),
/// or `None` for other keys. Handled keys stop the page from scrolling.
pub fn step_key(ev: &web_sys::KeyboardEvent, current: usize) -> Option<usize> {
    let to = match ev.key().as_str() {
        "ArrowRight" => current + 1,
        "ArrowLeft" => current.saturating_sub(1),
        "Home" => 0,
        "End" => usize::MAX,
        _ => return None,
    };
    ev.prevent_default();
    Some(to)
}
