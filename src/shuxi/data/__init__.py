"""Opening files, folders, globs and in-memory frames as a :class:`Dataset`."""
