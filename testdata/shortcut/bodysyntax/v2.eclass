helper() { }
