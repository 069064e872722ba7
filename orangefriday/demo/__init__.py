"""The demo community: a few products, fans, posts, comments and votes to explore the board."""
