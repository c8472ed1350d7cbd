helper() { echo 2; }
