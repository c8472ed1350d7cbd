"""Plain data types shared by every layer: versions, atoms, EAPIs, records."""
