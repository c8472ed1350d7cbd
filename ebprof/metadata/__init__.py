"""Feature layer: md5-dict metadata caches, byte-identical to portage's egencache."""
