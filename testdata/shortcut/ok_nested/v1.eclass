outer() { helper() { echo one; }; }
outer
