X=${U:-$(echo a)}
