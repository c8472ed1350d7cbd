helper() { echo two; }
