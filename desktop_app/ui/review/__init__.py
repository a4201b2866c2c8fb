"""Review mode: walk the annotations, accept / reject / correct, first decision stands."""

from desktop_app.ui.review.mode import ReviewMode, install_review_mode

__all__ = ["ReviewMode", "install_review_mode"]
