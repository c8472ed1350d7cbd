a() { b; }
b() { echo one; }
