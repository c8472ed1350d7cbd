# Calls EXPORT_FUNCTIONS before its inherit: portage prints a QA notice.
early_src_compile() { :; }
EXPORT_FUNCTIONS src_compile
inherit inner
