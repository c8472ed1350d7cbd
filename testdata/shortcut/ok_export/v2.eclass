x_src_compile() { echo two; }
EXPORT_FUNCTIONS src_compile
