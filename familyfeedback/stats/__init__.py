"""Statistics for Family Feedback: pure functions over plain numbers, thin tested wrappers over
scipy and statsmodels. No Django, nothing else of ours."""
