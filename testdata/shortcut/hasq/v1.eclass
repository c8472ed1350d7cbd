has() { echo one; }
