# Sets IUSE around a nested inherit: the inner eclass's value is accumulated first.
IUSE="outer1"
inherit inner
IUSE+=" outer2"
