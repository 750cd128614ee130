"""One module per page (or family of pages); each answers its page and its tables as Excel."""
