die() { X=one; }
