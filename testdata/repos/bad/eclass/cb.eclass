inherit ca
