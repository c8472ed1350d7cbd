# RESTRICT and PROPERTIES accumulate from EAPI 8 on; before, the eclass's value wins.
RESTRICT="test"
PROPERTIES="live"
