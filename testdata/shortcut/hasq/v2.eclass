has() { echo two; }
