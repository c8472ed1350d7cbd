helper() { echo one; }
