EAPI=8
DESCRIPTION="category not in profiles/categories"
SLOT=0
