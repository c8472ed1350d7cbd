helper() { X=one; }
