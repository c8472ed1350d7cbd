X=${U:- $(echo a)}
