helper() { echo 1; }
