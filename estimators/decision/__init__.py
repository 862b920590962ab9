"""Which approach fits: the article's decision tree, the roles it gives, the recommendation."""
