x_src_compile() { echo one; }
EXPORT_FUNCTIONS src_compile
