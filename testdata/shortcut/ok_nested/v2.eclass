outer() { helper() { echo two; }; }
outer
