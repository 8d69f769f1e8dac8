check -v
