helper() { X=two; }
