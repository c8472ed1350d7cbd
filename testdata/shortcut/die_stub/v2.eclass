die() { X=two; }
