a() { b; }
b() { echo two; }
